"""The POST /events endpoint, the same for every service that accepts events."""

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field, TypeAdapter

from shared.auth.keys import Principal, Scope
from shared.http.auth import require
from shared.http.openapi import COMPONENT_REF, DEFINITIONS
from shared.http.runtime import Runtime
from shared.ingest.batch import MAX_BATCH, Pipeline
from shared.ingest.responses import Accepted, EventResult, ingest_http


def events_router(
    tag: str,
    summary: str,
    scope: Scope,
    pipeline_for: Callable[[timedelta], Pipeline[Any]],
    accepted: Any,
    examples: dict[str, dict[str, Any]],
) -> APIRouter:
    """`pipeline_for(clock skew)` gives the service's rules for a batch; `accepted` is
    the union of the event types it takes (documented as the request body)."""
    router = APIRouter(tags=[tag])
    # One pipeline object per clock skew: the group commit stores together only
    # requests under the same rules (the same object).
    rules = functools.cache(pipeline_for)

    @router.post(
        "/events",
        status_code=202,
        response_model=Accepted,
        summary=summary,
        responses={409: {}},
        openapi_extra=documented_body(accepted, examples),
    )
    async def post_events(
        request: Request,
        body: Annotated[Any, Body(description="A CloudEvent or an array of them")],
        principal: Annotated[Principal, Depends(require(scope))],
    ) -> JSONResponse:
        runtime: Runtime = request.app.state.runtime
        pipeline = rules(request.app.state.clock_skew)
        results = await ingest_http(runtime.ingest, body, principal.la, pipeline)
        runtime.notify_outbox()
        payload = Accepted(results=[EventResult(id=r.id, status=r.status) for r in results])
        return JSONResponse(payload.model_dump(), status_code=202)

    return router


ACCEPTED_EXAMPLE = {
    "results": [{"id": "0b6b3c1e-5b1a-4c55-9a2e-000000000001", "status": "accepted"}]
}


def documented_body(accepted: Any, examples: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The request body as OpenAPI shows it: one event of the accepted types (a
    discriminated union on `type`) or an array of 1 to MAX_BATCH of them.

    Only documented: the handler still takes any JSON and runs the ingest pipeline,
    which reports every bad event of a batch with a per-field reason (422).
    """
    event = TypeAdapter(Annotated[accepted, Field(discriminator="type")]).json_schema(
        ref_template=COMPONENT_REF
    )
    definitions = event.pop("$defs", {})
    batch = {"type": "array", "items": event, "minItems": 1, "maxItems": MAX_BATCH}
    schema = {"oneOf": [event, batch], "description": "A CloudEvent or an array of them"}
    content = {"application/json": {"schema": schema, "examples": examples}}
    return {"requestBody": {"required": True, "content": content}, DEFINITIONS: definitions}
