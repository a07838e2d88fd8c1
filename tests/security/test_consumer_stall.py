"""A broker crash and a restart of the stack must not leave consumers stalled.

The embedded broker keeps nothing: after it dies the relays publish their
history again, and a consumer's saved position can lie past the end of the
refilled log. On the real embedded stack the CLI starts: kill -9 the broker
while events are being posted, stop and start the stack, post one event, and
it is counted within seconds.
"""

import asyncio
import os
import signal
import threading
import uuid

import httpx
import pytest
from prometheus_client import CollectorRegistry
from sqlmodel import Field, Session, SQLModel, select

from shared.db import make_engine, transaction
from shared.events import parse_event
from shared.kafka.client import ensure_topics, start_producer
from shared.kafka.consumer import ConsumerMetrics, EventConsumer
from shared.settings import ServiceSettings
from shared.store import positions
from shared.store.tables import SHARED_TABLES, table_of
from tests.e2e.stack import broker_pid, embedded_stack, poll
from tests.e2e.test_vertical_slice import child, post, value
from tests.unit.shared.builders import admitted

CHILDREN = 30


def post_load(stack, first: int, count: int) -> None:
    for n in range(first, first + count):
        response = post(stack, "referrals", child(n))
        assert response.status_code == 202, response.text


def lag_samples(stack, service: str) -> dict[str, float]:
    text = httpx.get(f"{stack.urls[service]}/metrics", timeout=10).text
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("sufficiency_consumer_lag_messages{")
    }


@pytest.mark.e2e
def test_one_event_after_a_broker_crash_and_a_restart_is_counted_within_seconds(tmp_path):
    with embedded_stack(tmp_path) as stack:
        ports = {n: int(u.rsplit(":", 1)[1]) for n, u in stack.urls.items()}
        broker_port = stack.broker_port
        post_load(stack, 0, CHILDREN // 2)
        assert poll(lambda: value(stack, "children_in_care") == CHILDREN // 2, timeout=60)
        load = threading.Thread(target=post_load, args=(stack, CHILDREN // 2, CHILDREN // 2))
        load.start()
        os.kill(broker_pid(tmp_path), signal.SIGKILL)  # under load
        load.join()
        assert poll(lambda: value(stack, "children_in_care") == CHILDREN, timeout=90)
    with embedded_stack(tmp_path, ports, broker_port) as stack:
        assert post(stack, "referrals", child(CHILDREN)).status_code == 202
        assert poll(lambda: value(stack, "children_in_care") == CHILDREN + 1, timeout=15)
        lags = lag_samples(stack, "metrics")
        assert any('consumer="metrics.projection"' in name for name in lags), lags
        assert poll(lambda: all(v == 0 for v in lag_samples(stack, "metrics").values()))
        ready = httpx.get(f"{stack.urls['metrics']}/readyz", timeout=10).json()
        assert ready["checks"]["consumers"] is True
        assert all(c["lag_messages"] == 0 for c in ready["consumers"].values())


# The same on the real broker without the stack: a consumer whose saved
# positions lie past the end of the log (as after the broker came back with less).


class Seen(SQLModel, table=True):
    __tablename__ = "test_stall_seen"
    id: int | None = Field(default=None, primary_key=True)
    child_id: str


def remember(session: Session, event) -> None:
    session.add(Seen(child_id=event.data.child_id))


@pytest.mark.integration
async def test_a_consumer_past_the_end_of_the_log_reads_it_again_and_reports_lag(broker, tmp_path):
    bootstrap, idempotent = broker
    settings = ServiceSettings(
        kafka_bootstrap_servers=bootstrap, kafka_idempotence=idempotent, data_dir=tmp_path
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.db'}", "svc")
    SQLModel.metadata.create_all(engine, tables=[*SHARED_TABLES, table_of(Seen)])
    topic = f"journey-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic, f"{topic}.dlq"])
    with transaction(engine) as s:  # positions saved against a longer, lost log
        for p in range(settings.kafka_partitions):
            positions.save(s, "test.stall", topic, p, 50, b"a message of the lost log")
    producer = await start_producer(settings)
    for i in range(4):
        value = parse_event(admitted(child=f"S{i}")).model_dump_json().encode()
        await producer.send_and_wait(topic, value, key=f"S{i}".encode())
    registry = CollectorRegistry()
    consumer = EventConsumer(
        "test.stall", [topic], remember, engine, bootstrap, producer, ConsumerMetrics(registry)
    )
    task = asyncio.create_task(consumer.run())
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while len(seen(engine)) < 4 or any(consumer.lag.values()):
            assert asyncio.get_running_loop().time() < deadline, (seen(engine), consumer.lag)
            await asyncio.sleep(0.1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await producer.stop()
    assert sorted(seen(engine)) == ["S0", "S1", "S2", "S3"]
    rewinds = registry.get_sample_value(
        "sufficiency_consumer_log_end_rewinds_total", {"consumer": "test.stall"}
    )
    assert rewinds is not None and rewinds >= 1
    lags = [
        registry.get_sample_value(
            "sufficiency_consumer_lag_messages",
            {"consumer": "test.stall", "topic": topic, "partition": str(p)},
        )
        for p in range(settings.kafka_partitions)
    ]
    assert lags == [0.0] * settings.kafka_partitions
    assert not consumer.stalled(0)


def seen(engine) -> list[str]:
    with Session(engine) as s:
        return [r.child_id for r in s.exec(select(Seen))]
