"""One message the broker refuses must not stop the outbox (real broker)."""

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from prometheus_client import CollectorRegistry
from sqlmodel import Session, SQLModel, select

from shared.db import make_engine, transaction
from shared.kafka.client import ensure_topics, start_producer
from shared.kafka.relay import OutboxRelay
from shared.settings import ServiceSettings
from shared.store import outbox
from shared.store.tables import SHARED_TABLES, OutboxMessage, ParkedMessage

pytestmark = pytest.mark.integration

TOO_LARGE = "x" * 1_200_000  # over the producer's max_request_size and the broker's 1 MiB


@pytest.fixture
def settings(broker, tmp_path):
    bootstrap, idempotent = broker
    return ServiceSettings(
        kafka_bootstrap_servers=bootstrap, kafka_idempotence=idempotent, data_dir=tmp_path
    )


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.db'}", "svc")
    SQLModel.metadata.create_all(engine, tables=SHARED_TABLES)
    return engine


def enqueue(db, topic: str, values: list[str]) -> None:
    with transaction(db) as s:
        for v in values:
            outbox.enqueue_raw(s, topic, "same-key", v)


async def read_values(bootstrap: str, topic: str, expected: int) -> list[str]:
    reader = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await reader.start()
    out: list[str] = []
    try:
        deadline = asyncio.get_running_loop().time() + 20
        while len(out) < expected and asyncio.get_running_loop().time() < deadline:
            for records in (await reader.getmany(timeout_ms=300)).values():
                out += [r.value.decode() for r in records if r.value is not None]
    finally:
        await reader.stop()
    return out


def sample(registry: CollectorRegistry, name: str) -> float | None:
    return registry.get_sample_value(name)


async def test_a_message_the_broker_refuses_is_parked_and_the_rest_go_on_in_order(settings, db):
    topic = f"parking-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic])
    enqueue(db, topic, ["first", TOO_LARGE, "second", "third"])
    producer = await start_producer(settings)
    registry = CollectorRegistry()
    relay = OutboxRelay(db, producer, settings.kafka_bootstrap_servers, registry)
    task = asyncio.create_task(relay.run())
    try:
        deadline = asyncio.get_running_loop().time() + 20
        while relay.backlog() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
        assert relay.backlog() == 0  # not wedged: everything published or parked
        values = await read_values(settings.kafka_bootstrap_servers, topic, 3)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await producer.stop()
    assert values == ["first", "second", "third"]
    with Session(db) as s:
        [parked] = s.exec(select(ParkedMessage)).all()
        assert s.exec(select(OutboxMessage).where(OutboxMessage.value == TOO_LARGE)).first() is None
    assert (parked.topic, parked.value) == (topic, TOO_LARGE)
    assert "MessageSizeTooLarge" in parked.error
    assert sample(registry, "sufficiency_outbox_parked_messages") == 1
    assert sample(registry, "sufficiency_outbox_parked_total") == 1
    assert sample(registry, "sufficiency_outbox_published_total") == 3
