"""POST /events: supply events from provider and commissioning teams."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse

from services.vacancies.service_layer.supply_pipeline import supply_pipeline
from shared.auth.keys import Principal, Scope
from shared.http.auth import require
from shared.http.runtime import Runtime
from shared.ingest.responses import Accepted, EventResult, RejectedBody, ingest_http

router = APIRouter(tags=["supply events"])


@router.post(
    "/events",
    status_code=202,
    response_model=Accepted,
    responses={422: {"model": RejectedBody}, 409: {}, 403: {}, 401: {}},
    summary="Post one supply event (homes, vacancies) or an array of up to 1,000",
)
async def post_events(
    request: Request,
    body: Annotated[Any, Body(description="A CloudEvent or an array of them")],
    principal: Annotated[Principal, Depends(require(Scope.SUPPLY_WRITE))],
) -> JSONResponse:
    runtime: Runtime = request.app.state.runtime
    pipeline = supply_pipeline(request.app.state.clock_skew)
    results = await ingest_http(runtime.engine, body, principal.la, pipeline)
    runtime.notify_outbox()
    payload = Accepted(results=[EventResult(id=r.id, status=r.status) for r in results])
    return JSONResponse(payload.model_dump(), status_code=202)
