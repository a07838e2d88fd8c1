"""The relay keeps every row after a transient broker error (unit level: a fake
producer; the parking of refused rows is tested against the real broker in
tests/security/test_relay_parking.py)."""

import asyncio

import pytest
from aiokafka.errors import KafkaConnectionError
from aiokafka.structs import RecordMetadata, TopicPartition
from prometheus_client import CollectorRegistry
from sqlmodel import SQLModel

from shared.db import make_engine, transaction
from shared.kafka.relay import OutboxRelay
from shared.store import outbox
from shared.store.tables import SHARED_TABLES


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.db'}", "svc")
    SQLModel.metadata.create_all(engine, tables=SHARED_TABLES)
    return engine


class FlakyBroker:
    """A producer whose first answer is a lost connection (unit-level fake)."""

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, topic: str, value: bytes, key: bytes) -> "asyncio.Future[object]":
        self.calls += 1
        answer: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        if self.calls == 1:
            answer.set_exception(KafkaConnectionError("broker went away"))
        else:
            tp = TopicPartition(topic, 0)
            answer.set_result(RecordMetadata(topic, 0, tp, self.calls, -1, 0, 0))
        return answer


async def test_a_transient_error_parks_nothing_and_is_retried(db):
    with transaction(db) as s:
        for v in ["a", "b"]:
            outbox.enqueue_raw(s, "journey.v1", "same-key", v)
    registry = CollectorRegistry()
    relay = OutboxRelay(db, FlakyBroker(), "unused:9092", registry)
    with pytest.raises(KafkaConnectionError):
        await relay.publish_pending()
    assert relay.backlog() == 2 and relay.parked() == 0
    assert await relay.publish_pending() == 2
    assert relay.backlog() == 0 and relay.parked() == 0
    assert registry.get_sample_value("sufficiency_outbox_parked_total") == 0
