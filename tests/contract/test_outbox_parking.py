"""Parking an outbox row the broker refused for good, on every backend."""

import pytest
from sqlmodel import Session, SQLModel, select

from shared.db import transaction
from shared.store import outbox
from shared.store.tables import SHARED_TABLES, ParkedMessage


@pytest.fixture
def db(engine):
    SQLModel.metadata.create_all(engine, tables=list(SHARED_TABLES))
    return engine


def test_a_parked_row_leaves_the_outbox_with_its_error_and_the_rest_keep_their_order(db):
    with transaction(db) as s:
        for key in ("A", "B", "C"):
            outbox.enqueue_raw(s, "journey.v1", key, f"value {key}")
    with transaction(db) as s:
        a, b, _ = outbox.pending(s, 10)
        outbox.mark_published(s, [(a.seq, 0, 0)])
        outbox.park(s, [(b.seq, "MessageSizeTooLargeError()")])
    with transaction(db) as s:
        assert [r.key for r in outbox.pending(s, 10)] == ["C"]
        assert outbox.backlog(s) == 1
        assert outbox.parked_count(s) == 1
    with Session(db) as s:
        [parked] = s.exec(select(ParkedMessage)).all()
    assert (parked.seq, parked.key, parked.value) == (b.seq, "B", "value B")
    assert parked.error == "MessageSizeTooLargeError()"
    assert parked.created_at is not None and parked.parked_at is not None


def test_parking_nothing_changes_nothing(db):
    with transaction(db) as s:
        outbox.enqueue_raw(s, "journey.v1", "A", "value A")
    with transaction(db) as s:
        outbox.park(s, [])
    with transaction(db) as s:
        assert outbox.backlog(s) == 1 and outbox.parked_count(s) == 0
