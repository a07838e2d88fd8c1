"""Two members of one consumer group applying the same batch at once (a
partition's old owner finishing while the new owner reads it from the saved
position): the second to commit finds the inbox row, redoes its batch, and the
event counts once. PostgreSQL only: replicas need it."""

import asyncio
import threading
import time
import uuid

from prometheus_client import CollectorRegistry
from sqlalchemy import text
from sqlmodel import Session, SQLModel, func, select

from shared.db import make_engine, transaction
from shared.kafka.consumer import ConsumerMetrics, Decoded, EventConsumer
from shared.store import buffer
from shared.store.inbox import record
from shared.store.tables import SHARED_TABLES, ProcessedEvent
from tests.unit.metrics.builders import admitted

NAME = "svc.shared"


def blocked_on_a_lock(engine) -> bool:
    with engine.connect() as conn:
        waiting = conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        ).scalar_one()
    return bool(waiting)


async def test_the_member_that_commits_second_redoes_its_batch_as_duplicates(postgres_url):
    engine = make_engine(postgres_url, schema=f"race{uuid.uuid4().hex[:8]}")
    SQLModel.metadata.create_all(engine, tables=SHARED_TABLES)
    handled: list[str] = []
    consumer = EventConsumer(
        NAME,
        [],
        lambda session, event: handled.append(str(event.id)),
        engine,
        "unused:9092",
        None,  # no dead letters here
        ConsumerMetrics(CollectorRegistry()),
    )
    event = admitted("C1", "2024-05-01")
    first_owner_may_commit = threading.Event()

    def first_owner() -> None:
        with transaction(engine) as session:
            record(session, NAME, (event.source, str(event.id)))
            buffer.write(session)  # its inbox row is in, not yet committed
            first_owner_may_commit.wait(30)

    owner = threading.Thread(target=first_owner)
    owner.start()
    second = asyncio.create_task(consumer._retrying(lambda: consumer.apply([Decoded(None, event)])))
    deadline = time.monotonic() + 30
    while not blocked_on_a_lock(engine):  # the second member waits on the inbox row
        assert time.monotonic() < deadline and not second.done()
        await asyncio.sleep(0.05)
    first_owner_may_commit.set()
    await asyncio.wait_for(second, 30)
    owner.join()

    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(ProcessedEvent)).one() == 1
    events = consumer._metrics.events
    assert events.labels(NAME, "duplicate")._value.get() == 1
    assert events.labels(NAME, "applied")._value.get() == 0
    assert handled == [str(event.id)]  # its first try, rolled back
    engine.dispose()
