"""Rolling-origin backtests pooled across LAs, the default chosen by them, and intervals from them.

One LA's 4-10 annual points give one to six backtest cases: choosing a model
on them is choosing on noise. Pooled, 150 LAs give about a thousand, so:

* :func:`pooled_cases`: at every origin date, fit each candidate on every
  LA's points up to that date (the pooled trend's prior is the pool's growth
  *up to that date*, so no case sees its own future) and keep each forecast
  period that has an actual;
* :func:`pooled_score`: MAPE, median APE, bias and own-interval coverage of
  the one-step cases of all LAs together;
* :func:`pooled_choice`: the lowest pooled MAPE (near-ties to the simpler);
* :func:`relative_errors` and :func:`empirical_interval`: the interval of a
  forecast is its mid scaled by the ``(1 - level) / 2`` and ``(1 + level) / 2``
  quantiles of the pooled relative errors ``actual / mid - 1`` at that horizon,
  so it grows with the level of the series and with the horizon, and is as
  wide as the pool's real misses. Never zero width, never below zero.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from services.forecast.domain.backtest import SIMPLICITY
from services.forecast.domain.forecast import DEFAULT_LEVEL, ForecastPoint, Model
from services.forecast.domain.pooled import CombinationModel, combine, pooled_growth
from services.forecast.domain.series import Series

Candidates = Callable[[float], Mapping[str, Model]]
"""The candidate models given the pool's growth at an origin."""

MIN_TRAIN = 3
MIN_ERRORS = 20
"""Fewest pooled errors at a horizon to take its quantiles (fewer: see :func:`errors_at`)."""
MIN_HALF_WIDTH = 0.5
"""Half a child: an interval is never zero wide, even for a flat or all-zero series."""
FIT_ERRORS = (ValueError, ArithmeticError, np.linalg.LinAlgError)


@dataclass(frozen=True)
class PooledCase:
    la: str
    origin: date
    horizon: int
    actual: float
    point: ForecastPoint


@dataclass(frozen=True)
class PooledScore:
    model: str
    mape: float
    median_ape: float
    bias: float
    coverage: float
    n: int
    las: int


def fit_all(
    models: Mapping[str, Model], series: Series, horizon: int, level: float = DEFAULT_LEVEL
) -> dict[str, list[ForecastPoint]]:
    """Every model that can be fitted on ``series``; a combination reuses its members' fits."""
    out: dict[str, list[ForecastPoint]] = {}
    fitted_by_model: dict[int, list[ForecastPoint]] = {}
    combos = {n: m for n, m in models.items() if isinstance(m, CombinationModel)}
    for name, model in models.items():
        if name in combos or len(series) < model.min_points:
            continue
        try:
            out[name] = model.fit_predict(series, horizon, level)
        except FIT_ERRORS:
            continue
        fitted_by_model[id(model)] = out[name]
    for name, combo in combos.items():
        members = [fitted_by_model.get(id(m)) for m in combo.usable(series)]
        try:
            if all(p is not None for p in members) and members:
                out[name] = combine([p for p in members if p is not None])
            elif len(series) >= combo.min_points:
                out[name] = combo.fit_predict(series, horizon, level)
        except FIT_ERRORS:
            continue
    return out


def pooled_cases(
    series_by_la: Mapping[str, Series],
    candidates: Candidates,
    horizon: int,
    min_train: int = MIN_TRAIN,
    level: float = DEFAULT_LEVEL,
) -> dict[str, list[PooledCase]]:
    """Rolling-origin cases of every candidate, over all LAs and origins."""
    out: dict[str, list[PooledCase]] = defaultdict(list)
    origins = sorted({d for s in series_by_la.values() for d in s.dates})
    for origin in origins:
        visible = {la: s.upto(origin) for la, s in series_by_la.items()}
        models = candidates(pooled_growth(visible.values()))
        for la, past in visible.items():
            full = series_by_la[la]
            if len(past) < min_train or past.last != origin or full.last == origin:
                continue
            for name, points in fit_all(models, past, horizon, level).items():
                for h, p in enumerate(points, start=1):
                    actual = full.value_at(p.period)
                    if actual is not None:
                        out[name].append(PooledCase(la, origin, h, actual, p))
    return dict(out)


def pooled_score(model: str, cases: Sequence[PooledCase], horizon: int = 1) -> PooledScore:
    """Accuracy of the cases at ``horizon``; percentages of the actual (0 actuals left out)."""
    at = [c for c in cases if c.horizon == horizon]
    pct = [(c.point.mid - c.actual) / c.actual * 100.0 for c in at if c.actual != 0]
    nan = math.nan
    return PooledScore(
        model=model,
        mape=statistics.fmean(abs(p) for p in pct) if pct else nan,
        median_ape=statistics.median(abs(p) for p in pct) if pct else nan,
        bias=statistics.fmean(pct) if pct else nan,
        coverage=statistics.fmean(c.point.contains(c.actual) for c in at) if at else nan,
        n=len(at),
        las=len({c.la for c in at}),
    )


def pooled_choice(scores: Mapping[str, PooledScore], tolerance: float = 0.0) -> str:
    """The lowest pooled MAPE; within ``tolerance`` points, the simpler model."""
    eligible = [s for s in scores.values() if s.n and math.isfinite(s.mape)]
    if not eligible:
        raise ValueError("no candidate has any pooled backtest case")
    best = min(s.mape for s in eligible)
    worst = max(SIMPLICITY.values()) + 1
    tied = [s for s in eligible if s.mape <= best + tolerance]
    return min(tied, key=lambda s: (SIMPLICITY.get(s.model, worst), s.mape, s.model)).model


def relative_errors(
    cases: Sequence[PooledCase], horizon: int, known_by: date | None = None
) -> tuple[tuple[float, ...], ...]:
    """Sorted ``actual / mid - 1`` per horizon 1..``horizon`` (only actuals dated up to
    ``known_by`` when given, as a forecaster at that date would have had them)."""
    by_h: dict[int, list[float]] = defaultdict(list)
    for c in cases:
        if c.point.mid > 0 and (known_by is None or c.point.period <= known_by):
            by_h[c.horizon].append(c.actual / c.point.mid - 1.0)
    return tuple(tuple(sorted(by_h.get(h, ()))) for h in range(1, horizon + 1))


def errors_at(
    errors: Sequence[Sequence[float]], h: int, min_errors: int = MIN_ERRORS
) -> tuple[Sequence[float], float] | None:
    """The errors to use at horizon ``h`` and a factor to scale their quantiles by.

    Horizon ``h``'s own when it has ``min_errors``; else the furthest horizon
    below it that has, scaled by sqrt(h / that horizon) (a random walk's
    spread); None when no horizon up to ``h`` has enough.
    """
    for k in range(min(h, len(errors)), 0, -1):
        if len(errors[k - 1]) >= min_errors:
            return errors[k - 1], math.sqrt(h / k)
    return None


def empirical_interval(
    points: Sequence[ForecastPoint],
    errors: Sequence[Sequence[float]],
    level: float = DEFAULT_LEVEL,
    min_errors: int = MIN_ERRORS,
    floor: float = 0.0,
) -> list[ForecastPoint] | None:
    """The points with bounds from the pooled relative errors; None if there are too few."""
    out = []
    for h, p in enumerate(points, start=1):
        found = errors_at(errors, h, min_errors)
        if found is None:
            return None
        errs, scale = found
        lo, hi = np.quantile(errs, [(1 - level) / 2, (1 + level) / 2])
        mid = max(p.mid, floor)
        lower = mid * (1 + min(float(lo), 0.0) * scale)
        upper = mid * (1 + max(float(hi), 0.0) * scale)
        out.append(_bounded(p.period, mid, lower, upper, floor))
    return out


def _bounded(period: date, mid: float, lower: float, upper: float, floor: float) -> ForecastPoint:
    """At least half a child either side of ``mid``, nothing below ``floor``."""
    return ForecastPoint(
        period,
        mid,
        max(floor, min(lower, mid - MIN_HALF_WIDTH)),
        max(upper, mid + MIN_HALF_WIDTH),
    )


def never_flat(point: ForecastPoint, floor: float | None = 0.0) -> ForecastPoint:
    """``point`` with at least half a child either side and no bound below ``floor``."""
    if floor is None:
        return replace(
            point,
            lower=min(point.lower, point.mid - MIN_HALF_WIDTH),
            upper=max(point.upper, point.mid + MIN_HALF_WIDTH),
        )
    mid = max(point.mid, floor)
    return _bounded(point.period, mid, min(point.lower, mid), max(point.upper, mid), floor)
