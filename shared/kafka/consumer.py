"""The consumer base every service uses to apply events to its own store.

For each poll (a batch across every partition it read): decode and validate
every message (failures go to the DLQ), apply the good ones in one database
transaction that also records each (source, id) in the inbox and each
partition's position, commit that, and only then commit the offsets.
A redelivered event finds its inbox row and changes nothing. If one event of
a batch cannot be applied, the batch is redone one event per transaction so
that only the bad one is dead-lettered. Database and broker errors are
transient: the batch is retried, never dead-lettered. A dead-lettered message
is recorded in the inbox too, so a batch read twice (a rebalance before its
position was saved) does not put the same message in the DLQ twice.

After every poll the consumer compares its position in each partition with
the high watermark of its last fetch. A position past the log's end means the
broker lost the log and was refilled with less (the embedded broker keeps
nothing, and Kafka answers such a fetch with no records and no error): the
partition is read again from the start, which the inbox makes harmless. The
difference is exported as lag, and a consumer that is behind without
applying anything for a while is reported stalled (/readyz).
"""

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from prometheus_client import CollectorRegistry, Counter, Gauge
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from shared.db import transaction
from shared.events.registry import AnyEvent, parse_event
from shared.kafka.positions import PositionKeeper
from shared.kafka.topics import dead_letter
from shared.store import positions
from shared.store.inbox import Key, already_processed, record
from shared.store.positions import fingerprint

log = structlog.get_logger()

TRANSIENT = (OperationalError, KafkaError, ConnectionError, TimeoutError)


class Unprocessable(Exception):
    """Raised by a handler for an event that can never be applied."""


Handler = Callable[[Session, AnyEvent], None]
# Reads, in a few queries, the rows a batch's handlers will look up (see shared.store.rows).
Prepare = Callable[[Session, Sequence[AnyEvent]], None]
Position = tuple[TopicPartition, int, bytes | None]  # partition, next offset, last message
# Called with the events a batch applied and, in the same order, when each was
# published (the Kafka record's timestamp, seconds since the epoch).
AfterCommit = Callable[[Sequence[AnyEvent], Sequence[float]], None]


@dataclass(frozen=True)
class Decoded:
    record: ConsumerRecord[bytes, bytes]
    event: AnyEvent

    @cached_property
    def key(self) -> Key:
        """(source, id), worked out once: str(UUID) is slow, and a batch needs it
        several times."""
        return self.event.source, str(self.event.id)

    @property
    def text(self) -> str:
        """The event as JSON text: the message it was decoded from (the decoder
        refuses bytes that are not UTF-8), or, for an event applied without a
        message, the event serialised."""
        if self.record is None or self.record.value is None:
            return self.event.model_dump_json()
        return self.record.value.decode()


# A handler given the decoded message, not only its event: its key and its
# text, for a store that keeps the event as it came instead of serialising it
# again.
MessageHandler = Callable[[Session, Decoded], None]


@dataclass(frozen=True)
class WithMessage:
    handle: MessageHandler


def _raced(exc: IntegrityError) -> bool:
    """Another member of the group applied some of these events first: a
    partition's old owner finishing its batch while the new owner, from the
    saved position, reads the same one. Redone, the batch finds them in the inbox."""
    return "processed_event" in str(exc.orig)


def _dead_letter_key(r: ConsumerRecord[bytes, bytes]) -> Key:
    # The fingerprint keeps a refilled log's new message at an old offset distinct.
    return "dlq", f"{r.topic}:{r.partition}:{r.offset}:{fingerprint(r.value)[:16]}"


class ConsumerMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.events = Counter(
            "sufficiency_consumer_events_total",
            "Events seen by a consumer, by outcome",
            ["consumer", "outcome"],
            registry=registry,
        )
        self.dlq = Counter(
            "sufficiency_dlq_messages_total",
            "Messages sent to a dead-letter topic",
            ["consumer"],
            registry=registry,
        )
        self.lag = Gauge(
            "sufficiency_consumer_lag_messages",
            "Messages in a partition after the consumer's position (high watermark - position)",
            ["consumer", "topic", "partition"],
            registry=registry,
        )
        self.rewinds = Counter(
            "sufficiency_consumer_log_end_rewinds",
            "Times a consumer found its position past the log's end and read it again",
            ["consumer"],
            registry=registry,
        )


class EventConsumer:
    def __init__(
        self,
        name: str,
        topics: list[str],
        handler: Handler | WithMessage,
        engine: Engine,
        bootstrap: str,
        dlq_producer: AIOKafkaProducer,
        metrics: ConsumerMetrics,
        after_commit: AfterCommit | None = None,
        batch_size: int = 500,
        prepare: Prepare | None = None,
        ready_after_catching_up: bool = False,
    ) -> None:
        self.name = name
        # Set for a consumer whose state is in the process's memory: until it
        # has once reached the end of every partition, its answers are partial.
        self.ready_after_catching_up = ready_after_catching_up
        self.caught_up = False
        self._topics = topics
        self._handler = handler
        self._prepare = prepare
        self._engine = engine
        self._bootstrap = bootstrap
        self._dlq = dlq_producer
        self._metrics = metrics
        self._after_commit = after_commit
        self._batch_size = batch_size
        self._consumer: AIOKafkaConsumer | None = None
        self._keeper = PositionKeeper(name, engine)
        # A series at 0 from the start, so an alert on its increase sees the first dead letter.
        metrics.dlq.labels(name)
        self.lag: dict[TopicPartition, int] = {}
        self._progress_at = time.monotonic()
        # Events of a transaction whose commit failed without saying whether it
        # took effect (the connection lost during COMMIT): found in the inbox
        # when the batch is tried again, they were applied by that attempt, and
        # after_commit (the in-memory projection) has yet to see them.
        self._in_doubt: set[Key] = set()

    @property
    def assigned(self) -> bool:
        return bool(self._consumer and self._consumer.assignment())

    def stalled(self, seconds: float) -> bool:
        """Behind, and nothing applied (nor caught up) for `seconds`."""
        return sum(self.lag.values()) > 0 and time.monotonic() - self._progress_at > seconds

    async def run(self) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self.name,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self._batch_size,
            fetch_max_wait_ms=100,
        )
        self._keeper.attach(self._consumer)
        self._consumer.subscribe(self._topics, listener=self._keeper)
        await self._start(self._consumer)
        try:
            while True:
                batch = await self._consumer.getmany(timeout_ms=200)
                if batch:
                    await self._handle_poll(self._consumer, batch)
                    self._progress_at = time.monotonic()
                await self._watch_log_end(self._consumer)
        finally:
            await self._consumer.stop()

    async def _start(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            try:
                await consumer.start()
                return
            except KafkaError as exc:
                log.warning("consumer.start_failed", consumer=self.name, error=repr(exc))
                await asyncio.sleep(1.0)

    async def _handle_poll(
        self,
        consumer: AIOKafkaConsumer,
        batch: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]],
    ) -> None:
        """Apply what one poll returned, every partition in one transaction with
        each partition's position (a transaction per partition cost a commit, an
        inbox query and a broker commit each)."""
        decoded: list[Decoded] = []
        saved: list[Position] = []
        for tp, records in batch.items():  # partition by partition, in the poll's order
            records = await self._keeper.check(tp, records)
            if not records:
                continue
            decoded += [d for r in records if (d := await self._decode(r)) is not None]
            last = records[-1]
            saved.append((tp, last.offset + 1, last.value))
        if not saved:
            return
        await self._retrying(lambda: self.apply(decoded, saved))
        offsets = {tp: next_offset for tp, next_offset, _ in saved}
        try:
            await self._retrying(lambda: consumer.commit(offsets))
        except CommitFailedError:
            # The group rebalanced; the next owner re-reads these and the inbox
            # makes that harmless.
            log.info(
                "consumer.commit_after_rebalance",
                consumer=self.name,
                partitions=sorted(tp.partition for tp in offsets),
            )

    async def _watch_log_end(self, consumer: AIOKafkaConsumer) -> None:
        """Lag per partition; a position past the log's end is read again from the start."""
        assigned = consumer.assignment()
        for tp in list(self.lag):
            if tp not in assigned:
                del self.lag[tp]
        for tp in assigned:
            high = consumer.highwater(tp)
            if high is None:  # no fetch answered yet since the assignment
                continue
            try:  # waits while a reset to the beginning is under way
                position = await asyncio.wait_for(consumer.position(tp), 1.0)
            except TimeoutError:
                continue
            if position > high:
                log.warning(
                    "consumer.past_log_end",
                    consumer=self.name,
                    topic=tp.topic,
                    partition=tp.partition,
                    position=position,
                    high_watermark=high,
                )
                self._metrics.rewinds.labels(self.name).inc()
                self._keeper.forget(tp)
                await consumer.seek_to_beginning(tp)
                position = 0
            self.lag[tp] = high - position
            self._metrics.lag.labels(self.name, tp.topic, str(tp.partition)).set(self.lag[tp])
        if not any(self.lag.values()):
            self._progress_at = time.monotonic()
            if assigned and set(assigned) <= set(self.lag):
                self.caught_up = True

    async def _decode(self, record: ConsumerRecord[bytes, bytes]) -> Decoded | None:
        try:
            if record.value is None:
                raise ValueError("empty message")
            return Decoded(record, parse_event(record.value))
        except (ValidationError, ValueError) as exc:
            await self._dead_letter(record, f"undecodable: {exc}")
            return None

    async def apply(self, decoded: list[Decoded], saved: Sequence[Position] = ()) -> None:
        """Apply a poll's batch; the positions (one per partition it read) are
        saved with the changes."""
        try:
            applied = await asyncio.to_thread(self._apply_in_one_transaction, decoded, saved)
        except Unprocessable:
            applied = []
            for one in decoded:
                try:
                    applied += await asyncio.to_thread(self._apply_in_one_transaction, [one], ())
                except Unprocessable as exc:
                    await self._dead_letter(one.record, f"unprocessable: {exc}")
            await asyncio.to_thread(self._apply_in_one_transaction, [], saved)
        if applied and self._after_commit:
            # By identity: the applied events are these very objects.
            published = {id(d.event): d.record.timestamp / 1000 for d in decoded}
            self._after_commit(applied, [published[id(e)] for e in applied])

    def _apply_in_one_transaction(
        self, decoded: list[Decoded], saved: Sequence[Position] = ()
    ) -> list[AnyEvent]:
        recorded: list[Key] = []  # by this attempt: not those it found already done
        try:
            with transaction(self._engine) as session:
                applied = self._apply_in(session, decoded, saved, recorded)
        except TRANSIENT:
            self._in_doubt.update(recorded)  # its commit may have taken effect
            raise
        self._in_doubt -= {d.key for d in decoded}
        self._metrics.events.labels(self.name, "applied").inc(len(applied))
        return applied

    def _apply_in(
        self,
        session: Session,
        decoded: list[Decoded],
        saved: Sequence[Position],
        recorded: list[Key],
    ) -> list[AnyEvent]:
        """The events applied, and those an attempt in doubt applied (found in
        the inbox now, not yet given to after_commit); `recorded` gets the keys
        this attempt writes to the inbox."""
        for tp, next_offset, last_value in saved:
            positions.save(session, self.name, tp.topic, tp.partition, next_offset, last_value)
        seen = already_processed(session, self.name, (d.key for d in decoded))
        self._prepare_batch(session, [d.event for d in decoded if d.key not in seen])
        applied: list[AnyEvent] = []
        recovered: set[Key] = set()
        for d in decoded:
            if d.key in seen:
                if d.key in self._in_doubt and d.key not in recovered:
                    recovered.add(d.key)
                    applied.append(d.event)
                else:
                    self._metrics.events.labels(self.name, "duplicate").inc()
                continue
            seen.add(d.key)
            try:
                self._apply_one(session, d)
            except TRANSIENT:
                raise
            except Exception as exc:
                raise Unprocessable(repr(exc)) from exc
            record(session, self.name, d.key)
            recorded.append(d.key)
            applied.append(d.event)
        return applied

    def _apply_one(self, session: Session, d: Decoded) -> None:
        if isinstance(self._handler, WithMessage):
            self._handler.handle(session, d)
        else:
            self._handler(session, d.event)

    def _prepare_batch(self, session: Session, events: list[AnyEvent]) -> None:
        if self._prepare is None or not events:
            return
        try:
            self._prepare(session, events)
        except TRANSIENT:
            raise
        except Exception as exc:  # redone event by event: the bad one is dead-lettered
            raise Unprocessable(repr(exc)) from exc

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], error: str) -> None:
        key = _dead_letter_key(record)
        if await asyncio.to_thread(self._dead_lettered_before, key):
            return
        await self._send_to_dlq(record, error)
        await asyncio.to_thread(self._remember_dead_letter, key)

    def _dead_lettered_before(self, key: Key) -> bool:
        with Session(self._engine) as session:
            return bool(already_processed(session, self.name, [key]))

    def _remember_dead_letter(self, key: Key) -> None:
        with transaction(self._engine) as session:
            record(session, self.name, key)

    async def _send_to_dlq(self, record: ConsumerRecord[bytes, bytes], error: str) -> None:
        headers = [
            ("dlq.original.topic", record.topic.encode()),
            ("dlq.original.partition", str(record.partition).encode()),
            ("dlq.original.offset", str(record.offset).encode()),
            ("dlq.consumer", self.name.encode()),
            ("dlq.error", error[:2000].encode()),
        ]
        await self._retrying(
            lambda: self._dlq.send_and_wait(
                dead_letter(record.topic), record.value or b"", key=record.key, headers=headers
            )
        )
        self._metrics.dlq.labels(self.name).inc()
        self._metrics.events.labels(self.name, "dead_lettered").inc()
        log.warning(
            "consumer.dead_lettered",
            consumer=self.name,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error=error[:300],
        )

    async def _retrying(self, step: Callable[[], object]) -> None:
        delay = 0.2
        while True:
            try:
                result = step()
                if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
                    await result
                return
            except CommitFailedError:
                raise
            except IntegrityError as exc:
                if not _raced(exc):
                    raise
                log.info("consumer.applied_elsewhere", consumer=self.name)
                await asyncio.sleep(delay)
            except TRANSIENT as exc:
                log.warning("consumer.transient_error", consumer=self.name, error=repr(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
