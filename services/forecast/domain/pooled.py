"""Models that borrow strength across LAs, and the combination of simple models.

With 4-10 annual points an LA's own trend is mostly noise, so
:class:`PooledTrendModel` shrinks it towards the trend of all LAs (the pool's
median growth over the same years) and damps it, as the M-competitions found
works on short annual series: growth g = w * own + (1 - w) * pooled, the
LA's own growth being the mean log change of its last ``window`` changes, and

    mid(h) = last * exp(g * (phi + phi^2 + ... + phi^h))

``phi`` = 0.8 and ``w`` = 0.5 are fixed a priori (half-way shrinkage, the
usual damping), not tuned on the hold-out year. :class:`PooledDriftModel` is
the same path with no own growth at all (w = 0) and phi = 0.5: the last
value plus half the pool's recent growth.

:class:`CombinationModel` is the plain mean of its members' mids (the
M-competitions' most robust finding: an equal-weight combination of simple
methods beats picking one). Its own interval is the mean of the members'
bounds; the service replaces it by the pooled backtest errors.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.forecast.domain.forecast import DEFAULT_LEVEL, ForecastPoint, Model, check_inputs
from services.forecast.domain.naive import NaiveModel
from services.forecast.domain.series import Series

GROWTH_WINDOW = 3


def own_growth(series: Series, window: int = GROWTH_WINDOW) -> float | None:
    """Mean log change a period over the last ``window`` changes (None if any value <= 0)."""
    tail = series.values[-(window + 1) :]
    steps = series.steps()[-(window + 1) :]
    if len(tail) < 2 or any(v <= 0 for v in tail):
        return None
    return math.log(tail[-1] / tail[0]) / (steps[-1] - steps[0])


def pooled_growth(series: Iterable[Series], window: int = GROWTH_WINDOW) -> float:
    """The median of the LAs' own growth (0 when none has any): the trend shrunk towards."""
    growths = [g for s in series if (g := own_growth(s, window)) is not None]
    return statistics.median(growths) if growths else 0.0


@dataclass(frozen=True)
class PooledTrendModel:
    prior_growth: float = 0.0
    weight: float = 0.5
    phi: float = 0.8

    @property
    def name(self) -> str:
        return "pooled_trend"

    @property
    def min_points(self) -> int:
        return 2

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]:
        check_inputs(self, series, horizon, level)
        own = own_growth(series)
        growth = (
            self.prior_growth
            if own is None
            else self.weight * own + (1 - self.weight) * (self.prior_growth)
        )
        return damped_path(series, growth, self.phi, horizon, level)


@dataclass(frozen=True)
class PooledDriftModel:
    """The last value moved by the pool's growth alone, damped: no LA's own trend.

    ``mid(h) = last * exp(prior * (phi + ... + phi^h))`` with ``phi`` = 0.5, so
    one step ahead it adds half the pool's recent growth. Fitted on the DfE's
    figures before 2024 (``bench.forecast_development``), an LA's own recent
    growth, lagged growths and its distance from its own mean level predict
    next year's growth no better than nothing (correlations -0.07 to +0.21 by
    year; pooled regressions on them score 0.99-1.12 of naive), so
    the only thing worth adding to the last value is the common drift, and
    that only in part: phi 0.5 scored best of 0.25/0.5/0.8/1.0 on the years up
    to 2023.
    """

    prior_growth: float = 0.0
    phi: float = 0.5

    @property
    def name(self) -> str:
        return "pooled_drift"

    @property
    def min_points(self) -> int:
        return 2

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]:
        check_inputs(self, series, horizon, level)
        return damped_path(series, self.prior_growth, self.phi, horizon, level)


def damped_path(
    series: Series, growth: float, phi: float, horizon: int, level: float
) -> list[ForecastPoint]:
    """``last * exp(growth * (phi + ... + phi^h))`` with the naive random-walk interval."""
    walk = NaiveModel().fit_predict(series, horizon, level)
    last, damped, out = series.values[-1], 0.0, []
    for h, p in enumerate(walk, start=1):
        damped += phi**h
        mid = last * math.exp(growth * damped)
        out.append(ForecastPoint(p.period, mid, mid - (p.mid - p.lower), mid + p.upper - p.mid))
    return out


@dataclass(frozen=True)
class CombinationModel:
    members: tuple[Model, ...]

    @property
    def name(self) -> str:
        return "combination"

    @property
    def min_points(self) -> int:
        return min(m.min_points for m in self.members)

    def usable(self, series: Series) -> tuple[Model, ...]:
        """The members that can be fitted on this many points."""
        return tuple(m for m in self.members if len(series) >= m.min_points)

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]:
        check_inputs(self, series, horizon, level)
        return combine([m.fit_predict(series, horizon, level) for m in self.usable(series)])


def combine(forecasts: Sequence[Sequence[ForecastPoint]]) -> list[ForecastPoint]:
    """Equal-weight mean of several models' points for the same periods."""
    if not forecasts:
        raise ValueError("nothing to combine")
    out = []
    for points in zip(*forecasts, strict=True):
        out.append(
            ForecastPoint(
                points[0].period,
                statistics.fmean(p.mid for p in points),
                statistics.fmean(p.lower for p in points),
                statistics.fmean(p.upper for p in points),
            )
        )
    return out
