"""Consumer positions kept in the service's own database."""

import hashlib

from sqlmodel import Session

from shared.store.tables import ConsumerPosition

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
    row = load(session, consumer, topic, partition)
    if row is None:
        row = ConsumerPosition(
            consumer=consumer,
            topic=topic,
            partition=partition,
            next_offset=next_offset,
            last_sha256=fingerprint(last_value),
        )
    else:
        row.next_offset, row.last_sha256 = next_offset, fingerprint(last_value)
    session.add(row)
