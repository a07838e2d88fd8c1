"""The metrics service: sufficiency indicators, live, per LA and region, as of any date."""

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import structlog
from fastapi import FastAPI

from services.metrics.adapters import event_log
from services.metrics.entrypoints import indicators_api, reference_api, report_api, wall_api
from services.metrics.entrypoints.examples import EXAMPLES
from services.metrics.entrypoints.prometheus import IndicatorCollector
from services.metrics.service_layer.freshness import Freshness
from services.metrics.service_layer.snapshots import SnapshotPublisher
from services.metrics.service_layer.state import MetricsState
from services.metrics.settings import MetricsSettings
from shared.events.registry import AnyEvent
from shared.http.app import create_service_app
from shared.http.runtime import BackgroundJob, ConsumerSpec, Runtime, periodic_publisher
from shared.http.streams import StreamSlots
from shared.kafka.consumer import WithMessage
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
    state.live.on_reflected = Freshness(runtime.registry).reflected

    # One thread folds committed batches into the projection, in commit order:
    # folding waits for the projection's lock, which a computation of a large
    # LA's indicators may hold, and the event loop must not wait with it.
    folder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="projection")

    def after_commit(events: Sequence[AnyEvent], published: Sequence[float]) -> None:
        folder.submit(state.live.apply, events, published).add_done_callback(_log_failure)

    publisher = SnapshotPublisher(state, timedelta(seconds=settings.snapshot_min_interval_seconds))
    publish_snapshots = periodic_publisher(
        "snapshots", settings.snapshot_check_seconds, publisher.run_once
    )

    app = create_service_app(
        runtime,
        title="Metrics service",
        description="Sufficiency indicators (DfE SSDA903 definitions) per LA and region, "
        "as of any date, over REST, CSV, Prometheus and a wall display.",
        routers=[indicators_api.router, reference_api.router, wall_api.router, report_api.router],
        consumers=[
            ConsumerSpec(
                settings.projection_consumer(),
                [JOURNEY, SUPPLY],
                WithMessage(event_log.append_message),
                after_commit,
                ready_after_catching_up=True,  # a replica answers with every event, or not at all
            )
        ],
        jobs=[publish_snapshots, _refresher(state)],
        on_startup=lambda rt: _start(rt, state),
    )
    app.state.openapi_examples = EXAMPLES
    app.state.metrics = state
    app.state.streams = StreamSlots(settings.max_streams, runtime.registry)
    app.state.pdf_printers = asyncio.Semaphore(settings.report_pdf_printers)
    return app


def _start(runtime: Runtime, state: MetricsState) -> None:
    upgrade(runtime.engine, MIGRATIONS)
    log.info("projection.rebuilt_from_log", events=state.load())
    las = state.live.refresh(_today(), state.all_las())
    log.info("projection.indicators_ready", las=las)


def _log_failure(done: "Future[set[str]]") -> None:
    if (exc := done.exception()) is not None:
        log.error("projection.fold_failed", error=repr(exc))


def _refresher(state: MetricsState) -> BackgroundJob:
    """Today's indicators of each LA an event changed, worked out soon after
    the event is applied (and every LA's again after midnight). Rounds are
    spaced by four times the last one's length, so under a bulk load the
    refresh takes at most a fifth of a core from the consumer."""

    async def job(_: Runtime) -> None:
        while True:
            await asyncio.to_thread(state.live.changed.wait, 1.0)
            started = time.monotonic()
            try:
                await asyncio.to_thread(state.live.refresh, _today())
            except Exception as exc:
                log.warning("projection.refresh_failed", error=repr(exc))
            await asyncio.sleep(4 * (time.monotonic() - started))

    return job


def _today() -> date:
    return datetime.now(UTC).date()
