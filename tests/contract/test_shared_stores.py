"""One suite over every database backend: outbox, inbox and ingest log."""

import pytest
from sqlmodel import SQLModel

from shared.db import transaction
from shared.events import ChildAdmitted, parse_event
from shared.store import outbox
from shared.store.inbox import already_processed, record
from shared.store.tables import SHARED_TABLES
from tests.unit.shared.builders import admitted


@pytest.fixture
def db(engine):
    SQLModel.metadata.create_all(engine, tables=list(SHARED_TABLES))
    return engine


def test_outbox_keeps_commit_order_and_records_offsets(db):
    events = [ChildAdmitted.model_validate(admitted(child=f"C{i}")) for i in range(5)]
    with transaction(db) as s:
        for e in events:
            outbox.enqueue(s, "journey.v1", e.data.child_id, e)
    with transaction(db) as s:
        rows = outbox.pending(s, 10)
        assert [r.key for r in rows] == [f"C{i}" for i in range(5)]
        outbox.mark_published(s, [(r.seq, 0, i) for i, r in enumerate(rows[:3])])
    with transaction(db) as s:
        assert [r.key for r in outbox.pending(s, 10)] == ["C3", "C4"]
        assert outbox.highest_offsets(s, "journey.v1") == {0: 2}
        assert outbox.backlog(s) == 2


def test_republishing_a_lost_topic_requeues_its_history_in_order(db):
    e = parse_event(admitted())
    with transaction(db) as s:
        outbox.enqueue(s, "journey.v1", "C1", e)
        outbox.enqueue(s, "supply.v1", "H1", e)
    with transaction(db) as s:
        outbox.mark_published(s, [(r.seq, 0, 0) for r in outbox.pending(s, 10)])
    with transaction(db) as s:
        assert outbox.republish_topic(s, "journey.v1") == 1
    with transaction(db) as s:
        assert [r.topic for r in outbox.pending(s, 10)] == ["journey.v1"]


def first_time(s, consumer: str, source: str, event_id: str) -> bool:
    """As the consumer does it: look the event up, record it if new."""
    if already_processed(s, consumer, [(source, event_id)]):
        return False
    record(s, consumer, (source, event_id))
    return True


def test_inbox_applies_an_event_once_per_consumer(db):
    with transaction(db) as s:
        assert first_time(s, "metrics.journey", "/la/x", "id-1")
    with transaction(db) as s:
        assert not first_time(s, "metrics.journey", "/la/x", "id-1")
        assert first_time(s, "vacancies.journey", "/la/x", "id-1")
        assert first_time(s, "metrics.journey", "/la/other", "id-1")


def test_buffered_rows_are_written_once_before_a_query_that_may_read_them(db):
    from sqlalchemy import event as sa_event
    from sqlmodel import select

    from shared.store.tables import ConsumerPosition, IngestedEvent, OutboxMessage, ProcessedEvent

    inserts: list[str] = []

    def count(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
            inserts.append(statement)

    sa_event.listen(db, "before_cursor_execute", count)
    try:
        with transaction(db) as s:
            for i in range(3):
                e = parse_event(admitted(child=f"C{i}"))
                outbox.enqueue(s, "journey.v1", f"C{i}", e)
                s.add(
                    ConsumerPosition(
                        consumer="c", topic="t", partition=i, next_offset=1, last_sha256=""
                    )
                )
                s.exec(
                    select(ProcessedEvent)
                ).all()  # another table (and an ORM flush): no write yet
                s.exec(select(IngestedEvent)).all()
            assert inserts == []
            assert len(s.exec(select(OutboxMessage)).all()) == 3  # read-your-writes
            assert len(inserts) == 1  # all three rows in one executemany
    finally:
        sa_event.remove(db, "before_cursor_execute", count)
