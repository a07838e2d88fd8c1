"""Example events for the API documents (POST /events); a unit test keeps them valid."""

from typing import Any

_DERBY = "E06000015"


def _event(n: int, kind: str, subject: str, data: dict[str, Any], source: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"0b6b3c1e-5b1a-4c55-9a2e-{n:012d}",
        "source": f"/la/{_DERBY}/{source}",
        "type": kind,
        "time": "2026-11-02T09:00:00Z",
        "la": _DERBY,
        "subject": subject,
        "data": data,
    }


CHILD_ADMITTED = _event(
    1,
    "child.admitted.v1",
    "WALK1",
    {
        "child_id": "WALK1",
        "date": "2026-11-02",
        "birth_month": "2013-04",
        "sex": 2,
        "ethnicity": "WBRI",
        "legal_status": "C2",
        "category_of_need": "N1",
        "home_location": {"easting": 435000, "northing": 336000},
    },
    "lcs",
)
PLACEMENT_STARTED = _event(
    2,
    "placement.started.v1",
    "WALK1",
    {
        "placement_id": "WALK1-P1",
        "child_id": "WALK1",
        "date": "2026-11-02",
        "reason": "S",
        "placement_type": "U4",
        "provider": "PR1",
        "home_id": "WALK-H1",
        "placement_la": _DERBY,
        "placement_location": {"easting": 437000, "northing": 338000},
        "weekly_cost": 634,
    },
    "lcs",
)
HOME_REGISTERED = _event(
    3,
    "home.registered.v1",
    "WALK-H1",
    {
        "home_id": "WALK-H1",
        "kind": "foster_household",
        "provider": "own_la",
        "owner_la": _DERBY,
        "location_la": _DERBY,
        "registered_places": 2,
        "location": {"easting": 437000, "northing": 338000},
    },
    "provider",
)
VACANCY_OPENED = _event(
    4,
    "vacancy.opened.v1",
    "WALK-H1",
    {"vacancy_id": "WALK-V1", "home_id": "WALK-H1", "places": 1, "available_from": "2026-11-03"},
    "provider",
)

JOURNEY_EXAMPLES: dict[str, dict[str, Any]] = {
    "one event": {"summary": "A child admitted", "value": CHILD_ADMITTED},
    "a batch": {
        "summary": "An admission and a placement, stored together or not at all",
        "value": [CHILD_ADMITTED, PLACEMENT_STARTED],
    },
}
SUPPLY_EXAMPLES: dict[str, dict[str, Any]] = {
    "one event": {"summary": "A foster household registered", "value": HOME_REGISTERED},
    "a batch": {
        "summary": "A home and a vacancy in it",
        "value": [HOME_REGISTERED, VACANCY_OPENED],
    },
}
FEED_VACANCY = {
    **_event(
        5,
        "feed.vacancy.v1",
        "WALK-V1",
        {
            "vacancy_id": "WALK-V1",
            "owner_la": _DERBY,
            "kind": "foster_household",
            "provider": "own_la",
            "location_la": _DERBY,
            "postcode_district": "DE22",
            "places": 1,
            "age_min": 0,
            "age_max": 17,
            "suitable_for": [],
            "ofsted_rating": "not_yet_inspected",
            "weekly_price": None,
            "frameworks": [],
            "status": "open",
            "updated_at": "2026-11-02T09:00:00Z",
        },
        "vacancies",
    ),
    "source": "/region/D2N2/vacancies",
}
