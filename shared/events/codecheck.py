"""Checks a code against the SSDA903 list of the event's collection year.

Payloads declare `date` before their coded fields, so by the time a code is
validated the date is known and the right year's list can be chosen.
"""

from datetime import date

from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError

from shared.codes.ssda903 import CodeSet, codes_for, collection_year


def check_code(value: str, info: ValidationInfo, list_name: str) -> str:
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
