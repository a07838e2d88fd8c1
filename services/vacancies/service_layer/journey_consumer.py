"""Applying the journey topic: occupancy, fills, and what matching needs to know.

A placement.started into a home with a live vacancy fills it: the vacancy
change, its feed entry and the vacancy.filled.v1 event (outbox) are written
in the consumer's transaction, with the inbox row and the partition position.

A retracted placement start or end is undone in the stays (occupancy). A fill
it made stands: the place was taken when it happened, and reopening a
vacancy for a corrected record of the past would advertise a place that is
not free. Retracted details, referrals and leavings change nothing here: the
next event about the child restates its details, and a stay's end follows
the placement.ended that the referrals service retracts with a leaving.
"""

from collections.abc import Sequence

from sqlmodel import Session

from services.vacancies.adapters import journey_store as journey
from services.vacancies.adapters import supply_store as store
from services.vacancies.adapters import vacancy_store as vacancies
from services.vacancies.adapters.tables import HomeRow, MatchChildRow, MatchReferralRow, StayRow
from services.vacancies.domain.homes import Home
from services.vacancies.domain.lifecycle import choose_for_placement, fill
from services.vacancies.service_layer import emitted
from services.vacancies.service_layer.changes import vacancy_saved
from shared.events import journey as j
from shared.events.registry import AnyEvent
from shared.kafka.topics import SUPPLY
from shared.store import rows
from shared.store.outbox import enqueue


def prepare(session: Session, events: Sequence[AnyEvent]) -> None:
    """Read the rows the batch will look up, so its events query nothing more."""
    homes = {e.data.home_id for e in events if isinstance(e, j.PlacementStarted) and e.data.home_id}
    rows.prefetch(session, HomeRow, homes)
    vacancies.prefetch_live(session, homes)
    journey.prefetch_open_stays(
        session, _keys(events, (j.PlacementStarted, j.ChildLeftCare), "child_id")
    )
    stays = _keys(events, (j.PlacementStarted, j.PlacementEnded), "placement_id")
    rows.prefetch(session, StayRow, stays)
    children = _keys(events, (j.ChildAdmitted, j.ChildDetailsCorrected), "child_id")
    rows.prefetch(session, MatchChildRow, children)
    referrals = _keys(events, (j.ReferralReceived, j.ReferralClosed), "referral_id")
    rows.prefetch(session, MatchReferralRow, referrals)


def _keys(events: Sequence[AnyEvent], types: tuple[type, ...], field: str) -> set[tuple[str, str]]:
    return {(e.la, getattr(e.data, field)) for e in events if isinstance(e, types)}


def handle(session: Session, event: AnyEvent) -> None:
    match event:
        case j.PlacementStarted():
            placement_started(session, event)
        case j.PlacementEnded():
            journey.end_stay(session, event.la, event.data.placement_id, event.data.date)
        case j.ChildLeftCare():
            journey.end_open_stays(session, event.la, event.data.child_id, event.data.date)
        case j.ChildAdmitted() | j.ChildDetailsCorrected():
            journey.save_child(session, event.la, event.data)
        case j.ReferralReceived():
            journey.save_referral(session, event.la, event.data)
        case j.ReferralClosed():
            journey.close_referral(session, event.la, event.data.referral_id, event.data.date)
        case j.JourneyEventRetracted():
            retracted(session, event.la, event.data.event)


def retracted(session: Session, la: str, event: j.RetractableEvent) -> None:
    match event:
        case j.PlacementStarted():
            journey.unstart_stay(session, la, event.data.placement_id, event.data.date)
        case j.PlacementEnded():
            journey.unend_stay(session, la, event.data.placement_id, event.data.date)


def _home_of(session: Session, d: j.PlacementStartedData) -> Home | None:
    home = store.load_home(session, d.home_id) if d.home_id else None
    if home is None and d.urn:
        home = store.home_by_urn(session, d.urn)
    return home


def placement_started(session: Session, event: j.PlacementStarted) -> None:
    d = event.data
    home = _home_of(session, d)
    home_id = home.home_id if home else d.home_id
    restarted = journey.start_stay(
        session, event.la, d.placement_id, d.child_id, home_id, d.urn, d.date
    )
    if home is None:
        return
    store.lock_supply(session)
    if restarted and vacancies.placement_filled(session, home.home_id, d.placement_id):
        return
    vacancy = choose_for_placement(
        vacancies.live_vacancies_of(session, home.home_id), d.referral_id, d.date, d.reason
    )
    if vacancy is None:
        return
    after = fill(vacancy, d.placement_id, 1, event.time)
    vacancy_saved(session, home, after)
    enqueue(session, SUPPLY, home.home_id, emitted.filled(after, d.placement_id, event.time))
