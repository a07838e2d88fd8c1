"""Reference data an LA's indicators need: population and dated targets.

A target series is every `TargetPoint` with the same indicator and breakdown;
each point is in force from its `valid_from` until the next one, so a
trajectory (residential mix 16% from 2026-04-01, 15% from 2027-04-01, ...,
11% from 2030-04-01) is one series and the point in force at D is used.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from shared.codes.ssda903 import collection_year


@dataclass(frozen=True, slots=True)
class TargetPoint:
    indicator: str
    breakdown: str | None
    valid_from: date
    value: float
    higher_is_better: bool = True
    # How far on the wrong side of the target is still amber, in the indicator's
    # unit; None: 0.05 (five points) for a ratio, else 5% of the target.
    amber_tolerance: float | None = None


@dataclass(frozen=True)
class ReferenceForLa:
    population_by_year: Mapping[int, int] = field(default_factory=dict)  # aged 0-17
    targets: tuple[TargetPoint, ...] = ()
    records_from: date | None = None  # the history is complete from this day

    def population_on(self, day: date) -> int | None:
        """Population aged 0-17 for a date: the latest mid-year estimate not after
        the start year of the date's collection year (31 March 2024 -> mid-2023,
        as the DfE rates use), else the earliest estimate held."""
        if not self.population_by_year:
            return None
        years = sorted(self.population_by_year)
        usable = [y for y in years if y <= collection_year(day)]
        return self.population_by_year[usable[-1] if usable else years[0]]

    def target_on(self, indicator: str, breakdown: str | None, day: date) -> TargetPoint | None:
        """The point of the indicator's target series in force on the date, if any."""
        best: TargetPoint | None = None
        for t in self.targets:
            if (
                t.indicator == indicator
                and (t.breakdown or None) == breakdown
                and t.valid_from <= day
                and (best is None or t.valid_from > best.valid_from)
            ):
                best = t
        return best
