"""One LA's register of homes and their vacancies (the supply events).

Every free place of a home is an open vacancy. A placement starting in a
home fills one (vacancy.filled); a placement ending opens one
(vacancy.opened). A bought-in home also takes children of other authorities:
some of its vacancies are withdrawn ("placed by another authority") and the
place comes back, as a new vacancy, months later. Foster households are
pseudonymous (no name, no URN); children's homes have Ofsted URNs.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from shared.events.common import HomeKind, HomeProvider
from shared.events.supply import (
    HomeDeregistered,
    HomeRegistered,
    HomeUpdated,
    VacancyFilled,
    VacancyHeld,
    VacancyOpened,
    VacancyWithdrawn,
)
from sufficiency.simulator.emit import Sink
from sufficiency.simulator.geography import Place, is_near
from sufficiency.simulator.model import OWN_SLOTS, Slot

_NAME_A = (
    "Oak",
    "Ash",
    "Birch",
    "Willow",
    "Elm",
    "Rowan",
    "Hazel",
    "Cedar",
    "Holly",
    "Beech",
    "Maple",
    "Larch",
    "Alder",
    "Linden",
    "Thorn",
    "Heather",
    "Meadow",
    "Brook",
)
_NAME_B = ("House", "Lodge", "View", "Court", "Cottage", "Grange", "Lea", "Croft", "Place")


@dataclass(slots=True, eq=False)
class Vacancy:
    id: str
    opened: date
    held_for: str | None = None
    hold_until: date | None = None

    def available(self, day: date) -> bool:
        return self.hold_until is None or self.hold_until < day


@dataclass(slots=True, eq=False)
class Home:
    id: str
    group: Slot
    kind: HomeKind
    provider: HomeProvider
    code: str  # PLACE code its placements get ("U" = a foster code chosen per child)
    place: Place
    places: int
    age_min: int
    age_max: int
    specialisms: tuple[str, ...]
    rating: str
    price: float
    frameworks: tuple[str, ...]
    share: bool
    urn: str | None
    name: str | None
    registered: date
    occupants: dict[str, date] = field(default_factory=dict)  # child id -> since
    vacancies: dict[str, Vacancy] = field(default_factory=dict)
    hidden: int = 0  # places taken by children of other authorities
    active: bool = True

    @property
    def grid(self) -> tuple[int, int]:
        return (self.place.easting, self.place.northing)

    def free_vacancy(self, day: date) -> Vacancy | None:
        for vac in self.vacancies.values():
            if vac.available(day):
                return vac
        return None

    @property
    def own(self) -> bool:
        return self.group in OWN_SLOTS


Schedule = Callable[[date, tuple[object, ...]], None]


class Registry:
    """The homes an LA has registered, and every vacancy event about them."""

    def __init__(
        self,
        la: str,
        sink: Sink,
        rng: random.Random,
        new_id: Callable[[str], str],
        schedule: Schedule,
    ) -> None:
        self.la = la
        self.sink = sink
        self.rng = rng
        self.new_id = new_id
        self.schedule = schedule
        self.homes: dict[str, Home] = {}
        # active homes with at least one open vacancy, per slot, in insertion order
        self.open: dict[Slot, dict[str, Home]] = {s: {} for s in Slot}
        self.by_group: dict[Slot, dict[str, Home]] = {s: {} for s in Slot}
        self.quiet = False  # while the opening state is built: no vacancy events

    # -- registering ---------------------------------------------------------
    def name(self) -> str:
        return f"{self.rng.choice(_NAME_A)} {self.rng.choice(_NAME_B)}"

    def urn(self) -> str:
        return f"SC{self.rng.randint(100_000, 999_999)}"

    def add(self, home: Home, day: date, emit: bool = True) -> None:
        """Register a home (event dated `day`); its free places open from `open_on`."""
        self.homes[home.id] = home
        self.by_group[home.group][home.id] = home
        if emit:
            self.emit_registered(home, day)

    def emit_registered(self, home: Home, day: date) -> None:
        data = {
            "home_id": home.id,
            "urn": home.urn,
            "name": home.name,
            "kind": home.kind.value,
            "provider": home.provider.value,
            "owner_la": self.la,
            "location_la": home.place.la,
            "postcode": home.place.postcode,
            "location": home.place.grid(),
            "registered_places": home.places,
            "age_min": home.age_min,
            "age_max": home.age_max,
            "specialisms": list(home.specialisms),
            "ofsted_rating": home.rating,
            "weekly_price": home.price,
            "frameworks": list(home.frameworks),
            "share_regionally": home.share,
        }
        self.sink.supply(HomeRegistered, day, home.id, data)

    def open_free_places(self, home: Home, day: date) -> None:
        while len(home.occupants) + len(home.vacancies) + home.hidden < home.places:
            self.open_vacancy(home, day)

    def deregister(self, home: Home, day: date, reason: str) -> None:
        for vac_id in list(home.vacancies):
            self.withdraw(home, vac_id, day, "home closed")
        home.active = False
        self.by_group[home.group].pop(home.id, None)
        self.open[home.group].pop(home.id, None)
        self.sink.supply(
            HomeDeregistered, day, home.id, {"home_id": home.id, "date": day, "reason": reason}
        )

    def update_rating(self, home: Home, day: date, rating: str) -> None:
        home.rating = rating
        self.sink.supply(HomeUpdated, day, home.id, {"home_id": home.id, "ofsted_rating": rating})

    # -- vacancies -----------------------------------------------------------
    def open_vacancy(self, home: Home, day: date, after: str | None = None) -> Vacancy:
        vac = Vacancy(self.new_id("vacancy"), day)
        home.vacancies[vac.id] = vac
        self.open[home.group][home.id] = home
        if not self.quiet:
            self.announce(home, vac, day, after)
        return vac

    def announce(self, home: Home, vac: Vacancy, day: date, after: str | None = None) -> None:
        vac.opened = day
        suitable = [s for s in home.specialisms if s != "disability"] or list(home.specialisms)
        self.sink.supply(
            VacancyOpened,
            day,
            home.id,
            {
                "vacancy_id": vac.id,
                "home_id": home.id,
                "places": 1,
                "available_from": day,
                "suitable_for": suitable,
                "age_min": home.age_min,
                "age_max": home.age_max,
            },
            keys=(after,) if after else (),
        )
        if not home.own and self.rng.random() < 0.5:
            # other authorities compete for bought-in places
            self.schedule(
                day + timedelta(days=max(3, int(self.rng.expovariate(1 / 40)))),
                ("withdraw", home.id, vac.id),
            )

    def withdraw(self, home: Home, vac_id: str, day: date, reason: str) -> None:
        home.vacancies.pop(vac_id)
        if not home.vacancies:
            self.open[home.group].pop(home.id, None)
        self.sink.supply(VacancyWithdrawn, day, home.id, {"vacancy_id": vac_id, "reason": reason})

    def taken_elsewhere(self, home_id: str, vac_id: str, day: date) -> None:
        """A scheduled withdrawal: the place went to another authority's child."""
        home = self.homes[home_id]
        vac = home.vacancies.get(vac_id)
        if not home.active or vac is None or not vac.available(day):
            return
        self.withdraw(home, vac_id, day, "placed by another authority")
        home.hidden += 1
        self.schedule(day + timedelta(days=self.rng.randint(90, 540)), ("release", home_id))

    def release(self, home_id: str, day: date) -> None:
        home = self.homes[home_id]
        home.hidden -= 1
        if home.active:
            self.open_vacancy(home, day)

    def hold(self, home: Home, vac: Vacancy, referral_id: str, until: date, day: date) -> None:
        vac.held_for, vac.hold_until = referral_id, until
        self.sink.supply(
            VacancyHeld,
            day,
            home.id,
            {
                "vacancy_id": vac.id,
                "held_for_referral": referral_id,
                "hold_until": datetime.combine(until, time(12, 0), UTC),
            },
        )

    def fill(self, home: Home, vac: Vacancy, child_id: str, placement_id: str, day: date) -> None:
        del home.vacancies[vac.id]
        if not home.vacancies:
            self.open[home.group].pop(home.id, None)
        home.occupants[child_id] = day
        if self.quiet:
            return
        self.sink.supply(
            VacancyFilled,
            day,
            home.id,
            {"vacancy_id": vac.id, "placement_id": placement_id},
            keys=(child_id,),
        )

    def leave(self, home_id: str, child_id: str, day: date, after: str | None = None) -> None:
        home = self.homes[home_id]
        home.occupants.pop(child_id, None)
        if home.active:
            self.open_vacancy(home, day, after)

    # -- finding ---------------------------------------------------------------
    def candidates(
        self, slot: Slot, day: date, age: int, origin: tuple[int, int] | None, near: bool | None
    ) -> list[tuple[Home, Vacancy]]:
        out = []
        for home in self.open[slot].values():
            if not home.age_min <= age <= home.age_max:
                continue
            vac = home.free_vacancy(day)
            if vac is None:
                continue
            if origin is not None and near is not None and is_near(origin, home.grid) != near:
                continue
            out.append((home, vac))
        return out

    def places(self, slot: Slot) -> int:
        return sum(h.places for h in self.by_group[slot].values())

    def idle(self, home: Home, day: date) -> bool:
        """No child of ours, none of another authority's, no vacancy held."""
        return (
            not home.occupants
            and not home.hidden
            and all(v.available(day) for v in home.vacancies.values())
        )
