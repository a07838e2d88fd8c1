"""A bound on the server-sent event streams a process holds open at once.

Each open stream is a task that wakes several times a second to look for news
(the wall's figures, the feed's log). Without a bound, anyone who can reach a
stream (the wall is public) could open enough of them to take the service's
CPU and database. Past the bound a new stream is refused with 503 and
Retry-After; the streams already open and every other request go on.
"""

import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import TypeVar

from fastapi import Request
from prometheus_client import CollectorRegistry

from shared.http.capacity import Capacity

T = TypeVar("T")
RETRY_AFTER_SECONDS = 30


class StreamSlots(Capacity):
    def __init__(self, most: int, registry: CollectorRegistry) -> None:
        super().__init__(
            most,
            "{most} streams are open, the most this service holds: try again later",
            RETRY_AFTER_SECONDS,
            registry,
            "sufficiency_http_streams",
            "Server-sent event streams (MAX_STREAMS)",
        )

    def held(self, stream: AsyncIterator[T]) -> AsyncGenerator[T, None]:
        """`stream`, holding a slot from now until it ends (the client gone, or
        the server stopping); a 503 now when every slot is taken."""
        slot = self.take()
        held = _released_after(stream, slot.release)
        # Also when the stream is dropped without ever being read (the
        # response failed first): a generator never started runs no finally.
        weakref.finalize(held, slot.release)
        return held


async def _released_after(
    stream: AsyncIterator[T], release: Callable[[], None]
) -> AsyncGenerator[T, None]:
    try:
        async for item in stream:
            yield item
    finally:
        release()
        close = getattr(stream, "aclose", None)
        if close is not None:
            await close()  # its own clean-up now, not when it is collected


def stream_slots(request: Request) -> StreamSlots:
    slots: StreamSlots = request.app.state.streams
    return slots
