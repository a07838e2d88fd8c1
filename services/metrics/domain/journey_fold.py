"""Child journey events into statements and facts (in place).

Each handler records what the event said, then derives the child's facts
again (derive.py). Every handler is idempotent: the same event twice leaves
the same facts. An event naming a placement or referral not seen yet is
parked and applied when that placement or referral arrives.
"""

from dataclasses import replace

from services.metrics.domain.derive import rederive_child
from services.metrics.domain.facts import (
    Admission,
    Correction,
    GridPoint,
    LaFacts,
    PlacementFacts,
    ReferralFacts,
    YearMonth,
)
from shared.events import journey as j
from shared.events.common import GridRef


def grid(ref: GridRef | None) -> GridPoint | None:
    return None if ref is None else (ref.easting, ref.northing)


def year_month(text: str) -> YearMonth:
    year, month = text.split("-")
    return int(year), int(month)


def park(facts: LaFacts, key: str, event: j.JourneyEvent) -> None:
    parked = facts.pending.setdefault(key, [])
    if event not in parked:
        parked.append(event)


def admitted(facts: LaFacts, d: j.ChildAdmittedData, continues_earlier: bool = False) -> None:
    facts.admissions.setdefault(d.child_id, {})[d.date] = Admission(
        d.date,
        year_month(d.birth_month),
        d.sex,
        d.uasc,
        grid(d.home_location),
        d.legal_status,
        continues_earlier,
    )
    rederive_child(facts, d.child_id)


def left_care(facts: LaFacts, d: j.ChildLeftCareData) -> None:
    facts.leavings.setdefault(d.child_id, {})[d.date] = d.reason
    rederive_child(facts, d.child_id)


def legal_status_changed(facts: LaFacts, d: j.LegalStatusChangedData) -> None:
    facts.legal_changes.setdefault(d.child_id, {})[d.date] = d.legal_status
    rederive_child(facts, d.child_id)


def details_corrected(facts: LaFacts, d: j.ChildDetailsCorrectedData) -> None:
    correction = Correction(
        d.date,
        year_month(d.birth_month) if d.birth_month else None,
        d.sex,
        d.uasc,
        grid(d.home_location),
    )
    known = facts.corrections.setdefault(d.child_id, [])
    if correction not in known:
        known.append(correction)
    rederive_child(facts, d.child_id)


def placement_started(facts: LaFacts, d: j.PlacementStartedData) -> None:
    before = facts.placements.get(d.placement_id)
    placement = PlacementFacts(
        placement_id=d.placement_id,
        child_id=d.child_id,
        start=d.date,
        end=None,
        reason=d.reason,
        place=d.placement_type,
        provider=d.provider,
        home_id=d.home_id,
        placement_location=grid(d.placement_location),
        placement_la=d.placement_la,
        weekly_cost=d.weekly_cost,
        framework=d.framework,
        referral_id=d.referral_id,
        emergency=d.emergency,
        urn=d.urn,
        reported_end=before.reported_end if before else None,
        change_reason=before.change_reason if before else None,
    )
    if before is not None and before.child_id != d.child_id:
        _forget(facts, before.child_id, d.placement_id)
    facts.placements[d.placement_id] = placement
    ids = facts.placements_by_child.setdefault(d.child_id, [])
    if d.placement_id not in ids:
        ids.append(d.placement_id)
    rederive_child(facts, d.child_id)


def _forget(facts: LaFacts, child_id: str, placement_id: str) -> None:
    ids = facts.placements_by_child.get(child_id, [])
    if placement_id in ids:
        ids.remove(placement_id)
    rederive_child(facts, child_id)


def placement_ended(facts: LaFacts, event: j.PlacementEnded) -> None:
    d = event.data
    placement = facts.placements.get(d.placement_id)
    if placement is None:
        park(facts, f"placement:{d.placement_id}", event)
        return
    facts.placements[d.placement_id] = replace(
        placement, reported_end=d.date, change_reason=d.reason_for_change
    )
    rederive_child(facts, placement.child_id)


def referral_received(facts: LaFacts, d: j.ReferralReceivedData) -> None:
    before = facts.referrals.get(d.referral_id)
    referral = ReferralFacts(d.referral_id, d.child_id, d.date, str(d.urgency))
    if before is not None:
        referral = replace(
            referral, closed=before.closed, outcome=before.outcome, placement_id=before.placement_id
        )
    facts.referrals[d.referral_id] = referral


def referral_closed(facts: LaFacts, event: j.ReferralClosed) -> None:
    d = event.data
    referral = facts.referrals.get(d.referral_id)
    if referral is None:
        park(facts, f"referral:{d.referral_id}", event)
        return
    facts.referrals[d.referral_id] = replace(
        referral, closed=d.date, outcome=str(d.outcome), placement_id=d.placement_id
    )
