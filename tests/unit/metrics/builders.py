"""Typed shared.events models for metrics tests, and folding them into facts."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from services.metrics.domain.facts import LaFacts
from services.metrics.domain.indicator import Indicator
from services.metrics.domain.projection import apply
from shared.events import journey as j
from shared.events import supply as s
from shared.events.envelope import Envelope

DERBY = "E06000015"
DERBYSHIRE = "E10000007"
NOTTINGHAM = "E06000018"

HOME = (435_000, 336_000)  # a child's home, OS grid metres
NEAR = (440_000, 340_000)  # ~4 miles away
FAR = (435_000, 336_000 + 40_000)  # 40 km = 24.9 miles north


def _envelope(
    cls: type[Envelope], data: dict[str, Any], day: str, la: str, subject: str | None
) -> Any:
    return cls.model_validate(
        {
            "id": str(uuid.uuid4()),
            "source": f"/la/{la}/test",
            "time": f"{day}T10:00:00Z",
            "la": la,
            "subject": subject,
            "data": data,
        }
    )


def _grid(point: tuple[int, int] | None) -> dict[str, int] | None:
    return None if point is None else {"easting": point[0], "northing": point[1]}


def admitted(
    child: str,
    day: str,
    *,
    birth: str = "2012-06",
    ls: str = "C2",
    uasc: bool = False,
    home: tuple[int, int] | None = HOME,
    la: str = DERBY,
) -> j.ChildAdmitted:
    data = {
        "child_id": child,
        "date": day,
        "birth_month": birth,
        "sex": 1,
        "ethnicity": "WBRI",
        "legal_status": ls,
        "category_of_need": "N1",
        "uasc": uasc,
        "home_location": _grid(home),
    }
    return _envelope(j.ChildAdmitted, data, day, la, child)


def started(
    child: str,
    placement: str,
    day: str,
    *,
    reason: str = "P",
    place: str = "U4",
    provider: str = "PR1",
    home_id: str | None = None,
    location: tuple[int, int] | None = NEAR,
    placement_la: str | None = DERBY,
    cost: float | None = None,
    framework: str | None = None,
    referral: str | None = None,
    emergency: bool = False,
    la: str = DERBY,
) -> j.PlacementStarted:
    data = {
        "placement_id": placement,
        "child_id": child,
        "date": day,
        "reason": reason,
        "placement_type": place,
        "provider": provider,
        "home_id": home_id,
        "placement_location": _grid(location),
        "placement_la": placement_la,
        "weekly_cost": cost,
        "framework": framework,
        "referral_id": referral,
        "emergency": emergency,
    }
    return _envelope(j.PlacementStarted, data, day, la, child)


def ended(
    child: str, placement: str, day: str, *, why: str = "CARPL", la: str = DERBY
) -> j.PlacementEnded:
    data = {"placement_id": placement, "child_id": child, "date": day, "reason_for_change": why}
    return _envelope(j.PlacementEnded, data, day, la, child)


def left_care(child: str, day: str, *, reason: str = "E4A", la: str = DERBY) -> j.ChildLeftCare:
    return _envelope(
        j.ChildLeftCare, {"child_id": child, "date": day, "reason": reason}, day, la, child
    )


def legal_status(child: str, day: str, ls: str, *, la: str = DERBY) -> j.LegalStatusChanged:
    return _envelope(
        j.LegalStatusChanged, {"child_id": child, "date": day, "legal_status": ls}, day, la, child
    )


def corrected(child: str, day: str, la: str = DERBY, **fields: Any) -> j.ChildDetailsCorrected:
    if "home_location" in fields:
        fields["home_location"] = _grid(fields["home_location"])
    return _envelope(
        j.ChildDetailsCorrected, {"child_id": child, "date": day, **fields}, day, la, child
    )


def referral(
    ref: str, child: str, day: str, *, urgency: str = "planned", la: str = DERBY
) -> j.ReferralReceived:
    data = {
        "referral_id": ref,
        "child_id": child,
        "date": day,
        "urgency": urgency,
        "placement_sought": "fostering",
    }
    return _envelope(j.ReferralReceived, data, day, la, ref)


def referral_closed(
    ref: str, day: str, *, placement: str | None = None, outcome: str = "placed", la: str = DERBY
) -> j.ReferralClosed:
    data = {"referral_id": ref, "date": day, "outcome": outcome, "placement_id": placement}
    return _envelope(j.ReferralClosed, data, day, la, ref)


def home(
    home_id: str,
    day: str,
    *,
    kind: str = "childrens_home",
    provider: str = "own_la",
    places: int = 4,
    owner: str = DERBY,
    location_la: str = DERBY,
    location: tuple[int, int] | None = None,
    share: bool = False,
    urn: str | None = None,
    la: str = DERBY,
) -> s.HomeRegistered:
    data = {
        "home_id": home_id,
        "kind": kind,
        "provider": provider,
        "owner_la": owner,
        "location_la": location_la,
        "registered_places": places,
        "location": _grid(location),
        "share_regionally": share,
        "urn": urn,
    }
    return _envelope(s.HomeRegistered, data, day, la, home_id)


def home_updated(home_id: str, day: str, *, la: str = DERBY, **fields: Any) -> s.HomeUpdated:
    return _envelope(s.HomeUpdated, {"home_id": home_id, **fields}, day, la, home_id)


def home_deregistered(home_id: str, day: str, *, la: str = DERBY) -> s.HomeDeregistered:
    return _envelope(s.HomeDeregistered, {"home_id": home_id, "date": day}, day, la, home_id)


def vacancy(
    vid: str,
    home_id: str,
    day: str,
    *,
    places: int = 1,
    available_from: str | None = None,
    la: str = DERBY,
) -> s.VacancyOpened:
    data = {
        "vacancy_id": vid,
        "home_id": home_id,
        "places": places,
        "available_from": available_from or day,
    }
    return _envelope(s.VacancyOpened, data, day, la, vid)


def vacancy_held(vid: str, day: str, *, la: str = DERBY) -> s.VacancyHeld:
    data = {"vacancy_id": vid, "held_for_referral": "R1", "hold_until": f"{day}T18:00:00Z"}
    return _envelope(s.VacancyHeld, data, day, la, vid)


def vacancy_reopened(vid: str, day: str, *, la: str = DERBY) -> s.VacancyReopened:
    return _envelope(s.VacancyReopened, {"vacancy_id": vid}, day, la, vid)


def vacancy_filled(
    vid: str, day: str, placement: str, *, places: int = 1, la: str = DERBY
) -> s.VacancyFilled:
    data = {"vacancy_id": vid, "placement_id": placement, "places_filled": places}
    return _envelope(s.VacancyFilled, data, day, la, vid)


def vacancy_withdrawn(vid: str, day: str, *, la: str = DERBY) -> s.VacancyWithdrawn:
    return _envelope(s.VacancyWithdrawn, {"vacancy_id": vid}, day, la, vid)


def vacancy_expired(vid: str, day: str, *, la: str = DERBY) -> s.VacancyExpired:
    return _envelope(s.VacancyExpired, {"vacancy_id": vid}, day, la, vid)


def fold(events: Iterable[Envelope], la: str = DERBY) -> LaFacts:
    facts = LaFacts(la)
    for event in events:
        apply(facts, event)
    return facts


def d(text: str) -> date:
    return date.fromisoformat(text)


def get(values: Sequence[Indicator], name: str, breakdown: str | None = None) -> Indicator:
    found = [v for v in values if v.name == name and v.breakdown == breakdown]
    assert len(found) == 1, f"{name}/{breakdown}: {len(found)} found"
    return found[0]


def figures(ind: Indicator) -> tuple[float | None, float | None, float | None]:
    """(value, numerator, denominator), values rounded to 6 places for comparison."""
    value = None if ind.value is None else round(ind.value, 6)
    return value, ind.numerator, ind.denominator


def derived(facts: LaFacts) -> dict[str, object]:
    """The facts indicators read (not the parked events or the cache)."""
    return {
        "children": facts.children,
        "periods": facts.periods,
        "legal_statuses": facts.legal_statuses,
        "placements": facts.placements,
        "placements_by_child": facts.placements_by_child,
        "referrals": facts.referrals,
        "homes": facts.homes,
        "vacancies": facts.vacancies,
    }


def retraction(event: Any, reason: str = "corrected") -> j.JourneyEventRetracted:
    return j.JourneyEventRetracted.model_validate(
        {
            "id": str(uuid.uuid4()),
            "source": event.source,
            "time": "2025-06-01T10:00:00Z",
            "la": DERBY,
            "subject": event.data.child_id,
            "data": {
                "child_id": event.data.child_id,
                "date": "2025-06-01",
                "event": event.model_dump(mode="json"),
                "reason": reason,
            },
        }
    )
