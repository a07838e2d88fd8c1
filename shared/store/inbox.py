"""The consumer inbox: applying an event at most once per consumer."""

from collections.abc import Iterable

from sqlmodel import Session, col, select

from shared.store import buffer
from shared.store.tables import ProcessedEvent, table_of, utcnow

Key = tuple[str, str]  # (source, event id)


def already_processed(session: Session, consumer: str, keys: Iterable[Key]) -> set[Key]:
    """Which of these events the consumer has applied before (one query per 500)."""
    wanted = list(set(keys))
    seen: set[Key] = set()
    for i in range(0, len(wanted), 500):
        ids = [event_id for _, event_id in wanted[i : i + 500]]
        stmt = select(ProcessedEvent.source, ProcessedEvent.event_id).where(
            col(ProcessedEvent.consumer) == consumer, col(ProcessedEvent.event_id).in_(ids)
        )
        seen |= {(s, e) for s, e in session.exec(stmt)}
    return seen & set(wanted)


def record(session: Session, consumer: str, key: Key) -> None:
    buffer.add(
        session,
        table_of(ProcessedEvent),
        {"consumer": consumer, "source": key[0], "event_id": key[1], "processed_at": utcnow()},
    )
