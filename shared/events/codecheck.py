"""Checks a code against the SSDA903 list of the event's collection year.

Payloads declare `date` before their coded fields, so by the time a code is
validated the date is known and the right year's list can be chosen.

Most codes are in their list in every year a valid date can fall in (only
PLACE changed, in 2025-26): such a code is accepted without looking at the
date, which is the same answer the year's list gives and about a fifth of the
work. Any other code is checked against its year's list as before.
"""

from dataclasses import fields
from datetime import date
from typing import Annotated, Any

from pydantic import Field, ValidationInfo
from pydantic_core import PydanticCustomError

from shared.codes.ssda903 import CodeSet, any_year, codes_for, collection_year
from shared.events.common import EARLIEST_DATE, LATEST_DATE


def in_every_year(list_name: str) -> frozenset[str]:
    """The codes of a list in every collection year a valid event date falls in."""
    years = range(collection_year(EARLIEST_DATE), collection_year(LATEST_DATE) + 1)
    return frozenset.intersection(*(getattr(codes_for(y), list_name) for y in years))


_IN_EVERY_YEAR: dict[str, frozenset[str]] = {
    f.name: in_every_year(f.name) for f in fields(CodeSet) if f.name != "year"
}


def check_code(value: str, info: ValidationInfo, list_name: str) -> str:
    if value in _IN_EVERY_YEAR[list_name]:
        return value  # in the list whatever the year (a date error is its field's own)
    day = info.data.get("date")
    if not isinstance(day, date):
        return value  # the date error is reported on its own field
    codes: CodeSet = codes_for(collection_year(day))
    allowed: frozenset[str] = getattr(codes, list_name)
    if value not in allowed:
        raise PydanticCustomError(
            "code_not_in_list",
            "{value} is not a {list_name} code in collection year {year}",
            {
                "value": value,
                "list_name": list_name,
                "year": f"{codes.year}-{(codes.year + 1) % 100:02d}",
            },
        )
    return value


def code_of(list_name: str, description: str) -> Any:
    """The Field of a code whose JSON Schema lists the codes of any year (the enum)."""
    extra: dict[str, Any] = {"enum": sorted(any_year(list_name))}
    return Field(description=description, json_schema_extra=extra)


Ethnicity = Annotated[str, code_of("ethnicity", "SSDA903 ETHNIC")]
LegalStatus = Annotated[str, code_of("legal_status", "SSDA903 LS")]
CategoryOfNeed = Annotated[str, code_of("category_of_need", "SSDA903 CIN")]
Rne = Annotated[str, code_of("rne", "SSDA903 RNE: S, P, B, T or U")]
Place = Annotated[str, code_of("place", "SSDA903 PLACE (its collection year's list)")]
PlaceProvider = Annotated[str, code_of("place_provider", "SSDA903 PLACE_PROVIDER")]
ReasonPlaceChange = Annotated[str, code_of("reason_place_change", "SSDA903 REASON_PLACE_CHANGE")]
ReasonEpisodeCeased = Annotated[
    str, code_of("reason_episode_ceased", "SSDA903 REC (X1 is not an ending)")
]
