"""The metrics service's log of applied events (what the projection folds)."""

from collections.abc import Iterator

from sqlalchemy import Engine, and_
from sqlmodel import Session, col, select

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
            rows = s.exec(
                select(MetricsEvent.seq, MetricsEvent.body)
                .join(
                    ProcessedEvent,
                    and_(
                        col(ProcessedEvent.consumer) == consumer,
                        col(ProcessedEvent.event_id) == col(MetricsEvent.event_id),
                        col(ProcessedEvent.source) == col(MetricsEvent.source),
                    ),
                )
                .where(col(MetricsEvent.seq) > last)
                .order_by(col(MetricsEvent.seq))
                .limit(batch)
            ).all()
        if not rows:
            return
        last = rows[-1][0] or last
        yield [parse_event(body) for _, body in rows]


def count(engine: Engine) -> int:
    from sqlalchemy import func

    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(MetricsEvent)).one())
