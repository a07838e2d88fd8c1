"""Rolling-origin backtests, choosing a model by them, and widening intervals to them.

Rolling origin: for each point of the series from the ``min_train``-th on
(but the last), fit on the points up to and including it, forecast
``horizon`` periods, and compare each forecast period that has an actual.
Each (origin, horizon) pair is a case; for the cases:

* MAPE  = mean |mid - actual| / |actual| * 100 (cases with actual 0 left out)
* bias  = mean (mid - actual) / actual * 100 (positive: over-forecast)
* coverage = share of cases with lower <= actual <= upper
* n = number of cases; ``errors_by_horizon`` the signed errors actual - mid.

:func:`choose_model` takes the lowest MAPE; models within ``tolerance``
percentage points of it tie, and a tie goes to the simpler model
(:data:`SIMPLICITY`).

:func:`widen_to_backtest`: at every horizon with at least ``min_errors``
backtest errors, the half-widths become at least the empirical ``level``
quantile of the absolute errors there (the "higher" order statistic, so with
fewer than 20 errors it is the largest). Because errors grow with the
horizon, a longer horizon is never left narrower than a shorter one's
requirement. Intervals are only ever widened.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from services.forecast.domain.flow import FlowHistory, project_flow
from services.forecast.domain.forecast import (
    DEFAULT_LEVEL,
    BacktestScore,
    Forecast,
    ForecastPoint,
    Model,
)
from services.forecast.domain.series import Series

__all__ = [
    "SIMPLICITY",
    "BacktestCase",
    "BacktestScore",
    "backtest",
    "backtest_flow",
    "choose_model",
    "rolling_origin_cases",
    "score_cases",
    "widen_to_backtest",
]

SIMPLICITY: Mapping[str, int] = {
    "naive": 0,
    "linear": 1,
    "linear_confidence": 1,
    "pooled_trend": 1,
    "pooled_drift": 1,
    "theta": 2,
    "holt": 2,
    "combination": 3,
    "damped": 3,
    "flow": 4,
}
"""Fewer fitted parameters first; unknown models count as the most complex."""


@dataclass(frozen=True)
class BacktestCase:
    origin: date
    horizon: int
    actual: float
    point: ForecastPoint


def score_cases(model: str, cases: Sequence[BacktestCase], horizon: int) -> BacktestScore:
    pct = [(c.point.mid - c.actual) / c.actual * 100.0 for c in cases if c.actual != 0]
    n = len(cases)
    return BacktestScore(
        model=model,
        mape=sum(abs(p) for p in pct) / len(pct) if pct else math.nan,
        bias=sum(pct) / len(pct) if pct else math.nan,
        coverage=sum(c.point.contains(c.actual) for c in cases) / n if n else math.nan,
        n=n,
        errors_by_horizon=tuple(
            tuple(c.actual - c.point.mid for c in cases if c.horizon == h)
            for h in range(1, horizon + 1)
        ),
    )


def rolling_origin_cases(
    model: Model,
    series: Series,
    horizon: int,
    min_train: int | None = None,
    level: float = DEFAULT_LEVEL,
) -> list[BacktestCase]:
    first = max(min_train or model.min_points, model.min_points)
    cases = []
    for i in range(first - 1, len(series) - 1):
        origin = series.dates[i]
        for h, p in enumerate(model.fit_predict(series.upto(origin), horizon, level), start=1):
            actual = series.value_at(p.period)
            if actual is not None:
                cases.append(BacktestCase(origin, h, actual, p))
    return cases


def backtest(
    model: Model,
    series: Series,
    horizon: int,
    min_train: int | None = None,
    level: float = DEFAULT_LEVEL,
) -> BacktestScore:
    cases = rolling_origin_cases(model, series, horizon, min_train, level)
    return score_cases(model.name, cases, horizon)


def backtest_flow(
    history: FlowHistory,
    horizon: int,
    min_train: int = 2,
    level: float = DEFAULT_LEVEL,
) -> BacktestScore:
    """Rolling origin for the stock-and-flow model on the total in care.

    Origin k: estimate on the first k periods, project from the population at
    the end of period k, compare with the end populations of later periods.
    """
    if min_train < 1:
        raise ValueError("min_train must be at least 1 period")
    cases = []
    for k in range(min_train, history.periods):
        projection = project_flow(history.head(k), horizon, level)
        for h, p in enumerate(projection.total, start=1):
            t = k - 1 + h
            if t < history.periods:
                actual = float(history.end_population(t).sum())
                cases.append(BacktestCase(history.ends[k - 1], h, actual, p))
    return score_cases("flow", cases, horizon)


def choose_model(
    scores: Iterable[BacktestScore],
    complexity: Mapping[str, int] = SIMPLICITY,
    tolerance: float = 0.0,
) -> str:
    """The model with the lowest MAPE; near-ties (within ``tolerance`` points) go to the simpler."""
    eligible = [s for s in scores if s.n > 0 and math.isfinite(s.mape)]
    if not eligible:
        raise ValueError("no model has a backtest with any cases")
    best = min(s.mape for s in eligible)
    tied = [s for s in eligible if s.mape <= best + tolerance]
    worst = max(complexity.values(), default=0) + 1
    return min(tied, key=lambda s: (complexity.get(s.model, worst), s.mape, s.model)).model


def widen_to_backtest(
    forecast: Forecast,
    score: BacktestScore,
    min_errors: int = 4,
    floor: float | None = None,
) -> Forecast:
    """The forecast with intervals at least as wide as the backtest errors; ``score`` attached.

    ``floor`` (e.g. 0 for counts) stops a widened lower bound going below it,
    unless the original lower bound was already below.
    """
    if min_errors < 1:
        raise ValueError("min_errors must be at least 1")
    need = 0.0
    points = []
    for h, p in enumerate(forecast.points, start=1):
        errors = score.errors_by_horizon[h - 1] if h <= len(score.errors_by_horizon) else ()
        if len(errors) >= min_errors:
            q = float(np.quantile(np.abs(errors), forecast.level, method="higher"))
            need = max(need, q)
        lower, upper = min(p.lower, p.mid - need), max(p.upper, p.mid + need)
        if floor is not None:
            lower = min(p.lower, max(lower, min(floor, p.mid)))
        points.append(replace(p, lower=lower, upper=upper))
    return replace(forecast, points=tuple(points), backtest=score)
