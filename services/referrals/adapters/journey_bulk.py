"""New children's events and state written in bulk (core SQL, one executemany per table).

For the 903 import's children that nothing is stored about: the pipeline
would build an ORM row per child and placement and store each event after
validating it again; here the rows are plain dicts (see shared/store/buffer.py).
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from services.referrals.adapters.tables import ChildRow, PlacementRow
from services.referrals.domain.journey_rules import ChildState, PlacementState
from shared.store import buffer
from shared.store.outbox import enqueue_raw
from shared.store.tables import IngestedEvent, table_of, utcnow


@dataclass(frozen=True)
class Known:
    """What is already stored among the keys a batch of new children would use."""

    children: set[str]  # with any event (any source) or a state row
    event_ids: set[str]
    placement_ids: set[str]


def known(
    s: Session,
    la: str,
    children: Collection[str],
    event_ids: Collection[str],
    placement_ids: Collection[str],
) -> Known:
    found = Known(set(), set(), set())
    for chunk in _chunks(children):
        found.children.update(
            s.exec(
                select(IngestedEvent.key)
                .where(IngestedEvent.la == la, col(IngestedEvent.key).in_(chunk))
                .distinct()
            )
        )
        found.children.update(
            s.exec(
                select(ChildRow.child_id).where(
                    ChildRow.la == la, col(ChildRow.child_id).in_(chunk)
                )
            )
        )
    for chunk in _chunks(event_ids):
        found.event_ids.update(
            s.exec(select(IngestedEvent.event_id).where(col(IngestedEvent.event_id).in_(chunk)))
        )
    for chunk in _chunks(placement_ids):
        found.placement_ids.update(
            s.exec(
                select(PlacementRow.placement_id).where(
                    PlacementRow.la == la, col(PlacementRow.placement_id).in_(chunk)
                )
            )
        )
    return found


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
