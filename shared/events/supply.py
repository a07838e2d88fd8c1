"""Supply events: homes and vacancies, posted to the vacancies service.

Their effective time is the envelope's `time`.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    Field,
    NonNegativeInt,
    PositiveInt,
    model_validator,
)

from shared.events.common import (
    EventWeeklyPounds,
    GridRef,
    HomeKind,
    HomeProvider,
    Need,
    OfstedRating,
    Postcode,
    SaneDate,
)
from shared.events.envelope import Envelope, EventData, LaCode
from shared.events.journey import Id

Age = Annotated[int, Field(ge=0, le=25)]


class HomeRegisteredData(EventData):
    home_id: Id
    urn: str | None = None
    name: str | None = Field(None, description="Never for foster households (pseudonymous)")
    kind: HomeKind
    provider: HomeProvider
    owner_la: LaCode
    location_la: LaCode
    postcode: Postcode | None = None
    location: GridRef | None = None
    registered_places: PositiveInt
    age_min: Age = 0
    age_max: Age = 17
    specialisms: list[Need] = []
    ofsted_rating: OfstedRating = OfstedRating.NOT_YET_INSPECTED
    weekly_price: EventWeeklyPounds | None = None
    frameworks: list[str] = []
    share_regionally: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> "HomeRegisteredData":
        if self.age_min > self.age_max:
            raise ValueError("age_min is above age_max")
        if self.kind is HomeKind.FOSTER_HOUSEHOLD and self.name:
            raise ValueError("foster households are pseudonymous: no name")
        return self


class HomeUpdatedData(EventData):
    home_id: Id
    urn: str | None = None
    name: str | None = None
    postcode: Postcode | None = None
    location: GridRef | None = None
    location_la: LaCode | None = None
    registered_places: PositiveInt | None = None
    age_min: Age | None = None
    age_max: Age | None = None
    specialisms: list[Need] | None = None
    ofsted_rating: OfstedRating | None = None
    weekly_price: EventWeeklyPounds | None = None
    frameworks: list[str] | None = None
    share_regionally: bool | None = None


class HomeDeregisteredData(EventData):
    home_id: Id
    date: SaneDate
    reason: str = ""


class VacancyOpenedData(EventData):
    vacancy_id: Id
    home_id: Id
    places: PositiveInt = 1
    available_from: SaneDate
    expires_at: AwareDatetime | None = None
    suitable_for: list[Need] = []
    age_min: Age = 0
    age_max: Age = 17


class VacancyHeldData(EventData):
    vacancy_id: Id
    held_for_referral: Id
    hold_until: AwareDatetime


class VacancyFilledData(EventData):
    vacancy_id: Id
    placement_id: Id
    places_filled: NonNegativeInt = 1


class VacancyWithdrawnData(EventData):
    vacancy_id: Id
    reason: str = ""


class VacancyReopenedData(EventData):
    """Emitted by the vacancies service when a hold lapses (not in EVENTS.md v1)."""

    vacancy_id: Id
    lapsed_hold_until: datetime | None = None


class VacancyExpiredData(EventData):
    """Emitted by the vacancies service when `expires_at` passes (not in EVENTS.md v1)."""

    vacancy_id: Id


class HomeRegistered(Envelope):
    type: Literal["home.registered.v1"] = "home.registered.v1"
    data: HomeRegisteredData


class HomeUpdated(Envelope):
    type: Literal["home.updated.v1"] = "home.updated.v1"
    data: HomeUpdatedData


class HomeDeregistered(Envelope):
    type: Literal["home.deregistered.v1"] = "home.deregistered.v1"
    data: HomeDeregisteredData


class VacancyOpened(Envelope):
    type: Literal["vacancy.opened.v1"] = "vacancy.opened.v1"
    data: VacancyOpenedData


class VacancyHeld(Envelope):
    type: Literal["vacancy.held.v1"] = "vacancy.held.v1"
    data: VacancyHeldData


class VacancyFilled(Envelope):
    type: Literal["vacancy.filled.v1"] = "vacancy.filled.v1"
    data: VacancyFilledData


class VacancyWithdrawn(Envelope):
    type: Literal["vacancy.withdrawn.v1"] = "vacancy.withdrawn.v1"
    data: VacancyWithdrawnData


class VacancyReopened(Envelope):
    type: Literal["vacancy.reopened.v1"] = "vacancy.reopened.v1"
    data: VacancyReopenedData


class VacancyExpired(Envelope):
    type: Literal["vacancy.expired.v1"] = "vacancy.expired.v1"
    data: VacancyExpiredData


SupplyEvent = (
    HomeRegistered
    | HomeUpdated
    | HomeDeregistered
    | VacancyOpened
    | VacancyHeld
    | VacancyFilled
    | VacancyWithdrawn
    | VacancyReopened
    | VacancyExpired
)
