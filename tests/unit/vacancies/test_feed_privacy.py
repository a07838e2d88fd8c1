"""The shared feed carries no child data, no full postcode and no household identity."""

import json

from services.vacancies.domain import lifecycle as lc
from services.vacancies.domain.feed_view import feed_event
from shared.events.feed import FeedVacancy
from tests.unit.vacancies.builders import T0, at, home, vacancy

FORBIDDEN = ("child", "birth", "name", "postcode", "urn", "referral", "placement", "location")


def _properties(schema: dict) -> set[str]:
    props = set(schema.get("properties", {}))
    for sub in schema.get("$defs", {}).values():
        props |= set(sub.get("properties", {}))
    return props


def test_the_feed_schema_has_no_child_or_identity_field():
    props = _properties(FeedVacancy.model_json_schema())
    data_props = set(FeedVacancy.model_json_schema()["$defs"]["FeedVacancyData"]["properties"])
    assert not {"child_id", "birth_month", "home_postcode", "name", "postcode"} & props
    leaks = {p for p in data_props for word in FORBIDDEN if word in p}
    assert leaks == {"postcode_district", "location_la"}  # district and LA only


def test_a_feed_entry_of_a_held_foster_vacancy_says_nothing_identifying():
    foster = home(kind="foster_household", name=None, urn="SC999999", postcode="DE22 1AA")
    held = lc.hold(vacancy(), "REF-CHILD-42", at(days=1), T0)
    body = feed_event(foster, held, T0).model_dump_json()
    data = json.loads(body)["data"]
    assert data["postcode_district"] == "DE22"
    assert data["status"] == "held"
    for secret in ("DE22 1AA", "SC999999", "REF-CHILD-42", "H1"):
        assert secret not in body


def test_a_closed_vacancy_shows_no_places_left():
    filled = lc.fill(vacancy(places=1), "P1", 1, T0)
    assert feed_event(home(), filled, T0).data.places == 0
    assert feed_event(home(), vacancy(places=2), T0).data.places == 2
