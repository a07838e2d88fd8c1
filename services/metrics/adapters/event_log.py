"""The metrics service's log of applied events (what the projection folds)."""

from array import array
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Select, func, select
from sqlmodel import Session

from services.metrics.adapters.tables import MetricsEvent
from shared.events.registry import AnyEvent, parse_event
from shared.kafka.consumer import Decoded
from shared.store import buffer
from shared.store.tables import ProcessedEvent, table_of


def append(session: Session, event: AnyEvent) -> None:
    _add(session, event, str(event.id), event.model_dump_json())


def append_message(session: Session, message: Decoded) -> None:
    """The consumer's handler: the message's own text is logged, not the event
    serialised again. The log is only read back by parsing it (read_all),
    which gives the same event from either (as a replay's log already holds
    its messages' text); the publishers' messages are that serialisation."""
    _add(session, message.event, message.key[1], message.text)


def _add(session: Session, event: AnyEvent, event_id: str, body: str) -> None:
    buffer.add(
        session,
        table_of(MetricsEvent),
        {
            "source": event.source,
            "event_id": event_id,
            "la": event.la,
            "type": event.type,
            "body": body,
        },
    )


def read_all(engine: Engine, consumer: str, batch: int = 5000) -> Iterator[list[AnyEvent]]:
    """The logged events `consumer` applied (its inbox holds them), in the log's
    order, in batches. Another replica's consumer may have logged an event this
    one has not reached yet: that event is folded when this one consumes it.

    Called before this replica's consumer starts, so its inbox stands still.
    The log is read by its own key alone; the few logged events the inbox
    lacks are found first, by one anti-join over the whole log. A join in
    every page let the planners (without statistics on SQLite, with
    misestimates on PostgreSQL) scan the whole inbox for each page: the
    national projection loaded three (SQLite) to ten (PostgreSQL) times
    slower. All of it in one snapshot: on PostgreSQL a sequence's numbers
    are not committed in their order, so a page read later could hold a row
    the anti-join did not see."""
    with _snapshot(engine) as connection:
        top = connection.scalar(select(func.max(table_of(MetricsEvent).c.seq))) or 0
        unapplied = _unapplied(connection, consumer, top)
        last = 0
        while last < top:
            rows = connection.execute(_page(last, top, batch)).all()
            if not rows:
                return
            last = rows[-1][0]
            yield [parse_event(body) for seq, body in rows if not unapplied.holds(seq)]


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees one state of the store throughout.
    SQLite serialises its writers, so there a row of the log committed after
    the highest seq was read has a higher seq (and every page stops there)."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


class _Sorted:
    """Seqs in ascending order, asked about in ascending order."""

    def __init__(self, seqs: list[int]) -> None:
        self._seqs = array("q", sorted(seqs))  # 8 bytes each, if a new replica's inbox is empty
        self._next = 0

    def holds(self, seq: int) -> bool:
        while self._next < len(self._seqs) and self._seqs[self._next] < seq:
            self._next += 1
        return self._next < len(self._seqs) and self._seqs[self._next] == seq


def _unapplied(connection: Connection, consumer: str, top: int) -> _Sorted:
    return _Sorted(list(connection.scalars(_unapplied_query(consumer, top))))


def _unapplied_query(consumer: str, top: int) -> Select[int]:
    """The log's rows up to `top` that the consumer's inbox lacks; unordered,
    so that SQLite may walk the log's (source, event_id) index beside the inbox's key."""
    log, inbox = table_of(MetricsEvent), table_of(ProcessedEvent)
    held = (
        select(inbox.c.event_id)
        .where(
            inbox.c.consumer == consumer,
            inbox.c.source == log.c.source,
            inbox.c.event_id == log.c.event_id,
        )
        .exists()
    )
    return select(log.c.seq).where(log.c.seq <= top, ~held)


def _page(after: int, top: int, batch: int) -> Select[int, str]:
    log = table_of(MetricsEvent)
    return (
        select(log.c.seq, log.c.body)
        .where(log.c.seq > after, log.c.seq <= top)
        .order_by(log.c.seq)
        .limit(batch)
    )


def count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table_of(MetricsEvent))) or 0)
