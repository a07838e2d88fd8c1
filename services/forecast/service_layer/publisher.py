"""forecast.published.v1 whenever an LA's default forecast changes (refit off the read path)."""

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import structlog
from sqlalchemy import Engine
from sqlmodel import Session, select

from services.forecast.adapters.tables import Observation, PublishedForecast
from services.forecast.service_layer.forecasting import Forecaster, ForecastResult, NotEnoughHistory
from shared.db import transaction
from shared.events.derived import (
    BacktestScoreData,
    ForecastPointData,
    ForecastPublished,
    ForecastPublishedData,
)
from shared.kafka.topics import FORECASTS
from shared.store.outbox import enqueue

SERIES = "children_in_care"
log = structlog.get_logger()


def las_with_history(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return sorted(
            s.exec(select(Observation.la).where(Observation.series == SERIES).distinct()).all()
        )


@dataclass(frozen=True)
class Figure:
    """Next year's default forecast of one LA, as the /metrics scrape renders it."""

    la: str
    model: str
    mid: float
    lower: float
    upper: float


class Figures:
    """The figures of the last publishing round: a scrape reads them, never fits a model."""

    def __init__(self) -> None:
        self._figures: tuple[Figure, ...] = ()

    def replace(self, figures: Iterable[Figure]) -> None:
        self._figures = tuple(figures)  # one assignment: a scrape sees one round or the next

    def __iter__(self) -> Iterator[Figure]:
        return iter(self._figures)


class Failures(Protocol):
    def inc(self, amount: float = 1) -> None: ...


def publish_changed(
    forecaster: Forecaster,
    engine: Engine,
    horizon: int,
    figures: Figures | None = None,
    failures: Failures | None = None,
) -> int:
    """Publish each LA's default forecast that changed. An LA whose series cannot be
    forecast is logged and counted, and the LAs after it are still published."""
    published, round_figures = 0, []
    for la in las_with_history(engine):
        try:
            result = forecaster.forecast(la, [la], SERIES, None, horizon)
            published += _publish_if_changed(engine, result, horizon)
        except NotEnoughHistory:
            continue
        except Exception as exc:  # one LA's bad series must not stop the others'
            log.warning("forecast.publish_failed", la=la, error=repr(exc))
            if failures is not None:
                failures.inc()
            continue
        first = result.points[0]
        round_figures.append(Figure(la, result.model, first.mid, first.lower, first.upper))
    if figures is not None:
        figures.replace(round_figures)
    return published


def _publish_if_changed(engine: Engine, result: ForecastResult, horizon: int) -> int:
    score = result.scores.get(result.model)
    data = ForecastPublishedData(
        la=result.scope,
        series=result.series,
        model=result.model,
        horizon=horizon,
        points=[
            ForecastPointData(period=p.period, mid=p.mid, lower=p.lower, upper=p.upper)
            for p in result.points
        ],
        backtest=None
        if score is None
        else BacktestScoreData(
            mape=_finite(score.mape),
            bias=_finite(score.bias),
            coverage=_finite(score.coverage),
            n=score.n,
        ),
    )
    body = data.model_dump_json()
    digest = hashlib.sha256(body.encode()).hexdigest()
    with transaction(engine) as s:
        mark = s.get(PublishedForecast, (result.scope, result.series, "default"))
        if mark is not None and mark.digest == digest:
            return 0
        now = datetime.now(UTC)
        enqueue(
            s,
            FORECASTS,
            result.scope,
            ForecastPublished(
                id=uuid.uuid4(),
                source="/services/forecast",
                time=now,
                la=result.scope,
                subject=f"{result.scope}/{result.series}",
                data=data,
            ),
        )
        s.merge(
            PublishedForecast(
                la=result.scope,
                series=result.series,
                model="default",
                digest=digest,
                body=json.dumps(json.loads(body)),
                published_at=now,
            )
        )
    return 1


def _finite(v: float | None) -> float | None:
    return None if v is None or v != v else v
