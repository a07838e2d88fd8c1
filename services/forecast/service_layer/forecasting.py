"""Forecasts as the API serves them: a series, the backtests, the default chosen across LAs.

The default model is chosen once for all LAs, by the pooled rolling-origin
backtest of the candidates over every LA's history (:mod:`.pool`), not per LA
on its own one or two cases; the flow model replaces it for an LA only where
the LA's journey events give it at least :data:`MIN_OWN_ORIGINS` backtest
origins and it beat the pooled default there. Intervals: the model's own with
``widen=False`` (to reproduce a spreadsheet); otherwise the pooled relative
errors at each horizon (:func:`~services.forecast.domain.pooling.empirical_interval`),
or for models outside the pool the model's own widened to the LA's backtest
errors. Never zero width, never below zero. Fits are cached by the data they
were fitted on, so reads never wait on a refit of unchanged data.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine

from services.forecast.adapters import care_states, observations
from services.forecast.domain import defaults
from services.forecast.domain.backtest import backtest, backtest_flow, widen_to_backtest
from services.forecast.domain.damped import DampedModel
from services.forecast.domain.flow import project_flow
from services.forecast.domain.forecast import BacktestScore, Forecast, ForecastPoint, Model
from services.forecast.domain.holt import HoltModel
from services.forecast.domain.linear import LinearModel
from services.forecast.domain.pooling import FIT_ERRORS, empirical_interval, never_flat
from services.forecast.domain.series import Series
from services.forecast.service_layer.flows import flow_history
from services.forecast.service_layer.pool import Pool, build_pool, version_of

OWN_ONLY: dict[str, Model] = {
    m.name: m for m in (LinearModel("confidence"), HoltModel(), DampedModel())
}
"""Models offered by name outside the pool (slow to fit, or a spreadsheet's interval)."""
FLOW = "flow"
NAMES = (*defaults.POOLED, *OWN_ONLY, FLOW)
MIN_OWN_ORIGINS = 3
POOL_HORIZON = 5
POOL_CHECK_SECONDS = 2.0
FIRST_YEAR = 1990


class NotEnoughHistory(ValueError):
    pass


class CannotForecast(ValueError):
    """The model cannot answer for this series (too few points for it, or the fit failed)."""


@dataclass(frozen=True)
class ForecastResult:
    scope: str
    series: str
    model: str
    chosen: str
    points: tuple[ForecastPoint, ...]
    scores: dict[str, BacktestScore]
    history: tuple[tuple[date, float], ...]
    widened: bool


def series_points(engine: Engine, las: Sequence[str], series: str) -> list[tuple[date, float]]:
    """One LA's points, or a region's: summed over members on dates all of them have."""
    per_la = [dict(observations.points(engine, la, series)) for la in las]
    common = set.intersection(*(set(p) for p in per_la)) if per_la else set()
    return sorted((d, sum(p[d] for p in per_la)) for d in common)


def annual(points: list[tuple[date, float]]) -> Series:
    return Series.from_observations(
        [(d, v) for d, v in points if (d.month, d.day) == (3, 31)], "year"
    )


def march_31s(today: date | None = None) -> list[date]:
    last = (today or date.today()).year + 1
    return [date(y, 3, 31) for y in range(FIRST_YEAR, last + 1)]


class Forecaster:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._engine = engine
        # Per question, the last answer and the data it was fitted on: a new
        # point (today's snapshot moves) replaces the entry instead of adding one.
        self._cache: dict[tuple[object, ...], tuple[tuple[object, ...], ForecastResult]] = {}
        self._pools: dict[str, Pool] = {}
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}
        self._checked: dict[str, float] = {}

    def pool(self, series: str) -> Pool:
        """The pool of ``series`` for the data held now (checked at most every
        :data:`POOL_CHECK_SECONDS`: a publishing round asks once per LA). While
        another thread rebuilds a stale pool, readers get the previous one."""
        with self._lock:
            held = self._pools.get(series)
            building = self._building.setdefault(series, threading.Lock())
            checked = self._checked.get(series, -math.inf)
        if held is not None and time.monotonic() - checked < POOL_CHECK_SECONDS:
            return held
        points = {
            la: [(d, v) for _, _, d, v in rows]
            for la, rows in observations.points_on(self._engine, series, march_31s()).items()
        }
        version = version_of(points)
        if held is not None and held.version == version:
            self._checked[series] = time.monotonic()
            return held
        if not building.acquire(blocking=held is None):
            assert held is not None
            return held
        try:
            with self._lock:
                ready = self._pools.get(series)
            if ready is None or ready.version != version:  # not built meanwhile by another
                ready = build_pool(series, points, POOL_HORIZON)
            with self._lock:
                self._pools[series] = ready
                self._checked[series] = time.monotonic()
            return ready
        finally:
            building.release()

    def forecast(
        self,
        scope: str,
        las: Sequence[str],
        series: str,
        model: str | None,
        horizon: int,
        level: float = 0.95,
        widen: bool = True,
        until: date | None = None,
    ) -> ForecastResult:
        """`widen=False` gives the model's own interval, as a spreadsheet would;
        `until` fits on the points up to that day only (a report as of a date)."""
        points = [
            p for p in series_points(self._engine, las, series) if until is None or p[0] <= until
        ]
        pool = self.pool(series)
        key = (scope, series, model, horizon, level, widen, until)
        data = (tuple(points), pool.version)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and cached[0] == data:
            return cached[1]
        result = self._fit(scope, las, series, model, horizon, level, points, widen, pool)
        with self._lock:
            self._cache[key] = (data, result)
        return result

    def _fit(
        self,
        scope: str,
        las: Sequence[str],
        series: str,
        model: str | None,
        horizon: int,
        level: float,
        points: list[tuple[date, float]],
        widen: bool,
        pool: Pool,
    ) -> ForecastResult:
        try:
            history = annual(points)
        except ValueError as exc:  # e.g. a non-finite value stored before uploads were checked
            raise CannotForecast(f"{scope}'s {series} cannot be forecast: {exc}") from exc
        if len(history.points) < 3:
            raise NotEnoughHistory(
                f"{scope} has {len(history.points)} annual (31 March) points of {series}; 3 needed"
            )
        models = {**defaults.candidates(pool.prior_growth), **OWN_ONLY}
        scores = self._scores(scope, history, pool, models, level, model)
        flow = self._flow(las, series, history, horizon, level, widen)
        chosen = pool.default
        if flow is not None:
            scores[FLOW] = flow[1]
            if _beats(flow[1], scores.get(chosen)):
                chosen = FLOW
        name = model or chosen
        if name == FLOW:
            if flow is None:
                raise NotEnoughHistory(f"no journey events for a flow model of {scope}")
            own, forecast = flow[2], flow[0]
        else:
            own = _fit_named(models[name], scope, history, horizon, level)
            forecast = own
            if widen:
                forecast = self._widened(own, pool, scores.get(name))
        final = tuple(never_flat(p) for p in forecast.points)
        widened = widen and any(
            f.lower < o.lower - 1e-9 or f.upper > o.upper + 1e-9
            for f, o in zip(forecast.points, own.points, strict=True)
        )
        return ForecastResult(
            scope, series, name, chosen, final, scores, tuple(history.points), widened
        )

    def _scores(
        self,
        scope: str,
        history: Series,
        pool: Pool,
        models: dict[str, Model],
        level: float,
        asked: str | None,
    ) -> dict[str, BacktestScore]:
        """The LA's share of the pooled backtest; its own backtest of a model asked for by
        name outside the pool (holt and damped take most of a second a fit), and of every
        candidate for a region, which the pool does not hold."""
        scores = dict(pool.by_la.get(scope, {}))
        for name, m in models.items():
            if name in scores or len(history.points) <= m.min_points:
                continue
            if name in OWN_ONLY and name != asked:
                continue
            try:
                scores[name] = backtest(m, history, 1, level=level)
            except FIT_ERRORS:
                continue
        return scores

    @staticmethod
    def _widened(own: Forecast, pool: Pool, score: BacktestScore | None) -> Forecast:
        errors = pool.errors.get(own.model)
        if errors is not None:
            points = empirical_interval(own.points, errors, own.level)
            if points is not None:
                return replace(own, points=tuple(points))
        if score is not None and score.n:
            return widen_to_backtest(own, score, floor=0.0)
        return own

    def _flow(
        self,
        las: Sequence[str],
        series: str,
        history: Series,
        horizon: int,
        level: float,
        widen: bool,
    ) -> tuple[Forecast, BacktestScore, Forecast] | None:
        """The flow forecast (widened or not), its backtest, and its own interval."""
        if series != "children_in_care" or len(las) != 1:
            return None
        flows = flow_history(care_states.timelines(self._engine, las[0]), history.points[-1][0], 12)
        if flows is None:
            return None
        score = backtest_flow(flows, 1, level=level)
        projection = project_flow(flows, horizon, level)
        own = Forecast(FLOW, projection.total, level)
        forecast = widen_to_backtest(own, score) if widen and score.n else own
        return forecast, replace(score, model=FLOW), own


def _beats(flow: BacktestScore, default: BacktestScore | None) -> bool:
    """Flow replaces the pooled default for an LA only on enough of the LA's own evidence."""
    if flow.n < MIN_OWN_ORIGINS or not math.isfinite(flow.mape):
        return False
    return default is None or not math.isfinite(default.mape) or flow.mape < default.mape


def _fit_named(model: Model, scope: str, history: Series, horizon: int, level: float) -> Forecast:
    if len(history) < model.min_points:
        raise CannotForecast(
            f"{model.name} needs at least {model.min_points} annual (31 March) points; "
            f"{scope} has {len(history)}"
        )
    try:
        return Forecast(model.name, tuple(model.fit_predict(history, horizon, level)), level)
    except FIT_ERRORS as exc:
        raise CannotForecast(f"{model.name} cannot be fitted to {scope}'s series: {exc}") from exc
