"""A child's history as it stands: what retractions leave of the events (pure)."""

from collections.abc import Iterable

from services.referrals.domain.journey_rules import Violation
from shared.events.journey import JourneyEvent, JourneyEventRetracted, RetractableEvent


def retracted_ids(events: Iterable[JourneyEvent]) -> set[str]:
    return {str(e.data.event.id) for e in events if isinstance(e, JourneyEventRetracted)}


def effective(events: Iterable[JourneyEvent]) -> list[RetractableEvent]:
    """The events that still hold: retractions and the events they name left out.

    A retraction may come before the event it names (consumers see any
    order); the named event is left out all the same.
    """
    events = list(events)
    gone = retracted_ids(events)
    return [e for e in events if not isinstance(e, JourneyEventRetracted) and str(e.id) not in gone]


def retraction_problem(
    r: JourneyEventRetracted,
    holding: dict[str, RetractableEvent],
    spent: set[str],
    gone: set[str],
) -> Violation | None:
    """Why a retraction cannot take effect on a history (`gone`: what the same batch's
    earlier retractions took), or None."""
    target = str(r.data.event.id)
    held = holding.get(target)
    if held is None or target in gone:
        if target in spent or target in gone:
            return Violation("/data/event/id", "already_retracted", f"{target} is retracted")
        return Violation(
            "/data/event/id", "unknown_event", f"no event {target} holds for this child"
        )
    if held.source != r.source:
        return Violation(
            "/source", "not_own_event", f"only {held.source} may retract its event {target}"
        )
    if held != r.data.event:
        return Violation(
            "/data/event", "retracted_event_differs", f"event {target} was stored otherwise"
        )
    return None
