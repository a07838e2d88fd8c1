"""Matching a referral to vacancies: the referral's facts, the candidates, the ranking."""

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine

from services.vacancies.adapters import queries
from services.vacancies.adapters.journey_store import child_location
from services.vacancies.domain.age import age_on
from services.vacancies.domain.homes import Home
from services.vacancies.domain.lifecycle import Status, Vacancy
from services.vacancies.domain.matching import Candidate, Match, Referral, rank
from shared.regions import members, region_of


class UnknownReferral(LookupError):
    pass


@dataclass(frozen=True)
class Ranked:
    match: Match
    home: Home
    vacancy: Vacancy


def stored_referral(engine: Engine, la: str, referral_id: str, today: date) -> Referral:
    """A referral as the journey topic told us (own LA only)."""
    found = queries.referral(engine, la, referral_id)
    if found is None:
        raise UnknownReferral(referral_id)
    row, child = found
    where = (
        (row.easting, row.northing)
        if row.easting is not None and row.northing is not None
        else None
    )
    return Referral(
        placement_sought=row.placement_sought,
        needs=tuple(row.needs),
        age=age_on(child.birth_month if child else None, today),
        location=where or child_location(child),
        sibling_group_size=row.sibling_group_size,
    )


def override(base: Referral, **given: object) -> Referral:
    """Fields given inline win over the stored referral's."""
    return replace(base, **{k: v for k, v in given.items() if v is not None})  # type: ignore[arg-type]


def candidate(home: Home, v: Vacancy) -> Candidate:
    return Candidate(
        vacancy_id=v.vacancy_id,
        kind=home.kind,
        places_left=v.places_left,
        suitable_for=v.suitable_for,
        specialisms=home.specialisms,
        age_min=v.age_min,
        age_max=v.age_max,
        location=home.location,
        ofsted_rating=home.ofsted_rating,
        weekly_price=home.weekly_price,
        frameworks=home.frameworks,
    )


def match(
    engine: Engine, la: str, referral: Referral, referral_id: str | None, limit: int
) -> tuple[int, list[Ranked]]:
    """(vacancies considered, the best `limit` of them ranked)."""
    region = region_of(la)
    sharing = members(region) - {la} if region else frozenset()
    pairs = [
        (h, v)
        for h, v in queries.candidates(engine, la, sharing)
        if v.status is Status.OPEN or (referral_id and v.held_for_referral == referral_id)
    ]
    by_id = {v.vacancy_id: (h, v) for h, v in pairs}
    ranked = rank(referral, [candidate(h, v) for h, v in pairs])
    return len(pairs), [Ranked(m, *by_id[m.vacancy_id]) for m in ranked[:limit]]
