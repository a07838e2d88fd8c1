"""The metrics service's log of applied events (what the projection folds)."""

from collections.abc import Iterator

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from services.metrics.adapters.tables import MetricsEvent
from shared.events.registry import AnyEvent, parse_event
from shared.store import buffer
from shared.store.tables import ProcessedEvent, table_of


def append(session: Session, event: AnyEvent) -> None:
    buffer.add(
        session,
        table_of(MetricsEvent),
        {
            "source": event.source,
            "event_id": str(event.id),
            "la": event.la,
            "type": event.type,
            "body": event.model_dump_json(),
        },
    )


def read_all(engine: Engine, consumer: str, batch: int = 5000) -> Iterator[list[AnyEvent]]:
    """The logged events `consumer` applied (its inbox holds them), in the log's
    order, in batches. Another replica's consumer may have logged an event this
    one has not reached yet: that event is folded when this one consumes it."""
    last = 0
    while True:
        with Session(engine) as s:
            rows = s.exec(_page(consumer, last, batch)).all()
        if not rows:
            return
        last = rows[-1][0] or last
        yield [parse_event(body) for _, body in rows]


def _page(consumer: str, after: int, batch: int) -> Select[int | None, str]:
    """A page of the log in its order, each row kept if the inbox holds it.

    Written as EXISTS rather than a join so that the log's order drives the
    query: SQLite without statistics planned the join from the inbox's side,
    scanning the consumer's whole inbox and sorting it for every page
    (quadratic: a national projection took three times as long to load)."""
    applied = (
        select(ProcessedEvent.event_id)
        .where(
            col(ProcessedEvent.consumer) == consumer,
            col(ProcessedEvent.source) == col(MetricsEvent.source),
            col(ProcessedEvent.event_id) == col(MetricsEvent.event_id),
        )
        .exists()
    )
    return (
        select(col(MetricsEvent.seq), MetricsEvent.body)
        .where(col(MetricsEvent.seq) > after, applied)
        .order_by(col(MetricsEvent.seq))
        .limit(batch)
    )


def count(engine: Engine) -> int:
    from sqlalchemy import func

    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(MetricsEvent)).one())
