"""Value types shared by several event payloads."""

import math
import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError


def _not_bool(value: object) -> object:
    """`false` is not a coordinate of 0 (pydantic would read it so)."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "a whole number of metres, not true or false")
    return value


# A weekly cost or price in pounds: finite (JSON's 1e400 reads as infinity)
# and far above any real placement's, so that sums of many stay finite.
MOST_POUNDS_A_WEEK = 1_000_000
WeeklyPounds = Annotated[float, Field(ge=0, le=MOST_POUNDS_A_WEEK, allow_inf_nan=False)]
# Validation context of an event arriving (POST /events): what is checked
# only then, so that an event stored before a rule was added still reads.
ARRIVING = {"arriving": True}


def _pounds_when_arriving(value: float, info: ValidationInfo) -> float:
    arriving = bool(info.context and info.context.get("arriving"))
    if arriving and not (math.isfinite(value) and value <= MOST_POUNDS_A_WEEK):
        raise PydanticCustomError(
            "weekly_pounds",
            "a weekly amount in pounds: a finite number from 0 to {most}",
            {"most": f"{MOST_POUNDS_A_WEEK:,}"},
        )
    return value


# An event's weekly cost or price: WeeklyPounds for an event arriving; one
# stored before the bound (or read from the log) is read as it was.
EventWeeklyPounds = Annotated[
    float,
    Field(ge=0, json_schema_extra={"maximum": MOST_POUNDS_A_WEEK}),
    AfterValidator(_pounds_when_arriving),
]


class GridRef(BaseModel):
    """An OS National Grid point, metres."""

    model_config = ConfigDict(frozen=True)

    easting: Annotated[int, Field(ge=0, le=800_000), BeforeValidator(_not_bool)]
    northing: Annotated[int, Field(ge=0, le=1_400_000), BeforeValidator(_not_bool)]


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
BirthMonth = Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2012-05"])]

# The dates this system takes anywhere (events and queries): a child in care
# today was born after 1900, and nothing is planned past 2099. The pattern says
# the same in the JSON Schema, so clients and schemathesis can see the range.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2099, 12, 31)
DATE_PATTERN = r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_SEQ = 2**63 - 1  # a cursor or sequence number: a signed 64-bit column


def iso_date_only(value: object) -> object:
    """Refuse what pydantic would read as a Unix timestamp ("0", 0): a date is YYYY-MM-DD."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("date_type", "a date as YYYY-MM-DD")


def check_date_range(day: date) -> date:
    """The day itself, or a `date_out_of_range` error naming the range."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise PydanticCustomError(
            "date_out_of_range",
            "a date from {earliest} to {latest}",
            {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )
    return day


SaneDate = Annotated[
    date,
    BeforeValidator(iso_date_only),
    AfterValidator(check_date_range),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN + "$"}),
]


def check_birth(month: str, info: ValidationInfo) -> str:
    """A birth month not after the event's `date` (declared before it): no child is
    admitted before being born."""
    day = info.data.get("date")
    # The date's own "YYYY-MM" (a valid date is in 1900-2099): strftime costs 4 times as much.
    if isinstance(day, date) and month > f"{day.year:04d}-{day.month:02d}":
        raise PydanticCustomError(
            "born_after_date",
            "birth month {month} is after the event's date {day}",
            {"month": month, "day": day.isoformat()},
        )
    return month
