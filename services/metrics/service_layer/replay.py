"""Rebuilding the metrics store from the topics (a fresh store, then compare and swap).

Reads journey and supply topics from the beginning up to the end offsets seen
at the start, with no consumer group, and writes every event to the same
inbox and log as the live consumer, so the rebuilt store is what the service
would have built.

Every event on these topics was validated where it entered the system (the
referrals and vacancies services publish only events their typed models
accepted), and the store's log is validated again, event by event, when the
projection is folded from it (the compare that follows a replay). So the
replay decodes only what it stores beside the body (id, source, type, LA)
and counts as undecodable a record that is not JSON, lacks those, or is of a
type no service knows; it does not validate each body a second time.

Those four are read with msgspec against a strict shape (the id as the
publishers write it: canonical lowercase). A record that shape refuses goes
to the pydantic model the live consumer's envelope uses, so the replay
accepts exactly what it accepted before and stores the id in the same form.
"""

import asyncio
import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

import msgspec
from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Engine

from services.metrics.adapters import bulk_log
from services.metrics.adapters.bulk_log import LoggedEvent
from shared.db import transaction
from shared.events.envelope import LaCode
from shared.events.registry import EVENT_TYPES
from shared.kafka.topics import JOURNEY, SUPPLY
from shared.store.inbox import Key, already_processed

CONSUMER = "metrics.projection"
_CANONICAL_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z"
Progress = Callable[[int, int], None]  # (events done, events in all)


class _FastHead(msgspec.Struct):
    """The envelope attributes the log and the inbox keep, as publishers write them."""

    id: Annotated[str, msgspec.Meta(pattern=_CANONICAL_UUID)]
    source: str
    type: str
    la: Annotated[str, msgspec.Meta(pattern=r"^[EW][0-9]{8}\Z")]


_FAST_HEAD = msgspec.json.Decoder(_FastHead)


class _Head(BaseModel):
    """The same attributes in any form the envelope's model accepts (the slow path)."""

    model_config = ConfigDict(extra="ignore")

    id: UUID
    source: str
    type: str
    la: LaCode


@dataclass(frozen=True)
class ReplayResult:
    events: int
    applied: int
    undecodable: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


async def replay(
    bootstrap: str, engine: Engine, progress: Progress, batch: int = 20_000
) -> ReplayResult:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        max_poll_records=batch,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    try:
        parts = [
            TopicPartition(t, p)
            for t in (JOURNEY, SUPPLY)
            for p in sorted(consumer.partitions_for_topic(t) or [])
        ]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        empty = bulk_log.is_empty(engine)
        # Timed to the end of the bulk load: the indexes it builds then are part of the work.
        started = time.perf_counter()
        with _without_cycle_collection(), bulk_log.bulk_load(engine, empty, CONSUMER) as scratch:
            writer = _Writer(engine, empty, scratch)
            done = await _drain(consumer, writer, parts, progress, batch)
        seconds = time.perf_counter() - started
        return ReplayResult(done, writer.applied, writer.undecodable, seconds)
    finally:
        await consumer.stop()


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The replay allocates millions of acyclic objects (records, rows, the
    keys it keeps): the cycle collector's passes over them took a fifth of
    its time. Reference counting frees them all the same; the few cycles
    made meanwhile wait for the next collection after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


async def _drain(
    consumer: AIOKafkaConsumer,
    writer: "_Writer",
    parts: list[TopicPartition],
    progress: Progress,
    batch: int,
) -> int:
    """Read each partition up to the high watermark its first fetch reported.

    Fetch responses carry the true high watermark; ListOffsets on the embedded
    broker undercounts partitions whose last batch held several records. A
    batch is written on a worker thread while the next is fetched and
    decoded here, so that the database's work on one overlaps the decoding
    of the next. Returns the number of records read.
    """
    done = 0
    ends = await consumer.end_offsets(parts)
    remaining = {tp for tp in parts if ends[tp] > 0}
    targets: dict[TopicPartition, int] = {}
    pending: list[LoggedEvent] = []
    writing: asyncio.Task[None] | None = None
    while remaining:
        fetched = await consumer.getmany(*remaining, timeout_ms=1000)
        for tp, records in fetched.items():
            target = targets.setdefault(tp, consumer.highwater(tp) or ends[tp])
            wanted = [r for r in records if r.offset < target]
            pending += writer.decode([r.value for r in wanted])
            done += len(wanted)
            if await consumer.position(tp) >= target:
                remaining.discard(tp)
        if len(pending) >= batch or not remaining:
            if writing is not None:
                await writing
            writing = asyncio.create_task(asyncio.to_thread(writer.write, pending))
            pending = []
        progress(done, max(done, sum(targets.get(tp, ends[tp]) for tp in parts)))
    if writing is not None:
        await writing
    return done


class _Writer:
    """Decodes records; writes batches in order, one at a time."""

    def __init__(self, engine: Engine, empty: bool, scratch: bool) -> None:
        self._engine = engine
        self._scratch = scratch
        self.applied = self.undecodable = 0
        # Into an empty store the inbox's answer is known: the events this
        # replay wrote. A store holding some already is asked, batch by batch.
        self._seen: set[Key] | None = set() if empty else None

    def decode(self, values: Sequence[bytes | None]) -> list[LoggedEvent]:
        events = [e for value in values if (e := read_logged(value)) is not None]
        self.undecodable += len(values) - len(events)
        return events

    def write(self, events: Sequence[LoggedEvent]) -> None:
        with transaction(self._engine) as session:
            seen = (
                self._seen
                if self._seen is not None
                else already_processed(session, CONSUMER, ((e.source, e.event_id) for e in events))
            )
            fresh = []
            for event in events:
                key = (event.source, event.event_id)
                if key not in seen:
                    seen.add(key)
                    fresh.append(event)
            bulk_log.write(session.connection(), CONSUMER, fresh, self._scratch)
        self.applied += len(fresh)


def read_logged(value: bytes | None) -> LoggedEvent | None:
    """What the log keeps of a record; None if it is not JSON, lacks an
    envelope attribute the log keeps, or has a type no service knows (the
    live consumer dead-letters these; a replay counts them)."""
    try:
        head = _read_head(value) if value else None
        text = value.decode() if value else ""
    except (msgspec.DecodeError, ValidationError, ValueError):
        return None
    if head is None or head.type not in EVENT_TYPES:
        return None
    return LoggedEvent(head.source, head.id, head.la, head.type, text)


def _read_head(value: bytes) -> _FastHead:
    """Raises msgspec.DecodeError (not JSON) or pydantic's ValidationError."""
    try:
        return _FAST_HEAD.decode(value)
    except msgspec.ValidationError:
        slow = _Head.model_validate_json(value)
        return _FastHead(str(slow.id), slow.source, slow.type, slow.la)
