"""Loading and saving vacancies as the domain sees them."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from services.vacancies.adapters.tables import VacancyRow
from services.vacancies.domain.lifecycle import LIVE, Status, Vacancy
from shared.store import rows


def to_vacancy(r: VacancyRow) -> Vacancy:
    return Vacancy(
        vacancy_id=r.vacancy_id,
        home_id=r.home_id,
        owner_la=r.owner_la,
        places=r.places,
        available_from=r.available_from,
        opened_at=r.opened_at,
        updated_at=r.updated_at,
        status=Status(r.status),
        expires_at=r.expires_at,
        held_for_referral=r.held_for_referral,
        hold_until=r.hold_until,
        held_at=r.held_at,
        suitable_for=tuple(r.suitable_for),
        age_min=r.age_min,
        age_max=r.age_max,
        filled_by=tuple((str(p), int(n)) for p, n in r.filled_by),
    )


def load_vacancy(s: Session, vacancy_id: str) -> Vacancy | None:
    # Through the identity map: the rules, the change and the routing of one
    # event each load the vacancy, and only the first goes to the database.
    row = rows.get(s, VacancyRow, vacancy_id)
    return None if row is None else to_vacancy(row)


def save_vacancy(s: Session, v: Vacancy) -> None:
    row = rows.get(s, VacancyRow, v.vacancy_id) or VacancyRow(
        vacancy_id=v.vacancy_id,
        home_id=v.home_id,
        owner_la=v.owner_la,
        places=v.places,
        status=v.status,
        available_from=v.available_from,
        opened_at=v.opened_at,
        updated_at=v.updated_at,
        age_min=v.age_min,
        age_max=v.age_max,
    )
    for name in (
        "places",
        "available_from",
        "updated_at",
        "expires_at",
        "held_for_referral",
        "hold_until",
        "held_at",
        "age_min",
        "age_max",
    ):
        setattr(row, name, getattr(v, name))
    row.status = str(v.status)
    row.suitable_for = list(v.suitable_for)
    row.filled_by = [[p, n] for p, n in v.filled_by]
    rows.add(s, row)
    index = _live_index(s)
    if v.home_id in index and all(r is not row for r in index[v.home_id]):
        index[v.home_id].append(row)  # new, or live again


def _live_index(s: Session) -> dict[str, list[VacancyRow]]:
    """Per home, the vacancies live when the transaction read them and those it
    saved since: a superset of the home's live vacancies (filter on status)."""
    index: dict[str, list[VacancyRow]] = s.info.setdefault("live_vacancies", {})
    return index


def live_vacancies_of(s: Session, home_id: str) -> list[Vacancy]:
    index = _live_index(s)
    if home_id not in index:
        prefetch_live(s, [home_id])
    live = [r for r in index[home_id] if Status(r.status) in LIVE]
    return [to_vacancy(r) for r in sorted(live, key=lambda r: r.opened_at)]


def prefetch_live(s: Session, home_ids: Iterable[str]) -> None:
    """The live vacancies of these homes, read in a few queries."""
    rows.prefetch_groups(
        s,
        _live_index(s),
        home_ids,
        lambda chunk: select(VacancyRow).where(
            col(VacancyRow.home_id).in_(chunk), col(VacancyRow.status).in_([str(x) for x in LIVE])
        ),
        lambda row: row.home_id,
    )


def due_vacancies(s: Session, now: datetime) -> list[Vacancy]:
    """Held vacancies whose hold has lapsed, live ones whose expiry has passed
    (an open vacancy keeps its last hold on record: not due again)."""
    stmt = select(VacancyRow).where(
        col(VacancyRow.status).in_([str(x) for x in LIVE]),
        or_(
            and_(col(VacancyRow.status) == str(Status.HELD), col(VacancyRow.hold_until) <= now),
            col(VacancyRow.expires_at) <= now,
        ),
    )
    return [to_vacancy(r) for r in s.exec(stmt)]


def placement_filled(s: Session, home_id: str, placement_id: str) -> bool:
    """Whether a vacancy of the home already took this placement."""
    rows = s.exec(select(VacancyRow).where(VacancyRow.home_id == home_id)).all()
    return any(str(p) == placement_id for r in rows for p, _ in r.filled_by)
