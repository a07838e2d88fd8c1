"""One LA's children in care and homes, simulated a day at a time.

Children enter care (Poisson at the calibrated start rate, some in sibling
groups, a few readmitted), are referred for and moved between placements,
change legal status and leave care. Every change becomes an event in the
LA's `Sink`. The rules the referrals service enforces hold by construction:
a placement starts only for a child in care, a child has one open placement
(a move ends the old one first), dates never go backwards, nothing follows
leaving care except a new admission.

Future happenings sit in an agenda (day -> actions). An action names its
child and the token it was planned under; if the child has since moved or
left, the token no longer matches and the action is dropped.
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.codes.ssda903 import NEW_CARER_REASONS, collection_year
from shared.events.journey import (
    ChildAdmitted,
    ChildLeftCare,
    LegalStatusChanged,
    PlacementEnded,
    PlacementStarted,
    ReferralClosed,
    ReferralReceived,
)
from sufficiency.simulator import draws
from sufficiency.simulator.calibration import COSTS, LaCalibration
from sufficiency.simulator.emit import Sink, entity_id
from sufficiency.simulator.geography import (
    TOWNS_BY_LA,
    Place,
    is_near,
    place_by_distance,
    place_in_la,
)
from sufficiency.simulator.homes import HomeFactory
from sufficiency.simulator.model import (
    CHOOSABLE,
    EXTERNAL_OF,
    FOSTERING,
    HOME_SLOTS,
    MOVE_RATE,
    NEAR_BASE,
    OWN_SLOTS,
    SOUGHT,
    Child,
    PendingMove,
    Placement,
    Slot,
    adoption_code,
    eligibility,
    foster_code,
    other_code,
    supported_code,
)
from sufficiency.simulator.supply import Home, Registry, Vacancy

Action = tuple[Any, ...]
LOOKAHEAD = 35  # days: admissions are decided this far ahead
PLANNED_REASONS = (("CARPL", 0.6), ("CHILD", 0.1), ("LAREQ", 0.1), ("CREQO", 0.1), ("OTHER", 0.1))
UNPLANNED_REASONS = (
    ("CREQB", 0.4),
    ("ALLEG", 0.08),
    ("STAND", 0.05),
    ("CHILD", 0.15),
    ("CREQO", 0.12),
    ("LAREQ", 0.1),
    ("CLOSE", 0.05),
    ("OTHER", 0.05),
)
PROVIDER_CODE = {"own_la": "PR1", "other_la": "PR2", "private": "PR4", "voluntary": "PR5"}


def years_fraction(day: date) -> float:
    """A date on the scale of the calibration series (year of the 31 March)."""
    return day.year + (day.timetuple().tm_yday - 90) / 365.25


@dataclass(slots=True, eq=False)
class Admission:
    """A child (or sibling group) due to enter care on `day`."""

    day: date
    children: list[Child]
    shapes: list[draws.Shape]
    emergency: bool
    slots: list[Slot] | None = None
    referrals: list[str | None] | None = None
    reserved: list[tuple[str, str] | None] | None = None


class LaWorld:
    def __init__(self, cal: LaCalibration, seed: int) -> None:
        self.cal = cal
        self.la = cal.code
        self.seed = seed
        self.rng = random.Random(f"sim:{seed}:{cal.code}")
        self.sink = Sink(cal.code, seed, random.Random(f"clock:{seed}:{cal.code}"))
        self.counters: dict[str, int] = {}
        self.agenda: dict[date, list[Action]] = {}
        self.registry = Registry(self.la, self.sink, self.rng, self.new_id, self.schedule)
        self.factory = HomeFactory(
            cal, self.rng, self.new_id, self.registry.name, self.registry.urn
        )
        self.children: dict[str, Child] = {}
        self.in_care: dict[str, Child] = {}
        self.readmit: list[tuple[date, str]] = []
        self.draw = draws.ShapeDraw(cal)
        self.targets = {Slot(k): v for k, v in cal.mix.normalised().items()}
        # knobs: slow ones (set by `prime`, nudged weekly by control.weekly) ...
        self.factor = {s: 1.0 for s in Slot}
        self.near_bias = 0.0
        self.move_mult = 1.0
        self.uasc_p = self.uasc_p0 = cal.uasc_admissions
        self.adopt_q0 = 0.3
        self.group_size = 1.1
        # ... and what they are compared with, kept up to date as things happen
        self.count = {s: 0 for s in Slot}  # children in care per current slot
        self.near_n = 0  # ... whose placement is within 20 miles of home
        self.uasc_n = 0
        self.three_plus: float | None = None  # measured weekly once a year has passed
        self.planned: dict[int, int] = {}  # admissions decided, per collection year
        self.today = date.min
        self.opened = date.min  # the first simulated day
        self.lookahead = LOOKAHEAD
        self.handlers: dict[str, Callable[..., None]] = {
            "refer": self._refer_admission,
            "admit": self._admit,
            "exit": self._exit,
            "trigger": self._trigger_move,
            "move": self._planned_move,
            "ls": self._legal,
            "t": self._same_carer,
            "adopt": self._adopt,
            "withdraw": self._withdraw,
            "release": self._release,
        }

    # -- plumbing --------------------------------------------------------------
    def new_id(self, kind: str) -> str:
        n = self.counters.get(kind, 0) + 1
        self.counters[kind] = n
        return entity_id(self.seed, self.la, kind, n)

    def schedule(self, day: date, action: Action) -> None:
        self.agenda.setdefault(day, []).append(action)

    def step(self, day: date) -> None:
        self.today = day
        self.arrivals(day + timedelta(days=LOOKAHEAD))
        actions = self.agenda.pop(day, [])
        i = 0
        while i < len(actions):  # actions may add more for today
            action = actions[i]
            self.handlers[action[0]](day, *action[1:])
            i += 1
            actions.extend(self.agenda.pop(day, []))

    def cic_target(self, day: date) -> float:
        return self.cal.cic_target(years_fraction(day))

    def starts_target(self, day: date) -> float:
        return self.cal.starts_target(collection_year(day) + 1)

    # -- admissions --------------------------------------------------------------
    def arrivals(self, day: date) -> None:
        """Decide who enters care on `day` (a few weeks ahead, so planned
        admissions can be referred before they happen)."""
        rng = self.rng
        target = self.starts_target(day)
        mean = target / 365.25 / self.group_size * self._steer(day, target)
        n = len(self.in_care) or 1
        uasc_p = min(0.9, self.uasc_p * pull(self.cal.uasc, self.uasc_n / n, 1.5))
        for _ in range(draws.poisson(rng, mean)):
            uasc = rng.random() < uasc_p
            shape = self.draw.shape(rng, uasc)
            child = None if uasc else self._readmission(day)
            if child is not None:
                if (day - child.dob).days >= draws.ADULT_DAYS - 30:
                    child = None
                else:
                    self._fit_shape(shape, (day - child.dob).days)
            if child is None:
                child = self.new_child(day, shape)
            group = [child]
            shapes = [shape]
            if not uasc and not shape.remand and shape.age_days < 14 * 365 and rng.random() < 0.12:
                for _ in range(1 if rng.random() < 0.75 else 2):
                    shapes.append(self._sibling_shape(shape))
                    group.append(self.new_child(day, shapes[-1], like=child))
            need = draws.need(rng, self.cal, uasc)
            for member, member_shape in zip(group, shapes, strict=True):
                self.prepare(member, member_shape, day, len(group), need)
            emergency = rng.random() < _emergency_chance(shape)
            plan = Admission(day, group, shapes, emergency)
            year = collection_year(day)
            self.planned[year] = self.planned.get(year, 0) + len(group)
            if emergency:
                self.schedule(day, ("admit", plan))
            else:
                lead = rng.randint(5, LOOKAHEAD - 1)
                self.schedule(max(self.today, day - timedelta(days=lead)), ("refer", plan))
                self.schedule(day, ("admit", plan))

    def _steer(self, day: date, target: float) -> float:
        """Poisson at the calibrated rate, steered half-way towards the
        collection year's figure: admissions are decided ahead, so the number
        already planned for the year is known."""
        year = collection_year(day)
        first = max(date(year, 4, 1), self.opened)
        expected = target * (day - first).days / 365.25
        left = target * max(30, (date(year + 1, 3, 31) - day).days + 1) / 365.25
        behind = expected - self.planned.get(year, 0)
        return min(1.5, max(0.5, 1 + 0.5 * behind / left))

    def _sibling_shape(self, first: draws.Shape) -> draws.Shape:
        rng = self.rng
        shape = self.draw.shape(rng, False)
        age = first.age_days + rng.choice((-1, 1)) * rng.randint(300, 5 * 365)
        shape.legal_status = first.legal_status
        shape.remand = False
        self._fit_shape(shape, min(max(0, age), 15 * 365))
        return shape

    def _fit_shape(self, shape: draws.Shape, age_days: int) -> None:
        """The shape for a child of a given age (a sibling or a readmission)."""
        shape.age_days = age_days
        if shape.adoption and age_days >= 4 * 365:
            shape.adoption = False
            shape.duration = self.draw.stay(self.rng)
        shape.duration = max(1, min(shape.duration, draws.ADULT_DAYS - age_days))

    def prepare(
        self, child: Child, shape: draws.Shape, day: date, siblings: int, need: str
    ) -> None:
        """What the child's referral and admission will say about them."""
        rng = self.rng
        child.need = "N2" if child.disabled and rng.random() < 0.5 else need
        child.sibling_size = siblings if siblings > 1 else None
        child.needs = draws.needs(
            rng,
            (day - child.dob).days // 365,
            child.sex == 2,
            child.uasc,
            child.disabled,
            child.unstable,
            shape.remand,
            siblings > 1,
        )

    def _readmission(self, day: date) -> Child | None:
        if not self.readmit or self.rng.random() >= 0.07:
            return None
        for i, (ready, child_id) in enumerate(self.readmit):
            if ready <= day:
                del self.readmit[i]
                return self.children[child_id]
        return None

    def new_child(self, day: date, shape: draws.Shape, like: Child | None = None) -> Child:
        rng, cal = self.rng, self.cal
        dob = day - timedelta(days=shape.age_days)
        child = Child(
            id=self.new_id("child"),
            dob=dob,
            sex=draws.sex(rng, cal, shape.uasc),
            ethnicity=like.ethnicity if like else draws.ethnicity(rng, cal, shape.uasc),
            uasc=shape.uasc,
            home=like.home if like else (None if shape.uasc else place_in_la(rng, self.la)),
            disabled=rng.random() < 0.04,
            unstable=rng.random() < (0.22 if shape.age_days > 11 * 365 else 0.08),
        )
        self.children[child.id] = child
        return child

    def start_period(self, child: Child, shape: draws.Shape, day: date) -> None:
        child.in_care = True
        child.admitted = day
        self.uasc_n += child.uasc
        child.left_on = None
        child.legal_status = shape.legal_status
        child.adoption = shape.adoption
        child.remand = shape.remand
        # placements of an earlier period still count for "3 or more" in the year
        child.history = [h for h in child.history if (day - h[0]).days < 400]
        child.pending = None
        child.ls_token += 1
        child.exit_token += 1
        child.exit_on = day + timedelta(days=shape.duration)
        self.in_care[child.id] = child

    def _refer_admission(self, day: date, plan: Admission) -> None:
        plan.slots = self._group_slots(plan)
        plan.referrals, plan.reserved = [], []
        prefer: str | None = None
        for child, slot in zip(plan.children, plan.slots, strict=True):
            age = (plan.day - child.dob).days // 365
            if slot not in SOUGHT:
                plan.referrals.append(None)
                plan.reserved.append(None)
                continue
            referral_id = self.new_id("referral")
            self._referral(child, day, referral_id, slot, urgent=False, due=plan.day)
            reserved = None
            if slot in HOME_SLOTS:
                near = self.decide_near(slot, child)
                found = self.find_home(slot, child, age, day, near, prefer, create=False)
                if found is not None:
                    home, vac = found
                    self.registry.hold(home, vac, referral_id, plan.day + timedelta(days=1), day)
                    reserved = (home.id, vac.id)
                    prefer = home.id
            plan.referrals.append(referral_id)
            plan.reserved.append(reserved)

    def _group_slots(self, plan: Admission) -> list[Slot]:
        """One slot for a sibling group where it suits them all."""
        first = plan.children[0]
        slot = self.choose_slot(
            first,
            (plan.day - first.dob).days // 365,
            plan.shapes[0].remand,
            adoption=plan.shapes[0].adoption,
        )
        out = []
        for child, shape in zip(plan.children, plan.shapes, strict=True):
            age = (plan.day - child.dob).days // 365
            out.append(
                slot
                if eligibility(slot, age, child.uasc) > 0
                else self.choose_slot(child, age, shape.remand, adoption=shape.adoption)
            )
        return out

    def _admit(self, day: date, plan: Admission) -> None:
        rng = self.rng
        if plan.slots is None:
            plan.slots = self._group_slots(plan)
        placed_home: str | None = None
        for i, child in enumerate(plan.children):
            if child.in_care:  # cannot happen: a readmission leaves the pool when picked
                continue
            shape = plan.shapes[i]
            self.start_period(child, shape, day)
            self.journey(
                ChildAdmitted, day, child, self.admitted_data(child, day), late=plan.emergency
            )
            slot = plan.slots[i]
            referral = plan.referrals[i] if plan.referrals else None
            reserved = plan.reserved[i] if plan.reserved else None
            if referral is None and slot in SOUGHT:
                referral = self.new_id("referral")
                self._referral(child, day, referral, slot, urgent=True, due=day)
            self.start_placement(
                child, slot, day, "S", referral, plan.emergency, reserved, prefer=placed_home
            )
            if child.placement and child.placement.home_id:
                placed_home = child.placement.home_id
            self._plan_period(child, shape, day)
            if plan.emergency and rng.random() < 0.3:
                # from the emergency bed to a matched placement
                self.schedule(
                    day + timedelta(days=rng.randint(10, 60)),
                    ("trigger", child.id, child.placement_token, False),
                )

    def admitted_data(self, child: Child, day: date) -> dict[str, Any]:
        return {
            "child_id": child.id,
            "date": day,
            "birth_month": child.dob.strftime("%Y-%m"),
            "sex": child.sex,
            "ethnicity": child.ethnicity,
            "legal_status": child.legal_status,
            "category_of_need": child.need,
            "uasc": child.uasc,
            "home_postcode": child.home.postcode if child.home else None,
            "home_location": child.home.grid() if child.home else None,
        }

    def own_location(self) -> Place:
        """Where a new own foster household lives: in the county, or for a
        city, in the city or the towns around it."""
        if len(TOWNS_BY_LA[self.la]) == 1 and self.rng.random() < 0.45:
            return place_by_distance(self.rng, self.cal.centre, True)
        return place_in_la(self.rng, self.la)

    def _plan_period(self, child: Child, shape: draws.Shape, day: date) -> None:
        assert child.exit_on is not None
        self.schedule(child.exit_on, ("exit", child.id, child.exit_token))
        for when, status, with_move in self.legal_steps(child, shape, day):
            if when < child.exit_on:
                self.schedule(when, ("ls", child.id, child.ls_token, status, with_move))
        if shape.adoption:
            self.schedule(
                day + timedelta(days=shape.adopt_at), ("adopt", child.id, child.exit_token)
            )

    def legal_steps(
        self, child: Child, shape: draws.Shape, admitted: date
    ) -> list[tuple[date, str, bool]]:
        """Changes of legal status planned at admission."""
        rng = self.rng
        steps: list[tuple[date, str, bool]] = []
        status, when = shape.legal_status, admitted
        if status in ("L1", "L2"):
            when += timedelta(days=rng.randint(1, 3))
            status = "C1" if shape.adoption or rng.random() < 0.6 else "V2"
            steps.append((when, status, rng.random() < 0.5))
        if shape.adoption:
            when = admitted + timedelta(days=rng.randint(200, 330))
            steps.append((when, "C2", False))
            steps.append((when + timedelta(days=rng.randint(0, 60)), "E1", False))
            return steps
        if status == "V2" and not child.uasc and rng.random() < 0.12:
            when += timedelta(days=rng.randint(30, 365))
            status = "C1"
            steps.append((when, status, False))
        if status == "C1" and rng.random() < 0.65:
            steps.append((when + timedelta(days=rng.randint(180, 420)), "C2", False))
        return steps

    # -- choosing ----------------------------------------------------------------
    def choose_slot(
        self,
        child: Child,
        age: int,
        remand: bool = False,
        current: Slot | None = None,
        adoption: bool = False,
    ) -> Slot:
        weights = []
        n = len(self.in_care) or 1
        for slot in CHOOSABLE:
            w = self.targets[slot] * self.factor[slot] * eligibility(slot, age, child.uasc)
            w *= pull(self.targets[slot], self.count[slot] / n, 1.5)
            if (remand or adoption) and slot in (Slot.PARENTS, Slot.FOSTER_KIN):
                w = 0.0
            if slot is current and slot in (Slot.PARENTS, Slot.OTHER):
                w = 0.0
            weights.append(w)
        if sum(weights) <= 0:
            return Slot.FOSTER_EXT
        return self.rng.choices(CHOOSABLE, weights=weights)[0]

    def decide_near(self, slot: Slot, child: Child) -> bool | None:
        if child.home is None:
            return None
        if slot is Slot.PARENTS:
            return True
        n = len(self.in_care) or 1
        gap = self.cal.within_20_miles - self.near_n / n
        p = min(0.99, max(0.02, NEAR_BASE[slot] + self.near_bias + 1.5 * gap))
        return self.rng.random() < p

    def find_home(
        self,
        slot: Slot,
        child: Child,
        age: int,
        day: date,
        near: bool | None,
        prefer: str | None,
        create: bool = True,
    ) -> tuple[Home, Vacancy] | None:
        """A home with a free place for the child: own first, bought in if
        the LA's own homes are full; a new bought-in home if none is free."""
        rng = self.rng
        origin = child.grid
        if origin is None:  # UASC: placed by where the LA is
            origin = self.cal.centre
            near = rng.random() < 0.75
        found = self._pick(self.registry.candidates(slot, day, age, origin, near), child, prefer)
        if found is None and slot in OWN_SLOTS and rng.random() < 0.5:
            found = self._pick(self.registry.candidates(slot, day, age, None, None), child, prefer)
        if found is None:
            ext = EXTERNAL_OF.get(slot, slot)
            found = self._pick(self.registry.candidates(ext, day, age, origin, near), child, prefer)
            if found is None and create:
                where = place_by_distance(
                    rng, origin, bool(near), prefer_la=self.la if near else None
                )
                registered = day
                if self.registry.quiet:  # opening history: in use since before `day`
                    registered = day - timedelta(days=rng.randint(7, 400))
                home = self.factory.external(ext, where, registered, age)
                self.registry.add(home, registered)
                self.registry.open_free_places(home, day)
                found = (home, next(iter(home.vacancies.values())))
        return found

    def _pick(
        self, options: list[tuple[Home, Vacancy]], child: Child, prefer: str | None
    ) -> tuple[Home, Vacancy] | None:
        if not options:
            return None
        for home, vac in options:
            if home.id == prefer:
                return home, vac
        weights = [1.0 + 2.0 * len(set(home.specialisms) & set(child.needs)) for home, _ in options]
        return self.rng.choices(options, weights=weights)[0]

    # -- placements --------------------------------------------------------------
    def start_placement(
        self,
        child: Child,
        slot: Slot,
        day: date,
        rne: str,
        referral: str | None,
        emergency: bool,
        reserved: tuple[str, str] | None = None,
        prefer: str | None = None,
    ) -> None:
        age = child.age_on(day)
        near = self.decide_near(slot, child)
        home: Home | None = None
        vac: Vacancy | None = None
        if slot in HOME_SLOTS:
            if reserved is not None:
                home = self.registry.homes[reserved[0]]
                vac = home.vacancies.get(reserved[1]) if home.active else None
            if vac is None:
                found = self.find_home(slot, child, age, day, near, prefer)
                assert found is not None
                home, vac = found
            assert home is not None
            slot = home.group
            placement = self._in_home(child, home, day)
        else:
            placement = self._not_in_home(child, slot, day, near)
        if child.home is not None and placement.location is not None:
            placement.near = is_near(child.grid or (0, 0), placement.location)
        child.placement = placement
        self.count[placement.slot] += 1
        self.near_n += bool(placement.near)
        child.history.append((day, None, rne in NEW_CARER_REASONS))
        self.emit_started(child, placement, day, rne, referral, emergency)
        if home is not None and vac is not None:
            self.registry.fill(home, vac, child.id, placement.id, day)
        if referral is not None:
            self.journey(
                ReferralClosed,
                day,
                child,
                {
                    "referral_id": referral,
                    "date": day,
                    "outcome": "placed",
                    "placement_id": placement.id,
                },
            )
        self._plan_placement(child, day)

    def _in_home(self, child: Child, home: Home, day: date) -> Placement:
        rng = self.rng
        age = child.age_on(day)
        if home.code == "U":
            long_term = (
                child.admitted is not None
                and (day - child.admitted).days > 240
                and rng.random() < 0.4
            )
            code = foster_code(rng, home.group, age, long_term)
        elif home.code == "SUPP":
            code = supported_code(rng, day)
        else:
            code = home.code
        framework = home.frameworks[0] if home.frameworks else None
        child.placement_token += 1
        return Placement(
            self.new_id("placement"),
            home.group,
            code,
            PROVIDER_CODE[home.provider.value],
            day,
            home.id,
            home.grid,
            home.place.postcode,
            home.place.la,
            home.price,
            framework,
            None,
            child.placement_token,
        )

    def _not_in_home(self, child: Child, slot: Slot, day: date, near: bool | None) -> Placement:
        rng = self.rng
        age = child.age_on(day)
        origin = child.grid
        if slot is Slot.PARENTS and child.home is not None:
            where = child.home
        else:
            where = place_by_distance(
                rng,
                origin or self.cal.centre,
                near if near is not None else rng.random() < 0.75,
                prefer_la=self.la,
            )
        cost = 0.0
        if slot is Slot.FOSTER_KIN:
            long_term = (
                child.admitted is not None
                and (day - child.admitted).days > 240
                and rng.random() < 0.4
            )
            code, provider = foster_code(rng, slot, age, long_term), "PR1"
            cost = round(COSTS.kinship * rng.lognormvariate(0, 0.1), 2)
        elif slot is Slot.PARENTS:
            code, provider = "P1", "PR0"
        elif slot is Slot.ADOPTION:
            # sometimes the foster carers are the adopters (A3/A5)
            code = adoption_code(rng, child.previous_slot in FOSTERING and rng.random() < 0.2)
            provider = "PR1" if rng.random() < 0.8 else "PR5"
        else:
            code = other_code(rng, age)
            if code == "R3":
                provider = "PR4" if rng.random() < 0.6 else "PR5"
                cost = round(COSTS.parent_and_child * rng.lognormvariate(0, 0.15), 2)
            else:
                provider = "PR3"
        child.placement_token += 1
        return Placement(
            self.new_id("placement"),
            slot,
            code,
            provider,
            day,
            None,
            (where.easting, where.northing),
            where.postcode,
            where.la,
            cost,
            None,
            None,
            child.placement_token,
        )

    def emit_started(
        self, child: Child, p: Placement, day: date, rne: str, referral: str | None, emergency: bool
    ) -> None:
        home = self.registry.homes.get(p.home_id) if p.home_id else None
        data = {
            "placement_id": p.id,
            "child_id": child.id,
            "date": day,
            "reason": rne,
            "placement_type": p.code,
            "provider": p.provider,
            "home_id": p.home_id,
            "urn": home.urn if home else None,
            "placement_postcode": p.postcode,
            "placement_location": (
                {"easting": p.location[0], "northing": p.location[1]} if p.location else None
            ),
            "placement_la": p.la,
            "weekly_cost": p.cost,
            "framework": p.framework,
            "referral_id": referral,
            "emergency": emergency,
        }
        keys = (p.home_id,) if p.home_id else ()
        self.journey(PlacementStarted, day, child, data, keys=keys, late=emergency)

    def end_placement(self, child: Child, day: date, reason: str | None) -> None:
        p = child.placement
        assert p is not None
        self.journey(
            PlacementEnded,
            day,
            child,
            {"placement_id": p.id, "child_id": child.id, "date": day, "reason_for_change": reason},
        )
        start, _, new_carer = child.history[-1]
        child.history[-1] = (start, day, new_carer)
        if p.home_id is not None:
            self.registry.leave(p.home_id, child.id, day, after=child.id)
        child.placement = None
        child.previous_slot = p.slot
        self.count[p.slot] -= 1
        self.near_n -= bool(p.near)

    def _plan_placement(self, child: Child, day: date) -> None:
        """When this placement might break down, or become long term."""
        rng = self.rng
        p = child.placement
        assert p is not None and child.exit_on is not None
        rate = MOVE_RATE[p.slot] * self.move_mult * (3.5 if child.unstable else 1.0)
        if self.three_plus is not None:
            rate *= pull(self.cal.three_plus, self.three_plus, 1.0)
        if child.age_on(day) >= 12:
            rate *= 1.3
        base = max(day, self.opened)  # opening placements: nothing before the start
        wait = int(rng.expovariate(rate / 365.25)) + 1
        if base + timedelta(days=wait) < child.exit_on - timedelta(days=7):
            self.schedule(base + timedelta(days=wait), ("trigger", child.id, p.token, None))
        if p.code in ("U3", "U5", "U6") and rng.random() < 0.25:
            when = day + timedelta(days=rng.randint(120, 540))
            if self.opened <= when < child.exit_on:
                self.schedule(when, ("t", child.id, p.token))

    # -- moves -------------------------------------------------------------------
    def _current(self, child_id: str, token: int) -> Child | None:
        child = self.children.get(child_id)
        if child is None or not child.in_care or child.placement is None:
            return None
        return child if child.placement.token == token else None

    def _trigger_move(self, day: date, child_id: str, token: int, emergency: bool | None) -> None:
        child = self._current(child_id, token)
        if child is None or child.pending is not None:
            return
        assert child.placement is not None
        if child.placement.slot is Slot.ADOPTION:
            return
        rng = self.rng
        if emergency is None:
            emergency = rng.random() < (0.5 if child.unstable else 0.3)
        assert child.placement is not None and child.exit_on is not None
        age = child.age_on(day)
        slot = self.choose_slot(child, age, child.remand, child.placement.slot, child.adoption)
        if emergency:
            self.move(
                child, day, slot, pick_reason(rng, UNPLANNED_REASONS), rne="P", emergency=True
            )
            return
        due = day + timedelta(days=rng.randint(7, 42))
        if due >= child.exit_on:
            return
        referral = None
        reserved: tuple[str, str] | None = None
        if slot in SOUGHT:
            referral = self.new_id("referral")
            self._referral(child, day, referral, slot, urgent=False, due=due)
            if slot in HOME_SLOTS:
                near = self.decide_near(slot, child)
                found = self.find_home(
                    slot, child, child.age_on(due), day, near, None, create=False
                )
                if found is not None:
                    home, vac = found
                    self.registry.hold(home, vac, referral, due + timedelta(days=1), day)
                    reserved = (home.id, vac.id)
        child.pending = PendingMove(
            referral or "",
            slot,
            due,
            reserved[0] if reserved else None,
            reserved[1] if reserved else None,
            pick_reason(rng, PLANNED_REASONS),
            token,
        )
        self.schedule(due, ("move", child.id, token))

    def _planned_move(self, day: date, child_id: str, token: int) -> None:
        child = self._current(child_id, token)
        if child is None or child.pending is None or child.pending.token != token:
            return
        pending, child.pending = child.pending, None
        rng = self.rng
        roll = rng.random()
        if pending.referral_id and roll < 0.08:
            self._close_referral(child, day, pending.referral_id, "withdrawn")
            self._plan_placement(child, day)
            return
        if pending.referral_id and pending.vacancy_id is None and roll < 0.12:
            self._close_referral(child, day, pending.referral_id, "no_suitable_placement")
            self.schedule(
                day + timedelta(days=rng.randint(7, 30)), ("trigger", child.id, token, None)
            )
            return
        reserved = (
            (pending.home_id, pending.vacancy_id)
            if pending.home_id and pending.vacancy_id
            else None
        )
        self.move(
            child,
            day,
            pending.slot,
            pending.reason,
            rne="P",
            emergency=False,
            referral=pending.referral_id or None,
            reserved=reserved,
        )

    def move(
        self,
        child: Child,
        day: date,
        slot: Slot,
        reason: str,
        rne: str,
        emergency: bool,
        referral: str | None = None,
        reserved: tuple[str, str] | None = None,
    ) -> None:
        if referral is None and slot in SOUGHT:
            referral = self.new_id("referral")
            self._referral(child, day, referral, slot, urgent=True, due=day)
        self.end_placement(child, day, reason)
        self.start_placement(child, slot, day, rne, referral, emergency, reserved)

    def _same_carer(self, day: date, child_id: str, token: int) -> None:
        """A short-term foster placement becomes long term with the same carer (RNE T)."""
        child = self._current(child_id, token)
        if child is None or child.pending is not None:
            return
        old = child.placement
        assert old is not None
        self.journey(
            PlacementEnded,
            day,
            child,
            {
                "placement_id": old.id,
                "child_id": child.id,
                "date": day,
                "reason_for_change": "PLACE",
            },
        )
        start, _, new_carer = child.history[-1]
        child.history[-1] = (start, day, new_carer)
        child.placement_token += 1
        code = "U1" if old.code in ("U2", "U3") else "U4"
        new = Placement(
            self.new_id("placement"),
            old.slot,
            code,
            old.provider,
            day,
            old.home_id,
            old.location,
            old.postcode,
            old.la,
            old.cost,
            old.framework,
            old.near,
            child.placement_token,
        )
        child.placement = new
        child.history.append((day, None, False))
        self.emit_started(child, new, day, "T", None, False)
        self._plan_placement(child, day)

    def _adopt(self, day: date, child_id: str, exit_token: int) -> None:
        child = self.children.get(child_id)
        if child is None or not child.in_care or child.exit_token != exit_token:
            return
        if child.placement is None or child.placement.slot is Slot.ADOPTION:
            return
        n = len(self.in_care) or 1
        if self.count[Slot.ADOPTION] / n > 1.25 * self.targets[Slot.ADOPTION]:
            # matching takes longer while many children wait with adopters
            assert child.exit_on is not None
            delay = timedelta(days=self.rng.randint(30, 90))
            self.set_exit(child, child.exit_on + delay)
            self.schedule(day + delay, ("adopt", child.id, child.exit_token))
            return
        if child.pending is not None:
            self._drop_pending(child, day)
        self.move(child, day, Slot.ADOPTION, "CARPL", rne="P", emergency=False)

    # -- legal status and leaving --------------------------------------------------
    def _legal(self, day: date, child_id: str, token: int, status: str, with_move: bool) -> None:
        child = self.children.get(child_id)
        if child is None or not child.in_care or child.ls_token != token:
            return
        if status == child.legal_status:
            return
        child.legal_status = status
        self.journey(
            LegalStatusChanged,
            day,
            child,
            {"child_id": child.id, "date": day, "legal_status": status},
        )
        if (
            with_move
            and child.placement is not None
            and child.pending is None
            and not child.adoption
        ):
            slot = self.choose_slot(
                child, child.age_on(day), child.remand, child.placement.slot, child.adoption
            )
            self.move(child, day, slot, "CARPL", rne="B", emergency=True)

    def _exit(self, day: date, child_id: str, token: int) -> None:
        child = self.children.get(child_id)
        if child is None or not child.in_care or child.exit_token != token:
            return
        if child.pending is not None:
            self._drop_pending(child, day)
        reason = self.exit_reason(child, day)
        slot = child.placement.slot if child.placement else None
        if child.placement is not None:
            self.end_placement(child, day, None)
        self.journey(
            ChildLeftCare, day, child, {"child_id": child.id, "date": day, "reason": reason}
        )
        child.in_care = False
        child.left_on = day
        self.uasc_n -= child.uasc
        child.exit_token += 1
        child.ls_token += 1
        del self.in_care[child.id]
        age = child.age_on(day)
        if (
            reason in ("E4A", "E4B", "E13")
            and age < 16
            and slot is not Slot.ADOPTION
            and self.rng.random() < 0.12
        ):
            ready = day + timedelta(days=self.rng.randint(60, 700))
            self.readmit.append((ready, child.id))

    def exit_reason(self, child: Child, day: date) -> str:
        rng = self.rng
        slot = child.placement.slot if child.placement else None
        if child.remand:
            return "E14" if rng.random() < 0.7 else "E9"
        if slot is Slot.ADOPTION:
            return "E11" if rng.random() < 0.5 else "E12"
        if day >= child.eighteenth():
            if child.uasc:
                return draws.pick(rng, (("E5", 0.55), ("E6", 0.3), ("E8", 0.15)))
            if slot in FOSTERING:
                return draws.pick(
                    rng, (("E17", 0.5), ("E5", 0.3), ("E6", 0.05), ("E7", 0.05), ("E8", 0.1))
                )
            if child.disabled:
                return "E7"
            return draws.pick(rng, (("E5", 0.65), ("E6", 0.15), ("E8", 0.2)))
        if child.uasc:
            return draws.pick(rng, (("E15", 0.4), ("E3", 0.3), ("E8", 0.2), ("E16", 0.1)))
        if slot is Slot.PARENTS:
            return draws.pick(rng, (("E4A", 0.75), ("E41", 0.15), ("E13", 0.1)))
        if slot is Slot.FOSTER_KIN:
            return draws.pick(rng, (("E45", 0.35), ("E41", 0.2), ("E13", 0.2), ("E4A", 0.25)))
        if child.age_on(day) >= 16:
            return draws.pick(
                rng,
                (
                    ("E5", 0.3),
                    ("E4A", 0.25),
                    ("E13", 0.15),
                    ("E8", 0.2),
                    ("E4B", 0.05),
                    ("E9", 0.05),
                ),
            )
        sgo = "E46" if slot in FOSTERING else "E47"
        return draws.pick(
            rng,
            (
                ("E4A", 0.45),
                ("E4B", 0.06),
                ("E13", 0.12),
                ("E41", 0.06),
                (sgo, 0.08),
                ("E48", 0.03),
                ("E8", 0.15),
                ("E3", 0.05),
            ),
        )

    def set_exit(self, child: Child, when: date) -> None:
        child.exit_token += 1
        child.exit_on = when
        self.schedule(when, ("exit", child.id, child.exit_token))

    def _drop_pending(self, child: Child, day: date) -> None:
        pending, child.pending = child.pending, None
        if pending is not None and pending.referral_id:
            self._close_referral(child, day, pending.referral_id, "withdrawn")

    # -- referrals -------------------------------------------------------------
    def _referral(
        self, child: Child, day: date, referral_id: str, slot: Slot, urgent: bool, due: date
    ) -> None:
        sought = SOUGHT[slot]
        if slot is Slot.OTHER:
            sought = "parent_and_child" if child.sex == 2 and child.age_on(day) >= 14 else "other"
        self.journey(
            ReferralReceived,
            day,
            child,
            {
                "referral_id": referral_id,
                "child_id": child.id,
                "date": day,
                "urgency": "emergency" if urgent else "planned",
                "placement_sought": sought,
                "needs": list(child.needs),
                "sibling_group_size": child.sibling_size,
                "required_by": due,
                "preferred_location": child.home.grid() if child.home else None,
            },
            late=urgent,
        )

    def _close_referral(self, child: Child, day: date, referral_id: str, outcome: str) -> None:
        self.journey(
            ReferralClosed,
            day,
            child,
            {"referral_id": referral_id, "date": day, "outcome": outcome},
        )

    def journey(
        self,
        cls: type,
        day: date,
        child: Child,
        data: dict[str, Any],
        keys: tuple[str, ...] = (),
        late: bool = False,
    ) -> None:
        self.sink.journey(
            cls,
            day,
            child.id,
            {k: v for k, v in data.items() if v is not None},
            keys=keys,
            late=late,
        )

    # -- supply actions ------------------------------------------------------------
    def _withdraw(self, day: date, home_id: str, vacancy_id: str) -> None:
        self.registry.taken_elsewhere(home_id, vacancy_id, day)

    def _release(self, day: date, home_id: str) -> None:
        self.registry.release(home_id, day)


def pull(target: float, current: float, gain: float) -> float:
    """A factor above 1 when `current` is below `target` (and below 1 above it)."""
    return math.exp(max(-3.0, min(3.0, gain * (target - current) / max(target, 0.01))))


def _emergency_chance(shape: draws.Shape) -> float:
    if shape.uasc:
        return 0.8
    return {"L1": 1.0, "L2": 1.0, "J2": 1.0, "C1": 0.7, "C2": 0.3}.get(shape.legal_status, 0.45)


def pick_reason(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return draws.pick(rng, pairs)
