"""Loading and saving the journey state the rules work on.

A batch's rows are loaded once (`prefetch`, three IN queries) into a cache
kept on the session, so checking and applying a thousand events costs no
query per event and one flush at commit.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlmodel import Session, SQLModel, col, select

from services.referrals.adapters.tables import ChildRow, PlacementRow, ReferralRow
from services.referrals.domain.journey_rules import ChildState, PlacementState, ReferralState
from shared.events.journey import (
    ChildLeftCare,
    JourneyEvent,
    PlacementEnded,
    PlacementStarted,
    ReferralClosed,
    ReferralReceived,
)
from shared.events.registry import parse_journey
from shared.store.tables import IngestedEvent

Row = TypeVar("Row", ChildRow, PlacementRow, ReferralRow)


@dataclass
class _Cache:
    rows: dict[tuple[type[SQLModel], str, str], SQLModel | None] = field(default_factory=dict)


def _cache(s: Session) -> _Cache:
    cache: _Cache = s.info.setdefault("journey_cache", _Cache())
    return cache


def _get(s: Session, model: type[Row], la: str, key: str) -> Row | None:
    rows = _cache(s).rows
    if (model, la, key) not in rows:
        rows[(model, la, key)] = s.get(model, (la, key))
    return rows[(model, la, key)]  # type: ignore[return-value]


def _put(s: Session, model: type[Row], la: str, key: str, row: Row) -> None:
    _cache(s).rows[(model, la, key)] = row
    s.add(row)


def prefetch(s: Session, events: Iterable[JourneyEvent]) -> None:
    """Load every child, placement and referral a batch names, in three queries."""
    wanted: dict[type[SQLModel], set[tuple[str, str]]] = {
        ChildRow: set(),
        PlacementRow: set(),
        ReferralRow: set(),
    }
    for e in events:
        for model, attr in (
            (ChildRow, "child_id"),
            (PlacementRow, "placement_id"),
            (ReferralRow, "referral_id"),
        ):
            if (value := getattr(e.data, attr, None)) is not None:
                wanted[model].add((e.la, value))
    rows = _cache(s).rows
    for model, key_column in (
        (ChildRow, ChildRow.child_id),
        (PlacementRow, PlacementRow.placement_id),
        (ReferralRow, ReferralRow.referral_id),
    ):
        keys = {k for k in wanted[model] if (model, *k) not in rows}
        for la in {la for la, _ in keys}:
            ids = [k for l_, k in keys if l_ == la]
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                stmt = select(model).where(col(model.la) == la, col(key_column).in_(chunk))
                for row in s.exec(stmt):
                    rows[(model, la, getattr(row, key_column.key))] = row  # type: ignore[attr-defined]
        for la, k in keys:
            rows.setdefault((model, la, k), None)


def load_child(s: Session, la: str, child_id: str) -> ChildState | None:
    row = _get(s, ChildRow, la, child_id)
    if row is None:
        return None
    return ChildState(
        row.child_id,
        row.in_care,
        row.period_start,
        row.left_care_on,
        row.last_date,
        row.open_placement_id,
        row.open_placement_start,
    )


def save_child(s: Session, la: str, state: ChildState) -> None:
    row = _get(s, ChildRow, la, state.child_id) or ChildRow(
        la=la, child_id=state.child_id, in_care=state.in_care, last_date=state.last_date
    )
    for name in (
        "in_care",
        "period_start",
        "left_care_on",
        "last_date",
        "open_placement_id",
        "open_placement_start",
    ):
        setattr(row, name, getattr(state, name))
    _put(s, ChildRow, la, state.child_id, row)


def load_placement(s: Session, la: str, placement_id: str) -> PlacementState | None:
    row = _get(s, PlacementRow, la, placement_id)
    if row is None:
        return None
    return PlacementState(row.placement_id, row.child_id, row.start, row.end, row.end_reported)


def load_referral(s: Session, la: str, referral_id: str) -> ReferralState | None:
    row = _get(s, ReferralRow, la, referral_id)
    return (
        None
        if row is None
        else ReferralState(row.referral_id, row.child_id, row.received, row.closed)
    )


def record_placements(s: Session, la: str, before: ChildState | None, event: JourneyEvent) -> None:
    """Placement and referral rows after an accepted event."""
    match event:
        case PlacementStarted():
            if before and before.open_placement_id:
                _close(s, la, before.open_placement_id, event.data.date, reported=False)
            placement = PlacementRow(
                la=la,
                placement_id=event.data.placement_id,
                child_id=event.data.child_id,
                start=event.data.date,
            )
            _put(s, PlacementRow, la, event.data.placement_id, placement)
        case PlacementEnded():
            _close(s, la, event.data.placement_id, event.data.date, reported=True)
        case ChildLeftCare():
            if before and before.open_placement_id:
                _close(s, la, before.open_placement_id, event.data.date, reported=True)
        case ReferralReceived():
            referral = ReferralRow(
                la=la,
                referral_id=event.data.referral_id,
                child_id=event.data.child_id,
                received=event.data.date,
                urgency=event.data.urgency,
                placement_sought=event.data.placement_sought,
            )
            _put(s, ReferralRow, la, event.data.referral_id, referral)
        case ReferralClosed():
            row = _get(s, ReferralRow, la, event.data.referral_id)
            if row is not None:
                row.closed, row.outcome = event.data.date, event.data.outcome


def _close(s: Session, la: str, placement_id: str, day: date, reported: bool) -> None:
    row = _get(s, PlacementRow, la, placement_id)
    if row is not None:
        row.end, row.end_reported = day, reported


def child_of_referral(s: Session, la: str, referral_id: str) -> str | None:
    row = _get(s, ReferralRow, la, referral_id)
    return None if row is None else row.child_id


def child_events(s: Session, la: str, child_id: str) -> list[JourneyEvent]:
    """Every event stored about a child (retractions too), in the order received."""
    prefetched: dict[tuple[str, str], list[JourneyEvent]] = s.info.get("journey_events", {})
    if (la, child_id) in prefetched:
        return prefetched[(la, child_id)]
    stmt = (
        select(IngestedEvent.body)
        .where(IngestedEvent.la == la, IngestedEvent.key == child_id)
        .order_by(col(IngestedEvent.received_at))
    )
    return [parse_journey(json.loads(body)) for body in s.exec(stmt)]


def prefetch_child_events(s: Session, la: str, children: Iterable[str]) -> None:
    """Load the stored events of many children (a batch being revised) in few queries."""
    found: dict[tuple[str, str], list[JourneyEvent]] = s.info.setdefault("journey_events", {})
    ids = sorted(set(children))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for c in chunk:
            found[(la, c)] = []
        stmt = (
            select(IngestedEvent.key, IngestedEvent.body)
            .where(IngestedEvent.la == la, col(IngestedEvent.key).in_(chunk))
            .order_by(col(IngestedEvent.received_at))
        )
        for key, body in s.exec(stmt):
            found[(la, key)].append(parse_journey(json.loads(body)))


def forget_child(s: Session, la: str, child_id: str) -> None:
    """Delete a child's state (child, placements, referrals) before replaying its history.

    The deletes are flushed at once so that the replay may add rows with the
    same keys in this transaction.
    """
    rows = _cache(s).rows
    doomed: list[SQLModel] = []
    for model, key_column in (
        (PlacementRow, PlacementRow.placement_id),
        (ReferralRow, ReferralRow.referral_id),
    ):
        stmt = select(model).where(col(model.la) == la, col(model.child_id) == child_id)
        for row in s.exec(stmt):
            doomed.append(row)
            rows[(model, la, getattr(row, key_column.key))] = None  # type: ignore[attr-defined]
    child = _get(s, ChildRow, la, child_id)
    if child is not None:
        doomed.append(child)
    rows[(ChildRow, la, child_id)] = None
    for row in doomed:
        s.delete(row)
    s.flush()
