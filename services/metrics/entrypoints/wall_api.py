"""GET /wall (the built-in wall display) and its server-sent event stream."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sse_starlette.sse import EventSourceResponse

from services.metrics.service_layer.wall import wall_payload

router = APIRouter(tags=["wall display"])
PAGE = (Path(__file__).parent / "static" / "wall.html").read_text()


@router.get("/wall", response_class=HTMLResponse, summary="The wall display (no Grafana needed)")
async def wall() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.get(
    "/wall/stream",
    summary="Server-sent events: the wall's figures, on every change",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
        404: {"description": "Unknown region"},
    },
)
async def wall_stream(request: Request, region: str = "D2N2") -> EventSourceResponse:
    state = request.app.state.metrics
    if region not in state.regions():
        raise HTTPException(404, f"unknown region {region!r}")
    return EventSourceResponse(_updates(request, region))


async def _updates(request: Request, region: str) -> AsyncIterator[dict[str, str]]:
    state = request.app.state.metrics
    last_version, last_day = -1, None
    while not await request.is_disconnected():
        members = state.regions().get(region, [])
        version = sum(state.live.version(la) for la in members)
        today = datetime.now(UTC).date()
        if version != last_version or today != last_day:
            payload = await run_in_threadpool(wall_payload, state, region, today)
            last_version, last_day = version, today
            yield {"data": json.dumps(payload)}
        await asyncio.sleep(0.25)
