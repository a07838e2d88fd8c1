"""Raw CloudEvent dicts for tests (what a client would post)."""

import uuid
from typing import Any

DERBY = "E06000015"
DERBYSHIRE = "E10000007"


def event(
    type_: str,
    data: dict[str, Any],
    la: str = DERBY,
    time: str | None = None,
    id_: str | None = None,
) -> dict[str, Any]:
    day = data.get("date", "2024-05-01")
    return {
        "specversion": "1.0",
        "id": id_ or str(uuid.uuid4()),
        "source": f"/la/{la}/lcs",
        "type": type_,
        "time": time or f"{day}T10:00:00Z",
        "la": la,
        "subject": data.get("child_id"),
        "datacontenttype": "application/json",
        "data": data,
    }


def admitted(child: str = "C1", date: str = "2024-05-01", **kw: Any) -> dict[str, Any]:
    data = {
        "child_id": child,
        "date": date,
        "birth_month": "2012-05",
        "sex": 1,
        "ethnicity": "WBRI",
        "legal_status": "C2",
        "category_of_need": "N1",
        "home_location": {"easting": 435000, "northing": 336000},
    } | kw
    return event("child.admitted.v1", data)


def started(
    child: str = "C1", placement: str = "P1", date: str = "2024-05-01", **kw: Any
) -> dict[str, Any]:
    data = {
        "placement_id": placement,
        "child_id": child,
        "date": date,
        "reason": "S",
        "placement_type": "U4",
        "provider": "PR1",
        "home_id": "H1",
        "placement_location": {"easting": 440000, "northing": 340000},
        "placement_la": DERBY,
        "weekly_cost": 634.0,
    } | kw
    return event("placement.started.v1", data)


def ended(
    child: str = "C1", placement: str = "P1", date: str = "2024-06-01", **kw: Any
) -> dict[str, Any]:
    return event(
        "placement.ended.v1",
        {"placement_id": placement, "child_id": child, "date": date, "reason_for_change": "CARPL"}
        | kw,
    )


def left_care(child: str = "C1", date: str = "2024-07-01", reason: str = "E4A") -> dict[str, Any]:
    return event("child.left_care.v1", {"child_id": child, "date": date, "reason": reason})


def retracted(
    of: dict[str, Any], reason: str = "withdrawn", date: str = "2024-08-01", **kw: Any
) -> dict[str, Any]:
    """A retraction of `of` (by the same source unless `source` is given)."""
    data = {"child_id": of["data"]["child_id"], "date": date, "event": of, "reason": reason}
    raw = event("journey.event.retracted.v1", data, la=of["la"])
    return raw | {"source": of["source"]} | kw
