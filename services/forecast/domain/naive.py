"""Naive forecast: the last value carries on, with a random-walk interval.

The one-step changes d_i = y_i - y_(i-1) are the errors this model would have
made one step ahead, so their spread is measured about zero, not about their
mean (a steady trend is an error the naive forecast really makes)::

    sigma = sqrt(sum d_i^2 / m)           m one-step changes
    half-width(h) = t(m, 1 - alpha/2) * sigma * sqrt(h)

A change across a gap of g periods counts as d / sqrt(g) (a random walk's
change over g periods has g times the one-step variance). Student-t with m
degrees of freedom makes the interval wide when there are few changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from services.forecast.domain.forecast import (
    DEFAULT_LEVEL,
    ForecastPoint,
    check_inputs,
    t_quantile,
)
from services.forecast.domain.series import Series


def one_step_sigma(series: Series) -> tuple[float, int]:
    """Root mean square one-step change, and how many changes it rests on."""
    steps, values = series.steps(), series.values
    scaled = [
        (values[i] - values[i - 1]) / math.sqrt(steps[i] - steps[i - 1])
        for i in range(1, len(values))
    ]
    if not scaled:
        raise ValueError("need at least two points")
    return math.sqrt(sum(d * d for d in scaled) / len(scaled)), len(scaled)


@dataclass(frozen=True)
class NaiveModel:
    @property
    def name(self) -> str:
        return "naive"

    @property
    def min_points(self) -> int:
        return 2

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]:
        check_inputs(self, series, horizon, level)
        sigma, m = one_step_sigma(series)
        q = t_quantile(level, m)
        last = series.values[-1]
        return [
            ForecastPoint(
                period, last, last - q * sigma * math.sqrt(h), last + q * sigma * math.sqrt(h)
            )
            for h, period in enumerate(series.future(horizon), start=1)
        ]
