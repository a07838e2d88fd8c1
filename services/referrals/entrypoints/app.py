"""The referrals service: where case management reports each child's journey."""

import asyncio
from datetime import timedelta
from pathlib import Path

import structlog
from fastapi import FastAPI

from services.referrals.adapters import import_jobs
from services.referrals.entrypoints import events_api, journey_api, ssda903_api
from services.referrals.entrypoints.examples import EXAMPLES
from services.referrals.settings import ReferralsSettings
from shared.http.app import create_service_app
from shared.http.capacity import Capacity
from shared.http.runtime import Runtime
from shared.migrations import upgrade

NAME = "referrals"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
log = structlog.get_logger()


async def _orphaned_jobs(runtime: Runtime) -> None:
    """Every replica, every lease interval: a background import whose replica died
    is marked interrupted (see import_jobs); one still running elsewhere is left be."""
    while True:
        try:
            await asyncio.to_thread(
                import_jobs.interrupt_orphans, runtime.engine, runtime.leadership.alive
            )
        except Exception as exc:  # the database or the lease store was busy: next round
            log.warning("import_jobs.check_failed", error=repr(exc))
        await asyncio.sleep(runtime.settings.lease_retry_seconds)


def create_app(settings: ReferralsSettings | None = None) -> FastAPI:
    settings = settings or ReferralsSettings()
    runtime = Runtime.create(NAME, settings, takes_events=True)
    app = create_service_app(
        runtime,
        title="Referrals service",
        description="Child journey events from case-management systems, validated against "
        "the SSDA903 code lists and the rules of a period of care.",
        routers=[events_api.router, journey_api.router, ssda903_api.router],
        jobs=[_orphaned_jobs],
        on_startup=lambda rt: upgrade(rt.engine, MIGRATIONS),
        body_limits={"/ssda903/imports": settings.ssda903_max_upload_bytes},
    )
    app.state.openapi_examples = EXAMPLES
    app.state.clock_skew = timedelta(seconds=settings.clock_skew_seconds)
    app.state.ssda903_async_bytes = settings.ssda903_async_bytes
    # An import holds its files' text and a child's events at a time: up to a
    # few hundred MB for a large return, so a process runs only so many.
    app.state.import_slots = Capacity(
        settings.ssda903_max_imports,
        "{most} imports are running, the most this service runs at once: "
        "send the return again later",
        retry_after_seconds=60,
    )
    return app
