"""What an import changes for each child: derived events against the stored ones (pure).

Every import converts the LA's whole merged history again (merge.py), so the
events it derives are the history as it should now stand. Against what the
import stored before (its own source only), per child:

* an event derived again with the same id is unchanged (its content, hence
  its id, is the same: event_factory.py);
* a derived event not stored is added;
* a stored event still holding but no longer derived is retracted
  (`journey.event.retracted.v1`), reason `corrected` when an event for the
  same fact (type, date, placement) is added with it, else `withdrawn`.

A derived event whose id was retracted earlier (a fact that went away and
came back) is reissued under a new id: the old one is spent.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from services.referrals.domain.journey_history import effective, retracted_ids
from services.referrals.domain.ssda903.event_factory import NAMESPACE, ImportedEvent, reissued_id
from shared.events.journey import (
    JourneyEvent,
    JourneyEventRetracted,
    JourneyEventRetractedData,
    PlacementEnded,
    PlacementStarted,
    ReferralClosed,
    RetractableEvent,
    RetractionReason,
)


@dataclass(frozen=True)
class ChildRevision:
    child_id: str
    retractions: list[JourneyEventRetracted]  # go first: the additions may rely on them
    additions: list[ImportedEvent]
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.retractions or self.additions)

    @property
    def events(self) -> list[JourneyEvent]:
        return [*self.retractions, *self.additions]


def revise(
    derived: Sequence[ImportedEvent], stored: Sequence[JourneyEvent], *, now: datetime
) -> list[ChildRevision]:
    """Per child (sorted by id): what to retract and add so the store holds `derived`."""
    spent = retracted_ids(stored)
    holding: dict[str, dict[str, RetractableEvent]] = {}
    for e in effective(stored):
        child = _child(e)
        if child is not None:
            holding.setdefault(child, {})[str(e.id)] = e
    wanted: dict[str, list[ImportedEvent]] = {}
    for e in derived:
        wanted.setdefault(e.data.child_id, []).append(_unspent(e, spent))
    return [
        _revision(child, wanted.get(child, []), holding.get(child, {}), now)
        for child in sorted(wanted.keys() | holding.keys())
    ]


def _revision(
    child: str, wanted: list[ImportedEvent], held: dict[str, RetractableEvent], now: datetime
) -> ChildRevision:
    wanted_ids = {str(e.id) for e in wanted}
    additions = [e for e in wanted if str(e.id) not in held]
    replaced = {_fact(e) for e in additions}
    retractions = [
        retraction(
            e,
            RetractionReason.CORRECTED if _fact(e) in replaced else RetractionReason.WITHDRAWN,
            now,
        )
        for eid, e in held.items()
        if eid not in wanted_ids
    ]
    return ChildRevision(child, retractions, additions, len(wanted) - len(additions))


def retraction(
    event: RetractableEvent, reason: RetractionReason, now: datetime
) -> JourneyEventRetracted:
    """The retraction of a stored event; one event is retracted once, so its id is fixed."""
    child = _child(event)
    assert child is not None, "a 903 import's events all name a child"
    return JourneyEventRetracted(
        id=uuid.uuid5(NAMESPACE, f"retraction/{event.id}"),
        source=event.source,
        time=now,
        subject=child,
        la=event.la,
        data=JourneyEventRetractedData(child_id=child, date=now.date(), event=event, reason=reason),
    )


def _unspent(event: ImportedEvent, spent: set[str]) -> ImportedEvent:
    if not spent:  # most children: nothing of theirs ever retracted
        return event
    new_id = event.id
    while str(new_id) in spent:
        new_id = reissued_id(new_id)
    return event if new_id == event.id else event.model_copy(update={"id": new_id})


def _child(event: RetractableEvent) -> str | None:
    child: str | None = getattr(event.data, "child_id", None)
    return child


def _fact(event: RetractableEvent) -> tuple[str, object, str | None]:
    """What an event is about, whatever it says about it."""
    return (event.type, event.data.date, placement_named(event))


# A tuple: `A | B` in the call would build a union on every call.
_NAMING_PLACEMENT = (PlacementStarted, PlacementEnded, ReferralClosed)


def placement_named(event: JourneyEvent) -> str | None:
    """The placement an event's payload names, if any. (Not `getattr` with a
    default: on a pydantic model without the field it is a slow failed lookup,
    and the import asks it of every event.)"""
    if isinstance(event, _NAMING_PLACEMENT):
        return event.data.placement_id
    return None
