"""The 903 import's new children stored in bulk, past the event-by-event pipeline.

A child nothing is stored about (no event from any source, no state, none
of its event or placement ids taken) has a history that only its own events
decide. Its events are checked by replaying them in memory through the same
rules (domain/journey_replay.py) and, when they all hold, stored with its
state in one transaction for the whole batch of such children: the rows and
outbox messages the pipeline would write, without validating each event
again or building an ORM row per event. Any other child, one whose history
breaks a rule included, is left to the pipeline, which revises or refuses it
as before.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from services.referrals.adapters import journey_bulk
from services.referrals.domain.journey_replay import Replayed, replay_new_child
from services.referrals.domain.ssda903.revise import ChildRevision
from shared.db import transaction
from shared.ingest.batch import MAX_EVENT_BYTES, body_hash
from shared.kafka.topics import JOURNEY


@dataclass(frozen=True)
class BulkOutcome:
    stored: list[ChildRevision]  # every addition accepted
    rest: list[ChildRevision]  # for the pipeline


def store_new_children(
    engine: Engine,
    la: str,
    revisions: Sequence[ChildRevision],
    *,
    now: datetime,
    skew: timedelta,
) -> BulkOutcome:
    candidates = [c for c in revisions if c.additions and not c.retractions]
    if not candidates:
        return BulkOutcome([], list(revisions))
    try:
        with transaction(engine) as s:
            known = journey_bulk.known(
                s,
                la,
                [c.child_id for c in candidates],
                [str(e.id) for c in candidates for e in c.additions],
                [p for c in candidates for p in _placements(c)],
            )
            taken = [t for c in candidates if (t := _taken(c, known, now, skew)) is not None]
            journey_bulk.add_events(s, la, JOURNEY, [e for t in taken for e in t.events])
            journey_bulk.add_states(
                s,
                la,
                [t.replayed.child for t in taken if t.replayed.child is not None],
                [p for t in taken for p in t.replayed.placements.values()],
            )
    except IntegrityError:  # another writer stored one of these children meanwhile
        return BulkOutcome([], list(revisions))
    stored = {t.revision.child_id for t in taken}
    return BulkOutcome(
        [t.revision for t in taken], [c for c in revisions if c.child_id not in stored]
    )


@dataclass(frozen=True)
class _Taken:
    revision: ChildRevision
    replayed: Replayed
    events: list[journey_bulk.StoredEvent]


def _taken(
    c: ChildRevision, known: journey_bulk.Known, now: datetime, skew: timedelta
) -> _Taken | None:
    """The child's rows when it is new and its history holds, else None (the pipeline's)."""
    if (
        c.child_id in known.children
        or any(str(e.id) in known.event_ids for e in c.additions)
        or any(p in known.placement_ids for p in _placements(c))
    ):
        return None
    replayed = replay_new_child(c.additions, now, skew)
    if replayed.broken:
        return None
    events = []
    for e in c.additions:
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


def _placements(c: ChildRevision) -> list[str]:
    return [p for e in c.additions if (p := getattr(e.data, "placement_id", None))]
