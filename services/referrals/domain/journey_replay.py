"""A child's history replayed through the journey rules in memory (pure).

The same rules and state changes as the ingest pipeline applies when it
revises a child (journey_pipeline.py: the batch's retractions take effect,
the history as it then stands is replayed from nothing; the placement rows
as journey_store.record_placements keeps them). The 903 import revises a
batch of children this way and writes their rows in bulk; a child whose
history breaks a rule, or names what this replay does not see (a referral,
another child's placement), goes through the pipeline instead, which
refuses or revises it with the same outcome.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from services.referrals.domain.journey_history import (
    effective,
    retracted_ids,
    retraction_problem,
)
from services.referrals.domain.journey_rules import (
    ChildState,
    Context,
    PlacementState,
    check,
    evolve_child,
)
from shared.events.journey import (
    ChildLeftCare,
    JourneyEvent,
    JourneyEventRetracted,
    PlacementEnded,
    PlacementStarted,
    RetractableEvent,
)


@dataclass
class Replayed:
    child: ChildState | None = None
    placements: dict[str, PlacementState] = field(default_factory=dict)
    broken: bool = False  # some event breaks a rule: nothing here is to be stored


def revised_history(
    stored: Sequence[JourneyEvent], batch: Sequence[JourneyEvent]
) -> list[RetractableEvent] | None:
    """The child's history once `batch` is stored, in the pipeline's replay order
    (stored events still holding as received, then the batch's new ones, stably
    by time); None when one of the batch's retractions cannot take effect."""
    holding = {str(e.id): e for e in effective(stored)}
    spent = retracted_ids(stored)
    gone: set[str] = set()
    for r in batch:
        if isinstance(r, JourneyEventRetracted):
            if retraction_problem(r, holding, spent, gone) is not None:
                return None
            gone.add(str(r.data.event.id))
    new = [e for e in batch if not isinstance(e, JourneyEventRetracted)]
    history = [e for eid, e in holding.items() if eid not in gone] + new
    history.sort(key=lambda e: e.time)
    return history


def replay_new_child(events: Sequence[JourneyEvent], now: datetime, skew: timedelta) -> Replayed:
    """`events` in the pipeline's replay order (by time, ties as given), from no state."""
    out = Replayed()
    for e in sorted(events, key=lambda e: e.time):
        placement = (
            out.placements.get(e.data.placement_id)
            if isinstance(e, PlacementStarted | PlacementEnded)
            else None
        )
        if check(e, Context(out.child, placement, None, now, skew)):
            out.broken = True
            return out
        _record(out, e)
        out.child = evolve_child(out.child, e) or out.child
    return out


def replay_revised_child(
    stored: Sequence[JourneyEvent],
    batch: Sequence[JourneyEvent],
    now: datetime,
    skew: timedelta,
) -> Replayed:
    """A child's state after `batch` revises its `stored` events (retractions
    included, every source): its state and placements rebuilt from nothing."""
    history = revised_history(stored, batch)
    if history is None:
        return Replayed(broken=True)
    return replay_new_child(history, now, skew)


def _record(out: Replayed, event: JourneyEvent) -> None:
    before = out.child
    match event:
        case PlacementStarted():
            if before and before.open_placement_id:
                _close(out, before.open_placement_id, event.data.date, reported=False)
            out.placements[event.data.placement_id] = PlacementState(
                event.data.placement_id, event.data.child_id, event.data.date
            )
        case PlacementEnded():
            _close(out, event.data.placement_id, event.data.date, reported=True)
        case ChildLeftCare():
            if before and before.open_placement_id:
                _close(out, before.open_placement_id, event.data.date, reported=True)


def _close(out: Replayed, placement_id: str, day: date, *, reported: bool) -> None:
    held = out.placements.get(placement_id)
    if held is not None:
        out.placements[placement_id] = replace(held, end=day, end_reported=reported)
