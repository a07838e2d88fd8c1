"""A new child's whole history replayed through the journey rules in memory (pure).

The same rules and state changes as the ingest pipeline applies event by
event (journey_rules.py; the placement rows as journey_store.record_placements
keeps them), for a child nothing is stored about yet: its state starts from
nothing and every placement it names is its own. The 903 import checks a
batch of new children this way and writes their rows in bulk; a child whose
history breaks a rule goes through the pipeline instead, which refuses it
with the same violations.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from services.referrals.domain.journey_rules import (
    ChildState,
    Context,
    PlacementState,
    check,
    evolve_child,
)
from shared.events.journey import ChildLeftCare, JourneyEvent, PlacementEnded, PlacementStarted


@dataclass
class Replayed:
    child: ChildState | None = None
    placements: dict[str, PlacementState] = field(default_factory=dict)
    broken: bool = False  # some event breaks a rule: nothing here is to be stored


def replay_new_child(events: Sequence[JourneyEvent], now: datetime, skew: timedelta) -> Replayed:
    """`events` in the pipeline's replay order (by time, ties as given)."""
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
