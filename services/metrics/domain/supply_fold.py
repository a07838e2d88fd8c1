"""Supply events (homes and vacancies) into facts (in place).

A supply event takes effect on the day of its envelope `time` (supply.py),
read in the offset the producer wrote it in, except home.deregistered, which
carries its own `date`. Events about a home or vacancy not seen yet are
parked until it is registered or opened. Supply is keyed by home on Kafka,
so within a home the arrival order is the order things happened in.

Homes: every attribute an as-of figure reads keeps a dated history (places,
location, location LA, sharing, and kind, provider and owner, which change
only when the home is registered again), so a change dated after a day does
not change that day's figures.

Vacancies: `opened_at` is the later of the day posted and `available_from`
(a vacancy posted again restates it, and its places, from the day it was
posted again: as-of figures read the posting in force on the day);
held and reopened change only the status (a held vacancy is still open: no
child has moved in); filled closes it once its places are all filled
(partial fills are counted by placement id, so a repeated event changes
nothing); withdrawn and expired close it. A reopen after a close is ignored
(only a lapsed hold reopens). Whether a vacancy is shared regionally is its
home's `share_regionally` when it opened, and follows the home's changes
while it is open.
"""

from dataclasses import replace
from datetime import date
from typing import TypeVar

from services.metrics.domain.facts import HomeFacts, LaFacts, VacancyFacts
from services.metrics.domain.journey_fold import grid
from shared.events import supply as s

T = TypeVar("T")


def park(facts: LaFacts, key: str, event: s.SupplyEvent) -> None:
    parked = facts.pending.setdefault(key, [])
    if event not in parked:
        parked.append(event)


def _with(history: tuple[tuple[date, T], ...], day: date, value: T) -> tuple[tuple[date, T], ...]:
    """A (from, value) history with `value` from `day` (the later event of a day wins)."""
    kept = dict(history)
    kept[day] = value
    return tuple(sorted(kept.items(), key=lambda item: item[0]))


def home_registered(facts: LaFacts, event: s.HomeRegistered) -> None:
    d, day = event.data, event.time.date()
    before = facts.homes.get(d.home_id)
    registered_at = min(day, before.registered_at) if before else day
    deregistered_at = before.deregistered_at if before else None
    gaps = before.gaps if before else ()
    if deregistered_at is not None and day >= deregistered_at:
        # Registered again after it closed: closed in between, whatever the date.
        gaps, deregistered_at = (*gaps, (deregistered_at, day)), None
    location, kind, provider = grid(d.location), str(d.kind), str(d.provider)
    facts.homes[d.home_id] = HomeFacts(
        home_id=d.home_id,
        kind=kind,
        provider=provider,
        owner_la=d.owner_la,
        location_la=d.location_la,
        registered_places=d.registered_places,
        registered_at=registered_at,
        deregistered_at=deregistered_at,
        gaps=gaps,
        share_regionally=d.share_regionally,
        urn=d.urn,
        location=location,
        places_history=_with(before.places_history if before else (), day, d.registered_places),
        location_la_history=_with(before.location_la_history if before else (), day, d.location_la),
        location_history=_with(before.location_history if before else (), day, location),
        share_history=_with(before.share_history if before else (), day, d.share_regionally),
        kind_history=_with(before.kind_history if before else (), day, kind),
        provider_history=_with(before.provider_history if before else (), day, provider),
        owner_la_history=_with(before.owner_la_history if before else (), day, d.owner_la),
    )


def home_updated(facts: LaFacts, event: s.HomeUpdated) -> None:
    d, day = event.data, event.time.date()
    home = facts.homes.get(d.home_id)
    if home is None:
        park(facts, f"home:{d.home_id}", event)
        return
    if d.registered_places is not None:
        home = replace(
            home,
            registered_places=d.registered_places,
            places_history=_with(home.places_history, day, d.registered_places),
        )
    home = replace(
        home,
        location_la=d.location_la or home.location_la,
        location=grid(d.location) or home.location,
        urn=d.urn or home.urn,
        share_regionally=home.share_regionally
        if d.share_regionally is None
        else d.share_regionally,
    )
    facts.homes[d.home_id] = _dated_changes(home, d, day)
    if d.share_regionally is not None:
        for vid, vac in facts.vacancies.items():
            if vac.home_id == d.home_id and vac.closed_at is None:
                facts.vacancies[vid] = replace(vac, shared_regionally=d.share_regionally)


def _dated_changes(home: HomeFacts, d: s.HomeUpdatedData, day: date) -> HomeFacts:
    """Record from when the attributes as-of figures read changed."""
    if d.location_la is not None:
        home = replace(
            home, location_la_history=_with(home.location_la_history, day, d.location_la)
        )
    if d.location is not None:
        home = replace(home, location_history=_with(home.location_history, day, grid(d.location)))
    if d.share_regionally is not None:
        home = replace(home, share_history=_with(home.share_history, day, d.share_regionally))
    return home


def home_deregistered(facts: LaFacts, event: s.HomeDeregistered) -> None:
    home = facts.homes.get(event.data.home_id)
    if home is None:
        park(facts, f"home:{event.data.home_id}", event)
        return
    facts.homes[home.home_id] = replace(home, deregistered_at=event.data.date)


def vacancy_opened(facts: LaFacts, event: s.VacancyOpened) -> None:
    d, posted = event.data, event.time.date()
    home = facts.homes.get(d.home_id)
    before = facts.vacancies.get(d.vacancy_id)
    opened_at = max(posted, d.available_from)
    opened = VacancyFacts(
        vacancy_id=d.vacancy_id,
        home_id=d.home_id,
        places=d.places,
        opened_at=opened_at,
        shared_regionally=bool(home and home.share_regionally),
        postings=_with(before.postings if before else (), posted, (opened_at, d.places)),
    )
    if before is not None:  # the same vacancy posted again: keep what happened to it since
        opened = replace(
            opened,
            closed_at=before.closed_at,
            final_status=before.final_status,
            filled_by=before.filled_by,
        )
    facts.vacancies[d.vacancy_id] = opened


def vacancy_changed(facts: LaFacts, event: s.SupplyEvent) -> None:
    """Held, reopened, filled, withdrawn or expired."""
    vacancy_id: str = getattr(event.data, "vacancy_id")  # noqa: B009
    vac = facts.vacancies.get(vacancy_id)
    if vac is None:
        park(facts, f"vacancy:{vacancy_id}", event)
        return
    day = event.time.date()
    if vac.closed_at is not None:
        return  # nothing reopens a filled, withdrawn or expired vacancy
    match event:
        case s.VacancyHeld():
            vac = replace(vac, final_status="held")
        case s.VacancyReopened():
            vac = replace(vac, final_status="open")
        case s.VacancyFilled():
            fills = {p: (n, on) for p, n, on in vac.filled_by}
            fills[event.data.placement_id] = (event.data.places_filled, day)
            vac = replace(vac, filled_by=tuple(sorted((p, n, on) for p, (n, on) in fills.items())))
            if vac.places_left == 0:
                vac = replace(vac, closed_at=day, final_status="filled")
        case s.VacancyWithdrawn():
            vac = replace(vac, closed_at=day, final_status="withdrawn")
        case s.VacancyExpired():
            vac = replace(vac, closed_at=day, final_status="expired")
    facts.vacancies[vacancy_id] = vac
