import json

import pytest
from pydantic import ValidationError

from shared.codes.categories import PlacementCategory, category_of
from shared.codes.ssda903 import codes_for, collection_year
from shared.events import EVENT_TYPES, PlacementStarted, parse_event
from shared.events.feed import FeedVacancy, postcode_district
from shared.events.journey import PlacementStartedData
from shared.events.registry import accept_journey
from tests.unit.shared.builders import admitted, started


def test_every_v1_type_of_the_catalogue_has_a_model():
    catalogue = {
        "child.admitted.v1",
        "referral.received.v1",
        "referral.closed.v1",
        "placement.started.v1",
        "placement.ended.v1",
        "legal_status.changed.v1",
        "child.left_care.v1",
        "child.details.corrected.v1",
        "home.registered.v1",
        "home.updated.v1",
        "home.deregistered.v1",
        "vacancy.opened.v1",
        "vacancy.held.v1",
        "vacancy.filled.v1",
        "vacancy.withdrawn.v1",
        "feed.vacancy.v1",
        "indicators.snapshot.v1",
        "forecast.published.v1",
    }
    assert catalogue <= set(EVENT_TYPES)


def test_parse_gives_the_typed_model():
    event = parse_event(started())
    assert isinstance(event, PlacementStarted)
    assert event.data.placement_type == "U4"


def test_collection_year_starts_in_april():
    assert collection_year(__import__("datetime").date(2025, 3, 31)) == 2024
    assert collection_year(__import__("datetime").date(2025, 4, 1)) == 2025


@pytest.mark.parametrize(
    ("day", "code", "valid"),
    [
        ("2024-05-01", "H5", True),
        ("2025-05-01", "H5", False),
        ("2024-05-01", "K3", False),
        ("2025-05-01", "K3", True),
    ],
)
def test_place_codes_follow_the_collection_year(day, code, valid):
    raw = started(date=day, placement_type=code)
    raw["time"] = f"{day}T10:00:00Z"
    if valid:
        data = parse_event(raw).data
        assert isinstance(data, PlacementStartedData) and data.placement_type == code
    else:
        with pytest.raises(ValidationError) as info:
            parse_event(raw)
        assert info.value.errors()[0]["type"] == "code_not_in_list"


def test_unknown_fields_in_data_are_ignored():
    raw = admitted(favourite_colour="blue")
    assert not hasattr(parse_event(raw).data, "favourite_colour")


def test_categories_follow_the_published_demand_models():
    assert category_of("U4") is PlacementCategory.FOSTERING
    assert category_of("K2") is PlacementCategory.RESIDENTIAL
    assert category_of("K3") is PlacementCategory.SUPPORTED
    assert category_of("P1") is PlacementCategory.WITH_PARENTS
    assert category_of("R2") is PlacementCategory.OTHER
    assert "Z1" not in codes_for(2025).place and "Z1" in codes_for(2024).place


def test_feed_schema_has_no_child_or_identity_field():
    props = set(FeedVacancy.model_json_schema()["$defs"]["FeedVacancyData"]["properties"])
    forbidden = {
        "child_id",
        "birth_month",
        "name",
        "postcode",
        "home_postcode",
        "urn",
        "placement_id",
        "referral_id",
        "held_for_referral",
        "location",
        "home_id",
    }
    assert not props & forbidden
    assert postcode_district("DE22 1AA") == "DE22"


@pytest.mark.parametrize("cost", [2_000_000.0, float("inf")])
def test_a_cost_past_the_bound_is_refused_arriving_but_read_back_when_stored(cost):
    """The bound came after events were stored: the log and consumers still read them."""
    raw = started()
    raw["data"]["weekly_cost"] = cost
    with pytest.raises(ValidationError) as refused:
        accept_journey(raw)
    assert [e["type"] for e in refused.value.errors()] == ["weekly_pounds"]
    stored = parse_event(json.dumps(raw))
    assert isinstance(stored, PlacementStarted) and stored.data.weekly_cost == cost
