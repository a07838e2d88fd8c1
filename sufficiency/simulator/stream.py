"""The two modes: a backfilled history, and a live stream continuing it.

`backfill(years, end, seed)` yields every event of the D2N2 LAs in time
order: first the history of the homes and children already there on the
start date (`end` less `years` years; these events may predate it), then day
by day up to and including `end`.

`live(start, rate_per_second, seed, years)` rebuilds, silently, the state of
`backfill(years, start.date() - 1 day, seed)` and carries on from there: the
world keeps its own pace, but the n-th event is stamped `start + n /
rate_per_second` seconds (its dates move with it), so a caller that sleeps
until each event's time sends `rate_per_second` events a second. Ids go on
from the backfill's, so a consumer that loaded the backfill sees no clash.
"""

import random
import statistics
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from shared.events.envelope import Envelope
from sufficiency.simulator import control, draws
from sufficiency.simulator.calibration import CALIBRATIONS, D2N2
from sufficiency.simulator.draws import YEAR
from sufficiency.simulator.emit import Raw, build, shift
from sufficiency.simulator.model import NEAR_BASE, Slot
from sufficiency.simulator.opening import open_world
from sufficiency.simulator.world import LaWorld


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Simulation:
    """The D2N2 LAs (or some of them) side by side, stepped a day at a time."""

    def __init__(self, seed: int, las: Iterable[str] = D2N2) -> None:
        self.seed = seed
        self.worlds = [LaWorld(CALIBRATIONS[la], seed) for la in las]
        self.start: date | None = None

    def open(self, start: date) -> None:
        self.start = start
        for world in self.worlds:
            prime(world)
            open_world(world, start)

    def step(self, day: date) -> list[Raw]:
        """Everything that happens on `day` (and, the first time, the opening history)."""
        assert self.start is not None, "open() first"
        weekly = (day - self.start).days % 7 == 6
        for world in self.worlds:
            world.step(day)
            if weekly:
                control.weekly(world, day)
        records = [r for world in self.worlds for r in world.sink.take()]
        records.sort(key=lambda r: (r.time, r.la, r.order))
        return records


def prime(world: LaWorld) -> None:
    """Starting values for the knobs, from the calibration (the weekly
    controllers refine them as the simulation runs)."""
    cal, draw = world.cal, world.draw
    rng = random.Random(f"prime:{world.seed}:{world.la}")
    uasc_stay = statistics.fmean(draw.shape(rng, True).duration for _ in range(1000)) / YEAR
    world.uasc_p = world.uasc_p0 = min(
        0.6, max(0.01, cal.uasc * cal.cic / (uasc_stay * cal.starts))
    )
    others = cal.starts * (1 - world.uasc_p)
    ages = [draw.age_days(rng, False) for _ in range(2000)]
    under4 = sum(a < 4 * 365 for a in ages) / len(ages)
    under14 = sum(a < 14 * 365 for a in ages) / len(ages)
    adoption_flow = world.targets[Slot.ADOPTION] * cal.cic / (210 / YEAR)
    draw.adopt_q = world.adopt_q0 = min(0.95, max(0.02, adoption_flow / (others * under4)))
    world.group_size = 1 + (1 - world.uasc_p) * under14 * 0.12 * 1.25
    # ordinary stays scaled so that starts x mean stay = children in care
    want = cal.cic * (1 - cal.uasc) / others * YEAR
    draw.scale = 1.0
    sample = [draw.shape(rng, False) for _ in range(4000)]
    lo, hi = 0.2, 6.0
    for _ in range(20):
        scale = (lo + hi) / 2
        mean = statistics.fmean(
            min(s.base_stay * YEAR * scale, draws.ADULT_DAYS - s.age_days)
            if s.base_stay
            else s.duration
            for s in sample
        )
        lo, hi = (scale, hi) if mean < want else (lo, scale)
    draw.scale = (lo + hi) / 2
    # chance of a near placement, so that the calibrated mix gives the target
    target = cal.within_20_miles / (1 - cal.uasc)
    lo, hi = -0.8, 0.8
    for _ in range(30):
        bias = (lo + hi) / 2
        share = sum(world.targets[s] * min(0.99, max(0.02, NEAR_BASE[s] + bias)) for s in Slot)
        lo, hi = (bias, hi) if share < target else (lo, bias)
    world.near_bias = (lo + hi) / 2


def backfill(years: int, end: date, seed: int, las: Sequence[str] = D2N2) -> Iterator[Envelope]:
    """The history of `years` years to `end` (inclusive), in time order."""
    if years < 1:
        raise ValueError("years must be at least 1")
    start = years_before(end, years)
    sim = Simulation(seed, las)
    sim.open(start)
    day = start
    while day <= end:
        for raw in sim.step(day):
            yield build(raw)
        day += timedelta(days=1)


def live(
    start: datetime, rate_per_second: float, seed: int, years: int = 5, las: Sequence[str] = D2N2
) -> Iterator[Envelope]:
    """A never-ending stream continuing `backfill(years, start.date() - 1 day, seed)`."""
    if rate_per_second <= 0:
        raise ValueError("rate_per_second must be positive")
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    start = start.astimezone(UTC)
    first = start.date()
    begin = years_before(first - timedelta(days=1), years)
    sim = Simulation(seed, las)
    sim.open(begin)
    day = begin
    while day < first:
        sim.step(day)
        day += timedelta(days=1)
    gap = 1 / rate_per_second
    n = 0
    while True:
        for raw in sim.step(day):
            n += 1
            when = start + timedelta(seconds=n * gap)
            raw.data = shift(raw.data, (when.date() - raw.day).days)
            raw.time, raw.day = when, when.date()
            yield build(raw)
        day += timedelta(days=1)
