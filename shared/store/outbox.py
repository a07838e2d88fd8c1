"""Writing to and reading from the transactional outbox.

The order rule (PostgreSQL): a key's outbox rows must become visible in seq
order, or the relay could publish a key's later event before its earlier one.
seq is taken at insert, and concurrent transactions commit in any order, so
the rows are inserted at commit, last, after the transaction takes a
transaction-scoped advisory lock per (topic, key) it writes, all in one
statement in key order (no deadlock between writers: each then only inserts
and commits). The next writer of the same key waits for that commit, so it
takes a higher seq and commits later. Writers of different keys do not wait
for each other. A row of another key with a lower seq may still commit after a
higher one was published: the relay reads every unpublished row each round,
so it is published then. SQLite has one writer at a time: commit order is seq
order already.
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, func, insert, text, update
from sqlmodel import Session, col, select

from shared.events.envelope import Envelope
from shared.store import buffer
from shared.store.tables import OutboxMessage, ParkedMessage, table_of, utcnow


def _key_lock(topic: str, key: str) -> int:
    digest = hashlib.sha256(f"outbox/{topic}/{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _serialise_keys(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if connection.dialect.name != "postgresql":
        return
    keys = sorted({_key_lock(r["topic"], r["key"]) for r in rows})
    connection.execute(
        text(
            "SELECT count(pg_advisory_xact_lock(k)) FROM "
            "(SELECT k FROM unnest(CAST(:keys AS bigint[])) AS k ORDER BY k) AS ordered"
        ),
        {"keys": keys},
    )


buffer.write_at_commit(table_of(OutboxMessage), _serialise_keys)


def enqueue(session: Session, topic: str, key: str, event: Envelope) -> None:
    enqueue_raw(session, topic, key, event.model_dump_json())


def enqueue_raw(session: Session, topic: str, key: str, value: str) -> None:
    buffer.add(
        session,
        table_of(OutboxMessage),
        {"topic": topic, "key": key, "value": value, "created_at": utcnow(), "published": False},
    )


class Pending(NamedTuple):
    """An unpublished outbox row: read as a tuple (an ORM object per row cost the
    relay more than its query)."""

    seq: int
    topic: str
    key: str
    value: str


def pending(session: Session, limit: int) -> list[Pending]:
    # Columns, not the entity: a buffered outbox row is still written before it.
    stmt = (
        select(OutboxMessage.seq, OutboxMessage.topic, OutboxMessage.key, OutboxMessage.value)
        .where(col(OutboxMessage.published).is_(False))
        .order_by(col(OutboxMessage.seq))
        .limit(limit)
    )
    return [Pending(*row) for row in session.exec(stmt)]


def mark_published(session: Session, placed: Sequence[tuple[int, int, int]]) -> None:
    """`placed` is (seq, partition, offset) as the broker acknowledged them."""
    if not placed:
        return
    table = table_of(OutboxMessage)
    # One executemany: a statement per row cost more than publishing the rows.
    stmt = (
        update(table)
        .where(table.c.seq == bindparam("b_seq"))
        .values(published=True, partition=bindparam("b_partition"), offset=bindparam("b_offset"))
    )
    session.connection().execute(
        stmt, [{"b_seq": s, "b_partition": p, "b_offset": o} for s, p, o in placed]
    )


def park(session: Session, refused: Sequence[tuple[int, str]]) -> None:
    """Move rows the broker refused for good, (seq, error), to the parked table."""
    if not refused:
        return
    errors = dict(refused)
    rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.seq).in_(errors))).all()
    moved = [
        {
            "seq": r.seq,
            "topic": r.topic,
            "key": r.key,
            "value": r.value,
            "created_at": r.created_at,
            "parked_at": utcnow(),
            "error": errors[r.seq],
        }
        for r in rows
        if r.seq is not None
    ]
    if moved:
        session.connection().execute(insert(table_of(ParkedMessage)), moved)
    session.connection().execute(
        delete(table_of(OutboxMessage)).where(table_of(OutboxMessage).c.seq.in_(list(errors)))
    )


def parked_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(ParkedMessage)).one())


def highest_offsets(session: Session, topic: str) -> dict[int, int]:
    """The highest offset the broker gave this service per partition of a topic."""
    stmt = (
        select(OutboxMessage.partition, func.max(OutboxMessage.offset))
        .where(col(OutboxMessage.topic) == topic, col(OutboxMessage.published).is_(True))
        .group_by(col(OutboxMessage.partition))
    )
    return {int(p): int(o) for p, o in session.exec(stmt).all() if p is not None and o is not None}


def republish_topic(session: Session, topic: str) -> int:
    """Mark a topic's whole history unpublished again (the broker lost it)."""
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.topic) == topic)
        .values(published=False, partition=None, offset=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def backlog(session: Session) -> int:
    stmt = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(col(OutboxMessage.published).is_(False))
    )
    return int(session.exec(stmt).one())


def topics(session: Session) -> list[str]:
    return list(session.exec(select(OutboxMessage.topic).distinct()).all())


def value_at(session: Session, topic: str, partition: int, offset: int) -> str | None:
    """The value this service published at a topic, partition and offset."""
    stmt = select(OutboxMessage.value).where(
        col(OutboxMessage.topic) == topic,
        col(OutboxMessage.partition) == partition,
        col(OutboxMessage.offset) == offset,
    )
    return session.exec(stmt).first()


def oldest_pending_at(session: Session) -> datetime | None:
    """When the oldest row not yet acknowledged by the broker was written (UTC)."""
    stmt = select(func.min(OutboxMessage.created_at)).where(col(OutboxMessage.published).is_(False))
    oldest = session.exec(stmt).one()
    if oldest is None:
        return None
    # SQLite (and a timestamp column without a zone) gives it back naive; it was written in UTC.
    return oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
