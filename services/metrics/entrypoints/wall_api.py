"""GET /wall (the built-in wall display) and its server-sent event stream.

The page arrives with its figures (the last payload worked out for the
region, or one worked out now); the stream sends each new payload with the
board's HTML, which the page swaps in.
"""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sse_starlette.sse import EventSourceResponse

from services.metrics.entrypoints.wall_view import board_html, page_html
from services.metrics.service_layer.state import MetricsState
from services.metrics.service_layer.wall import WallCache
from shared.http.streams import StreamSlots, stream_slots

router = APIRouter(tags=["wall display"])
ROTATE_SECONDS = 15  # a screen too small for every LA turns pages this often
# A page may open with figures this old even if an event has come since (its
# stream replaces them within a second); older ones are used only if exact.
STALE_SECONDS = 10.0


@router.get(
    "/wall",
    response_class=HTMLResponse,
    summary="The wall display (no Grafana needed)",
    responses={404: {"description": "Unknown region"}},
)
async def wall(request: Request, region: str = "D2N2") -> HTMLResponse:
    state, cache = _known(request, region)
    payload = cache.latest(state, region, _today(), STALE_SECONDS)
    if payload is None:
        payload = await run_in_threadpool(cache.current, state, region, _today())
    return HTMLResponse(page_html(payload, ROTATE_SECONDS))


@router.get(
    "/wall/stream",
    summary="Server-sent events: the wall's figures, on every change",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
        404: {"description": "Unknown region"},
        503: {"description": "MAX_STREAMS streams are open: try again after Retry-After"},
    },
)
async def wall_stream(
    request: Request, slots: Annotated[StreamSlots, Depends(stream_slots)], region: str = "D2N2"
) -> EventSourceResponse:
    _known(request, region)
    return EventSourceResponse(slots.held(_updates(request, region)))


def _known(request: Request, region: str) -> tuple[MetricsState, WallCache]:
    state: MetricsState = request.app.state.metrics
    if region not in state.regions():
        raise HTTPException(404, f"unknown region {region!r}")
    cache = getattr(request.app.state, "wall_cache", None)
    if cache is None:
        cache = request.app.state.wall_cache = WallCache()
    return state, cache


def _today() -> date:
    return datetime.now(UTC).date()


async def _updates(request: Request, region: str) -> AsyncIterator[dict[str, str]]:
    state, cache = _known(request, region)
    sent: tuple[object, object] | None = None
    while not await request.is_disconnected():
        payload = await run_in_threadpool(cache.current, state, region, _today())
        if (payload["version"], payload["as_of"]) != sent:
            sent = (payload["version"], payload["as_of"])
            yield {"data": json.dumps({**payload, "html": board_html(payload)})}
        await asyncio.sleep(0.25)
