"""Hand-built homes, vacancies and supply events for the vacancies unit tests."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.vacancies.domain.homes import Home
from services.vacancies.domain.lifecycle import Vacancy
from shared.events.registry import parse_supply
from shared.events.supply import SupplyEvent

DERBY = "E06000015"
NOTTINGHAM = "E06000018"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def at(hours: float = 0, days: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, days=days)


def home(home_id: str = "H1", **kw: Any) -> Home:
    base: dict[str, Any] = dict(
        home_id=home_id, owner_la=DERBY, kind="childrens_home", provider="own_la",
        location_la=DERBY, registered_places=4, age_min=8, age_max=17, ofsted_rating="good",
        share_regionally=True, registered_on=date(2024, 1, 1), updated_at=T0,
        postcode="DE22 1AA", location=(435000, 336000),
    )  # fmt: skip
    return Home(**(base | kw))


def vacancy(vacancy_id: str = "V1", **kw: Any) -> Vacancy:
    base: dict[str, Any] = dict(
        vacancy_id=vacancy_id, home_id="H1", owner_la=DERBY, places=1,
        available_from=T0.date(), opened_at=T0, updated_at=T0,
    )  # fmt: skip
    return Vacancy(**(base | kw))


def supply(type_: str, data: dict[str, Any], time: datetime = T0, la: str = DERBY) -> SupplyEvent:
    return parse_supply(
        {
            "id": str(uuid.uuid4()),
            "source": f"/la/{la}/provider",
            "type": type_,
            "time": time.isoformat(),
            "la": la,
            "data": data,
        }
    )
