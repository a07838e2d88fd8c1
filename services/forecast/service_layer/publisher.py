"""forecast.published.v1 whenever an LA's default forecast changes (refit off the read path)."""

import hashlib
import json
import uuid
from datetime import UTC, datetime

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


def las_with_history(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return sorted(
            s.exec(select(Observation.la).where(Observation.series == SERIES).distinct()).all()
        )


def publish_changed(forecaster: Forecaster, engine: Engine, horizon: int) -> int:
    published = 0
    for la in las_with_history(engine):
        try:
            result = forecaster.forecast(la, [la], SERIES, None, horizon)
        except NotEnoughHistory:
            continue
        published += _publish_if_changed(engine, result, horizon)
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
