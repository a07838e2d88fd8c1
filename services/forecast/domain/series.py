"""A time series of one figure at regular dates, and the calendar it lives on.

Two frequencies:

* ``"year"``: one point a year at a fixed month-day, the anchor (31 March for
  the statutory SSDA903 snapshot). Every point of a series has the same
  month-day; 29 February cannot be an anchor.
* ``"month"``: one point a month, dated the last day of the month.

A series is *regular in its dates* but may have gaps: a missing period is left
out (never invented) and listed by :attr:`Series.gaps`. Models that need
evenly spaced points either use the real time index (OLS, naive) or ask for
:meth:`Series.interpolated` explicitly (exponential smoothing, as Excel's
Forecast Sheet does by default).

Built from raw observations (:meth:`Series.from_observations`), a later
observation for the same period replaces an earlier one (a revision) and the
revised periods are noted in :attr:`Series.revised`.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

Frequency = Literal["year", "month"]
FREQUENCIES: tuple[Frequency, ...] = ("year", "month")
MARCH_31 = (3, 31)


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def add_periods(d: date, k: int, frequency: Frequency) -> date:
    """The date ``k`` periods after ``d`` (before it when ``k`` is negative)."""
    if frequency == "year":
        return date(d.year + k, d.month, d.day)
    months = d.year * 12 + (d.month - 1) + k
    return month_end(date(months // 12, months % 12 + 1, 1))


def periods_between(a: date, b: date, frequency: Frequency) -> int:
    """Whole periods from ``a`` to ``b`` (both on the same calendar)."""
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if frequency == "year":
        if (a.month, a.day) != (b.month, b.day):
            raise ValueError(f"{a} and {b} are not on the same annual anchor")
        return b.year - a.year
    if a != month_end(a) or b != month_end(b):
        raise ValueError(f"{a} or {b} is not a month end")
    return months


def period_ending(d: date, frequency: Frequency, anchor: tuple[int, int] = MARCH_31) -> date:
    """The period date on or after ``d``: the year ending at the anchor, or the month end."""
    if frequency == "month":
        return month_end(d)
    candidate = date(d.year, *anchor)
    return candidate if candidate >= d else date(d.year + 1, *anchor)


def _on_calendar(d: date, frequency: Frequency, anchor: tuple[int, int]) -> bool:
    if frequency == "month":
        return d == month_end(d)
    return (d.month, d.day) == anchor


def _check_anchor(anchor: tuple[int, int]) -> None:
    month, day = anchor
    if (month, day) == (2, 29):
        raise ValueError("29 February cannot be an annual anchor")
    date(2001, month, day)  # raises for an impossible month-day


@dataclass(frozen=True)
class Series:
    """Points ``(period date, value)`` in strictly increasing date order."""

    points: tuple[tuple[date, float], ...]
    frequency: Frequency = "year"
    revised: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"frequency must be one of {FREQUENCIES}, not {self.frequency!r}")
        object.__setattr__(self, "points", tuple((d, float(v)) for d, v in self.points))
        dates = [d for d, _ in self.points]
        if any(b <= a for a, b in pairwise(dates)):
            raise ValueError("series dates must be strictly increasing")
        if any(not math.isfinite(v) for _, v in self.points):
            raise ValueError("series values must be finite (leave a missing period out)")
        if dates:
            anchor = (dates[0].month, dates[0].day)
            if self.frequency == "year":
                _check_anchor(anchor)
            off = [d for d in dates if not _on_calendar(d, self.frequency, anchor)]
            if off:
                raise ValueError(f"dates off the {self.frequency} calendar: {off}")

    @classmethod
    def from_observations(
        cls,
        observations: Iterable[tuple[date, float]],
        frequency: Frequency = "year",
        anchor: tuple[int, int] = MARCH_31,
        snap: bool = False,
    ) -> Series:
        """A series from raw ``(date, value)`` observations in the order they arrived.

        A later observation for the same period wins; periods whose value changed
        that way are listed in ``revised``. A NaN value is a missing period. Dates
        must lie on the calendar (the anchor month-day, or a month end) unless
        ``snap``, which assigns each date to the period ending on or after it.
        """
        if frequency not in FREQUENCIES:
            raise ValueError(f"frequency must be one of {FREQUENCIES}, not {frequency!r}")
        if frequency == "year":
            _check_anchor(anchor)
        latest: dict[date, float] = {}
        revised: set[date] = set()
        for d, value in observations:
            period = period_ending(d, frequency, anchor) if snap else d
            if not _on_calendar(period, frequency, anchor):
                raise ValueError(f"{d} is not on the {frequency} calendar (anchor {anchor})")
            v = float(value)
            if (
                period in latest
                and latest[period] != v
                and not (math.isnan(v) and math.isnan(latest[period]))
            ):
                revised.add(period)
            latest[period] = v
        points = tuple((d, v) for d, v in sorted(latest.items()) if not math.isnan(v))
        return cls(points, frequency, tuple(sorted(revised)))

    @property
    def dates(self) -> tuple[date, ...]:
        return tuple(d for d, _ in self.points)

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(v for _, v in self.points)

    @property
    def last(self) -> date:
        if not self.points:
            raise ValueError("empty series")
        return self.points[-1][0]

    def __len__(self) -> int:
        return len(self.points)

    def steps(self) -> tuple[int, ...]:
        """Each point's period number counted from the first point (gaps skip numbers)."""
        if not self.points:
            return ()
        first = self.points[0][0]
        return tuple(periods_between(first, d, self.frequency) for d in self.dates)

    @property
    def gaps(self) -> tuple[date, ...]:
        """Periods between the first and last point that have no value."""
        if not self.points:
            return ()
        present = set(self.dates)
        first, n = self.points[0][0], self.steps()[-1]
        every = (add_periods(first, k, self.frequency) for k in range(n + 1))
        return tuple(d for d in every if d not in present)

    def value_at(self, d: date) -> float | None:
        return dict(self.points).get(d)

    def future(self, horizon: int) -> tuple[date, ...]:
        """The ``horizon`` periods after the last point."""
        return tuple(add_periods(self.last, k, self.frequency) for k in range(1, horizon + 1))

    def upto(self, d: date) -> Series:
        """The points dated on or before ``d``."""
        return Series(
            tuple(p for p in self.points if p[0] <= d),
            self.frequency,
            tuple(r for r in self.revised if r <= d),
        )

    def interpolated(self) -> Series:
        """Gaps filled on the straight line between their neighbours (Excel's default)."""
        if not self.gaps:
            return self
        steps, values = self.steps(), self.values
        first = self.points[0][0]
        filled: list[tuple[date, float]] = []
        for i in range(len(steps) - 1):
            (s0, v0), (s1, v1) = (steps[i], values[i]), (steps[i + 1], values[i + 1])
            for k in range(s0, s1):
                value = v0 + (v1 - v0) * (k - s0) / (s1 - s0)
                filled.append((add_periods(first, k, self.frequency), value))
        filled.append(self.points[-1])
        return Series(tuple(filled), self.frequency, self.revised)
