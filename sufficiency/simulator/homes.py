"""Making homes: the LA's own (at the start) and bought-in ones (on demand).

Prices are the seed weekly costs (calibration.COSTS) with some spread
between homes. Ofsted ratings follow seed 001's table of providers used by
Derbyshire (LA homes 7 outstanding, 4 good; private homes 15 outstanding,
37 good, 4 requires improvement, 6 not yet inspected).
"""

import random
from collections.abc import Callable
from datetime import date

from shared.events.common import HomeKind, HomeProvider
from sufficiency.simulator.calibration import COSTS, LaCalibration
from sufficiency.simulator.geography import Place
from sufficiency.simulator.model import Slot
from sufficiency.simulator.supply import Home

_LA_RATINGS = (("outstanding", 7), ("good", 4))
_PRIVATE_RATINGS = (
    ("outstanding", 15),
    ("good", 37),
    ("requires_improvement", 4),
    ("not_yet_inspected", 6),
)
_SUPPORTED_RATINGS = (("not_yet_inspected", 4), ("good", 5), ("requires_improvement", 1))
_FOSTER_RATINGS = (("good", 8), ("outstanding", 2))
RATING_STEPS = ("inadequate", "requires_improvement", "good", "outstanding")


def _rating(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([r for r, _ in table], weights=[w for _, w in table])[0]


def _price(rng: random.Random, base: float, spread: float) -> float:
    return round(base * rng.lognormvariate(0.0, spread), 2)


def _some(rng: random.Random, options: tuple[tuple[str, float], ...]) -> tuple[str, ...]:
    return tuple(need for need, p in options if rng.random() < p)


class HomeFactory:
    def __init__(
        self,
        cal: LaCalibration,
        rng: random.Random,
        new_id: Callable[[str], str],
        name: Callable[[], str],
        urn: Callable[[], str],
    ) -> None:
        self.cal = cal
        self.rng = rng
        self.new_id = new_id
        self.name = name
        self.urn = urn

    def own_foster(self, place: Place, day: date) -> Home:
        rng = self.rng
        extra = self.cal.own_supply.foster_places_per_household - 1
        places = 1 + (rng.random() < extra) + (rng.random() < extra * 0.15)
        return Home(
            self.new_id("home"),
            Slot.FOSTER_OWN,
            HomeKind.FOSTER_HOUSEHOLD,
            HomeProvider.OWN_LA,
            "U",
            place,
            places,
            0,
            17,
            _some(
                rng,
                (
                    ("sibling_group", 0.2),
                    ("disability", 0.05),
                    ("uasc", 0.08),
                    ("challenging_behaviour", 0.1),
                ),
            ),
            _rating(rng, _FOSTER_RATINGS),
            _price(rng, COSTS.own_fostering, 0.1),
            (),
            False,
            None,
            None,
            day,
        )

    def own_childrens_home(self, place: Place, day: date, places: int, disability: bool) -> Home:
        rng = self.rng
        specialisms = (
            ("disability",)
            if disability
            else _some(
                rng, (("challenging_behaviour", 0.6), ("mental_health", 0.4), ("cse_risk", 0.2))
            )
        )
        return Home(
            self.new_id("home"),
            Slot.RES_OWN,
            HomeKind.CHILDRENS_HOME,
            HomeProvider.OWN_LA,
            "K2",
            place,
            places,
            8 if disability else 10,
            17,
            specialisms,
            _rating(rng, _LA_RATINGS),
            _price(rng, COSTS.own_residential, 0.1),
            (),
            True,
            self.urn(),
            self.name(),
            day,
        )

    def own_supported(self, place: Place, day: date) -> Home:
        rng = self.rng
        return Home(
            self.new_id("home"),
            Slot.SUPP_OWN,
            HomeKind.SUPPORTED_ACCOMMODATION,
            HomeProvider.OWN_LA,
            "SUPP",
            place,
            rng.randint(4, 6),
            16,
            17,
            _some(rng, (("uasc", 0.4),)),
            _rating(rng, _SUPPORTED_RATINGS),
            _price(rng, COSTS.own_supported, 0.1),
            (),
            True,
            self.urn(),
            self.name(),
            day,
        )

    def external(self, slot: Slot, place: Place, day: date, age: int) -> Home:
        rng = self.rng
        if slot is Slot.FOSTER_EXT:
            provider = (
                HomeProvider.VOLUNTARY
                if rng.random() < self.cal.ifa_voluntary
                else HomeProvider.PRIVATE
            )
            framework = ("D2N2",) if rng.random() < 0.80 else ()
            return Home(
                self.new_id("home"),
                slot,
                HomeKind.FOSTER_HOUSEHOLD,
                provider,
                "U",
                place,
                rng.choices((1, 2, 3), weights=(45, 40, 15))[0],
                0,
                17,
                _some(
                    rng,
                    (
                        ("sibling_group", 0.2),
                        ("uasc", 0.15),
                        ("challenging_behaviour", 0.1),
                        ("disability", 0.05),
                    ),
                ),
                _rating(rng, _FOSTER_RATINGS),
                _price(rng, COSTS.external_fostering, 0.12),
                framework,
                bool(framework),
                None,
                None,
                day,
            )
        if slot is Slot.SUPP_EXT:
            provider = HomeProvider.VOLUNTARY if rng.random() < 0.1 else HomeProvider.PRIVATE
            framework = ("D2N2",) if rng.random() < 0.5 else ()
            return Home(
                self.new_id("home"),
                slot,
                HomeKind.SUPPORTED_ACCOMMODATION,
                provider,
                "SUPP",
                place,
                rng.randint(3, 8),
                16,
                17,
                _some(rng, (("uasc", 0.4),)),
                _rating(rng, _SUPPORTED_RATINGS),
                _price(rng, COSTS.external_supported, 0.2),
                framework,
                bool(framework),
                self.urn(),
                self.name(),
                day,
            )
        assert slot is Slot.RES_EXT
        return self._external_residential(place, day, age)

    def _external_residential(self, place: Place, day: date, age: int) -> Home:
        rng = self.rng
        roll = rng.random()
        if roll < 0.03 and age >= 10:
            # secure children's homes are run by other LAs (PR2)
            return Home(
                self.new_id("home"),
                Slot.RES_EXT,
                HomeKind.SECURE_CHILDRENS_HOME,
                HomeProvider.OTHER_LA,
                "K1",
                place,
                rng.randint(6, 12),
                10,
                17,
                ("offending", "challenging_behaviour"),
                _rating(rng, _LA_RATINGS),
                _price(rng, COSTS.secure, 0.1),
                (),
                False,
                self.urn(),
                self.name(),
                day,
            )
        if roll < 0.07:
            kind, code = HomeKind.RESIDENTIAL_SCHOOL, "S1"
        elif roll < 0.10:
            kind, code = HomeKind.OTHER, "R1"
        else:
            kind, code = HomeKind.CHILDRENS_HOME, "K2"
        provider = (
            HomeProvider.VOLUNTARY
            if kind is HomeKind.RESIDENTIAL_SCHOOL and rng.random() < 0.5
            else HomeProvider.PRIVATE
        )
        if rng.random() < self.cal.block_share_ext_residential:
            framework: tuple[str, ...] = ("D2N2 block contract",)
        elif rng.random() < 0.35:
            framework = ("D2N2",)
        else:
            framework = ()
        specialisms = _some(
            rng,
            (
                ("challenging_behaviour", 0.6),
                ("mental_health", 0.35),
                ("cse_risk", 0.25),
                ("cce_risk", 0.25),
                ("disability", 0.1),
            ),
        )
        return Home(
            self.new_id("home"),
            Slot.RES_EXT,
            kind,
            provider,
            code,
            place,
            rng.choices((1, 2, 3, 4, 5), weights=(20, 25, 20, 20, 15))[0],
            min(age, 8 if rng.random() < 0.3 else 10),
            17,
            specialisms,
            _rating(rng, _PRIVATE_RATINGS),
            _price(rng, COSTS.external_residential, 0.25),
            framework,
            bool(framework),
            self.urn(),
            self.name(),
            day,
        )
