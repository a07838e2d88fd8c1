"""The world on the first day: the LA's homes and the children already in care.

The children in care on the start date are drawn from the same episode model
as new admissions, length-biased (a long stay is more likely to be under way
on a given day) and each at a random point of its stay; that gives a stock
whose ages and time in care agree with the flows. Their placement slots are
fitted to the calibrated mix (iterative proportional fitting under the age
rules), which also gives the controllers their starting weights.

Each of them gets a history before the start date: the admission, legal
status changes, and, when the current placement began later than the
admission, one earlier placement (not in a registered home). Homes they live
in are registered before their first placement there; vacancies are
recorded from the start date.
"""

import math
import random
from collections.abc import Callable
from datetime import date, timedelta

from shared.events.journey import ChildAdmitted, LegalStatusChanged, PlacementEnded
from sufficiency.simulator import draws
from sufficiency.simulator.geography import place_by_distance, place_in_la
from sufficiency.simulator.model import (
    CHOOSABLE,
    Child,
    Placement,
    Slot,
    eligibility,
    foster_code,
    supported_code,
)
from sufficiency.simulator.supply import Home
from sufficiency.simulator.world import LaWorld


def open_world(world: LaWorld, start: date) -> None:
    rng = world.rng
    world.today = world.opened = start
    world.registry.quiet = True
    n = round(world.cic_target(start))
    stock = _stock(world, n)
    rng.shuffle(stock)
    people = []
    for shape, tau in stock:
        admitted = start - timedelta(days=tau)
        child = world.new_child(admitted, shape)
        world.prepare(child, shape, admitted, 1, draws.need(rng, world.cal, shape.uasc))
        people.append((child, shape, admitted))
    slots = _fit_slots(world, people, start)
    starts = [
        _placement_start(rng, shape, admitted, start, slot)
        for (_, shape, admitted), slot in zip(people, slots, strict=True)
    ]
    _own_homes(world, n, min(starts, default=start))
    order = sorted(range(len(people)), key=lambda i: (starts[i], i))
    for i in order:
        child, shape, admitted = people[i]
        _history(world, child, shape, admitted, slots[i], starts[i], start)
    world.registry.quiet = False
    for home in list(world.registry.homes.values()):
        for vac in list(home.vacancies.values()):
            world.registry.announce(home, vac, start)
        world.registry.open_free_places(home, start)
    for offset in range(world.lookahead):
        world.arrivals(start + timedelta(days=offset))


def _stock(world: LaWorld, n: int) -> list[tuple[draws.Shape, int]]:
    rng = world.rng
    n_uasc = round(world.cal.uasc * n)
    out: list[tuple[draws.Shape, int]] = []
    for uasc, count in ((True, n_uasc), (False, n - n_uasc)):
        got = 0
        while got < count:
            shape = world.draw.shape(rng, uasc)
            if rng.random() * draws.ADULT_DAYS < shape.duration:
                out.append((shape, rng.randint(0, shape.duration - 1)))
                got += 1
    return out


def _fit_slots(
    world: LaWorld, people: list[tuple[Child, draws.Shape, date]], start: date
) -> list[Slot]:
    """Slots on the start date matching the target mix as closely as ages allow."""
    rng = world.rng
    targets = world.targets
    fixed: dict[int, Slot] = {}
    weights: dict[int, list[float]] = {}
    for i, (child, shape, admitted) in enumerate(people):
        if shape.adoption and (start - admitted).days >= shape.adopt_at:
            fixed[i] = Slot.ADOPTION
            continue
        age = child.age_on(start)
        weights[i] = [
            0.0
            if (shape.remand or shape.adoption) and s in (Slot.PARENTS, Slot.FOSTER_KIN)
            else eligibility(s, age, child.uasc) * targets[s]
            for s in CHOOSABLE
        ]
    free = len(weights)
    share = 1 - targets[Slot.ADOPTION]
    want = [targets[s] / share * free for s in CHOOSABLE]
    factor = [1.0] * len(CHOOSABLE)
    for _ in range(40):
        expected = [0.0] * len(CHOOSABLE)
        for w in weights.values():
            row = [a * f for a, f in zip(w, factor, strict=True)]
            total = sum(row)
            for k, v in enumerate(row):
                expected[k] += v / total if total else 0.0
        factor = [
            f * (t / e) if e > 0 else f for f, t, e in zip(factor, want, expected, strict=True)
        ]
    mean = sum(factor) / len(factor)
    for k, s in enumerate(CHOOSABLE):
        world.factor[s] = factor[k] / mean
    out = []
    for i in range(len(people)):
        if i in fixed:
            out.append(fixed[i])
            continue
        row = [a * f for a, f in zip(weights[i], factor, strict=True)]
        out.append(rng.choices(CHOOSABLE, weights=row)[0] if sum(row) else Slot.FOSTER_EXT)
    return out


def _placement_start(
    rng: random.Random, shape: draws.Shape, admitted: date, start: date, slot: Slot
) -> date:
    if slot is Slot.ADOPTION:
        return admitted + timedelta(days=shape.adopt_at)
    tau = (start - admitted).days
    if tau < 30 or rng.random() < 0.4:
        return admitted
    return start - timedelta(days=rng.randint(0, tau))


def _own_homes(world: LaWorld, n: int, earliest: date) -> None:
    """The LA's own foster households and homes, registered before any use."""
    rng, cal = world.rng, world.cal
    own = cal.own_supply

    def registered() -> date:
        return earliest - timedelta(days=rng.randint(30, 2000))

    places = world.targets[Slot.FOSTER_OWN] * n / own.foster_occupancy
    total = 0
    while total < places:
        home = world.factory.own_foster(world.own_location(), registered())
        _register(world, home)
        total += home.places
    if own.homes is not None and own.home_places is not None:
        counts = _split(own.home_places, own.homes)
    else:
        need = math.ceil(world.targets[Slot.RES_OWN] * n / own.home_occupancy)
        counts = _split(need, max(1, round(need / 4))) if need else []
    for k, size in enumerate(counts):
        home = world.factory.own_childrens_home(
            place_in_la(rng, world.la), registered(), size, disability=k < own.disability_homes
        )
        _register(world, home)
    need = math.ceil(world.targets[Slot.SUPP_OWN] * n / 0.8)
    total = 0
    while total < need:
        home = world.factory.own_supported(place_in_la(rng, world.la), registered())
        _register(world, home)
        total += home.places


def _register(world: LaWorld, home: Home) -> None:
    world.registry.add(home, home.registered)
    world.registry.open_free_places(home, home.registered)  # quiet: announced at the start


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


def _history(
    world: LaWorld,
    child: Child,
    shape: draws.Shape,
    admitted: date,
    slot: Slot,
    placed: date,
    start: date,
) -> None:
    """Admission, legal status and placements up to the start date, emitted
    in date order (events of one child on one day must come out in order)."""
    world.start_period(child, shape, admitted)
    assert child.exit_on is not None
    steps: list[tuple[date, int, Callable[[], None]]] = [
        (
            admitted,
            0,
            lambda: world.journey(
                ChildAdmitted, admitted, child, world.admitted_data(child, admitted)
            ),
        )
    ]
    if placed > admitted:
        steps.append((admitted, 1, lambda: _earlier_placement(world, child, admitted)))
        steps.append((placed, 1, lambda: _end_earlier(world, child, placed)))
    steps.append(
        (
            placed,
            2,
            lambda: world.start_placement(
                child, slot, placed, "S" if placed == admitted else "P", None, False
            ),
        )
    )
    for when, status, _ in world.legal_steps(child, shape, admitted):
        if when >= child.exit_on:
            continue
        if when < start:
            steps.append((when, 3, _status_change(world, child, when, status)))
        else:
            world.schedule(when, ("ls", child.id, child.ls_token, status, False))
    for _, _, run in sorted(steps, key=lambda step: (step[0], step[1])):
        run()
    world.schedule(child.exit_on, ("exit", child.id, child.exit_token))
    if shape.adoption and slot is not Slot.ADOPTION:
        when = max(start, admitted + timedelta(days=shape.adopt_at))
        if when < child.exit_on:
            world.schedule(when, ("adopt", child.id, child.exit_token))


def _status_change(world: LaWorld, child: Child, when: date, status: str) -> Callable[[], None]:
    def run() -> None:
        child.legal_status = status
        world.journey(
            LegalStatusChanged,
            when,
            child,
            {"child_id": child.id, "date": when, "legal_status": status},
        )

    return run


def _earlier_placement(world: LaWorld, child: Child, admitted: date) -> None:
    """One placement before the current one; its home is not in the register."""
    rng = world.rng
    age = child.age_on(admitted)
    if age >= 16:
        code, slot, cost = supported_code(rng, admitted), Slot.SUPP_EXT, 1200.0
    else:
        slot = Slot.FOSTER_OWN if rng.random() < 0.5 else Slot.FOSTER_EXT
        code = foster_code(rng, slot, age, False)
        cost = 634.0 if slot is Slot.FOSTER_OWN else 974.0
    origin = child.grid or world.cal.centre
    where = place_by_distance(rng, origin, rng.random() < 0.7, prefer_la=world.la)
    child.placement_token += 1
    p = Placement(
        world.new_id("placement"),
        slot,
        code,
        "PR1" if slot is Slot.FOSTER_OWN else "PR4",
        admitted,
        None,
        (where.easting, where.northing),
        where.postcode,
        where.la,
        cost,
        None,
        None,
        child.placement_token,
    )
    child.placement = p
    child.history.append((admitted, None, True))
    world.emit_started(child, p, admitted, "S", None, False)


def _end_earlier(world: LaWorld, child: Child, until: date) -> None:
    p = child.placement
    assert p is not None
    world.journey(
        PlacementEnded,
        until,
        child,
        {"placement_id": p.id, "child_id": child.id, "date": until, "reason_for_change": "CARPL"},
    )
    start, _, new = child.history[-1]
    child.history[-1] = (start, until, new)
    child.placement = None
