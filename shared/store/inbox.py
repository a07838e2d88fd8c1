"""The consumer inbox: applying an event at most once per consumer."""

from sqlmodel import Session

from shared.store.tables import ProcessedEvent


def first_time(session: Session, consumer: str, source: str, event_id: str) -> bool:
    """Record the event as processed; False if this consumer already applied it."""
    if session.get(ProcessedEvent, (consumer, source, event_id)) is not None:
        return False
    session.add(ProcessedEvent(consumer=consumer, source=source, event_id=event_id))
    session.flush()
    return True
