"""StreamSlots: a slot per open stream, given back however the stream ends."""

import gc
from collections.abc import AsyncIterator

import pytest
from fastapi import HTTPException
from prometheus_client import CollectorRegistry

from shared.http.streams import StreamSlots


async def ticks(n: int) -> AsyncIterator[int]:
    for i in range(n):
        yield i


async def test_a_slot_is_held_while_the_stream_runs_and_given_back_at_its_end():
    slots = StreamSlots(1, CollectorRegistry())
    stream = slots.held(ticks(2))
    assert slots.open == 1
    with pytest.raises(HTTPException) as refused:
        slots.held(ticks(1))
    assert refused.value.status_code == 503 and refused.value.headers == {"Retry-After": "30"}
    assert [i async for i in stream] == [0, 1]
    assert slots.open == 0


async def test_a_stream_closed_early_or_never_read_gives_its_slot_back():
    slots = StreamSlots(2, CollectorRegistry())
    read = slots.held(ticks(5))
    assert await anext(read) == 0
    await read.aclose()  # the client went
    never = slots.held(ticks(5))
    assert slots.open == 1
    del never  # the response failed before reading it
    gc.collect()
    assert slots.open == 0
