"""Rebuilding the metrics store from the topics (a fresh store, then compare and swap).

Reads journey and supply topics from the beginning up to the end offsets seen
at the start, with no consumer group, and applies every event through the same
inbox and log as the live consumer, so the rebuilt store is what the service
would have built.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError
from sqlalchemy import Engine

from services.metrics.adapters import event_log
from shared.db import transaction
from shared.events.registry import parse_event
from shared.kafka.topics import JOURNEY, SUPPLY
from shared.store.inbox import already_processed, record

CONSUMER = "metrics.projection"
Progress = Callable[[int, int], None]  # (events done, events in all)


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
    bootstrap: str, engine: Engine, progress: Progress, batch: int = 5000
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
        return await _drain(consumer, engine, parts, progress)
    finally:
        await consumer.stop()


async def _drain(
    consumer: AIOKafkaConsumer, engine: Engine, parts: list[TopicPartition], progress: Progress
) -> ReplayResult:
    """Read each partition up to the high watermark its first fetch reported.

    Fetch responses carry the true high watermark; ListOffsets on the embedded
    broker undercounts partitions whose last batch held several records.
    """
    started = time.perf_counter()
    done = applied = bad = 0
    ends = await consumer.end_offsets(parts)
    remaining = {tp for tp in parts if ends[tp] > 0}
    targets: dict[TopicPartition, int] = {}
    while remaining:
        fetched = await consumer.getmany(*remaining, timeout_ms=1000)
        for tp, records in fetched.items():
            target = targets.setdefault(tp, consumer.highwater(tp) or ends[tp])
            wanted = [r for r in records if r.offset < target]
            added, undecodable = await asyncio.to_thread(
                _apply, engine, [r.value for r in wanted if r.value]
            )
            applied, bad, done = applied + added, bad + undecodable, done + len(wanted)
            if await consumer.position(tp) >= target:
                remaining.discard(tp)
        progress(done, max(done, sum(targets.get(tp, ends[tp]) for tp in parts)))
    return ReplayResult(done, applied, bad, time.perf_counter() - started)


def _apply(engine: Engine, values: list[bytes]) -> tuple[int, int]:
    events, bad = [], 0
    for value in values:
        try:
            events.append(parse_event(value))
        except (ValidationError, ValueError):
            bad += 1  # the live consumer dead-letters these; a replay only counts them
    with transaction(engine) as session:
        seen = already_processed(session, CONSUMER, ((e.source, str(e.id)) for e in events))
        applied = 0
        for event in events:
            key = (event.source, str(event.id))
            if key not in seen:
                seen.add(key)
                record(session, CONSUMER, key)
                event_log.append(session, event)
                applied += 1
    return applied, bad
