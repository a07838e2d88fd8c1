"""Value types shared by several event payloads."""

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class GridRef(BaseModel):
    """An OS National Grid point, metres."""

    model_config = ConfigDict(frozen=True)

    easting: Annotated[int, Field(ge=0, le=800_000)]
    northing: Annotated[int, Field(ge=0, le=1_400_000)]


class Need(StrEnum):
    DISABILITY = "disability"
    COMPLEX_HEALTH = "complex_health"
    MENTAL_HEALTH = "mental_health"
    CSE_RISK = "cse_risk"
    CCE_RISK = "cce_risk"
    OFFENDING = "offending"
    SUBSTANCE_MISUSE = "substance_misuse"
    CHALLENGING_BEHAVIOUR = "challenging_behaviour"
    UASC = "uasc"
    SIBLING_GROUP = "sibling_group"


class HomeKind(StrEnum):
    FOSTER_HOUSEHOLD = "foster_household"
    CHILDRENS_HOME = "childrens_home"
    SUPPORTED_ACCOMMODATION = "supported_accommodation"
    SECURE_CHILDRENS_HOME = "secure_childrens_home"
    RESIDENTIAL_SCHOOL = "residential_school"
    PARENT_AND_CHILD = "parent_and_child"
    OTHER = "other"


class HomeProvider(StrEnum):
    OWN_LA = "own_la"
    OTHER_LA = "other_la"
    PRIVATE = "private"
    VOLUNTARY = "voluntary"


class OfstedRating(StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NOT_YET_INSPECTED = "not_yet_inspected"


Postcode = Annotated[
    str, Field(pattern=r"^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$", examples=["DE22 1AA"])
]
BirthMonth = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2012-05"])]
