"""Folding events into an LA's facts (pure, in place).

Order-robust where case management is not: a `placement.started` closes the
child's placement open at that date, and a `placement.ended` that arrives
after the next start then only confirms the end, so both orders give the
same facts. A placement that starts before a later-known one is closed at
that later start.
"""

import bisect
from datetime import date

from services.metrics.domain.facts import (
    Child, Home, LaFacts, LegalSpan, Period, Placement, Referral, Vacancy,
)
from shared.events import journey as j
from shared.events import supply as s
from shared.events.common import GridRef
from shared.events.registry import AnyEvent


def _grid(ref: GridRef | None) -> tuple[int, int] | None:
    return None if ref is None else (ref.easting, ref.northing)


def _birth(month: str) -> date:
    year, mon = month.split("-")
    return date(int(year), int(mon), 1)


def apply(facts: LaFacts, event: AnyEvent) -> None:
    match event:
        case j.ChildAdmitted():
            _admitted(facts, event.data)
        case j.PlacementStarted():
            _started(facts, event.data)
        case j.PlacementEnded():
            _ended(facts, event.data)
        case j.LegalStatusChanged():
            spans = facts.legal.setdefault(event.data.child_id, [])
            bisect.insort(spans, LegalSpan(event.data.date, event.data.legal_status), key=lambda x: x.start)
        case j.ChildLeftCare():
            _left(facts, event.data)
        case j.ChildDetailsCorrected():
            _corrected(facts, event.data)
        case j.ReferralReceived():
            d = event.data
            facts.referrals[d.referral_id] = Referral(d.referral_id, d.child_id, d.date, d.urgency)
        case j.ReferralClosed():
            if (ref := facts.referrals.get(event.data.referral_id)) is not None:
                ref.closed, ref.outcome = event.data.date, event.data.outcome
                ref.placement_id = event.data.placement_id
        case _:
            _supply(facts, event)


def _admitted(facts: LaFacts, d: j.ChildAdmittedData) -> None:
    facts.children[d.child_id] = Child(d.child_id, _birth(d.birth_month), d.uasc, _grid(d.home_location))
    periods = facts.periods.setdefault(d.child_id, [])
    if periods and periods[-1].end is None and periods[-1].start <= d.date:
        return  # already in care: the referrals service refuses this; a replay may not
    bisect.insort(periods, Period(d.date), key=lambda p: p.start)
    spans = facts.legal.setdefault(d.child_id, [])
    bisect.insort(spans, LegalSpan(d.date, d.legal_status), key=lambda x: x.start)


def _started(facts: LaFacts, d: j.PlacementStartedData) -> None:
    if d.placement_id in facts.placements:
        return
    placement = Placement(d.placement_id, d.child_id, d.date, d.reason, d.placement_type, d.provider,
                          d.home_id, _grid(d.placement_location), d.placement_la, d.weekly_cost,
                          d.framework, d.emergency)
    history = facts.by_child.setdefault(d.child_id, [])
    at = bisect.bisect_right([p.start for p in history], d.date)
    if at > 0 and (before := history[at - 1]).end is None:
        before.end = d.date  # the move ends the previous placement
    if at < len(history):
        placement.end = history[at].start
    history.insert(at, placement)
    facts.placements[d.placement_id] = placement


def _ended(facts: LaFacts, d: j.PlacementEndedData) -> None:
    placement = facts.placements.get(d.placement_id)
    if placement is not None:
        placement.end, placement.end_reported = d.date, True


def _left(facts: LaFacts, d: j.ChildLeftCareData) -> None:
    for period in facts.periods.get(d.child_id, []):
        if period.end is None and period.start <= d.date:
            period.end = d.date
    for placement in facts.by_child.get(d.child_id, []):
        if placement.end is None and placement.start <= d.date:
            placement.end = d.date


def _corrected(facts: LaFacts, d: j.ChildDetailsCorrectedData) -> None:
    child = facts.children.get(d.child_id)
    if child is None:
        return
    if d.birth_month is not None:
        child.birth = _birth(d.birth_month)
    if d.uasc is not None:
        child.uasc = d.uasc
    if d.home_location is not None:
        child.home = _grid(d.home_location)


def _supply(facts: LaFacts, event: AnyEvent) -> None:
    day = event.time.date()
    match event:
        case s.HomeRegistered():
            d = event.data
            facts.homes[d.home_id] = Home(d.home_id, d.kind, d.provider, d.location_la,
                                          d.registered_places, day, d.share_regionally)
        case s.HomeUpdated():
            if (home := facts.homes.get(event.data.home_id)) is not None:
                u = event.data
                home.registered_places = u.registered_places or home.registered_places
                home.location_la = u.location_la or home.location_la
                if u.share_regionally is not None:
                    home.share_regionally = u.share_regionally
        case s.HomeDeregistered():
            if (home := facts.homes.get(event.data.home_id)) is not None:
                home.deregistered = event.data.date
        case s.VacancyOpened():
            d = event.data
            facts.vacancies[d.vacancy_id] = Vacancy(d.vacancy_id, d.home_id, d.places, max(day, d.available_from))
        case s.VacancyHeld() | s.VacancyReopened():
            if (vac := facts.vacancies.get(event.data.vacancy_id)) is not None:
                vac.status = "held" if isinstance(event, s.VacancyHeld) else "open"
        case s.VacancyFilled() | s.VacancyWithdrawn() | s.VacancyExpired():
            if (vac := facts.vacancies.get(event.data.vacancy_id)) is not None and vac.closed is None:
                vac.closed, vac.status = day, event.type.split(".")[1]
