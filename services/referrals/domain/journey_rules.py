"""The rules of a period of care (pure).

`check` says what is wrong with an event given the child's current state;
`evolve` gives the state after it. A placement.started while another placement
is open closes that one at the new start date: case-management systems often
send the move's `placement.started` a few seconds before the matching
`placement.ended`, which is then matched to the placement it closed.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from shared.events.journey import (
    ChildAdmitted,
    ChildDetailsCorrected,
    ChildLeftCare,
    JourneyEvent,
    LegalStatusChanged,
    PlacementEnded,
    PlacementStarted,
    ReferralClosed,
    ReferralReceived,
)


@dataclass(frozen=True)
class Violation:
    pointer: str
    reason: str
    message: str


@dataclass(frozen=True)
class PlacementState:
    placement_id: str
    child_id: str
    start: date
    end: date | None = None
    end_reported: bool = False  # False while the end is only implied by a later start


@dataclass(frozen=True)
class ChildState:
    child_id: str
    in_care: bool
    period_start: date | None
    left_care_on: date | None
    last_date: date
    open_placement_id: str | None = None
    open_placement_start: date | None = None


@dataclass(frozen=True)
class ReferralState:
    referral_id: str
    child_id: str
    received: date
    closed: date | None = None


@dataclass(frozen=True)
class Context:
    """What the rules need to know besides the event."""

    child: ChildState | None
    placement: PlacementState | None  # the placement an event names, if any
    referral: ReferralState | None  # the referral an event names, if any
    now: datetime
    skew: timedelta


def check(event: JourneyEvent, ctx: Context) -> list[Violation]:
    future = _future(event, ctx)
    if future:
        return future
    match event:
        case ChildAdmitted():
            return _admitted(event, ctx.child)
        case ReferralReceived():
            return []
        case ReferralClosed():
            return _referral_closed(event, ctx.referral)
        case PlacementStarted():
            return _in_care(event.data.date, ctx.child) or _placement_started(event, ctx)
        case PlacementEnded():
            return _placement_ended(event, ctx.placement, ctx.child)
        case LegalStatusChanged():
            return _in_care(event.data.date, ctx.child)
        case ChildLeftCare():
            return _in_care(event.data.date, ctx.child) or _left_care(event, ctx.child)
        case ChildDetailsCorrected():
            return [] if ctx.child else [_unknown_child()]
    return []


def _future(event: JourneyEvent, ctx: Context) -> list[Violation]:
    limit = ctx.now + ctx.skew
    if event.time > limit:
        return [Violation("/time", "in_future", f"time {event.time.isoformat()} is in the future")]
    if event.data.date > limit.date():
        return [Violation("/data/date", "in_future", f"date {event.data.date} is in the future")]
    return []


def _unknown_child() -> Violation:
    return Violation("/data/child_id", "unknown_child", "no child with this id in this LA")


def _admitted(event: ChildAdmitted, child: ChildState | None) -> list[Violation]:
    if child is None:
        return []
    if child.in_care:
        return [
            Violation(
                "/data/child_id",
                "already_in_care",
                f"child is in a period of care since {child.period_start}",
            )
        ]
    if child.left_care_on and event.data.date < child.left_care_on:
        return [
            Violation(
                "/data/date",
                "before_previous_period_end",
                f"admission before the previous period ended on {child.left_care_on}",
            )
        ]
    return []


def _in_care(day: date, child: ChildState | None) -> list[Violation]:
    if child is None:
        return [_unknown_child()]
    if not child.in_care:
        reason = "left_care" if child.left_care_on else "not_in_care"
        return [Violation("/data/child_id", reason, "the child is not in care")]
    if child.period_start and day < child.period_start:
        return [
            Violation(
                "/data/date",
                "before_admission",
                f"date before the period of care began on {child.period_start}",
            )
        ]
    return []


def _placement_started(event: PlacementStarted, ctx: Context) -> list[Violation]:
    child = ctx.child
    assert child is not None
    if ctx.placement is not None:
        return [Violation("/data/placement_id", "placement_exists", "placement id already used")]
    if child.open_placement_start and event.data.date < child.open_placement_start:
        return [
            Violation(
                "/data/date",
                "before_open_placement",
                f"starts before the open placement began on {child.open_placement_start}",
            )
        ]
    return []


def _placement_ended(
    event: PlacementEnded, placement: PlacementState | None, child: ChildState | None
) -> list[Violation]:
    if placement is None or child is None or placement.child_id != event.data.child_id:
        return [
            Violation("/data/placement_id", "unknown_placement", "no such placement for this child")
        ]
    if placement.end_reported:
        return [Violation("/data/placement_id", "already_ended", f"ended on {placement.end}")]
    if event.data.date < placement.start:
        return [Violation("/data/date", "end_before_start", f"placement started {placement.start}")]
    if placement.end is not None and event.data.date > placement.end:
        return [
            Violation(
                "/data/date",
                "end_after_next_start",
                f"the next placement started on {placement.end}",
            )
        ]
    return []


def _left_care(event: ChildLeftCare, child: ChildState | None) -> list[Violation]:
    assert child is not None
    if child.open_placement_start and event.data.date < child.open_placement_start:
        return [
            Violation(
                "/data/date",
                "before_open_placement",
                f"the open placement began on {child.open_placement_start}",
            )
        ]
    return []


def _referral_closed(event: ReferralClosed, referral: ReferralState | None) -> list[Violation]:
    if referral is None:
        return [Violation("/data/referral_id", "unknown_referral", "no such referral")]
    if referral.closed is not None:
        return [Violation("/data/referral_id", "already_closed", f"closed on {referral.closed}")]
    if event.data.date < referral.received:
        return [Violation("/data/date", "before_referral", f"received on {referral.received}")]
    return []


def evolve_child(child: ChildState | None, event: JourneyEvent) -> ChildState | None:
    """The child's state after an event that passed `check`."""
    day = event.data.date
    match event:
        case ChildAdmitted():
            return ChildState(event.data.child_id, True, day, None, day)
        case PlacementStarted() if child:
            return replace(
                child,
                last_date=max(child.last_date, day),
                open_placement_id=event.data.placement_id,
                open_placement_start=day,
            )
        case PlacementEnded() if child and child.open_placement_id == event.data.placement_id:
            return replace(
                child,
                open_placement_id=None,
                open_placement_start=None,
                last_date=max(child.last_date, day),
            )
        case ChildLeftCare() if child:
            return replace(
                child,
                in_care=False,
                left_care_on=day,
                open_placement_id=None,
                open_placement_start=None,
                last_date=max(child.last_date, day),
            )
        case LegalStatusChanged() if child:
            return replace(child, last_date=max(child.last_date, day))
    return child
