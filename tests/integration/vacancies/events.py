"""Raw supply and journey events (what a client posts or a producer writes)."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.codes.ssda903 import codes_for, collection_year

DERBY = "E06000015"
DERBYSHIRE = "E10000007"
NOTTINGHAM = "E06000018"
NOTTS = "E10000024"


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def envelope(type_: str, data: dict[str, Any], la: str, time: datetime | None = None) -> dict:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"/la/{la}/test",
        "type": type_,
        "time": iso(time or now() - timedelta(seconds=1)),
        "la": la,
        "datacontenttype": "application/json",
        "data": data,
    }


def home(
    home_id: str, la: str = DERBY, shared: bool = True, time: datetime | None = None, **kw: Any
) -> dict:
    data = {
        "home_id": home_id,
        "name": f"{home_id} House",
        "kind": "childrens_home",
        "provider": "own_la",
        "owner_la": la,
        "location_la": la,
        "postcode": "DE22 1AA",
        "location": {"easting": 435000, "northing": 336000},
        "registered_places": 3,
        "age_min": 8,
        "age_max": 17,
        "specialisms": ["cse_risk"],
        "ofsted_rating": "good",
        "weekly_price": 4500.0,
        "frameworks": ["D2N2"],
        "share_regionally": shared,
    } | kw
    return envelope("home.registered.v1", data, la, time or now() - timedelta(minutes=5))


def opened(vacancy_id: str, home_id: str, la: str = DERBY, **kw: Any) -> dict:
    data = {
        "vacancy_id": vacancy_id,
        "home_id": home_id,
        "places": 1,
        "available_from": now().date().isoformat(),
        "suitable_for": ["cse_risk"],
        "age_min": 10,
        "age_max": 17,
    } | kw
    return envelope("vacancy.opened.v1", data, la, now() - timedelta(minutes=4))


def held(vacancy_id: str, referral: str, until: datetime, la: str = DERBY) -> dict:
    data = {"vacancy_id": vacancy_id, "held_for_referral": referral, "hold_until": iso(until)}
    return envelope("vacancy.held.v1", data, la)


def withdrawn(vacancy_id: str, la: str = DERBY) -> dict:
    return envelope("vacancy.withdrawn.v1", {"vacancy_id": vacancy_id, "reason": "test"}, la)


def placement_started(
    placement_id: str, child_id: str, home_id: str, la: str = DERBYSHIRE, **kw: Any
) -> dict:
    day = now().date()
    data = {
        "placement_id": placement_id,
        "child_id": child_id,
        "date": day.isoformat(),
        "reason": "S",
        "placement_type": "K2" if "K2" in codes_for(collection_year(day)).place else "U4",
        "provider": "PR1",
        "home_id": home_id,
        "placement_la": DERBY,
        "weekly_cost": 4500.0,
    } | kw
    return envelope("placement.started.v1", data, la)


def referral(referral_id: str, child_id: str, la: str = DERBYSHIRE, **kw: Any) -> dict:
    data = {
        "referral_id": referral_id,
        "child_id": child_id,
        "date": now().date().isoformat(),
        "urgency": "planned",
        "placement_sought": "residential",
        "needs": ["cse_risk"],
        "preferred_location": {"easting": 436000, "northing": 337000},
    } | kw
    return envelope("referral.received.v1", data, la)
