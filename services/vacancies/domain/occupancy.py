"""Occupancy of a home on any date (pure).

A child occupies a place from the day their placement starts until the day
it ends (a placement ending on a date does not occupy that date). Registered
places follow the home's history of (since, places); before registration and
from deregistration on they are 0.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Stay:
    start: date
    end: date | None


@dataclass(frozen=True)
class Occupancy:
    home_id: str
    as_of: date
    registered_places: int
    occupied_places: int

    @property
    def vacant_places(self) -> int:
        return max(0, self.registered_places - self.occupied_places)

    @property
    def occupancy_ratio(self) -> float | None:
        if self.registered_places == 0:
            return None
        return round(self.occupied_places / self.registered_places, 4)


def places_on(history: Sequence[tuple[date, int]], day: date) -> int:
    """Registered places in force on `day` from a (since, places) history."""
    current = 0
    for since, places in sorted(history):
        if since > day:
            break
        current = places
    return current


def occupied_on(stays: Sequence[Stay], day: date) -> int:
    return sum(1 for s in stays if s.start <= day and (s.end is None or s.end > day))


def occupancy(
    home_id: str, history: Sequence[tuple[date, int]], stays: Sequence[Stay], day: date
) -> Occupancy:
    return Occupancy(home_id, day, places_on(history, day), occupied_on(stays, day))


def totals(items: Sequence[Occupancy], day: date) -> Occupancy:
    return Occupancy(
        "*",
        day,
        sum(o.registered_places for o in items),
        sum(o.occupied_places for o in items),
    )
