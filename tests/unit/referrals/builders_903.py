"""Small synthetic SSDA903 rows and helpers for the import/export tests."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from services.referrals.domain.journey_rules import (
    ChildState,
    Context,
    PlacementState,
    check,
    evolve_child,
)
from services.referrals.domain.ssda903.event_factory import ImportedEvent
from services.referrals.domain.ssda903.rows import EPISODE_COLUMNS
from shared.events.envelope import Envelope
from shared.events.journey import PlacementEnded, PlacementStarted

LA = "E06000015"
SOURCE = "/la/E06000015/ssda903"


def head(
    child: str = "A1", sex: str = "1", dob: str = "15/05/2012", ethnic: str = "WBRI", **kw: str
) -> dict[str, str]:
    return {
        "CHILD": child,
        "SEX": sex,
        "DOB": dob,
        "ETHNIC": ethnic,
        "UPN": "",
        "MOTHER": "",
        "MC_DOB": "",
    } | kw


def ep(
    decom: str,
    rne: str,
    dec: str = "",
    rec: str = "",
    *,
    child: str = "A1",
    ls: str = "C2",
    cin: str = "N1",
    place: str = "U4",
    provider: str = "PR1",
    rpc: str = "",
    home: str = "DE22 1AA",
    pl_post: str = "DE3 9ZZ",
    urn: str = "SC100001",
) -> dict[str, str]:
    values = (child, decom, rne, ls, cin, place, provider, dec, rec, rpc, home, pl_post, urn)
    return dict(zip(EPISODE_COLUMNS, values, strict=True))


def kinds(events: Sequence[ImportedEvent]) -> list[str]:
    return [e.type.removesuffix(".v1") for e in events]


def replay_through_rules(events: Sequence[ImportedEvent]) -> None:
    """Feed events to the referrals service's own rules; fail on the first violation."""
    children: dict[str, ChildState | None] = {}
    placements: dict[str, PlacementState] = {}
    now = datetime.now(UTC)
    for e in events:
        child = children.get(e.data.child_id)
        pid = e.data.placement_id if isinstance(e, PlacementStarted | PlacementEnded) else None
        ctx = Context(child, placements.get(pid) if pid else None, None, now, timedelta(minutes=5))
        violations = check(e, ctx)
        assert not violations, (e.type, e.data, violations)
        if isinstance(e, PlacementStarted):
            placements[e.data.placement_id] = PlacementState(
                e.data.placement_id, e.data.child_id, e.data.date
            )
        elif isinstance(e, PlacementEnded):
            placements[e.data.placement_id] = replace(
                placements[e.data.placement_id], end=e.data.date, end_reported=True
            )
        children[e.data.child_id] = evolve_child(child, e)


def extension(event: Envelope, name: str) -> Any:
    return (event.model_extra or {}).get(name)
