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

from fastapi import HTTPException, Request
from prometheus_client import CollectorRegistry, Counter, Gauge

T = TypeVar("T")
RETRY_AFTER_SECONDS = "30"


class StreamSlots:
    def __init__(self, most: int, registry: CollectorRegistry) -> None:
        self.most = most
        self.open = 0
        self._gauge = Gauge(
            "sufficiency_http_streams_open",
            "Server-sent event streams open in this process",
            registry=registry,
        )
        self._refused = Counter(
            "sufficiency_http_streams_refused",
            "Streams refused because MAX_STREAMS were open",
            registry=registry,
        )

    def held(self, stream: AsyncIterator[T]) -> AsyncGenerator[T, None]:
        """`stream`, holding a slot from now until it ends (the client gone, or
        the server stopping); a 503 now when every slot is taken."""
        if self.open >= self.most:
            self._refused.inc()
            raise HTTPException(
                503,
                f"{self.most} streams are open, the most this service holds: try again later",
                headers={"Retry-After": RETRY_AFTER_SECONDS},
            )
        self._take(1)
        release = _Once(lambda: self._take(-1))
        held = _released_after(stream, release)
        # Also when the stream is dropped without ever being read (the
        # response failed first): a generator never started runs no finally.
        weakref.finalize(held, release)
        return held

    def _take(self, n: int) -> None:
        self.open += n
        self._gauge.set(self.open)


class _Once:
    def __init__(self, action: Callable[[], None]) -> None:
        self._action: Callable[[], None] | None = action

    def __call__(self) -> None:
        action, self._action = self._action, None
        if action is not None:
            action()


async def _released_after(stream: AsyncIterator[T], release: _Once) -> AsyncGenerator[T, None]:
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
