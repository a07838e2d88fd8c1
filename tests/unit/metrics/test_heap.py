"""The projection's heap is frozen every so many events folded, and only then."""

import gc
from collections.abc import Iterator

import pytest

from services.metrics.service_layer.heap import LongLivedHeap


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_heap_is_frozen_once_every_so_many_events() -> None:
    heap = LongLivedHeap(every_events=100)
    heap.folded(60)
    assert gc.get_freeze_count() == 0
    kept = [object() for _ in range(10)]
    heap.folded(40)
    assert gc.get_freeze_count() > 0 and kept
    gc.unfreeze()
    heap.folded(99)
    assert gc.get_freeze_count() == 0


def test_zero_never_freezes() -> None:
    heap = LongLivedHeap(every_events=0)
    heap.folded(10**9)
    assert gc.get_freeze_count() == 0
