"""Event payloads: dates in a sane range, births before admissions, codes as enums."""

import copy
import json
from typing import Any

import jsonschema_rs
import pytest
from pydantic import ValidationError

from shared.events.docs import CONTRACT_DIR
from shared.events.examples import (
    CHILD_ADMITTED,
    FEED_VACANCY,
    HOME_REGISTERED,
    PLACEMENT_STARTED,
    VACANCY_OPENED,
)
from shared.events.registry import parse_event, parse_journey, parse_supply
from shared.ingest.errors import from_validation


def problems(raw: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        parse_journey(raw)
    return [(e.pointer, e.reason) for e in from_validation(0, caught.value, raw["type"])]


def admitted(**data: Any) -> dict[str, Any]:
    raw = copy.deepcopy(CHILD_ADMITTED)
    raw["data"].update(data)
    return raw


def test_the_documents_examples_are_valid_events() -> None:
    parse_journey(CHILD_ADMITTED)
    parse_journey(PLACEMENT_STARTED)
    parse_supply(HOME_REGISTERED)
    parse_supply(VACANCY_OPENED)
    parse_event(FEED_VACANCY)


@pytest.mark.parametrize("day", ["1899-12-31", "2100-01-01", "0001-01-01"])
def test_a_date_outside_1900_to_2099_is_refused_on_its_field(day: str) -> None:
    assert ("/data/date", "date_out_of_range") in problems(
        admitted(date=day, birth_month="1890-01")
    )


def test_a_timestamp_is_not_a_date() -> None:
    assert problems(admitted(date=0)) == [("/data/date", "date_type")]


def test_a_child_admitted_before_its_birth_month_is_refused() -> None:
    assert problems(admitted(birth_month="2026-12")) == [("/data/birth_month", "born_after_date")]
    parse_journey(admitted(birth_month="2026-11"))  # born the month of the admission


def test_a_birth_month_before_1900_is_refused() -> None:
    assert problems(admitted(birth_month="1899-12")) == [
        ("/data/birth_month", "string_pattern_mismatch")
    ]


def schema_of(event_type: str) -> Any:
    return jsonschema_rs.validator_for(
        json.loads((CONTRACT_DIR / "schemas" / f"{event_type}.json").read_text())
    )


def test_the_json_schemas_list_the_code_lists() -> None:
    admission = schema_of("child.admitted.v1")
    assert admission.is_valid(json.loads(json.dumps(CHILD_ADMITTED)))
    assert not admission.is_valid(admitted(legal_status="ZZ"))
    assert ("/data/legal_status", "code_not_in_list") in problems(admitted(legal_status="ZZ"))


def test_a_code_of_another_year_passes_the_schema_but_not_the_validator() -> None:
    """The enum is every year's codes; the event's own year is the validator's."""
    start = copy.deepcopy(PLACEMENT_STARTED)
    start["data"]["placement_type"] = "Z11"  # new in 2025-26
    start["data"]["date"] = "2024-06-01"
    assert schema_of("placement.started.v1").is_valid(start)
    with pytest.raises(ValidationError):
        parse_journey(start)
    start["data"]["date"] = "2025-06-01"
    parse_journey(start)
