"""The 903 import's children revised in bulk, past the event-by-event pipeline.

A batch of children is read in a few queries (every event stored about
them, from any source; which of their states, placements and event ids are
taken), compared with the events the import derives (revise.py), and each
changed child's history as it would then stand is replayed in memory
through the same rules as the pipeline's (domain/journey_replay.py). A
child whose revision holds has its state rebuilt and its retractions and
additions stored, with their outbox messages, in one transaction for the
whole batch: the rows the pipeline would write, without validating each
event again, building an ORM row per event or reading state row by row.
Any other child (a rule broken, a referral in its history, an id or
placement taken elsewhere) is left to the pipeline, which revises or
refuses it as before.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.referrals.adapters import journey_bulk
from services.referrals.domain.journey_history import retracted_ids
from services.referrals.domain.journey_replay import Replayed, replay_revised_child
from services.referrals.domain.ssda903.event_factory import ImportedEvent
from services.referrals.domain.ssda903.revise import ChildRevision, placement_named, revise
from shared.db import transaction
from shared.events.journey import (
    JourneyEvent,
    JourneyEventRetracted,
    ReferralClosed,
    ReferralReceived,
)
from shared.ingest.batch import MAX_EVENT_BYTES, body_hash
from shared.kafka.topics import JOURNEY

RETRACTED: str = JourneyEventRetracted.model_fields["type"].default


@dataclass(frozen=True)
class BulkOutcome:
    stored: list[ChildRevision]  # revised here: every retraction and addition accepted
    rest: list[ChildRevision]  # for the pipeline (unchanged children too)


def revise_in_bulk(
    engine: Engine,
    la: str,
    source: str,
    derived: Sequence[ImportedEvent],
    children: Sequence[str],
    *,
    now: datetime,
    skew: timedelta,
) -> BulkOutcome:
    """`derived`: the events of `children` as the import now gives them (those of
    `children` it no longer gives are withdrawn); `now`: the retractions' time."""
    revisions: list[ChildRevision] = []
    try:
        with transaction(engine) as s:
            rows = journey_bulk.rows_of_children(s, la, children)
            settled = _unchanged(derived, rows, source)
            rest = [c for c in children if c not in settled]
            history = {c: [r.parsed() for r in rows[c]] for c in rest}
            own = [e for c in rest for e in history[c] if e.source == source]
            wanted = [e for e in derived if e.data.child_id not in settled]
            revisions = sorted(
                [*settled.values(), *revise(wanted, own, now=now)], key=lambda c: c.child_id
            )
            changed = [c for c in revisions if c.changed]
            taken = _revisable(s, la, changed, history, datetime.now(UTC), skew)
            _write(s, la, taken, history)
    except IntegrityError:  # another writer stored about one of these children meanwhile
        return BulkOutcome([], revisions)
    done = {t.revision.child_id for t in taken}
    return BulkOutcome(
        [t.revision for t in taken], [c for c in revisions if c.child_id not in done]
    )


def _unchanged(
    derived: Sequence[ImportedEvent], rows: dict[str, list[journey_bulk.StoredRow]], source: str
) -> dict[str, ChildRevision]:
    """The children whose derived events are the very ones of `source` holding for
    them (by id, and an id is a digest of the whole event), found without parsing
    any stored event but the import's own retractions: what `revise` would find
    unchanged, the bulk of a return given again or of a child's earlier years."""
    own = [r for found in rows.values() for r in found if r.source == source]
    spent = retracted_ids(r.parsed() for r in own if r.type == RETRACTED)
    ids: dict[str, list[str]] = {}
    for e in derived:
        ids.setdefault(e.data.child_id, []).append(str(e.id))
    out = {}
    for child, wanted in ids.items():
        holding = {
            r.event_id
            for r in rows.get(child, ())
            if r.source == source and r.type != RETRACTED and r.event_id not in spent
        }
        if holding == set(wanted) and spent.isdisjoint(wanted):
            out[child] = ChildRevision(child, [], [], len(wanted))
    return out


@dataclass(frozen=True)
class _Taken:
    revision: ChildRevision
    replayed: Replayed
    events: list[journey_bulk.StoredEvent]


def _revisable(
    s: Session,
    la: str,
    changed: list[ChildRevision],
    history: dict[str, list[JourneyEvent]],
    now: datetime,
    skew: timedelta,
) -> list[_Taken]:
    new_children = [c.child_id for c in changed if not history[c.child_id]]
    stateful = journey_bulk.with_state(s, la, new_children)
    taken_ids = journey_bulk.taken_ids(s, [str(e.id) for c in changed for e in c.events])
    owners = journey_bulk.placement_owners(
        s, la, {p for c in changed for p in _placements([*history[c.child_id], *c.events])}
    )
    out = []
    for c in changed:
        stored = history[c.child_id]
        if (
            c.child_id in stateful  # a state without events: only the pipeline knows it
            or any(str(e.id) in taken_ids for e in c.events)
            or any(
                _foreign(owners.get(p), c.child_id, stored)
                for p in _placements([*stored, *c.events])
            )
            or any(isinstance(e, ReferralReceived | ReferralClosed) for e in stored)
        ):
            continue
        if (t := _taken(c, stored, now, skew)) is not None:
            out.append(t)
    return out


def _foreign(owner: str | None, child: str, stored: list[JourneyEvent]) -> bool:
    """A placement row the child's revision would not delete (another child's; any,
    for a child with nothing stored, whose state the pipeline does not forget)."""
    return owner is not None and (owner != child or not stored)


def _taken(
    c: ChildRevision, stored: list[JourneyEvent], now: datetime, skew: timedelta
) -> _Taken | None:
    """The child's rows when its revised history holds, else None (the pipeline's)."""
    replayed = replay_revised_child(stored, c.events, now, skew)
    if replayed.broken:
        return None
    events = []
    for e in c.events:
        body = e.model_dump_json()
        if len(body.encode()) > MAX_EVENT_BYTES:
            return None
        digest = body_hash(e.model_dump(mode="json"))  # as the pipeline hashes a posted body
        events.append(
            journey_bulk.StoredEvent(
                str(e.id), e.source, e.type, e.subject, c.child_id, e.time, digest, body
            )
        )
    return _Taken(c, replayed, events)


def _write(
    s: Session, la: str, taken: list[_Taken], history: dict[str, list[JourneyEvent]]
) -> None:
    """The pipeline forgets the state of a child with stored events before its replay."""
    journey_bulk.forget(s, la, [t.revision.child_id for t in taken if history[t.revision.child_id]])
    journey_bulk.add_events(s, la, JOURNEY, [e for t in taken for e in t.events])
    journey_bulk.add_states(
        s,
        la,
        [t.replayed.child for t in taken if t.replayed.child is not None],
        [p for t in taken for p in t.replayed.placements.values()],
    )


def _placements(events: Sequence[JourneyEvent]) -> set[str]:
    return {p for e in events if (p := placement_named(e))}
