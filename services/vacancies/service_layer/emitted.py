"""Supply events the vacancies service emits itself (ids derived, so a redo repeats them)."""

import uuid
from datetime import datetime
from typing import TypeVar

from services.vacancies.domain.lifecycle import Transition, Vacancy
from shared.events import supply as s
from shared.events.envelope import Envelope, EventData

SOURCE = "/services/vacancies"
_NS = uuid.UUID("6c1d2b1e-4f0a-4c55-9a53-2f4b8e5d7a10")
E = TypeVar("E", bound=Envelope)


def _event(cls: type[E], v: Vacancy, at: datetime, key: str, data: EventData) -> E:
    return cls.model_validate(
        {
            "id": uuid.uuid5(_NS, f"{v.vacancy_id}|{key}"),
            "source": SOURCE,
            "time": at,
            "subject": v.vacancy_id,
            "la": v.owner_la,
            "data": data,
        }
    )


def filled(v: Vacancy, placement_id: str, at: datetime) -> s.VacancyFilled:
    data = s.VacancyFilledData(vacancy_id=v.vacancy_id, placement_id=placement_id)
    return _event(s.VacancyFilled, v, at, f"filled:{placement_id}", data)


def withdrawn(v: Vacancy, at: datetime, reason: str) -> s.VacancyWithdrawn:
    data = s.VacancyWithdrawnData(vacancy_id=v.vacancy_id, reason=reason)
    return _event(s.VacancyWithdrawn, v, at, "withdrawn", data)


def of_transition(t: Transition) -> s.VacancyReopened | s.VacancyExpired:
    """vacancy.reopened.v1 for a lapsed hold, vacancy.expired.v1 for a passed expiry."""
    v = t.before
    if t.kind == "reopened":
        data = s.VacancyReopenedData(vacancy_id=v.vacancy_id, lapsed_hold_until=v.hold_until)
        return _event(s.VacancyReopened, v, t.at, f"reopened:{t.at.isoformat()}", data)
    return _event(
        s.VacancyExpired, v, t.at, "expired", s.VacancyExpiredData(vacancy_id=v.vacancy_id)
    )
