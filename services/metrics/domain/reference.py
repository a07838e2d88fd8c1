"""Reference data an LA's indicators need: population and dated targets."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class TargetPoint:
    indicator: str
    breakdown: str | None
    valid_from: date
    value: float
    higher_is_better: bool = True


@dataclass(frozen=True)
class ReferenceForLa:
    population_by_year: dict[int, int]
    targets: tuple[TargetPoint, ...] = ()

    def population(self, day: date) -> int | None:
        """The latest estimate not after the date's year, else the earliest one."""
        if not self.population_by_year:
            return None
        years = sorted(self.population_by_year)
        usable = [y for y in years if y <= day.year]
        return self.population_by_year[usable[-1] if usable else years[0]]

    def target(self, indicator: str, breakdown: str | None, day: date) -> TargetPoint | None:
        """The target in force on the date: a trajectory is several dated points."""
        in_force = [t for t in self.targets if t.indicator == indicator
                    and t.breakdown == breakdown and t.valid_from <= day]
        return max(in_force, key=lambda t: t.valid_from) if in_force else None
