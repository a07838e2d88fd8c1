"""The outbox relay: publishes what the service committed, in commit order.

A 202 from a service means the event is in its outbox. The relay sends the
outbox to Kafka and marks rows with the offset the broker gave them. If the
broker comes back without the log it had (the embedded broker keeps nothing
across a restart), the relay notices that offsets it recorded no longer exist
and publishes that topic's history again; consumers dedupe on (source, id).

A row the broker refuses for good (too large, an invalid topic: errors about
the message itself, which no retry can cure) is parked: moved to the
`outbox_parked` table, logged and counted, and the rows after it go on in
order. Any other error (the broker down, a timeout) keeps every row from the
first failure on, and the relay tries again.

Replicas: only the replica leading its service's "outbox-relay" duty publishes
(shared.leadership); the others wait for the lease. One publisher rather than
several sharing rows with `FOR UPDATE SKIP LOCKED`: two relays taking
alternate batches would send a key's later row before its earlier one, and
ordering per key (per partition) is what the consumers rely on. A replica
that takes the duty over reconciles first, as after a broker failure: the
previous leader's last sends may have reached the broker without their
offsets being written, and those rows are sent again (consumers dedupe).

Order on PostgreSQL: seq is taken when a row is inserted, and transactions
commit in any order, so a row with a lower seq can become visible after a
higher one was published. It is still published: the relay reads every row
not yet published, in seq order, not "after the last seq sent". Order within
a key (the only order consumers see) holds because the writers of one key
are serialised before they write its outbox rows (see shared.store.outbox).
"""

import asyncio
import contextlib
from collections.abc import Callable

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import (
    CorruptRecordException,
    InvalidMessageError,
    InvalidTimestampError,
    InvalidTopicError,
    MessageSizeTooLargeError,
    PolicyViolationError,
    RecordListTooLargeError,
    RecordTooLargeError,
    UnsupportedForMessageFormatError,
)
from aiokafka.structs import RecordMetadata
from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy import Engine

from shared.db import transaction
from shared.store import outbox

log = structlog.get_logger()

# Refusals of the message itself: sending it again would fail again.
PERMANENT = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    RecordListTooLargeError,
    InvalidTopicError,
    CorruptRecordException,
    InvalidMessageError,
    InvalidTimestampError,
    UnsupportedForMessageFormatError,
    PolicyViolationError,
)


class OutboxRelay:
    def __init__(
        self,
        engine: Engine,
        producer: AIOKafkaProducer,
        bootstrap: str,
        registry: CollectorRegistry,
        poll_seconds: float = 0.05,
        batch_size: int = 1000,
        leads: Callable[[], bool] = lambda: True,
    ) -> None:
        self._engine = engine
        self._producer = producer
        self._bootstrap = bootstrap
        self._poll = poll_seconds
        self._batch = batch_size
        self._leads = leads
        self._leading = False
        self._wake = asyncio.Event()
        # The broker may have lost its log: reconcile before publishing (at start,
        # and retried until it succeeds, so a broker that fails then stops nothing).
        self._suspect = True
        self._highest: dict[tuple[str, int], int] = {}  # offsets acknowledged so far
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
        self._parked = Counter(
            "sufficiency_outbox_parked",
            "Outbox rows the broker refused for good, moved to outbox_parked",
            registry=registry,
        )
        self._parked_now = Gauge(
            "sufficiency_outbox_parked_messages",
            "Rows in outbox_parked now (refused by the broker, awaiting an operator)",
            registry=registry,
        )
        self._parked_now.set_function(self.parked)

    def backlog(self) -> int:
        with transaction(self._engine) as s:
            return outbox.backlog(s)

    def parked(self) -> int:
        with transaction(self._engine) as s:
            return outbox.parked_count(s)

    def notify(self) -> None:
        """Wake the relay now (called after a commit that enqueued events)."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            if not self._still_leading():
                await asyncio.sleep(self._poll)
                continue
            # After a failure the broker may come back without its log: check
            # before publishing anything, or the new rows' offsets would make
            # the lost log look intact and the history would never be sent.
            if self._suspect and not await self._reconcile_quietly():
                await asyncio.sleep(1.0)
                continue
            # Cleared before the read: a commit after it sets it again, so a batch
            # smaller than the limit means nothing is left but what a wake announces
            # (reading again to find the outbox empty cost a query per request).
            self._wake.clear()
            try:
                sent = await self.publish_pending()
            except Exception as exc:  # broker down: keep the rows, try again
                log.warning("outbox.publish_failed", error=repr(exc))
                self._suspect = True
                await asyncio.sleep(1.0)
                continue
            if sent < self._batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll)

    def _still_leading(self) -> bool:
        leading = self._leads()
        if leading and not self._leading:
            log.info("outbox.leading")
            self._suspect = True  # another relay published meanwhile: check the log first
        self._leading = leading
        return leading

    async def publish_pending(self) -> int:
        """Publish a batch of rows; returns how many were placed or parked."""
        rows = await asyncio.to_thread(self._pending)
        if not rows:
            return 0
        futures = [await self._send(r) for r in rows]
        acks = await asyncio.gather(*futures, return_exceptions=True)
        placed: list[tuple[int, int, int]] = []
        refused: list[tuple[int, str]] = []
        failure: BaseException | None = None
        for row, ack in zip(rows, acks, strict=True):
            if isinstance(ack, PERMANENT):
                refused.append((row.seq, repr(ack)))
                self._log_parked(row, ack)
            elif isinstance(ack, BaseException):
                failure = ack  # transient: this row and the rest are sent again
                break
            else:
                placed.append((row.seq, ack.partition, ack.offset))
                self._watch_offsets(row, ack)
        await asyncio.to_thread(self._settle, placed, refused)
        self._published.inc(len(placed))
        self._parked.inc(len(refused))
        if failure is not None:
            raise failure
        return len(placed) + len(refused)

    async def _send(self, row: outbox.Pending) -> "asyncio.Future[RecordMetadata]":
        """The broker's answer to come; a refusal raised at once (aiokafka checks
        max_request_size before sending) becomes an answer like the broker's."""
        try:
            return await self._producer.send(row.topic, row.value.encode(), key=row.key.encode())
        except PERMANENT as exc:
            refused: asyncio.Future[RecordMetadata] = asyncio.get_running_loop().create_future()
            refused.set_exception(exc)
            return refused

    def _log_parked(self, row: outbox.Pending, error: BaseException) -> None:
        log.error(
            "outbox.parked",
            seq=row.seq,
            topic=row.topic,
            key=row.key,
            bytes=len(row.value.encode()),
            error=repr(error),
        )

    def _pending(self) -> list[outbox.Pending]:
        with transaction(self._engine) as s:
            return outbox.pending(s, self._batch)

    def _settle(self, placed: list[tuple[int, int, int]], refused: list[tuple[int, str]]) -> None:
        with transaction(self._engine) as s:
            outbox.mark_published(s, placed)
            outbox.park(s, refused)

    async def _reconcile_quietly(self) -> bool:
        try:
            await self.reconcile()
        except Exception as exc:
            log.warning("outbox.reconcile_failed", error=repr(exc))
            return False
        self._suspect = False
        self._highest.clear()  # a republished log starts its offsets again
        return True

    def _watch_offsets(self, row: outbox.Pending, ack: RecordMetadata) -> None:
        """An offset at or below one already acknowledged: the broker restarted
        empty while the relay was idle (the producer reconnects silently)."""
        key = (row.topic, ack.partition)
        if ack.offset <= self._highest.get(key, -1):
            self._suspect = True
        self._highest[key] = ack.offset

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
