"""Dates of a series (month ends, 31 Marches or days) and a series of indicator sets.

A series is `compute_all` at each point. The facts' index is built once per
facts version (index.py), so each point costs only the as-of pass.
"""

from collections.abc import Iterator
from datetime import date, timedelta

from services.metrics.domain.facts import LaFacts
from services.metrics.domain.indicator import Indicator
from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa

INTERVALS = ("month", "day", "year")


def month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _month_ends(start: date, end: date) -> Iterator[date]:
    year, month = start.year, start.month
    while (day := month_end(year, month)) <= end:
        yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def points_between(start: date, end: date, interval: str = "month") -> list[date]:
    """Points in [start, end]: every month end, every 31 March (the statutory
    year end, for "year"), or every day. `end` itself is included only when
    it is such a point."""
    if interval == "day":
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]
    if interval == "year":
        return [d for y in range(start.year, end.year + 1) if start <= (d := date(y, 3, 31)) <= end]
    if interval == "month":
        return list(_month_ends(start, end))
    raise ValueError(f"interval must be one of {INTERVALS}, not {interval!r}")


def series(
    facts: LaFacts, reference: ReferenceForLa, start: date, end: date, interval: str = "month"
) -> list[tuple[date, list[Indicator]]]:
    return [
        (day, compute_all(facts, day, reference)) for day in points_between(start, end, interval)
    ]
