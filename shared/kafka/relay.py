"""The outbox relay: publishes what the service committed, in commit order.

A 202 from a service means the event is in its outbox. The relay sends the
outbox to Kafka and marks rows with the offset the broker gave them. If the
broker comes back without the log it had (the embedded broker keeps nothing
across a restart), the relay notices that offsets it recorded no longer exist
and publishes that topic's history again; consumers dedupe on (source, id).
"""

import asyncio
import contextlib

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy import Engine

from shared.db import transaction
from shared.store import outbox
from shared.store.tables import OutboxMessage

log = structlog.get_logger()


class OutboxRelay:
    def __init__(
        self,
        engine: Engine,
        producer: AIOKafkaProducer,
        bootstrap: str,
        registry: CollectorRegistry,
        poll_seconds: float = 0.05,
        batch_size: int = 1000,
    ) -> None:
        self._engine = engine
        self._producer = producer
        self._bootstrap = bootstrap
        self._poll = poll_seconds
        self._batch = batch_size
        self._wake = asyncio.Event()
        self._published = Counter(
            "sufficiency_outbox_published_total",
            "Events relayed from the outbox to Kafka",
            registry=registry,
        )
        self._backlog = Gauge(
            "sufficiency_outbox_backlog",
            "Outbox rows not yet acknowledged by the broker",
            registry=registry,
        )
        self._backlog.set_function(self.backlog)

    def backlog(self) -> int:
        with transaction(self._engine) as s:
            return outbox.backlog(s)

    def notify(self) -> None:
        """Wake the relay now (called after a commit that enqueued events)."""
        self._wake.set()

    async def run(self) -> None:
        await self.reconcile()
        while True:
            try:
                sent = await self.publish_pending()
            except Exception as exc:  # broker down: keep the rows, try again
                log.warning("outbox.publish_failed", error=repr(exc))
                await asyncio.sleep(1.0)
                await self._reconcile_quietly()
                continue
            if sent == 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll)

    async def publish_pending(self) -> int:
        rows = await asyncio.to_thread(self._pending)
        if not rows:
            return 0
        futures = [
            await self._producer.send(r.topic, r.value.encode(), key=r.key.encode()) for r in rows
        ]
        acks = await asyncio.gather(*futures)
        placed = [
            (r.seq, md.partition, md.offset)
            for r, md in zip(rows, acks, strict=True)
            if r.seq is not None
        ]
        await asyncio.to_thread(self._mark, placed)
        self._published.inc(len(placed))
        return len(placed)

    def _pending(self) -> list[OutboxMessage]:
        with transaction(self._engine) as s:
            return list(outbox.pending(s, self._batch))

    def _mark(self, placed: list[tuple[int, int, int]]) -> None:
        with transaction(self._engine) as s:
            outbox.mark_published(s, placed)

    async def _reconcile_quietly(self) -> None:
        try:
            await self.reconcile()
        except Exception as exc:
            log.warning("outbox.reconcile_failed", error=repr(exc))

    async def reconcile(self) -> None:
        """Republish any topic whose log the broker no longer has.

        The last message recorded per partition is fetched and compared byte
        for byte: end offsets are not trusted (the embedded broker undercounts
        them when a batch held several records).
        """
        recorded = await asyncio.to_thread(self._recorded_offsets)
        if not recorded:
            return
        probe = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, enable_auto_commit=False)
        await probe.start()
        try:
            for topic, offsets in recorded.items():
                if not await self._log_intact(probe, topic, offsets):
                    count = await asyncio.to_thread(self._republish, topic)
                    log.warning("outbox.broker_lost_log", topic=topic, republishing=count)
        finally:
            await probe.stop()

    async def _log_intact(
        self, probe: AIOKafkaConsumer, topic: str, offsets: dict[int, int]
    ) -> bool:
        parts = [TopicPartition(topic, p) for p in offsets]
        probe.assign(parts)
        for tp in parts:
            probe.seek(tp, offsets[tp.partition])
        found: dict[TopicPartition, bytes | None] = {}
        deadline = asyncio.get_running_loop().time() + 5.0
        while len(found) < len(parts) and asyncio.get_running_loop().time() < deadline:
            for tp, records in (await probe.getmany(timeout_ms=500)).items():
                first = next((r for r in records if r.offset == offsets[tp.partition]), None)
                if first is not None:
                    found.setdefault(tp, first.value)
            if found.keys() >= set(parts):
                break
        expected = await asyncio.to_thread(self._recorded_values, topic, offsets)
        return all(found.get(tp) == expected.get(tp.partition) for tp in parts)

    def _recorded_values(self, topic: str, offsets: dict[int, int]) -> dict[int, bytes]:
        with transaction(self._engine) as s:
            return {
                p: v.encode()
                for p, o in offsets.items()
                if (v := outbox.value_at(s, topic, p, o)) is not None
            }

    def _recorded_offsets(self) -> dict[str, dict[int, int]]:
        with transaction(self._engine) as s:
            return {t: o for t in outbox.topics(s) if (o := outbox.highest_offsets(s, t))}

    def _republish(self, topic: str) -> int:
        with transaction(self._engine) as s:
            return outbox.republish_topic(s, topic)
