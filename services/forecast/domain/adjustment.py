"""Seed 001's hand adjustment: "apply the same % reduction as last year".

Derbyshire took how far the March 2025 actual fell below each of last year's
three figures (lower, mid, upper), as a percentage rounded to 0.1, and applied
each percentage to the matching figure of this year's forecast::

    2024 forecast for 2025   1062 / 1112 / 1163, actual 1024
    % difference             -3.6% / -7.9% / -12.0%
    2025 forecast for 2026   1021 / 1094 / 1168
    revised                   984 / 1008 / 1028

:func:`same_percentage_adjustment` with ``decimals=1`` reproduces that
exactly (after rounding to whole children); unrounded percentages give
984 / 1007 / 1028. It is reproduced so an LA can see what it did, not
recommended: scaling the bounds by different percentages is not an interval
for anything (here it shrinks 147 wide to 44), and a single year's miss is
noise as much as signal. Seed 001's non-UASC table prints -11.0% for the
upper bound where its own figures (951 against 1063) give -10.5%, and uses
-11.0% for its revision (1061 -> 944).
"""

from __future__ import annotations

from dataclasses import replace

from services.forecast.domain.forecast import ForecastPoint


def same_percentage_adjustment(
    previous: ForecastPoint,
    actual: float,
    current: ForecastPoint,
    decimals: int | None = None,
) -> ForecastPoint:
    """``current`` with each figure moved by the % ``actual`` differed from ``previous``'s."""

    def pct(expected: float) -> float:
        if expected == 0:
            raise ValueError("cannot take a percentage of a zero forecast")
        p = (actual - expected) / expected * 100.0
        return p if decimals is None else round(p, decimals)

    return replace(
        current,
        lower=current.lower * (1 + pct(previous.lower) / 100.0),
        mid=current.mid * (1 + pct(previous.mid) / 100.0),
        upper=current.upper * (1 + pct(previous.upper) / 100.0),
    )
