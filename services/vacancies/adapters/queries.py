"""Reading homes, vacancies, stays and referrals for the HTTP API."""

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import Engine, or_, tuple_
from sqlmodel import Session, col, select

from services.vacancies.adapters.supply_store import to_home
from services.vacancies.adapters.tables import (
    HomePlacesRow,
    HomeRow,
    MatchChildRow,
    MatchReferralRow,
    StayRow,
    VacancyRow,
)
from services.vacancies.adapters.vacancy_store import to_vacancy
from services.vacancies.domain.homes import Home
from services.vacancies.domain.lifecycle import LIVE, Vacancy
from services.vacancies.domain.occupancy import Stay


def homes(
    engine: Engine,
    owner_la: str,
    shared_only: bool = False,
    after: str | None = None,
    limit: int | None = None,
) -> list[Home]:
    """Homes in id order after the home `after`; all of them when no `limit`."""
    with Session(engine) as s:
        stmt = select(HomeRow).where(HomeRow.owner_la == owner_la)
        if shared_only:
            stmt = stmt.where(col(HomeRow.share_regionally).is_(True))
            stmt = stmt.where(col(HomeRow.deregistered_on).is_(None))
        if after is not None:
            stmt = stmt.where(col(HomeRow.home_id) > after)
        stmt = stmt.order_by(col(HomeRow.home_id)).limit(limit)
        return [to_home(r) for r in s.exec(stmt)]


def home(engine: Engine, home_id: str) -> Home | None:
    with Session(engine) as s:
        row = s.get(HomeRow, home_id)
        return None if row is None else to_home(row)


def vacancies(
    engine: Engine,
    owner_la: str,
    status: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Vacancy]:
    """Up to `limit` vacancies in the order opened, after the one whose
    (opened_at, vacancy_id) is `after`."""
    opened, vacancy_id = col(VacancyRow.opened_at), col(VacancyRow.vacancy_id)
    with Session(engine) as s:
        stmt = select(VacancyRow).where(VacancyRow.owner_la == owner_la)
        if status is not None:
            stmt = stmt.where(VacancyRow.status == status)
        if after is not None:
            stmt = stmt.where(tuple_(opened, vacancy_id) > after)
        stmt = stmt.order_by(opened, vacancy_id).limit(limit)
        return [to_vacancy(r) for r in s.exec(stmt)]


def places_and_stays(
    engine: Engine, home_ids: Collection[str], day: date
) -> dict[str, tuple[list[tuple[date, int]], list[Stay]]]:
    """Each home's registered-places history and the stays that began by `day`."""
    out: dict[str, tuple[list[tuple[date, int]], list[Stay]]] = {h: ([], []) for h in home_ids}
    with Session(engine) as s:
        for p in s.exec(select(HomePlacesRow).where(col(HomePlacesRow.home_id).in_(home_ids))):
            out[p.home_id][0].append((p.since, p.places))
        stays = select(StayRow).where(col(StayRow.home_id).in_(home_ids), col(StayRow.start) <= day)
        for r in s.exec(stays):
            out[str(r.home_id)][1].append(Stay(r.start, r.end))
    return out


def candidates(engine: Engine, la: str, sharing_las: Collection[str]) -> list[tuple[Home, Vacancy]]:
    """Live vacancies of active homes the LA owns, or that others in its region share."""
    with Session(engine) as s:
        stmt = (
            select(HomeRow, VacancyRow)
            .join(VacancyRow, col(VacancyRow.home_id) == col(HomeRow.home_id))
            .where(
                col(VacancyRow.status).in_([str(x) for x in LIVE]),
                col(HomeRow.deregistered_on).is_(None),
                or_(
                    col(HomeRow.owner_la) == la,
                    col(HomeRow.owner_la).in_(sharing_las) & col(HomeRow.share_regionally),
                ),
            )
        )
        return [(to_home(h), to_vacancy(v)) for h, v in s.exec(stmt)]


def referral(
    engine: Engine, la: str, referral_id: str
) -> tuple[MatchReferralRow, MatchChildRow | None] | None:
    with Session(engine) as s:
        row = s.get(MatchReferralRow, (la, referral_id))
        if row is None:
            return None
        return row, s.get(MatchChildRow, (la, row.child_id))
