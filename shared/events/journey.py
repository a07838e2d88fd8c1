"""Child journey events, posted by case-management systems to referrals."""

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    Field,
    PositiveInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from shared.events.codecheck import (
    CategoryOfNeed,
    Ethnicity,
    LegalStatus,
    Place,
    PlaceProvider,
    ReasonEpisodeCeased,
    ReasonPlaceChange,
    Rne,
    check_code,
)
from shared.events.common import (
    BirthMonth,
    EventWeeklyPounds,
    GridRef,
    Need,
    Postcode,
    SaneDate,
    check_birth,
)
from shared.events.envelope import Envelope, EventData, LaCode

Day = date  # fields named `date` shadow the type inside class bodies
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


class ChildAdmittedData(EventData):
    child_id: Id
    date: SaneDate
    birth_month: BirthMonth
    sex: Literal[1, 2]
    ethnicity: Ethnicity
    legal_status: LegalStatus
    category_of_need: CategoryOfNeed
    uasc: bool = False
    home_postcode: Postcode | None = None
    home_location: GridRef | None = None

    @field_validator("birth_month")
    @classmethod
    def _born_first(cls, v: str, info: ValidationInfo) -> str:
        return check_birth(v, info)

    @field_validator("ethnicity")
    @classmethod
    def _ethnicity(cls, v: str, info: ValidationInfo) -> str:
        return check_code(v, info, "ethnicity")

    @field_validator("legal_status")
    @classmethod
    def _ls(cls, v: str, info: ValidationInfo) -> str:
        return check_code(v, info, "legal_status")

    @field_validator("category_of_need")
    @classmethod
    def _cin(cls, v: str, info: ValidationInfo) -> str:
        return check_code(v, info, "category_of_need")


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    PLANNED = "planned"


class PlacementSought(StrEnum):
    FOSTERING = "fostering"
    RESIDENTIAL = "residential"
    SUPPORTED = "supported"
    PARENT_AND_CHILD = "parent_and_child"
    SECURE = "secure"
    OTHER = "other"


class ReferralReceivedData(EventData):
    referral_id: Id
    child_id: Id
    date: SaneDate
    urgency: Urgency
    placement_sought: PlacementSought
    needs: list[Need] = []
    sibling_group_size: PositiveInt | None = None
    required_by: SaneDate | None = None
    preferred_location: GridRef | None = None


class ReferralOutcome(StrEnum):
    PLACED = "placed"
    WITHDRAWN = "withdrawn"
    NO_SUITABLE_PLACEMENT = "no_suitable_placement"


class ReferralClosedData(EventData):
    referral_id: Id
    date: SaneDate
    outcome: ReferralOutcome
    placement_id: Id | None = None

    @model_validator(mode="after")
    def _placed_needs_placement(self) -> "ReferralClosedData":
        if self.outcome is ReferralOutcome.PLACED and self.placement_id is None:
            raise ValueError("outcome 'placed' needs a placement_id")
        return self


class PlacementStartedData(EventData):
    placement_id: Id
    child_id: Id
    date: SaneDate
    reason: Rne
    placement_type: Place
    provider: PlaceProvider
    home_id: Id | None = None
    urn: str | None = None
    placement_postcode: Postcode | None = None
    placement_location: GridRef | None = None
    placement_la: LaCode | None = None
    weekly_cost: EventWeeklyPounds | None = None
    framework: str | None = None
    referral_id: Id | None = None
    emergency: bool = False

    @field_validator("reason")
    @classmethod
    def _rne(cls, v: str, info: ValidationInfo) -> str:
        if v == "L":
            raise ValueError("RNE L (legal status only) is legal_status.changed, not a placement")
        return check_code(v, info, "rne")

    @field_validator("placement_type")
    @classmethod
    def _place(cls, v: str, info: ValidationInfo) -> str:
        return check_code(v, info, "place")

    @field_validator("provider")
    @classmethod
    def _provider(cls, v: str, info: ValidationInfo) -> str:
        return check_code(v, info, "place_provider")


class PlacementEndedData(EventData):
    placement_id: Id
    child_id: Id
    date: SaneDate
    reason_for_change: ReasonPlaceChange | None = None

    @field_validator("reason_for_change")
    @classmethod
    def _reason(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else check_code(v, info, "reason_place_change")


class LegalStatusChangedData(EventData):
    child_id: Id
    date: SaneDate
    legal_status: LegalStatus

    @field_validator("legal_status")
    @classmethod
    def _ls(cls, v: str, info: ValidationInfo) -> str:
        return check_code(v, info, "legal_status")


class ChildLeftCareData(EventData):
    child_id: Id
    date: SaneDate
    reason: ReasonEpisodeCeased

    @field_validator("reason")
    @classmethod
    def _rec(cls, v: str, info: ValidationInfo) -> str:
        if v == "X1":
            raise ValueError("X1 continues the period of care; it does not end it")
        return check_code(v, info, "reason_episode_ceased")


class ChildDetailsCorrectedData(EventData):
    child_id: Id
    date: SaneDate
    birth_month: BirthMonth | None = None
    sex: Literal[1, 2] | None = None
    ethnicity: Ethnicity | None = None
    uasc: bool | None = None
    home_postcode: Postcode | None = None
    home_location: GridRef | None = None

    @field_validator("ethnicity")
    @classmethod
    def _ethnicity(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else check_code(v, info, "ethnicity")


class ChildAdmitted(Envelope):
    type: Literal["child.admitted.v1"] = "child.admitted.v1"
    data: ChildAdmittedData


class ReferralReceived(Envelope):
    type: Literal["referral.received.v1"] = "referral.received.v1"
    data: ReferralReceivedData


class ReferralClosed(Envelope):
    type: Literal["referral.closed.v1"] = "referral.closed.v1"
    data: ReferralClosedData


class PlacementStarted(Envelope):
    type: Literal["placement.started.v1"] = "placement.started.v1"
    data: PlacementStartedData


class PlacementEnded(Envelope):
    type: Literal["placement.ended.v1"] = "placement.ended.v1"
    data: PlacementEndedData


class LegalStatusChanged(Envelope):
    type: Literal["legal_status.changed.v1"] = "legal_status.changed.v1"
    data: LegalStatusChangedData


class ChildLeftCare(Envelope):
    type: Literal["child.left_care.v1"] = "child.left_care.v1"
    data: ChildLeftCareData


class ChildDetailsCorrected(Envelope):
    type: Literal["child.details.corrected.v1"] = "child.details.corrected.v1"
    data: ChildDetailsCorrectedData


RetractableEvent = (
    ChildAdmitted
    | ReferralReceived
    | ReferralClosed
    | PlacementStarted
    | PlacementEnded
    | LegalStatusChanged
    | ChildLeftCare
    | ChildDetailsCorrected
)
"""The journey events a retraction can name (a retraction itself cannot be retracted)."""


class RetractionReason(StrEnum):
    CORRECTED = "corrected"  # a corrected version of the same fact is sent with it
    WITHDRAWN = "withdrawn"  # the producer no longer reports the fact at all


class JourneyEventRetractedData(EventData):
    """Withdraws one earlier journey event: consumers undo what it said.

    Events are never edited in place (EVENTS.md: corrections are events too).
    The retracted event travels whole, so a consumer that keeps statements
    rather than event ids can still find and remove what it said.
    """

    child_id: Id
    date: Annotated[SaneDate, Field(description="The day the retraction was made")]
    event: Annotated[RetractableEvent, Field(discriminator="type")]
    reason: RetractionReason

    @model_validator(mode="after")
    def _same_child(self) -> "JourneyEventRetractedData":
        named = getattr(self.event.data, "child_id", None)
        if named is not None and named != self.child_id:
            raise ValueError("the retracted event is about another child")
        return self


class JourneyEventRetracted(Envelope):
    type: Literal["journey.event.retracted.v1"] = "journey.event.retracted.v1"
    data: JourneyEventRetractedData


JourneyEvent = RetractableEvent | JourneyEventRetracted
