"""The journey as the flow model needs it: each child's category over time."""

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from services.forecast.adapters.tables import CareState
from shared.codes.categories import PlacementCategory, category_of
from shared.events import journey as j
from shared.events.registry import AnyEvent
from shared.store import buffer
from shared.store.tables import table_of

OUT = "out"


def record(session: Session, event: AnyEvent) -> None:
    """Keep the state changes a journey event makes (others are ignored)."""
    match event:
        case j.ChildAdmitted():
            _add(session, event, event.data.child_id, event.data.date, PlacementCategory.OTHER)
        case j.PlacementStarted():
            _add(
                session,
                event,
                event.data.child_id,
                event.data.date,
                category_of(event.data.placement_type),
            )
        case j.ChildLeftCare():
            _add(session, event, event.data.child_id, event.data.date, OUT)
        case j.JourneyEventRetracted():
            _remove(session, event.data.event)


def _state_of(event: j.RetractableEvent) -> tuple[str, date, str] | None:
    match event:
        case j.ChildAdmitted():
            return event.data.child_id, event.data.date, str(PlacementCategory.OTHER)
        case j.PlacementStarted():
            category = category_of(event.data.placement_type)
            return event.data.child_id, event.data.date, str(category)
        case j.ChildLeftCare():
            return event.data.child_id, event.data.date, OUT
    return None


def _remove(session: Session, event: j.RetractableEvent) -> None:
    """Drop the state change a retracted event recorded (one row: a corrected
    event of the same day and state may have recorded its own)."""
    said = _state_of(event)
    if said is None:
        return
    child, day, state = said
    row = session.exec(
        select(CareState)
        .where(
            CareState.la == event.la,
            CareState.child_id == child,
            CareState.day == day,
            CareState.state == state,
        )
        .order_by(col(CareState.id))
    ).first()
    if row is not None:
        session.delete(row)


def _add(session: Session, event: AnyEvent, child_id: str, day: date, state: str) -> None:
    buffer.add(
        session,
        table_of(CareState),
        {"la": event.la, "child_id": child_id, "day": day, "at": event.time, "state": str(state)},
    )


def timelines(engine: Engine, la: str) -> dict[str, list[tuple[date, datetime, str]]]:
    with Session(engine) as s:
        rows = s.exec(
            select(CareState)
            .where(CareState.la == la)
            .order_by(col(CareState.day), col(CareState.at))
        )
        out: dict[str, list[tuple[date, datetime, str]]] = defaultdict(list)
        for r in rows:
            out[r.child_id].append((r.day, r.at, r.state))
        return out
