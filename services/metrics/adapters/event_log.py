"""The metrics service's log of applied events (what the projection folds)."""

from collections.abc import Iterator

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from services.metrics.adapters.tables import MetricsEvent
from shared.events.registry import AnyEvent, parse_event
from shared.store import buffer
from shared.store.tables import table_of


def append(session: Session, event: AnyEvent) -> None:
    buffer.add(
        session,
        table_of(MetricsEvent),
        {"la": event.la, "type": event.type, "body": event.model_dump_json()},
    )


def read_all(engine: Engine, batch: int = 5000) -> Iterator[list[AnyEvent]]:
    """Every logged event in applied order, in batches."""
    last = 0
    while True:
        with Session(engine) as s:
            rows = s.exec(
                select(MetricsEvent)
                .where(col(MetricsEvent.seq) > last)
                .order_by(col(MetricsEvent.seq))
                .limit(batch)
            ).all()
        if not rows:
            return
        last = rows[-1].seq or last
        yield [parse_event(r.body) for r in rows]


def count(engine: Engine) -> int:
    from sqlalchemy import func

    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(MetricsEvent)).one())
