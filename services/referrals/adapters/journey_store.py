"""Loading and saving the journey state the rules work on.

A batch's rows are loaded once (`prefetch`, three IN queries) into a cache
kept on the session, so checking and applying a thousand events costs no
query per event. The rows are plain column values, not ORM objects: building
and flushing an ORM object per changed row cost more than the rules. New and
changed rows are written with one executemany per table and kind (insert,
update) at commit, after the ingest log and the outbox (the outbox's per-key
locks on PostgreSQL are taken first, as when these rows were ORM objects
flushed at commit), or before a query that may read them.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col
from sqlmodel import select as orm_select

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
from shared.store import buffer
from shared.store.tables import IngestedEvent, table_of

CHILD, PLACEMENT, REFERRAL = table_of(ChildRow), table_of(PlacementRow), table_of(ReferralRow)
# Each table's key besides the LA.
_KEY_COLUMN = {CHILD: "child_id", PLACEMENT: "placement_id", REFERRAL: "referral_id"}
_CHUNK = 500
Values = dict[str, Any]  # a row's columns by name, as the table's insert takes them


@dataclass
class _Row:
    values: Values
    stored: bool  # a row with this key is in the table (update it, not insert)


@dataclass
class _Cache:
    rows: dict[tuple[Table, str, str], _Row | None] = field(default_factory=dict)
    changed: dict[tuple[Table, str, str], _Row] = field(default_factory=dict)


def _cache(s: OrmSession) -> _Cache:
    cache: _Cache = s.info.setdefault("journey_cache", _Cache())
    return cache


def _get(s: Session, table: Table, la: str, key: str) -> Values | None:
    rows = _cache(s).rows
    if (table, la, key) not in rows:
        _read(s, table, la, [key])
    row = rows[(table, la, key)]
    return None if row is None else row.values


def _put(s: Session, table: Table, la: str, key: str, values: Values) -> None:
    """A new row, or new values of a row."""
    cache = _cache(s)
    kept = cache.rows.get((table, la, key))
    row = _Row(values, stored=kept is not None and kept.stored)
    cache.rows[(table, la, key)] = cache.changed[(table, la, key)] = row


def _change(s: Session, table: Table, la: str, key: str, **values: Any) -> None:
    current = _get(s, table, la, key)
    if current is not None:
        _put(s, table, la, key, {**current, **values})


def _read(s: Session, table: Table, la: str, keys: list[str]) -> None:
    rows = _cache(s).rows
    key_column = table.c[_KEY_COLUMN[table]]
    connection = s.connection()
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        stmt = select(table).where(table.c.la == la, key_column.in_(chunk))
        for found in connection.execute(stmt).mappings():
            rows[(table, la, found[key_column.key])] = _Row(dict(found), stored=True)
        for key in chunk:
            rows.setdefault((table, la, key), None)


def prefetch(s: Session, events: Iterable[JourneyEvent]) -> None:
    """Load every child, placement and referral a batch names, in three queries."""
    wanted: dict[Table, set[tuple[str, str]]] = {t: set() for t in _KEY_COLUMN}
    for e in events:
        for table, attr in _KEY_COLUMN.items():
            if (value := getattr(e.data, attr, None)) is not None:
                wanted[table].add((e.la, value))
    rows = _cache(s).rows
    for table in _KEY_COLUMN:
        keys = {k for k in wanted[table] if (table, *k) not in rows}
        for la in {la for la, _ in keys}:
            _read(s, table, la, sorted(k for l_, k in keys if l_ == la))


def write(s: OrmSession) -> None:
    """Write the rows changed since the last write (one executemany per table and kind)."""
    cache = _cache(s)
    if not cache.changed:
        return
    changed = sorted(cache.changed.items(), key=lambda item: (item[0][0].name, *item[0][1:]))
    cache.changed = {}
    connection = s.connection()
    for table in _KEY_COLUMN:
        mine = [row for (t, _, _), row in changed if t is table]
        new = [row.values for row in mine if not row.stored]
        if new:
            connection.execute(insert(table), new)
        _update(connection, table, [row.values for row in mine if row.stored])
        for row in mine:
            row.stored = True


def _update(connection: Connection, table: Table, rows: list[Values]) -> None:
    if not rows:
        return
    key = _KEY_COLUMN[table]
    others = [c.key for c in table.c if c.key not in ("la", key)]
    stmt = (
        update(table)
        .where(table.c.la == bindparam("k_la"), table.c[key] == bindparam("k_id"))
        .values({name: bindparam(f"v_{name}") for name in others})
    )
    params = [
        {"k_la": r["la"], "k_id": r[key], **{f"v_{name}": r[name] for name in others}} for r in rows
    ]
    connection.execute(stmt, params)


@event.listens_for(Session, "do_orm_execute")
def _before_query(state: ORMExecuteState) -> None:
    # An ORM query in the same transaction sees the rows changed so far.
    cache: _Cache | None = state.session.info.get("journey_cache")
    if cache is None or not cache.changed:
        return
    mappers = state.all_mappers
    if not state.is_select or not mappers or any(m.local_table in _KEY_COLUMN for m in mappers):
        write(state.session)


def _at_commit(session: OrmSession) -> None:
    if "journey_cache" in session.info:
        write(session)


# After the ingest log and the outbox (whose per-key locks on PostgreSQL come
# first), as when these rows were ORM objects flushed at commit.
buffer.at_commit_after_buffered(_at_commit)


def load_child(s: Session, la: str, child_id: str) -> ChildState | None:
    row = _get(s, CHILD, la, child_id)
    if row is None:
        return None
    return ChildState(
        row["child_id"],
        row["in_care"],
        row["period_start"],
        row["left_care_on"],
        row["last_date"],
        row["open_placement_id"],
        row["open_placement_start"],
    )


def save_child(s: Session, la: str, state: ChildState) -> None:
    _get(s, CHILD, la, state.child_id)  # whether to insert or update
    _put(
        s,
        CHILD,
        la,
        state.child_id,
        {
            "la": la,
            "child_id": state.child_id,
            "in_care": state.in_care,
            "period_start": state.period_start,
            "left_care_on": state.left_care_on,
            "last_date": state.last_date,
            "open_placement_id": state.open_placement_id,
            "open_placement_start": state.open_placement_start,
        },
    )


def load_placement(s: Session, la: str, placement_id: str) -> PlacementState | None:
    row = _get(s, PLACEMENT, la, placement_id)
    if row is None:
        return None
    return PlacementState(
        row["placement_id"], row["child_id"], row["start"], row["end"], row["end_reported"]
    )


def load_referral(s: Session, la: str, referral_id: str) -> ReferralState | None:
    row = _get(s, REFERRAL, la, referral_id)
    if row is None:
        return None
    return ReferralState(row["referral_id"], row["child_id"], row["received"], row["closed"])


def record_placements(s: Session, la: str, before: ChildState | None, event: JourneyEvent) -> None:
    """Placement and referral rows after an accepted event."""
    match event:
        case PlacementStarted():
            if before and before.open_placement_id:
                _close(s, la, before.open_placement_id, event.data.date, reported=False)
            placement = {
                "la": la,
                "placement_id": event.data.placement_id,
                "child_id": event.data.child_id,
                "start": event.data.date,
                "end": None,
                "end_reported": False,
            }
            _put(s, PLACEMENT, la, event.data.placement_id, placement)
        case PlacementEnded():
            _close(s, la, event.data.placement_id, event.data.date, reported=True)
        case ChildLeftCare():
            if before and before.open_placement_id:
                _close(s, la, before.open_placement_id, event.data.date, reported=True)
        case ReferralReceived():
            referral = {
                "la": la,
                "referral_id": event.data.referral_id,
                "child_id": event.data.child_id,
                "received": event.data.date,
                "closed": None,
                "urgency": event.data.urgency,
                "placement_sought": event.data.placement_sought,
                "outcome": None,
            }
            _put(s, REFERRAL, la, event.data.referral_id, referral)
        case ReferralClosed():
            d = event.data
            _change(s, REFERRAL, la, d.referral_id, closed=d.date, outcome=d.outcome)


def _close(s: Session, la: str, placement_id: str, day: date, reported: bool) -> None:
    _change(s, PLACEMENT, la, placement_id, end=day, end_reported=reported)


def child_of_referral(s: Session, la: str, referral_id: str) -> str | None:
    row = _get(s, REFERRAL, la, referral_id)
    return None if row is None else str(row["child_id"])


def child_events(s: Session, la: str, child_id: str) -> list[JourneyEvent]:
    """Every event stored about a child (retractions too), in the order received."""
    prefetched: dict[tuple[str, str], list[JourneyEvent]] = s.info.get("journey_events", {})
    if (la, child_id) in prefetched:
        return prefetched[(la, child_id)]
    stmt = (
        orm_select(IngestedEvent.body)
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
            orm_select(IngestedEvent.key, IngestedEvent.body)
            .where(IngestedEvent.la == la, col(IngestedEvent.key).in_(chunk))
            .order_by(col(IngestedEvent.received_at))
        )
        for key, body in s.exec(stmt):
            found[(la, key)].append(parse_journey(json.loads(body)))


def forget_child(s: Session, la: str, child_id: str) -> None:
    """Delete a child's state (child, placements, referrals) before replaying its history.

    The rows changed so far are written first and the deletes run at once, so
    that the replay may add rows with the same keys in this transaction.
    """
    write(s)
    cache = _cache(s).rows
    connection = s.connection()
    for table in (PLACEMENT, REFERRAL):
        key_column = table.c[_KEY_COLUMN[table]]
        mine = (table.c.la == la) & (table.c.child_id == child_id)
        for key in connection.execute(select(key_column).where(mine)).scalars():
            cache[(table, la, key)] = None
        connection.execute(delete(table).where(mine))
    connection.execute(delete(CHILD).where(CHILD.c.la == la, CHILD.c.child_id == child_id))
    cache[(CHILD, la, child_id)] = None
