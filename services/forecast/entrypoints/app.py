"""The forecast service: demand forecasts with honest intervals, backtests and scenarios."""

from pathlib import Path

import structlog
from fastapi import FastAPI
from sqlmodel import Session

from services.forecast.adapters import care_states, observations
from services.forecast.entrypoints import forecasts_api
from services.forecast.entrypoints.examples import EXAMPLES
from services.forecast.entrypoints.prometheus import ForecastCollector
from services.forecast.service_layer.forecasting import Forecaster
from services.forecast.service_layer.publisher import publish_changed
from services.forecast.settings import ForecastSettings
from shared.events.derived import IndicatorsSnapshot
from shared.events.registry import AnyEvent
from shared.http.app import create_service_app
from shared.http.runtime import ConsumerSpec, Runtime, periodic_publisher
from shared.kafka.topics import INDICATORS, JOURNEY
from shared.migrations import upgrade

NAME = "forecast"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
log = structlog.get_logger()


def _snapshot(session: Session, event: AnyEvent) -> None:
    if isinstance(event, IndicatorsSnapshot):
        observations.record_snapshot(session, event)


def create_app(settings: ForecastSettings | None = None) -> FastAPI:
    settings = settings or ForecastSettings()
    runtime = Runtime.create(NAME, settings)
    forecaster = Forecaster(runtime.engine)
    runtime.registry.register(ForecastCollector(forecaster, runtime.engine))

    publish = periodic_publisher(
        "forecasts",
        settings.refit_check_seconds,
        lambda: publish_changed(forecaster, runtime.engine, settings.default_horizon),
    )

    app = create_service_app(
        runtime,
        title="Forecast service",
        description="Children-in-care demand: the statutory straight line, Holt, damped and flow "
        "models with rolling-origin backtests, and scenarios.",
        routers=[forecasts_api.router],
        consumers=[
            ConsumerSpec("snapshots", [INDICATORS], _snapshot),
            ConsumerSpec("journey", [JOURNEY], care_states.record),
        ],
        jobs=[publish],
        on_startup=lambda rt: upgrade(rt.engine, MIGRATIONS),
    )
    app.state.openapi_examples = EXAMPLES
    app.state.forecaster = forecaster
    return app
