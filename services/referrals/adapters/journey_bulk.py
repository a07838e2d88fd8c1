"""Children's events and state read and written in bulk (core SQL, one executemany per table).

For the 903 import's children: the pipeline would read each child's state
row by row, build an ORM row per child and placement and store each event
after validating it again; here a batch of children is read in a few
queries and written with plain dicts (see shared/store/buffer.py).
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from services.referrals.adapters.tables import ChildRow, PlacementRow, ReferralRow
from services.referrals.domain.journey_rules import ChildState, PlacementState
from shared.events.journey import JourneyEvent
from shared.events.registry import parse_journey_json
from shared.store import buffer
from shared.store.outbox import enqueue_raw
from shared.store.tables import IngestedEvent, table_of, utcnow


class StoredRow(NamedTuple):
    """An event stored about a child, not parsed yet."""

    event_id: str
    source: str
    type: str
    body: str

    def parsed(self) -> JourneyEvent:
        return parse_journey_json(self.body)


def rows_of_children(s: Session, la: str, children: Collection[str]) -> dict[str, list[StoredRow]]:
    """Every event stored about each child (any source, retractions too), in the
    order received, as the pipeline reads a child's history."""
    found: dict[str, list[StoredRow]] = {c: [] for c in children}
    log = table_of(IngestedEvent)
    connection = s.connection()
    for chunk in _chunks(children):
        stmt = (
            sa_select(log.c.key, log.c.event_id, log.c.source, log.c.type, log.c.body)
            .where(log.c.la == la, log.c.key.in_(chunk))
            .order_by(log.c.received_at)
        )
        for key, event_id, source, kind, body in connection.execute(stmt):
            found[key].append(StoredRow(event_id, source, kind, body))
    return found


def with_state(s: Session, la: str, children: Collection[str]) -> set[str]:
    """The children among these with a state row."""
    found: set[str] = set()
    for chunk in _chunks(children):
        found.update(
            s.exec(
                select(ChildRow.child_id).where(
                    ChildRow.la == la, col(ChildRow.child_id).in_(chunk)
                )
            )
        )
    return found


def taken_ids(s: Session, event_ids: Collection[str]) -> set[str]:
    """The event ids among these already stored (any LA: ids are global)."""
    found: set[str] = set()
    for chunk in _chunks(event_ids):
        found.update(
            s.exec(select(IngestedEvent.event_id).where(col(IngestedEvent.event_id).in_(chunk)))
        )
    return found


def placement_owners(s: Session, la: str, placement_ids: Collection[str]) -> dict[str, str]:
    """Placement id -> the child whose placement row holds it, for those stored."""
    found: dict[str, str] = {}
    for chunk in _chunks(placement_ids):
        stmt = select(PlacementRow.placement_id, PlacementRow.child_id).where(
            PlacementRow.la == la, col(PlacementRow.placement_id).in_(chunk)
        )
        found.update(dict(s.exec(stmt).all()))
    return found


def forget(s: Session, la: str, children: Collection[str]) -> None:
    """Delete children's state (child, placements, referrals), to be written anew."""
    connection = s.connection()
    for chunk in _chunks(children):
        for model in (PlacementRow, ReferralRow, ChildRow):
            table = table_of(model)
            connection.execute(delete(table).where(table.c.la == la, table.c.child_id.in_(chunk)))


@dataclass(frozen=True)
class StoredEvent:
    """An accepted event as the ingest log and the outbox keep it."""

    event_id: str
    source: str
    type: str
    subject: str | None
    key: str  # the Kafka key: the child
    time: datetime
    body_sha256: str
    body: str


def add_events(s: Session, la: str, topic: str, events: Iterable[StoredEvent]) -> None:
    """The ingest log's rows and the outbox's, in the order given (written at commit)."""
    log = table_of(IngestedEvent)
    for e in events:
        buffer.add(
            s,
            log,
            {
                "event_id": e.event_id,
                "source": e.source,
                "type": e.type,
                "la": la,
                "subject": e.subject,
                "key": e.key,
                "time": e.time,
                "body_sha256": e.body_sha256,
                "body": e.body,
                "received_at": utcnow(),
            },
        )
        enqueue_raw(s, topic, e.key, e.body)


def add_states(
    s: Session, la: str, children: list[ChildState], placements: list[PlacementState]
) -> None:
    """The states' fields are the rows' columns, with the LA beside them."""
    connection = s.connection()
    for table, states in ((ChildRow, children), (PlacementRow, placements)):
        if states:
            connection.execute(insert(table_of(table)), [{"la": la, **vars(x)} for x in states])


def _chunks(values: Collection[str], size: int = 500) -> Iterable[list[str]]:
    ordered = sorted(values)
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]
