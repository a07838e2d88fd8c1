"""check_code accepts a code in its list every year without the date, and
otherwise answers exactly as the event year's list does (the error too)."""

from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any, cast

import pytest
from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError

from shared.codes.ssda903 import CodeSet, any_year, codes_for, collection_year
from shared.events.codecheck import check_code, in_every_year
from shared.events.common import EARLIEST_DATE, LATEST_DATE, check_birth

LISTS = [f.name for f in fields(CodeSet) if f.name != "year"]
# Each side of every collection year's start this system has lists for, and the
# ends of the dates it takes at all.
DAYS = [EARLIEST_DATE, LATEST_DATE] + [
    day for year in range(2011, 2028) for day in (date(year, 3, 31), date(year, 4, 1))
]


@dataclass
class Info:
    """The part of ValidationInfo check_code reads: the fields validated before."""

    data: dict[str, Any]


def answer(value: str, data: dict[str, Any], list_name: str) -> tuple[str, object]:
    try:
        return "ok", check_code(value, cast(ValidationInfo, Info(data)), list_name)
    except PydanticCustomError as error:
        return error.type, (error.message(), error.context)


def by_the_years_list(value: str, day: date, list_name: str) -> tuple[str, object]:
    """What the check answered when it always looked the year's list up."""
    codes = codes_for(collection_year(day))
    if value in getattr(codes, list_name):
        return "ok", value
    year = f"{codes.year}-{(codes.year + 1) % 100:02d}"
    context = {"value": value, "list_name": list_name, "year": year}
    return "code_not_in_list", (
        f"{value} is not a {list_name} code in collection year {year}",
        context,
    )


@pytest.mark.parametrize("list_name", LISTS)
def test_every_code_on_every_day_is_answered_as_by_its_years_list(list_name: str) -> None:
    values = [*sorted(any_year(list_name)), "", "ZZ", "u4", "H5 ", "L", "X1"]
    for day in DAYS:
        for value in values:
            assert answer(value, {"date": day}, list_name) == by_the_years_list(
                value, day, list_name
            ), (value, day)


@pytest.mark.parametrize("list_name", LISTS)
def test_without_a_valid_date_any_code_passes_as_before(list_name: str) -> None:
    """The date's own error is reported on its field; the code is not judged."""
    for data in ({}, {"date": None}, {"date": "2025-04-01"}):
        assert answer("ZZ", data, list_name) == ("ok", "ZZ")
        assert answer("U4", data, list_name) == ("ok", "U4")


def test_in_every_year_leaves_out_the_codes_that_changed() -> None:
    place = in_every_year("place")
    assert {"H5", "P2", "Z1", "K3", "Z11", "Z14"}.isdisjoint(place)
    assert {"U4", "K2", "R1"} <= place
    assert in_every_year("ethnicity") == codes_for(2024).ethnicity == codes_for(2025).ethnicity


def test_the_years_list_still_decides_a_changed_code_near_the_boundary() -> None:
    for offset in (-1, 0):
        day = date(2025, 4, 1) + timedelta(days=offset)
        accepted = answer("K3", {"date": day}, "place")[0] == "ok"
        assert accepted is (offset == 0)


def test_a_birth_month_is_compared_with_the_dates_own_month_as_strftime_gives_it() -> None:
    for day in [EARLIEST_DATE, LATEST_DATE, date(2024, 1, 31), date(2025, 10, 1)]:
        own = day.strftime("%Y-%m")
        info = cast(ValidationInfo, Info({"date": day}))
        assert check_birth(own, info) == own
        before = f"{day.year - 1}-12"
        assert check_birth(before, info) == before
        after = f"{day.year + 1}-01"
        with pytest.raises(PydanticCustomError) as refused:
            check_birth(after, info)
        assert refused.value.context == {"month": after, "day": day.isoformat()}
