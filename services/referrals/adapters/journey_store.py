"""Loading and saving the journey state the rules work on."""

from sqlmodel import Session

from services.referrals.adapters.tables import ChildRow, PlacementRow, ReferralRow
from services.referrals.domain.journey_rules import ChildState, PlacementState, ReferralState
from shared.events.journey import (
    ChildLeftCare,
    JourneyEvent,
    PlacementEnded,
    PlacementStarted,
    ReferralClosed,
    ReferralReceived,
)


def load_child(s: Session, la: str, child_id: str) -> ChildState | None:
    row = s.get(ChildRow, (la, child_id))
    if row is None:
        return None
    return ChildState(
        row.child_id,
        row.in_care,
        row.period_start,
        row.left_care_on,
        row.last_date,
        row.open_placement_id,
        row.open_placement_start,
    )


def save_child(s: Session, la: str, state: ChildState) -> None:
    row = s.get(ChildRow, (la, state.child_id)) or ChildRow(
        la=la, child_id=state.child_id, in_care=state.in_care, last_date=state.last_date
    )
    for name in (
        "in_care",
        "period_start",
        "left_care_on",
        "last_date",
        "open_placement_id",
        "open_placement_start",
    ):
        setattr(row, name, getattr(state, name))
    s.add(row)


def load_placement(s: Session, la: str, placement_id: str) -> PlacementState | None:
    row = s.get(PlacementRow, (la, placement_id))
    if row is None:
        return None
    return PlacementState(row.placement_id, row.child_id, row.start, row.end, row.end_reported)


def load_referral(s: Session, la: str, referral_id: str) -> ReferralState | None:
    row = s.get(ReferralRow, (la, referral_id))
    return (
        None
        if row is None
        else ReferralState(row.referral_id, row.child_id, row.received, row.closed)
    )


def record_placements(s: Session, la: str, before: ChildState | None, event: JourneyEvent) -> None:
    """Placement and referral rows after an accepted event."""
    match event:
        case PlacementStarted():
            if before and before.open_placement_id:
                _close(s, la, before.open_placement_id, event.data.date, reported=False)
            s.add(
                PlacementRow(
                    la=la,
                    placement_id=event.data.placement_id,
                    child_id=event.data.child_id,
                    start=event.data.date,
                )
            )
        case PlacementEnded():
            _close(s, la, event.data.placement_id, event.data.date, reported=True)
        case ChildLeftCare():
            if before and before.open_placement_id:
                _close(s, la, before.open_placement_id, event.data.date, reported=True)
        case ReferralReceived():
            s.add(
                ReferralRow(
                    la=la,
                    referral_id=event.data.referral_id,
                    child_id=event.data.child_id,
                    received=event.data.date,
                    urgency=event.data.urgency,
                    placement_sought=event.data.placement_sought,
                )
            )
        case ReferralClosed():
            row = s.get(ReferralRow, (la, event.data.referral_id))
            if row is not None:
                row.closed, row.outcome = event.data.date, event.data.outcome
                s.add(row)


def _close(s: Session, la: str, placement_id: str, day: object, reported: bool) -> None:
    row = s.get(PlacementRow, (la, placement_id))
    if row is not None:
        row.end = day  # type: ignore[assignment]
        row.end_reported = reported
        s.add(row)


def child_of_referral(s: Session, la: str, referral_id: str) -> str | None:
    row = s.get(ReferralRow, (la, referral_id))
    return None if row is None else row.child_id
