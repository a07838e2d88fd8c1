"""The outbox's order rule: a key's rows become visible in seq order (see shared.store.outbox)."""

import threading
import time
import uuid

import pytest
from sqlalchemy import update
from sqlmodel import SQLModel, col, select

from shared.db import make_engine, transaction
from shared.events import parse_event
from shared.store import buffer, inbox, outbox
from shared.store.tables import SHARED_TABLES, ConsumerPosition, OutboxMessage
from tests.unit.shared.builders import admitted


@pytest.fixture
def db(engine):
    SQLModel.metadata.create_all(engine, tables=list(SHARED_TABLES))
    return engine


def test_outbox_rows_wait_for_the_commit_and_go_in_last(db):
    event = parse_event(admitted(child="C1"))
    written: list[str] = []
    from sqlalchemy import event as sa_event

    def watch(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("INSERT INTO"):
            written.append(statement.split()[2].strip('"').lower())

    sa_event.listen(db, "before_cursor_execute", watch)
    try:
        with transaction(db) as s:
            outbox.enqueue(s, "journey.v1", "C1", event)
            inbox.record(s, "c", ("/la/x", "id-1"))
            s.add(
                ConsumerPosition(
                    consumer="c", topic="t", partition=0, next_offset=0, last_sha256=""
                )
            )
            s.flush()
            # A write statement of another table: it might read anything, but not the outbox.
            s.execute(update(ConsumerPosition).values(next_offset=1))
            assert "processed_event" in written and "outbox" not in written
            inbox.record(s, "c", ("/la/x", "id-2"))  # buffered after the outbox row
        assert written[-2:] == ["processed_event", "outbox"]
    finally:
        sa_event.remove(db, "before_cursor_execute", watch)
    with transaction(db) as s:
        assert [r.key for r in outbox.pending(s, 10)] == ["C1"]


def enqueue_and_commit(url: str, schema: str, key: str, done: list[tuple[str, float]]) -> None:
    engine = make_engine(url, schema)
    with transaction(engine) as s:
        outbox.enqueue(s, "journey.v1", key, parse_event(admitted(child=key)))
    done.append((key, time.monotonic()))
    engine.dispose()


def test_on_postgresql_a_keys_next_writer_waits_for_the_commit_of_the_one_before(postgres_url):
    schema = f"t{uuid.uuid4().hex[:10]}"
    engine = make_engine(postgres_url, schema)
    SQLModel.metadata.create_all(engine, tables=list(SHARED_TABLES))
    done: list[tuple[str, float]] = []
    with transaction(engine) as first:
        outbox.enqueue(first, "journey.v1", "K", parse_event(admitted(child="K")))
        buffer.write(first)  # as at its commit: the key's lock taken, the row inserted
        same = threading.Thread(target=enqueue_and_commit, args=(postgres_url, schema, "K", done))
        other = threading.Thread(target=enqueue_and_commit, args=(postgres_url, schema, "L", done))
        same.start()
        other.start()
        other.join(10)
        time.sleep(0.5)
        assert [k for k, _ in done] == ["L"]  # another key does not wait; the same key does
        committed = time.monotonic()
    same.join(10)
    assert [k for k, _ in done] == ["L", "K"] and done[1][1] >= committed
    with transaction(engine) as s:
        rows = s.exec(select(OutboxMessage).where(col(OutboxMessage.key) == "K")).all()
        # the later commit took the higher seq: the relay cannot see them the other way round
        by_creation = [row.seq or 0 for row in sorted(rows, key=lambda row: row.created_at)]
        assert len(rows) == 2 and 0 < by_creation[0] < by_creation[1]
    engine.dispose()
