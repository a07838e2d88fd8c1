"""The FastAPI app factory: health, readiness and metrics on every service."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from shared.db import ping
from shared.http import errors, openapi
from shared.http.limits import BodyLimit
from shared.http.observability import check_scrape_token, instrument_http
from shared.http.runtime import BackgroundJob, ConsumerSpec, Runtime
from shared.kafka.outbox_age import register_outbox_age


def create_service_app(
    runtime: Runtime,
    title: str,
    description: str,
    routers: list[APIRouter],
    consumers: list[ConsumerSpec] | None = None,
    jobs: list[BackgroundJob] | None = None,
    on_startup: Callable[[Runtime], None] | None = None,
    body_limits: dict[str, int] | None = None,
) -> FastAPI:
    """`body_limits` (path: bytes) raise the request body limit for file uploads."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if on_startup is not None:
            await asyncio.to_thread(on_startup, runtime)
        await runtime.start_broker_side(consumers or [], jobs or [])
        yield
        await runtime.stop()

    # Swagger UI and ReDoc from the service's own /static-offline-docs: council
    # networks often block outside CDNs.
    app = FastAPIOffline(title=title, description=description, version="1.0.0", lifespan=lifespan)
    app.state.runtime = runtime
    errors.install(app)
    instrument_http(app, runtime.registry)
    register_outbox_age(runtime.registry, runtime.engine)
    app.add_middleware(
        BodyLimit, max_bytes=runtime.settings.max_request_bytes, per_path=body_limits
    )
    openapi.install(app)
    app.include_router(_operational_router())
    for router in routers:
        app.include_router(router)
    return app


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    checks: dict[str, bool]
    replica: str
    leads: dict[str, bool]


def _operational_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        summary="Database and broker reachable, consumers running and not stalled, "
        "in-memory projections caught up once since the start; "
        "which background duties this replica leads",
        responses={503: {"model": Readiness, "description": "Not ready"}},
        response_model=Readiness,
    )
    async def readyz(request: Request) -> JSONResponse:
        runtime: Runtime = request.app.state.runtime
        checks = {"database": await _database_ok(runtime), "broker": await _broker_ok(runtime)}
        # Which duties this replica leads: informative, never a reason to be not ready
        # (a standby is as ready to serve requests as the leader).
        body: dict[str, object] = {
            "replica": runtime.leadership.replica_id,
            "leads": runtime.leadership.status(),
        }
        if runtime.consumers:
            body["consumers"] = consumers = _consumers(runtime)
            checks["consumers"] = not any(c["stalled"] for c in consumers.values())
            if gated := [c for c in runtime.consumers if c.ready_after_catching_up]:
                checks["caught_up"] = all(c.caught_up for c in gated)
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ok else "not ready", "checks": checks, **body},
            status_code=200 if ok else 503,
        )

    # An explicit route: a mounted ASGI app answers /metrics with a redirect
    # that Prometheus does not follow.
    @router.get(
        "/metrics",
        summary="Prometheus text format (bearer scrape token when SCRAPE_TOKEN is set)",
        response_class=Response,
        responses={
            200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
            401: {"description": "SCRAPE_TOKEN is set and the request does not carry it"},
        },
    )
    async def metrics(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        check_scrape_token(request, runtime.settings.expected_scrape_token())
        body = await asyncio.to_thread(generate_latest, runtime.registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router


def _consumers(runtime: Runtime) -> dict[str, dict[str, int | bool]]:
    """Lag (messages after each consumer's position) and whether it is stalled:
    behind without applying anything for CONSUMER_STALL_SECONDS."""
    stall = runtime.settings.consumer_stall_seconds
    return {
        c.name: {"lag_messages": sum(c.lag.values()), "stalled": c.stalled(stall)}
        for c in runtime.consumers
    }


async def _broker_ok(runtime: Runtime) -> bool:
    """Connected at start-up and answering a metadata request now."""
    if not runtime.broker_ready or runtime.producer is None:
        return False
    try:
        return bool(await asyncio.wait_for(runtime.producer.client.fetch_all_metadata(), 2.0))
    except Exception:
        return False


async def _database_ok(runtime: Runtime) -> bool:
    try:
        await asyncio.to_thread(ping, runtime.engine)
        return True
    except Exception:
        return False
