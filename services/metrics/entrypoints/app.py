"""The metrics service: sufficiency indicators, live, per LA and region, as of any date."""

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import structlog
from fastapi import FastAPI
from sqlmodel import Session

from services.metrics.adapters import event_log
from services.metrics.entrypoints import indicators_api, reference_api, wall_api
from services.metrics.entrypoints.prometheus import IndicatorCollector
from services.metrics.service_layer.snapshots import SnapshotPublisher
from services.metrics.service_layer.state import MetricsState
from services.metrics.settings import MetricsSettings
from shared.events.registry import AnyEvent
from shared.http.app import create_service_app
from shared.http.runtime import ConsumerSpec, Runtime, periodic_publisher
from shared.kafka.topics import JOURNEY, SUPPLY
from shared.migrations import upgrade

NAME = "metrics"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
log = structlog.get_logger()


def create_app(settings: MetricsSettings | None = None) -> FastAPI:
    settings = settings or MetricsSettings()
    runtime = Runtime.create(NAME, settings)
    state = MetricsState(settings, runtime.engine)
    runtime.registry.register(IndicatorCollector(state))

    def record(session: Session, event: AnyEvent) -> None:
        event_log.append(session, event)

    def after_commit(events: Sequence[AnyEvent]) -> None:
        state.live.apply(events)

    publisher = SnapshotPublisher(state, timedelta(seconds=settings.snapshot_min_interval_seconds))
    publish_snapshots = periodic_publisher(
        "snapshots", settings.snapshot_check_seconds, publisher.run_once
    )

    app = create_service_app(
        runtime,
        title="Metrics service",
        description="Sufficiency indicators (DfE SSDA903 definitions) per LA and region, "
        "as of any date, over REST, CSV, Prometheus and a wall display.",
        routers=[indicators_api.router, reference_api.router, wall_api.router],
        consumers=[ConsumerSpec("projection", [JOURNEY, SUPPLY], record, after_commit)],
        jobs=[publish_snapshots],
        on_startup=lambda rt: _start(rt, state),
    )
    app.state.metrics = state
    return app


def _start(runtime: Runtime, state: MetricsState) -> None:
    upgrade(runtime.engine, MIGRATIONS)
    log.info("projection.rebuilt_from_log", events=state.load())
