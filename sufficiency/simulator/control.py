"""Weekly adjustments that keep a simulated LA near its published figures.

The flows (admissions, moves, stays) are random; once a week the world is
measured and a few knobs are nudged towards the calibration:

- children in care: leaving dates are brought forward (or put back) for a
  few children, and ordinary stays are scaled for later admissions;
- placement mix: the weight of each slot when a placement is chosen;
- within 20 miles: the chance of choosing a home near the child's home;
- 3+ placements: the rate of placement moves;
- UASC: the share of admissions who are UASC; adoption: the share of young
  children with an adoption plan.

The LA also recruits foster carers while its own places fall short of what
its share of fostering needs, and lets carers go when there are too many
empty ones; children's homes are re-inspected now and then.
"""

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from shared.events.common import HomeKind
from sufficiency.simulator.homes import RATING_STEPS
from sufficiency.simulator.model import CHOOSABLE, Slot
from sufficiency.simulator.world import LaWorld


@dataclass
class Stats:
    n: int = 0
    slots: dict[Slot, int] = field(default_factory=dict)
    near: int = 0
    uasc: int = 0
    three_plus: int = 0


def window_start(day: date) -> date:
    """First day of the 12 months to `day` (31 March 2024 -> 1 April 2023)."""
    year = day.year - 1
    last = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, min(day.day, last)) + timedelta(days=1)


def placements_counted(
    history: list[tuple[date, date | None, bool]], first: date, day: date
) -> int:
    """The DfE count for "3 or more placements": the placement open when the
    window opens, then each new-carer start in the window."""
    n = sum(1 for start, _, new in history if new and first <= start <= day)
    before = [(start, end) for start, end, _ in history if start < first]
    if before:
        _, end = before[-1]
        if end is None or end >= first:
            n += 1
    return n


def measure(world: LaWorld, day: date) -> Stats:
    stats = Stats()
    first = window_start(day)
    for child in world.in_care.values():
        stats.n += 1
        p = child.placement
        if p is not None:
            stats.slots[p.slot] = stats.slots.get(p.slot, 0) + 1
            if p.near:
                stats.near += 1
        stats.uasc += child.uasc
        if placements_counted(child.history, first, day) >= 3:
            stats.three_plus += 1
    return stats


def _nudge(value: float, target: float, current: float, gain: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, value * math.exp(gain * (target - current) / max(target, 0.01))))


def weekly(world: LaWorld, day: date) -> None:
    """Measure, then nudge the slow knobs (the fast pulls act on every decision)."""
    stats = measure(world, day)
    if stats.n == 0:
        return
    cal = world.cal
    _stock(world, day, stats.n)
    for slot in CHOOSABLE:
        world.factor[slot] = _nudge(
            world.factor[slot],
            world.targets[slot],
            stats.slots.get(slot, 0) / stats.n,
            0.04,
            0.1,
            10.0,
        )
    world.draw.adopt_q = _nudge(
        world.draw.adopt_q,
        world.targets[Slot.ADOPTION],
        stats.slots.get(Slot.ADOPTION, 0) / stats.n,
        0.01,
        0.5 * world.adopt_q0,
        min(0.95, 2 * world.adopt_q0),
    )
    world.near_bias = min(
        0.8, max(-0.8, world.near_bias + 0.1 * (cal.within_20_miles - stats.near / stats.n))
    )
    world.uasc_p = _nudge(
        world.uasc_p,
        cal.uasc,
        stats.uasc / stats.n,
        0.04,
        0.5 * world.uasc_p0,
        min(0.9, 2 * world.uasc_p0),
    )
    if day >= world.opened + timedelta(days=365):
        # the 12-month window is only full a year after the start
        world.three_plus = stats.three_plus / stats.n
        world.move_mult = _nudge(world.move_mult, cal.three_plus, world.three_plus, 0.04, 0.3, 3.0)
    _foster_carers(world, day)
    _closures(world, day)
    _inspections(world, day)
    world.readmit = [
        (ready, cid) for ready, cid in world.readmit if world.children[cid].age_on(day) < 17
    ]


def _stock(world: LaWorld, day: date, n: int) -> None:
    """Keep the number in care near the target by moving some leaving dates."""
    rng = world.rng
    target = world.cic_target(day)
    gap = n - target
    if abs(gap) <= 0.01 * target:
        return
    k = math.ceil(0.35 * abs(gap))
    movable = [
        c
        for c in world.in_care.values()
        if not c.adoption and not c.remand and c.exit_on is not None
    ]
    if gap > 0:
        world.draw.scale = max(0.3, world.draw.scale * 0.99)
        later = sorted(
            (c for c in movable if c.exit_on and c.exit_on > day + timedelta(days=7)),
            key=lambda c: (c.exit_on, c.id),
        )[: 3 * k]
        for child in rng.sample(later, min(k, len(later))):
            world.set_exit(child, day + timedelta(days=rng.randint(1, 7)))
    else:
        world.draw.scale = min(4.0, world.draw.scale * 1.01)
        soon = sorted(
            (
                c
                for c in movable
                if c.exit_on
                and day < c.exit_on <= day + timedelta(days=28)
                and c.exit_on < c.eighteenth()
            ),
            key=lambda c: (c.exit_on, c.id),
        )[:k]
        for child in soon:
            assert child.exit_on is not None
            later_on = child.exit_on + timedelta(days=rng.randint(60, 240))
            world.set_exit(child, min(later_on, child.eighteenth()))


def _foster_carers(world: LaWorld, day: date) -> None:
    registry = world.registry
    own = world.cal.own_supply
    wanted = world.targets[Slot.FOSTER_OWN] * world.cic_target(day) / own.foster_occupancy
    places = registry.places(Slot.FOSTER_OWN)
    if places < wanted - 1:
        for _ in range(min(2, math.ceil(wanted - places))):
            home = world.factory.own_foster(world.own_location(), day)
            registry.add(home, day)
            registry.open_free_places(home, day)
    elif places > wanted + 2:
        for home in registry.by_group[Slot.FOSTER_OWN].values():
            if registry.idle(home, day):
                registry.deregister(home, day, "carer resigned")
                break


def _closures(world: LaWorld, day: date) -> None:
    """Bought-in homes the LA has not used for a while close now and then
    (mean about two years once idle), so the register does not only grow."""
    rng = world.rng
    for slot in (Slot.FOSTER_EXT, Slot.RES_EXT, Slot.SUPP_EXT):
        for home in list(world.registry.by_group[slot].values()):
            if (
                day - home.registered > timedelta(days=365)
                and world.registry.idle(home, day)
                and rng.random() < 1 / 104
            ):
                world.registry.deregister(home, day, "closed by the provider")


def _inspections(world: LaWorld, day: date) -> None:
    """About once a year each children's home is inspected; the judgement may change."""
    rng = world.rng
    for slot in (Slot.RES_OWN, Slot.RES_EXT):
        for home in list(world.registry.by_group[slot].values()):
            if home.kind not in (HomeKind.CHILDRENS_HOME, HomeKind.SECURE_CHILDRENS_HOME):
                continue
            if rng.random() >= 1 / 52:
                continue
            if home.rating == "not_yet_inspected":
                new = "good" if rng.random() < 0.7 else "requires_improvement"
            else:
                k = RATING_STEPS.index(home.rating) + rng.choice((-1, 0, 0, 0, 1))
                new = RATING_STEPS[min(len(RATING_STEPS) - 1, max(0, k))]
            if new != home.rating:
                world.registry.update_rating(home, day, new)
