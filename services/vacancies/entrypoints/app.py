"""The vacancies service: homes, vacancies, occupancy, matching and the shared feed."""

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from services.vacancies.adapters.feed_log import ensure_head
from services.vacancies.domain.delivery import Policy
from services.vacancies.domain.lifecycle import Transition
from services.vacancies.entrypoints import (
    events_api,
    feed_api,
    matches_api,
    occupancy_api,
    subscriptions_api,
    supply_api,
)
from services.vacancies.entrypoints.examples import EXAMPLES
from services.vacancies.service_layer.journey_consumer import handle, prepare
from services.vacancies.service_layer.metrics import VacancyMetrics
from services.vacancies.service_layer.scheduler import run_clock
from services.vacancies.service_layer.webhooks import WebhookDelivery
from services.vacancies.settings import VacanciesSettings
from shared.events.registry import AnyEvent
from shared.http.app import create_service_app
from shared.http.runtime import ConsumerSpec, Runtime
from shared.http.streams import StreamSlots
from shared.kafka.topics import JOURNEY
from shared.leadership import CLOCK, WEBHOOKS
from shared.migrations import upgrade

NAME = "vacancies"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: VacanciesSettings | None = None) -> FastAPI:
    settings = settings or VacanciesSettings()
    runtime = Runtime.create(NAME, settings, takes_events=True)
    metrics = VacancyMetrics(runtime.registry, runtime.engine)
    policy = Policy(
        backoff_base=timedelta(seconds=settings.webhook_backoff_base_seconds),
        backoff_max=timedelta(seconds=settings.webhook_backoff_max_seconds),
        pause_after=timedelta(seconds=settings.webhook_pause_after_seconds),
    )
    webhooks = WebhookDelivery(
        runtime.engine,
        policy,
        metrics,
        settings.webhook_timeout_seconds,
        settings.webhook_poll_seconds,
        settings.webhook_address_policy(),
        leads=runtime.leadership.duty(WEBHOOKS),
    )
    clock_leads = runtime.leadership.duty(CLOCK)

    def after_clock(done: list[Transition]) -> None:
        for t in done:
            metrics.clock.labels(t.kind).inc()
        runtime.notify_outbox()

    def after_journey(_: Sequence[AnyEvent], __: Sequence[float]) -> None:
        runtime.notify_outbox()  # fills enqueued vacancy.filled.v1 and feed entries

    async def clock(rt: Runtime) -> None:
        await run_clock(rt.engine, settings.scheduler_seconds, after_clock, leads=clock_leads)

    async def deliver(_: Runtime) -> None:
        await webhooks.run()

    app = create_service_app(
        runtime,
        title="Vacancies service",
        description="Homes, places and vacancies; occupancy as of any date; matching "
        "referrals to vacancies; the shared regional vacancy feed over Kafka, HTTP pages, "
        "server-sent events and signed webhooks.",
        routers=[
            events_api.router,
            supply_api.router,
            occupancy_api.router,
            matches_api.router,
            feed_api.router,
            subscriptions_api.router,
        ],
        consumers=[ConsumerSpec("journey", [JOURNEY], handle, after_journey, prepare)],
        jobs=[clock, deliver],
        on_startup=_start,
    )
    app.state.openapi_examples = EXAMPLES
    app.state.clock_skew = timedelta(seconds=settings.clock_skew_seconds)
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.streams = StreamSlots(settings.max_streams, runtime.registry)
    return app


def _start(runtime: Runtime) -> None:
    upgrade(runtime.engine, MIGRATIONS)
    ensure_head(runtime.engine)
