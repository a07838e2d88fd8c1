"""Ingesting journey events: the rules, the state they change, the topic they go to.

Events normally extend a child's history: each is checked against the
child's current state and then changes it. A batch that retracts some of a
child's events (or the 903 import, which may correct or insert anywhere in a
history) revises that child instead: the retractions take effect first, the
child's whole history as it would then stand (stored events still holding
plus the batch's new ones, in time order) is replayed from nothing through
the same rules, and the child's state is rebuilt from it. Any violation
refuses the batch, so a child is revised entirely or not at all.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from services.referrals.adapters import journey_store as store
from services.referrals.domain.journey_history import (
    effective,
    retracted_ids,
    retraction_problem,
)
from services.referrals.domain.journey_rules import (
    ChildState,
    Context,
    Violation,
    check,
    evolve_child,
)
from shared.events.envelope import Envelope
from shared.events.journey import (
    JourneyEvent,
    JourneyEventRetracted,
    PlacementEnded,
    PlacementStarted,
    ReferralClosed,
    RetractableEvent,
)
from shared.events.registry import accept_journey
from shared.ingest.batch import Pipeline
from shared.kafka.topics import JOURNEY

Problems = dict[str, list[Violation]]  # event id -> what is wrong with it
_REVISED = "journey_revised"  # session.info: (la, child) -> problems of its batch events


def _child_id(s: Session, event: JourneyEvent) -> str | None:
    if isinstance(event, ReferralClosed):
        return store.child_of_referral(s, event.la, event.data.referral_id)
    return event.data.child_id


def _context(
    s: Session, event: JourneyEvent, skew: timedelta, replaying: "_Replay | None" = None
) -> Context:
    child_id = _child_id(s, event)
    if replaying is not None:
        child = replaying.state
    else:
        child = store.load_child(s, event.la, child_id) if child_id else None
    placement = (
        store.load_placement(s, event.la, event.data.placement_id)
        if isinstance(event, PlacementStarted | PlacementEnded)
        else None
    )
    referral_id = (
        getattr(event.data, "referral_id", None) if isinstance(event, ReferralClosed) else None
    )
    referral = store.load_referral(s, event.la, referral_id) if referral_id else None
    return Context(child, placement, referral, datetime.now(UTC), skew)


def _evolve(s: Session, event: JourneyEvent) -> None:
    child_id = _child_id(s, event)
    before = store.load_child(s, event.la, child_id) if child_id else None
    store.record_placements(s, event.la, before, event)
    after = evolve_child(before, event)
    if after is not None and after != before:
        store.save_child(s, event.la, after)


class _Replay:
    """A child's state while its history is replayed: kept in memory and saved
    once at the end (saving the row after every event was most of the cost of
    revising a child with a long history)."""

    def __init__(self) -> None:
        self.state: ChildState | None = None

    def evolve(self, s: Session, la: str, event: JourneyEvent) -> None:
        store.record_placements(s, la, self.state, event)
        self.state = evolve_child(self.state, event) or self.state

    def save(self, s: Session, la: str) -> None:
        if self.state is not None:
            store.save_child(s, la, self.state)


def _revised(s: Session) -> dict[tuple[str, str], Problems]:
    revised: dict[tuple[str, str], Problems] = s.info.setdefault(_REVISED, {})
    return revised


def _revise_children(
    s: Session, events: list[JourneyEvent], skew: timedelta, revise_all: bool
) -> None:
    by_child: dict[tuple[str, str], list[JourneyEvent]] = {}
    for e in events:
        child = _child_id(s, e)
        if child is not None:
            by_child.setdefault((e.la, child), []).append(e)
    revising = {
        key: batch
        for key, batch in by_child.items()
        if revise_all or any(isinstance(e, JourneyEventRetracted) for e in batch)
    }
    for la in {la for la, _ in revising}:
        store.prefetch_child_events(s, la, (c for l_, c in revising if l_ == la))
    for (la, child), batch in revising.items():
        _revised(s)[(la, child)] = _revise(s, la, child, batch, skew)


def _revise(
    s: Session, la: str, child: str, batch: list[JourneyEvent], skew: timedelta
) -> Problems:
    stored = store.child_events(s, la, child)
    holding = {str(e.id): e for e in effective(stored)}
    spent = retracted_ids(stored)
    problems: Problems = {}
    gone: set[str] = set()
    retractions = [e for e in batch if isinstance(e, JourneyEventRetracted)]
    for r in retractions:
        wrong = retraction_problem(r, holding, spent, gone)
        if wrong:
            problems[str(r.id)] = [wrong]
        gone.add(str(r.data.event.id))
    new: list[RetractableEvent] = [e for e in batch if not isinstance(e, JourneyEventRetracted)]
    history = [e for eid, e in holding.items() if eid not in gone] + new
    history.sort(key=lambda e: e.time)  # stable: a tie keeps stored before new
    blame = str((retractions or batch)[0].id)  # who answers for a stored event that fails
    new_ids = {str(e.id) for e in new}
    if stored:  # a child with no stored event has no state to forget
        store.forget_child(s, la, child)
    replay = _Replay()
    for e in history:
        violations = check(e, _context(s, e, skew, replay))
        if not violations:
            replay.evolve(s, la, e)
        elif str(e.id) in new_ids:
            problems.setdefault(str(e.id), []).extend(violations)
        else:
            problems.setdefault(blame, []).extend(
                Violation(
                    "/data/event",
                    v.reason,
                    f"the stored {e.type} {e.id} of {e.data.date} would no longer hold: "
                    f"{v.message}",
                )
                for v in violations
            )
    replay.save(s, la)
    return problems


def journey_pipeline(skew: timedelta, *, revise_all: bool = False) -> Pipeline[JourneyEvent]:
    """`revise_all`: replay every child the batch names (the 903 import), not only
    those with a retraction in it."""

    def prepare(s: Session, events: list[JourneyEvent]) -> None:
        store.prefetch(s, events)
        _revise_children(s, events, skew, revise_all)

    def rules(s: Session, event: JourneyEvent) -> list[tuple[str, str, str]]:
        child = _child_id(s, event)
        revised = _revised(s).get((event.la, child)) if child else None
        found = (
            revised.get(str(event.id), [])
            if revised is not None
            else check(event, _context(s, event, skew))
        )
        return [(v.pointer, v.reason, v.message) for v in found]

    def apply(s: Session, event: JourneyEvent) -> Sequence[Envelope]:
        child = _child_id(s, event)
        if child is None or (event.la, child) not in _revised(s):
            _evolve(s, event)  # a revised child's state was rebuilt in `prepare`
        return []

    def route(s: Session, event: Envelope) -> tuple[str, str]:
        assert isinstance(event, JourneyEvent)
        return JOURNEY, _child_id(s, event) or str(event.subject or event.id)

    return Pipeline(parse=accept_journey, check=rules, apply=apply, route=route, prepare=prepare)
