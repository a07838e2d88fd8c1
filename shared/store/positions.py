"""Consumer positions kept in the service's own database."""

import hashlib

from sqlmodel import Session

from shared.db import insert_for
from shared.store.tables import ConsumerPosition, table_of

__all__ = ["ConsumerPosition", "fingerprint", "load", "save"]


def fingerprint(value: bytes | None) -> str:
    return hashlib.sha256(value or b"").hexdigest()


def load(session: Session, consumer: str, topic: str, partition: int) -> ConsumerPosition | None:
    return session.get(ConsumerPosition, (consumer, topic, partition))


def save(
    session: Session,
    consumer: str,
    topic: str,
    partition: int,
    next_offset: int,
    last_value: bytes | None,
) -> None:
    """One upsert: reading the row into the ORM and flushing it back cost a
    query and a flush per batch a consumer applied."""
    table = table_of(ConsumerPosition)
    connection = session.connection()
    values = {"next_offset": next_offset, "last_sha256": fingerprint(last_value)}
    stmt = (
        insert_for(connection, table)
        .values(consumer=consumer, topic=topic, partition=partition, **values)
        .on_conflict_do_update(index_elements=["consumer", "topic", "partition"], set_=values)
    )
    connection.execute(stmt)
