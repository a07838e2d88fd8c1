"""Replaying the topics into a fresh store, on the real broker and both databases."""

import asyncio
import json
import re
import uuid
from datetime import date
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import Engine, func, inspect, select
from sqlmodel import col

from services.metrics.adapters.tables import MetricsEvent
from services.metrics.service_layer.compare import load_state
from services.metrics.service_layer.replay import CONSUMER, replay
from services.metrics.settings import MetricsSettings
from shared.kafka.client import ensure_topics
from shared.kafka.topics import JOURNEY
from shared.migrations import upgrade
from shared.settings import ServiceSettings
from shared.store.tables import ProcessedEvent
from tests.unit.shared.builders import admitted

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "metrics" / "migrations"


def _for_la(raw: dict[str, object], la: str) -> dict[str, object]:
    return raw | {"la": la, "source": f"/la/{la}/lcs"}


async def _publish(bootstrap: str, values: list[bytes]) -> None:
    await ensure_topics(ServiceSettings(kafka_bootstrap_servers=bootstrap), [JOURNEY])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(JOURNEY, value, key=b"replay-test")
    finally:
        await producer.stop()


def _count(engine: Engine, column, value: str) -> int:
    with engine.connect() as c:
        return int(c.scalar(select(func.count()).where(column == value)) or 0)


def _inbox(engine: Engine, la: str) -> set[str]:
    with engine.connect() as c:
        return set(
            c.scalars(
                select(col(ProcessedEvent.event_id)).where(
                    col(ProcessedEvent.consumer) == CONSUMER,
                    col(ProcessedEvent.source) == f"/la/{la}/lcs",
                )
            )
        )


def _indexes(engine: Engine, table: str) -> list[dict[str, object]]:
    return list(inspect(engine).get_indexes(table))  # type: ignore[arg-type]


def test_replay_logs_each_event_once_and_the_fold_counts_them(broker, engine, tmp_path) -> None:
    bootstrap, _ = broker
    # An LA no other test writes to: the topics are shared by the session's tests.
    la = f"E99{uuid.uuid4().int % 10**6:06d}"
    events = [_for_la(admitted(f"R{i}", "2024-05-01"), la) for i in range(3)]
    duplicate = events[1]
    unknown_type = _for_la(admitted("R9"), la) | {"type": "child.teleported.v1"}
    values = [json.dumps(e).encode() for e in [*events, duplicate, unknown_type]]
    asyncio.run(_publish(bootstrap, [*values, b"not json at all"]))
    upgrade(engine, MIGRATIONS)

    result = asyncio.run(replay(bootstrap, engine, lambda done, total: None))

    assert result.undecodable >= 2
    assert _count(engine, MetricsEvent.la, la) == 3
    assert _inbox(engine, la) == {e["id"] for e in events}
    # The indexes and the inbox's key left out during the bulk load are there again.
    found = {ix["name"] for t in ("metrics_event", "processed_event") for ix in _indexes(engine, t)}
    assert {"ix_metrics_event_la", "ix_processed_consumer_event_source"} <= found
    key = inspect(engine).get_pk_constraint("processed_event")["constrained_columns"]
    assert key == ["consumer", "source", "event_id"]
    # Into a store that holds them, a second replay adds only what is new.
    late = _for_la(admitted("R3", "2024-05-01"), la)
    asyncio.run(_publish(bootstrap, [json.dumps(late).encode()]))
    assert asyncio.run(replay(bootstrap, engine, lambda done, total: None)).applied == 1
    assert _count(engine, MetricsEvent.la, la) == 4
    assert _inbox(engine, la) == {e["id"] for e in [*events, late]}
    if engine.dialect.name == "sqlite":  # stored as SQLAlchemy stores it for the live consumer
        with engine.connect() as c:
            stamps = list(c.exec_driver_sql("SELECT processed_at FROM processed_event").scalars())
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", s) for s in stamps)
    state = load_state(engine, MetricsSettings(data_dir=tmp_path))
    in_care = next(
        i.value
        for i in state.live.indicators(la, date(2024, 6, 1))
        if i.name == "children_in_care" and not i.breakdown
    )
    assert in_care == 4
