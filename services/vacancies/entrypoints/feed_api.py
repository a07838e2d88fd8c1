"""The shared regional feed over HTTP: ordered pages and a server-sent event stream.

Both read the one feed log. A cursor is the seq of the last entry seen; the
stream gives each event the id = seq, so a client that reconnects with
Last-Event-ID (or ?cursor=) carries on after what it had.
"""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import Engine
from sse_starlette import EventSourceResponse, ServerSentEvent

from services.vacancies.adapters import feed_log
from services.vacancies.entrypoints.deps import FeedReader, engine, metrics, region_for, settings
from services.vacancies.service_layer.metrics import VacancyMetrics
from services.vacancies.settings import VacanciesSettings
from shared.events.common import MAX_SEQ
from shared.http.streams import StreamSlots, stream_slots

router = APIRouter(tags=["shared vacancy feed"])
Db = Annotated[Engine, Depends(engine)]
Cursor = Annotated[
    int, Query(ge=0, le=MAX_SEQ, description="The seq of the last entry you have; 0: start")
]


class FeedEntry(BaseModel):
    seq: int
    event: dict[str, Any]


class FeedPage(BaseModel):
    region: str
    entries: list[FeedEntry]
    next_cursor: str
    has_more: bool


@router.get(
    "/feed/vacancies",
    response_model=FeedPage,
    summary="feed.vacancy.v1 entries of your region after `cursor`, in order",
)
async def feed_page(
    principal: FeedReader,
    db: Db,
    conf: Annotated[VacanciesSettings, Depends(settings)],
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most feed_page_max")] = 100,
) -> FeedPage:
    region = region_for(principal)
    size = min(limit, conf.feed_page_max)
    rows = await run_in_threadpool(feed_log.read_after, db, region, cursor, size + 1)
    page = rows[:size]
    return FeedPage(
        region=region,
        entries=[FeedEntry(seq=r.seq, event=json.loads(r.body)) for r in page],
        next_cursor=str(page[-1].seq if page else cursor),
        has_more=len(rows) > size,
    )


@router.get(
    "/feed/vacancies/stream",
    summary="Server-sent events: each feed entry as it is written (id = seq; resumable)",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
        503: {"description": "MAX_STREAMS streams are open: try again after Retry-After"},
    },
)
async def feed_stream(
    request: Request,
    principal: FeedReader,
    db: Db,
    conf: Annotated[VacanciesSettings, Depends(settings)],
    counters: Annotated[VacancyMetrics, Depends(metrics)],
    slots: Annotated[StreamSlots, Depends(stream_slots)],
    cursor: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> EventSourceResponse:
    region = region_for(principal)
    resumed = last_event_id is not None and last_event_id.isdigit() and len(last_event_id) < 19
    start = int(last_event_id) if resumed and last_event_id else (cursor or 0)  # < 2^63

    async def events() -> AsyncIterator[ServerSentEvent]:
        after = start
        counters.sse_clients.inc()
        try:
            while not await request.is_disconnected():
                rows = await asyncio.to_thread(feed_log.read_after, db, region, after, 100)
                for r in rows:
                    yield ServerSentEvent(data=r.body, id=str(r.seq), event="feed.vacancy.v1")
                    after = r.seq
                if not rows:
                    await asyncio.sleep(conf.feed_poll_seconds)
        finally:
            counters.sse_clients.dec()

    return EventSourceResponse(slots.held(events()), ping=15)
