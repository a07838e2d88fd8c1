"""The forecast service: demand forecasts with honest intervals, backtests and scenarios."""

from pathlib import Path

import structlog
from fastapi import FastAPI
from prometheus_client import Counter
from sqlmodel import Session

from services.forecast.adapters import care_states, observations
from services.forecast.entrypoints import forecasts_api
from services.forecast.entrypoints.examples import EXAMPLES
from services.forecast.entrypoints.prometheus import ForecastCollector
from services.forecast.service_layer.forecasting import Forecaster
from services.forecast.service_layer.publisher import Figures, publish_changed
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
    figures = Figures()
    runtime.registry.register(ForecastCollector(figures))
    failures = Counter(
        "sufficiency_forecast_publish_failures",
        "LAs whose default forecast could not be computed in a publishing round",
        registry=runtime.registry,
    )

    publish = periodic_publisher(
        "forecasts",
        settings.refit_check_seconds,
        lambda: publish_changed(
            forecaster, runtime.engine, settings.default_horizon, figures, failures
        ),
    )

    app = create_service_app(
        runtime,
        title="Forecast service",
        description="Children-in-care demand: a default chosen across LAs by pooled "
        "rolling-origin backtests (naive, theta, pooled damped trend, pooled drift, the "
        "combination of naive, theta and the pooled trend), the "
        "statutory straight line, Holt, damped and flow models, and scenarios.",
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
    app.state.forecast_figures = figures
    app.state.publish_failures = failures
    return app
