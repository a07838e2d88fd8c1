"""A consumer applies what one poll returned, over every partition, in one
database transaction that also saves each partition's position and records
each event in the inbox; the offsets go to the broker only after it."""

from typing import Any

import pytest
from aiokafka import ConsumerRecord, TopicPartition
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel, select

from shared.db import make_engine
from shared.events.registry import AnyEvent, parse_event
from shared.kafka.consumer import ConsumerMetrics, Decoded, EventConsumer
from shared.store.tables import SHARED_TABLES, ConsumerPosition, ProcessedEvent
from tests.unit.metrics.builders import admitted, left_care

P0, P1 = TopicPartition("journey.v1", 0), TopicPartition("journey.v1", 1)
NAME = "svc.projection"


class Broker:
    """The consumer's side of aiokafka after a poll: the offsets committed."""

    def __init__(self) -> None:
        self.commits: list[dict[TopicPartition, int]] = []

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(dict(offsets))


class DeadLetters:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def send_and_wait(self, topic: str, value: bytes, **_: Any) -> None:
        self.sent.append(value)


def _record(tp: TopicPartition, offset: int, e: AnyEvent) -> ConsumerRecord[bytes, bytes]:
    value = e.model_dump_json().encode()
    return ConsumerRecord(
        tp.topic, tp.partition, offset, 1_700_000_000_000, 0, b"", value, None, 0, len(value), []
    )


@pytest.fixture
def engine(tmp_path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.db'}", "svc")
    SQLModel.metadata.create_all(engine, tables=SHARED_TABLES)
    return engine


def _commits(engine: Engine) -> list[int]:
    counted: list[int] = []
    event.listen(engine, "commit", lambda _: counted.append(1))
    return counted


def _consumer(engine: Engine, handler, dlq: DeadLetters | None = None) -> EventConsumer:
    return EventConsumer(
        NAME,
        ["journey.v1"],
        handler,
        engine,
        "localhost:1",
        dlq,
        ConsumerMetrics(CollectorRegistry()),
    )


def _positions(engine: Engine) -> dict[int, int]:
    with Session(engine) as s:
        return {p.partition: p.next_offset for p in s.exec(select(ConsumerPosition))}


def _inbox(engine: Engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(ProcessedEvent)).all())


def _poll() -> tuple[dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]], list[AnyEvent]]:
    events: list[AnyEvent] = [
        admitted("C1", "2024-05-01"),
        left_care("C1", "2024-06-01"),
        admitted("C2", "2024-05-02"),
    ]
    poll = {
        P0: [_record(P0, 7, events[0]), _record(P0, 8, events[1])],
        P1: [_record(P1, 3, events[2])],
    }
    return poll, events


async def test_one_poll_over_two_partitions_is_one_transaction_then_one_broker_commit(engine):
    seen: list[AnyEvent] = []
    consumer = _consumer(engine, lambda _, e: seen.append(e))
    broker, poll, events = Broker(), *_poll()
    commits = _commits(engine)
    await consumer._handle_poll(broker, poll)
    assert seen == events  # partition by partition, each in its order
    assert len(commits) == 1
    assert _positions(engine) == {0: 9, 1: 4}
    assert _inbox(engine) == 3
    assert broker.commits == [{P0: 9, P1: 4}]


async def test_the_same_poll_read_again_applies_nothing(engine):
    seen: list[AnyEvent] = []
    consumer = _consumer(engine, lambda _, e: seen.append(e))
    broker, poll, _ = Broker(), *_poll()
    await consumer._handle_poll(broker, poll)
    await consumer._handle_poll(broker, poll)
    assert len(seen) == 3
    assert _positions(engine) == {0: 9, 1: 4}
    assert _inbox(engine) == 3


def test_positions_are_not_saved_without_the_events_they_follow(engine):
    """A failure inside the transaction leaves neither inbox rows nor positions."""

    def handler(_: Session, e: AnyEvent) -> None:
        if e.subject == "C2":
            raise RuntimeError("cannot apply")

    consumer = _consumer(engine, handler)
    poll, _ = _poll()
    decoded = [Decoded(r, parse_event(r.value)) for records in poll.values() for r in records]
    with pytest.raises(Exception, match="cannot apply"):
        consumer._apply_in_one_transaction(decoded, [(P0, 9, None), (P1, 4, None)])
    assert _positions(engine) == {}
    assert _inbox(engine) == 0


async def test_an_unprocessable_event_is_dead_lettered_and_the_rest_of_the_poll_applied(engine):
    def handler(_: Session, e: AnyEvent) -> None:
        if e.subject == "C2":
            raise RuntimeError("cannot apply")

    dlq, applied = DeadLetters(), list[AnyEvent]()
    consumer = _consumer(engine, handler, dlq)
    consumer._after_commit = lambda events, _: applied.extend(events)
    broker, poll, events = Broker(), *_poll()
    await consumer._handle_poll(broker, poll)
    assert applied == events[:2]
    assert dlq.sent == [poll[P1][0].value]
    assert _positions(engine) == {0: 9, 1: 4}
    assert broker.commits == [{P0: 9, P1: 4}]


class _LostReply:
    """A COMMIT that takes effect but whose answer never comes back (the
    database crashed, or the connection dropped, in between)."""

    def __init__(self, engine: Engine) -> None:
        self.armed = True
        event.listen(engine, "commit", self._after_commit_sent)

    def _after_commit_sent(self, connection: Any) -> None:
        if self.armed:
            self.armed = False
            connection.connection.commit()  # it reached the database
            raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection"))


async def test_events_a_commit_in_doubt_applied_reach_after_commit_once(engine, monkeypatch):
    """Before, the retry found them in the inbox and counted them as duplicates:
    the metrics projection missed them until the service restarted."""
    monkeypatch.setattr("shared.kafka.consumer.asyncio.sleep", _no_wait)
    folded: list[AnyEvent] = []
    consumer = _consumer(engine, lambda _, e: None)
    consumer._after_commit = lambda events, _: folded.extend(events)
    broker, poll, events = Broker(), *_poll()
    earlier = {P0: poll[P0][:1]}  # the first event, applied and folded before
    await consumer._handle_poll(broker, earlier)
    lost = _LostReply(engine)
    await consumer._handle_poll(broker, poll)  # redelivers the first with the rest
    assert not lost.armed
    assert folded == [events[0], *events[1:]]  # each once: the redelivered one not again
    assert _inbox(engine) == 3 and _positions(engine) == {0: 9, 1: 4}
    await consumer._handle_poll(broker, poll)  # read again later: nothing more
    assert len(folded) == 3


async def _no_wait(_: float) -> None:
    return None
