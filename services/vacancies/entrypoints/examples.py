"""Examples for the vacancies service's OpenAPI document (request bodies of POST /events
are in shared/events/examples.py)."""

from typing import Any

from shared.events.examples import FEED_VACANCY as _FEED_EVENT
from shared.http.examples import Examples
from shared.ingest.router import ACCEPTED_EXAMPLE

_HOME: dict[str, Any] = {
    "home_id": "WALK-H1",
    "owner_la": "E06000015",
    "kind": "foster_household",
    "provider": "own_la",
    "name": None,
    "urn": None,
    "location_la": "E06000015",
    "postcode": None,
    "postcode_district": "DE22",
    "location": {"easting": 437000, "northing": 338000},
    "registered_places": 2,
    "age_min": 0,
    "age_max": 17,
    "specialisms": [],
    "ofsted_rating": "not_yet_inspected",
    "weekly_price": None,
    "frameworks": [],
    "share_regionally": False,
    "registered_on": "2026-11-01",
    "deregistered_on": None,
}
_VACANCY = {
    "vacancy_id": "WALK-V1",
    "home_id": "WALK-H1",
    "status": "open",
    "places": 1,
    "places_left": 1,
    "available_from": "2026-11-03",
    "expires_at": None,
    "held_for_referral": None,
    "hold_until": None,
    "suitable_for": [],
    "age_min": 0,
    "age_max": 17,
    "opened_at": "2026-11-02T09:00:00Z",
    "updated_at": "2026-11-02T09:00:00Z",
    "placements": [],
}
_OCCUPANCY = {
    "home_id": "WALK-H1",
    "as_of": "2026-12-03",
    "registered_places": 2,
    "occupied_places": 1,
    "vacant_places": 1,
    "occupancy_ratio": 0.5,
}
_SUBSCRIPTION = {
    "id": "sub_3f9a",
    "url": "https://lcs.example.org/hooks/vacancies",
    "region": "D2N2",
    "status": "active",
    "cursor": 120,
    "created_at": "2026-12-01T10:00:00Z",
    "failures": 0,
    "failing_since": None,
    "next_attempt_at": None,
    "last_error": None,
    "last_delivered_at": "2026-12-03T08:00:00Z",
    "paused_at": None,
}

EXAMPLES: Examples = {
    "POST /events": {"response": ACCEPTED_EXAMPLE},
    "GET /vacancies": {"response": [_VACANCY]},
    "GET /homes": {"response": [_HOME]},
    "GET /homes/{home_id}": {"response": _HOME},
    "GET /homes/{home_id}/occupancy": {"response": _OCCUPANCY},
    "GET /occupancy": {
        "response": {
            "la": "E06000015",
            "as_of": "2026-12-03",
            "total": {**_OCCUPANCY, "home_id": "E06000015"},
            "homes": [_OCCUPANCY],
        }
    },
    "POST /matches": {
        "request": {
            "placement_sought": "fostering",
            "age": 9,
            "location": {"easting": 435000, "northing": 336000},
            "limit": 5,
        },
        "response": {"referral_id": None, "considered": 0, "matches": []},
    },
    "GET /feed/vacancies": {
        "response": {
            "region": "D2N2",
            "entries": [{"seq": 121, "event": _FEED_EVENT}],
            "next_cursor": "121",
            "has_more": False,
        }
    },
    "GET /feed/vacancies/stream": {
        "response": "event: feed.vacancy.v1\nid: 121\ndata: {...the CloudEvent...}\n\n"
    },
    "GET /feed/subscriptions": {"response": [_SUBSCRIPTION]},
    "POST /feed/subscriptions": {
        "request": {"url": "https://lcs.example.org/hooks/vacancies", "from_cursor": 120},
        "response": {**_SUBSCRIPTION, "secret": "whsec_shown_once"},
    },
    "POST /feed/subscriptions/{sub_id}/resume": {"response": _SUBSCRIPTION},
}
