"""The Kafka adapter against a real broker: inbox, DLQ, outbox relay."""

import asyncio
import json
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from prometheus_client import CollectorRegistry
from sqlmodel import Field, Session, SQLModel, col, select

from shared.db import make_engine, transaction
from shared.events import parse_event
from shared.kafka.client import ensure_topics, start_producer
from shared.kafka.consumer import ConsumerMetrics, EventConsumer
from shared.kafka.relay import OutboxRelay
from shared.settings import ServiceSettings
from shared.store import outbox
from shared.store.tables import SHARED_TABLES, ConsumerPosition, table_of
from tests.unit.shared.builders import admitted

pytestmark = pytest.mark.integration


class Seen(SQLModel, table=True):
    __tablename__ = "test_seen"
    id: int | None = Field(default=None, primary_key=True)
    child_id: str


@pytest.fixture
def settings(broker, tmp_path):
    bootstrap, idempotent = broker
    return ServiceSettings(
        kafka_bootstrap_servers=bootstrap, kafka_idempotence=idempotent, data_dir=tmp_path
    )


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.db'}", "svc")
    SQLModel.metadata.create_all(engine, tables=[*SHARED_TABLES, table_of(Seen)])
    return engine


def record(session: Session, event) -> None:
    if event.data.child_id == "BOOM":
        raise ValueError("cannot apply")
    session.add(Seen(child_id=event.data.child_id))


def consumer_of(name, settings, engine, producer, topic, metrics=None) -> EventConsumer:
    metrics = metrics or ConsumerMetrics(CollectorRegistry())
    return EventConsumer(
        name, [topic], record, engine, settings.kafka_bootstrap_servers, producer, metrics
    )


async def consume_until(consumer: EventConsumer, condition, timeout: float = 30.0) -> None:
    task = asyncio.create_task(consumer.run())
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
            await asyncio.sleep(0.1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def seen(db) -> list[str]:
    with Session(db) as s:
        return [r.child_id for r in s.exec(select(Seen).order_by(col(Seen.id)))]


async def read_all(bootstrap: str, topic: str, expected: int, timeout: float = 20.0):
    c = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=f"reader-{uuid.uuid4()}",
    )
    await c.start()
    out: list[str] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(out) < expected and asyncio.get_running_loop().time() < deadline:
            for records in (await c.getmany(timeout_ms=300)).values():
                out += records
    finally:
        await c.stop()
    return out


async def test_redelivered_events_change_nothing_and_poison_goes_to_the_dlq(settings, db):
    topic = f"journey-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic, f"{topic}.dlq"])
    producer = await start_producer(settings)
    good = parse_event(admitted(child="C1"))
    for value in (
        good.model_dump_json().encode(),
        good.model_dump_json().encode(),
        b"{not json",
        parse_event(admitted(child="BOOM")).model_dump_json().encode(),
    ):
        await producer.send_and_wait(topic, value, key=b"k")
    metrics = ConsumerMetrics(CollectorRegistry())
    consumer = consumer_of("test.consumer", settings, db, producer, topic, metrics)

    dead = []

    async def watch_dlq():
        dead.extend(await read_all(settings.kafka_bootstrap_servers, f"{topic}.dlq", 2))

    watcher = asyncio.create_task(watch_dlq())
    await consume_until(consumer, lambda: len(dead) >= 2 or watcher.done())
    await watcher
    await producer.stop()

    assert seen(db) == ["C1"]  # the duplicate changed nothing
    assert len(dead) == 2
    headers = {k: v.decode() for k, v in dead[0].headers}
    assert headers["dlq.original.topic"] == topic
    assert headers["dlq.original.offset"] == "2"
    assert headers["dlq.original.partition"].isdigit()
    assert "undecodable" in headers["dlq.error"]
    assert "unprocessable" in dict(dead[1].headers)["dlq.error"].decode()


def positions_saved(db) -> int:
    with Session(db) as s:
        return len(s.exec(select(ConsumerPosition)).all())


async def test_a_batch_read_again_does_not_dead_letter_its_poison_twice(settings, db):
    topic = f"journey-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic, f"{topic}.dlq"])
    producer = await start_producer(settings)
    for value in (b"{not json", parse_event(admitted(child="BOOM")).model_dump_json().encode()):
        await producer.send_and_wait(topic, value, key=b"k")
    for _ in range(2):  # the second pass has lost its position, as after a rebalance
        with transaction(db) as s:
            for row in s.exec(select(ConsumerPosition)).all():
                s.delete(row)
        consumer = consumer_of("test.consumer", settings, db, producer, topic)
        await consume_until(consumer, lambda: positions_saved(db) == 1)
    dead = await read_all(settings.kafka_bootstrap_servers, f"{topic}.dlq", 3, timeout=5.0)
    await producer.stop()
    assert [dict(d.headers)["dlq.original.offset"] for d in dead] == [b"0", b"1"]


async def test_outbox_rows_written_while_the_broker_is_unreachable_are_published_later(
    settings, db
):
    topic = f"journey-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic])
    with transaction(db) as s:  # accepted while no relay runs: durable in the outbox
        for i in range(3):
            outbox.enqueue(s, topic, f"C{i}", parse_event(admitted(child=f"C{i}")))
    producer = await start_producer(settings)
    relay = OutboxRelay(db, producer, settings.kafka_bootstrap_servers, CollectorRegistry())
    task = asyncio.create_task(relay.run())
    records = await read_all(settings.kafka_bootstrap_servers, topic, 3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await producer.stop()
    assert sorted(json.loads(r.value)["data"]["child_id"] for r in records) == ["C0", "C1", "C2"]
    assert relay.backlog() == 0


async def test_relay_republishes_when_the_broker_lost_its_log(settings, db):
    topic = f"journey-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic])
    with transaction(db) as s:
        outbox.enqueue(s, topic, "C1", parse_event(admitted(child="C1")))
        s.flush()
        [row] = outbox.pending(s, 1)
        # As if acknowledged at an offset the (restarted, empty) broker never had.
        outbox.mark_published(s, [(row.seq, 0, 41)])
    producer = await start_producer(settings)
    relay = OutboxRelay(db, producer, settings.kafka_bootstrap_servers, CollectorRegistry())
    await relay.reconcile()
    assert relay.backlog() == 1
    assert await relay.publish_pending() == 1
    await producer.stop()


async def test_a_fresh_store_reads_the_whole_history_even_if_its_group_has_offsets(
    settings, db, tmp_path
):
    topic = f"journey-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic, f"{topic}.dlq"])
    producer = await start_producer(settings)
    for i in range(3):
        await producer.send_and_wait(
            topic,
            parse_event(admitted(child=f"C{i}")).model_dump_json().encode(),
            key=f"C{i}".encode(),
        )
    metrics = ConsumerMetrics(CollectorRegistry())
    first = consumer_of("test.same-group", settings, db, producer, topic, metrics)
    await consume_until(first, lambda: len(seen(db)) == 3)

    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}", "svc")
    SQLModel.metadata.create_all(fresh, tables=[*SHARED_TABLES, table_of(Seen)])
    again = consumer_of("test.same-group", settings, fresh, producer, topic, metrics)
    await consume_until(again, lambda: len(seen(fresh)) == 3)
    await producer.stop()
    assert sorted(seen(fresh)) == ["C0", "C1", "C2"]


async def test_a_consumer_notices_a_log_that_is_not_the_one_it_read(settings, db):
    topic = f"journey-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic, f"{topic}.dlq"])
    producer = await start_producer(settings)
    with transaction(db) as s:
        # As if this consumer had applied offset 0 of a log whose first message differs.
        from shared.store import positions

        for p in range(settings.kafka_partitions):
            positions.save(s, "test.rewind", topic, p, 1, b"another log")
    for i in range(4):
        await producer.send_and_wait(
            topic,
            parse_event(admitted(child=f"R{i}")).model_dump_json().encode(),
            key=f"R{i}".encode(),
        )
    consumer = consumer_of("test.rewind", settings, db, producer, topic)
    await consume_until(consumer, lambda: len(seen(db)) == 4)
    await producer.stop()
    assert sorted(seen(db)) == ["R0", "R1", "R2", "R3"]


async def test_an_intact_log_written_in_one_batch_is_not_republished(settings, db):
    topic = f"journey-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic])
    with transaction(db) as s:
        for i in range(5):  # same key: one partition, one record batch
            outbox.enqueue(
                s, topic, "C1", parse_event(admitted(child="C1", date=f"2024-05-0{i + 1}"))
            )
    producer = await start_producer(settings)
    relay = OutboxRelay(db, producer, settings.kafka_bootstrap_servers, CollectorRegistry())
    assert await relay.publish_pending() == 5
    await relay.reconcile()
    await producer.stop()
    assert relay.backlog() == 0
