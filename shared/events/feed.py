"""The shared regional vacancy feed: non-personal by construction.

The payload has no field that could carry child data, a full postcode or a
foster household's identity; tests/unit/shared checks the schema for that.
"""

from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from shared.events.common import HomeKind, HomeProvider, Need, OfstedRating
from shared.events.envelope import Envelope, EventData, LaCode
from shared.events.supply import Age


class FeedStatus(StrEnum):
    OPEN = "open"
    HELD = "held"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class FeedVacancyData(EventData):
    vacancy_id: str
    owner_la: LaCode
    kind: HomeKind
    provider: HomeProvider
    location_la: LaCode
    postcode_district: str | None = Field(None, pattern=r"^[A-Z]{1,2}\d[A-Z\d]?$")
    places: int
    age_min: Age
    age_max: Age
    suitable_for: list[Need]
    ofsted_rating: OfstedRating
    weekly_price: float | None
    frameworks: list[str]
    status: FeedStatus
    updated_at: AwareDatetime


class FeedVacancy(Envelope):
    type: Literal["feed.vacancy.v1"] = "feed.vacancy.v1"
    data: FeedVacancyData


def postcode_district(postcode: str | None) -> str | None:
    """The outward code of a postcode ('DE22 1AA' -> 'DE22')."""
    if not postcode:
        return None
    compact = postcode.replace(" ", "").upper()
    return compact[:-3] if len(compact) > 3 else None
