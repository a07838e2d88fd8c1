"""Forecasts as the API serves them: a series, every model's backtest, the chosen one.

The default model for an LA and series is the one with the best rolling-origin
backtest; every forecast's interval is widened to what its backtest errors
justify. Fits are cached by the data they were fitted on, so reads never wait
on a refit of unchanged data.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine

from services.forecast.adapters import care_states, observations
from services.forecast.domain.backtest import (
    backtest,
    backtest_flow,
    choose_model,
    widen_to_backtest,
)
from services.forecast.domain.damped import DampedModel
from services.forecast.domain.flow import project_flow
from services.forecast.domain.forecast import BacktestScore, Forecast, ForecastPoint, Model
from services.forecast.domain.holt import HoltModel
from services.forecast.domain.linear import LinearModel
from services.forecast.domain.naive import NaiveModel
from services.forecast.domain.series import Series
from services.forecast.service_layer.flows import flow_history

MODELS: dict[str, Model] = {
    m.name: m
    for m in (
        LinearModel("prediction"),
        LinearModel("confidence"),
        HoltModel(),
        DampedModel(),
        NaiveModel(),
    )
}
FLOW = "flow"
NAMES = (*MODELS, FLOW)


class NotEnoughHistory(ValueError):
    pass


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


class Forecaster:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._engine = engine
        # Per question, the last answer and the points it was fitted on: a new
        # point (today's snapshot moves) replaces the entry instead of adding one.
        self._cache: dict[tuple[object, ...], tuple[tuple[object, ...], ForecastResult]] = {}
        self._lock = threading.Lock()

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
        key = (scope, series, model, horizon, level, widen, until)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and cached[0] == tuple(points):
            return cached[1]
        result = self._fit(scope, las, series, model, horizon, level, points, widen)
        with self._lock:
            self._cache[key] = (tuple(points), result)
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
    ) -> ForecastResult:
        history = annual(points)
        if len(history.points) < 3:
            raise NotEnoughHistory(
                f"{scope} has {len(history.points)} annual points of {series}; 3 needed"
            )
        scores = {
            name: backtest(m, history, 1, level=level)
            for name, m in MODELS.items()
            if len(history.points) > m.min_points
        }
        flow = self._flow(las, series, history, horizon, level, widen)
        if flow is not None:
            scores[FLOW] = flow[1]
        chosen = choose_model(scores.values()) if scores else "linear"
        name = model or chosen
        if name == FLOW:
            if flow is None:
                raise NotEnoughHistory(f"no journey events for a flow model of {scope}")
            forecast = flow[0]
        else:
            fitted = Forecast(name, tuple(MODELS[name].fit_predict(history, horizon, level)), level)
            forecast = (
                widen_to_backtest(fitted, scores[name]) if widen and name in scores else fitted
            )
        return ForecastResult(
            scope,
            series,
            name,
            chosen,
            forecast.points,
            scores,
            tuple(history.points),
            widen and name in scores,
        )

    def _flow(
        self,
        las: Sequence[str],
        series: str,
        history: Series,
        horizon: int,
        level: float,
        widen: bool,
    ) -> tuple[Forecast, BacktestScore] | None:
        if series != "children_in_care" or len(las) != 1:
            return None
        flows = flow_history(care_states.timelines(self._engine, las[0]), history.points[-1][0], 12)
        if flows is None:
            return None
        score = backtest_flow(flows, 1, level=level)
        projection = project_flow(flows, horizon, level)
        forecast = Forecast(FLOW, projection.total, level)
        if widen and score.n:
            forecast = widen_to_backtest(forecast, score)
        return forecast, replace(score, model=FLOW)
