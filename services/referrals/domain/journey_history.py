"""A child's history as it stands: what retractions leave of the events (pure)."""

from collections.abc import Iterable

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
