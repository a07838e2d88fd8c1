"""The metrics projection: `apply(facts, event)` folds one event into an LA's facts.

`apply` changes `facts` IN PLACE and returns None (the live projection keeps
one `LaFacts` per LA in memory; copying it per event would cost more than
the indicators do). It is pure in every other sense: no I/O, no clock.

* Every journey and supply event type is handled; other types (the regional
  feed, indicator snapshots, forecasts) and events of another LA are ignored.
* Idempotent: applying an event twice gives the same facts as once.
* Order-robust: per child, facts are derived from the set of statements, so a
  `placement.ended` that arrives after the next `placement.started` (or a
  leaving that arrives before the admission it ends) gives the same facts as
  the events in order. Events that name a placement, referral, home or
  vacancy not seen yet are parked and applied when it appears.
* Retractions (`journey.event.retracted.v1`) remove what the retracted event
  said and derive the child again (journey_fold.retracted). The retracted id
  is remembered, so the event arriving after its retraction, or again, changes
  nothing; a retraction twice is one.
* `facts.version` goes up with every applied event, so caches built from the
  facts (index.py) know when to rebuild.
"""

from services.metrics.domain import journey_fold as jf
from services.metrics.domain import supply_fold as sf
from services.metrics.domain.facts import LaFacts
from shared.events import journey as j
from shared.events import supply as s
from shared.events.envelope import Envelope


def apply(facts: LaFacts, event: Envelope) -> None:
    if event.la != facts.la:
        return
    if facts.retracted and str(event.id) in facts.retracted:
        return
    if _fold(facts, event):
        facts.version += 1
        for key in _unparks(event):
            for parked in facts.pending.pop(key, []):
                _fold(facts, parked)


def _fold(facts: LaFacts, event: Envelope) -> bool:
    match event:
        case j.ChildAdmitted():
            jf.admitted(facts, event.data, jf.continues_period(event))
        case j.ChildLeftCare():
            jf.left_care(facts, event.data)
        case j.LegalStatusChanged():
            jf.legal_status_changed(facts, event.data)
        case j.ChildDetailsCorrected():
            jf.details_corrected(facts, event.data)
        case j.PlacementStarted():
            jf.placement_started(facts, event.data)
        case j.PlacementEnded():
            jf.placement_ended(facts, event)
        case j.ReferralReceived():
            jf.referral_received(facts, event.data)
        case j.ReferralClosed():
            jf.referral_closed(facts, event)
        case j.JourneyEventRetracted():
            jf.retracted(facts, event.data.event)
        case s.HomeRegistered():
            sf.home_registered(facts, event)
        case s.HomeUpdated():
            sf.home_updated(facts, event)
        case s.HomeDeregistered():
            sf.home_deregistered(facts, event)
        case s.VacancyOpened():
            sf.vacancy_opened(facts, event)
        case (
            s.VacancyHeld()
            | s.VacancyReopened()
            | s.VacancyFilled()
            | s.VacancyWithdrawn()
            | s.VacancyExpired()
        ):
            sf.vacancy_changed(facts, event)
        case _:
            return False
    return True


def _unparks(event: Envelope) -> list[str]:
    """The parked-event keys an event can release (the entity it creates)."""
    match event:
        case j.PlacementStarted():
            return [f"placement:{event.data.placement_id}"]
        case j.ReferralReceived():
            return [f"referral:{event.data.referral_id}"]
        case s.HomeRegistered():
            return [f"home:{event.data.home_id}"]
        case s.VacancyOpened():
            return [f"vacancy:{event.data.vacancy_id}"]
    return []
