"""The POST /events endpoint, the same for every service that accepts events."""

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse

from shared.auth.keys import Principal, Scope
from shared.http.auth import require
from shared.http.runtime import Runtime
from shared.ingest.batch import Pipeline
from shared.ingest.responses import Accepted, EventResult, ingest_http


def events_router(
    tag: str, summary: str, scope: Scope, pipeline_for: Callable[[timedelta], Pipeline[Any]]
) -> APIRouter:
    """`pipeline_for(clock skew)` gives the service's rules for a batch."""
    router = APIRouter(tags=[tag])

    @router.post(
        "/events",
        status_code=202,
        response_model=Accepted,
        summary=summary,
        responses={409: {}},
    )
    async def post_events(
        request: Request,
        body: Annotated[Any, Body(description="A CloudEvent or an array of them")],
        principal: Annotated[Principal, Depends(require(scope))],
    ) -> JSONResponse:
        runtime: Runtime = request.app.state.runtime
        pipeline = pipeline_for(request.app.state.clock_skew)
        results = await ingest_http(runtime.engine, body, principal.la, pipeline)
        runtime.notify_outbox()
        payload = Accepted(results=[EventResult(id=r.id, status=r.status) for r in results])
        return JSONResponse(payload.model_dump(), status_code=202)

    return router
