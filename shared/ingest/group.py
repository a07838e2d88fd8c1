"""Group commit: POST /events requests waiting while one transaction is written
are stored together in the next one.

A transaction per request made concurrent single-event POSTs queue on the
database's one writer (SQLite's busy handler sleeps 1 to 100 ms between tries),
so each cost several milliseconds of CPU and p99 latency grew to seconds. Here
one writer per process takes every request waiting, parses each on its own (a
bad request is refused alone, nothing else noticing), and stores the rest as
one batch in one transaction.

Each request keeps its own all or nothing. If the combined batch fails for any
reason (a rule, an id reused with another body, an error), nothing of it was
stored, and each request is stored again on its own, in arrival order: every
request gets exactly the answer it would have had alone, and the events of one
are never stored because of another's.
"""

import asyncio
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from fastapi.concurrency import run_in_threadpool
from prometheus_client import CollectorRegistry, Counter, Histogram
from sqlalchemy import Engine

from shared.ingest.batch import MAX_BATCH, Pipeline, Result, parse_for, store

log = structlog.get_logger()

Outcome = list[Result] | Exception


@dataclass(frozen=True)
class Submission:
    items: list[Any]
    caller_la: str | None


@dataclass
class _Waiting:
    submission: Submission
    pipeline: Pipeline[Any]
    answer: asyncio.Future[list[Result]] = field(repr=False)


def store_group(
    engine: Engine,
    submissions: Sequence[Submission],
    pipeline: Pipeline[Any],
    max_event_bytes: int,
) -> tuple[list[Outcome], bool]:
    """Each submission's results or the exception it alone would have raised, and
    whether the combined batch had to be split."""
    outcomes: list[Outcome | None] = [None] * len(submissions)
    parsed: list[tuple[int, list[Any]]] = []
    for i, sub in enumerate(submissions):
        try:
            parsed.append((i, parse_for(sub.items, sub.caller_la, pipeline)))
        except Exception as exc:  # refused alone: Rejected, WrongLa
            outcomes[i] = exc
    if len(parsed) > 1 and _stored_together(
        engine, submissions, parsed, pipeline, max_event_bytes, outcomes
    ):
        return _all(outcomes), False
    for i, events in parsed:
        try:
            outcomes[i] = store(engine, submissions[i].items, events, pipeline, max_event_bytes)
        except Exception as exc:
            outcomes[i] = exc
    return _all(outcomes), len(parsed) > 1


def _all(outcomes: list[Outcome | None]) -> list[Outcome]:
    assert all(o is not None for o in outcomes)
    return [o for o in outcomes if o is not None]


def _stored_together(
    engine: Engine,
    submissions: Sequence[Submission],
    parsed: list[tuple[int, list[Any]]],
    pipeline: Pipeline[Any],
    max_event_bytes: int,
    outcomes: list[Outcome | None],
) -> bool:
    items = [item for i, _ in parsed for item in submissions[i].items]
    events = [event for _, evs in parsed for event in evs]
    try:
        results = store(engine, items, events, pipeline, max_event_bytes)
    except Exception as exc:  # nothing stored: each is tried alone
        log.info("ingest.group_split", requests=len(parsed), reason=type(exc).__name__)
        return False
    start = 0
    for i, evs in parsed:
        outcomes[i] = results[start : start + len(evs)]
        start += len(evs)
    return True


class GroupCommit:
    """The one writer of a process's POST /events: requests queue here and are
    stored a group at a time, a group holding at most `max_events` events (a
    larger single request is a group of its own)."""

    def __init__(
        self,
        engine: Engine,
        max_event_bytes: int,
        registry: CollectorRegistry,
        max_events: int = MAX_BATCH,
    ) -> None:
        self._engine = engine
        self._max_event_bytes = max_event_bytes
        self._max_events = max_events
        self._queue: deque[_Waiting] = deque()
        self._writer: asyncio.Task[None] | None = None
        self._sizes = Histogram(
            "sufficiency_ingest_group_requests",
            "POST /events requests stored in one transaction (group commit)",
            buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
            registry=registry,
        )
        self._splits = Counter(
            "sufficiency_ingest_group_splits",
            "Groups whose combined batch failed, so each request was stored on its own",
            registry=registry,
        )

    async def submit(
        self, items: list[Any], caller_la: str | None, pipeline: Pipeline[Any]
    ) -> list[Result]:
        """The request's results, or the exception storing it alone raises."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[list[Result]] = loop.create_future()
        self._queue.append(_Waiting(Submission(items, caller_la), pipeline, answer))
        writer = self._writer
        # A writer of another loop (a test client's earlier one) will never run again.
        if writer is None or writer.done() or writer.get_loop() is not loop:
            self._writer = asyncio.create_task(self._write(), name="ingest-group-commit")
        return await answer

    async def _write(self) -> None:
        while self._queue:
            group = self._take()
            try:
                outcomes, split = await run_in_threadpool(
                    store_group,
                    self._engine,
                    [w.submission for w in group],
                    group[0].pipeline,
                    self._max_event_bytes,
                )
            except Exception as exc:  # not raised by store_group; kept so no request hangs
                outcomes, split = [exc] * len(group), False
            self._sizes.observe(len(group))
            if split:
                self._splits.inc()
            for waiting, outcome in zip(group, outcomes, strict=True):
                _answer(waiting.answer, outcome)

    def _take(self) -> list[_Waiting]:
        """The first request waiting, and those after it with the same rules while
        the group stays within `max_events`."""
        group = [self._queue.popleft()]
        size = len(group[0].submission.items)
        while self._queue:
            nxt = self._queue[0]
            n = len(nxt.submission.items)
            if nxt.pipeline is not group[0].pipeline or size + n > self._max_events:
                break
            group.append(self._queue.popleft())
            size += n
        return group


def _answer(future: asyncio.Future[list[Result]], outcome: Outcome) -> None:
    if future.done() or future.get_loop().is_closed():  # the caller is gone
        return
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
