"""Child journey events into statements and facts (in place).

Each handler records what the event said, then derives again the child's
facts that read that kind of statement (derive.py). Every handler is
idempotent: the same event twice leaves the same facts. An event naming a
placement or referral not seen yet is parked and applied when that
placement or referral arrives.

A retraction removes the statement the retracted event made, if the
statement there is still the one it made (a corrected event of the same
date or placement that came first is left alone), then derives the child
again.
"""

from dataclasses import replace
from datetime import date
from typing import TypeVar

from services.metrics.domain.derive import (
    placement_with,
    rederive_care,
    rederive_child,
    rederive_details,
    rederive_placements,
    rederive_spans,
)
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

V = TypeVar("V")


def grid(ref: GridRef | None) -> GridPoint | None:
    return None if ref is None else (ref.easting, ref.northing)


def year_month(text: str) -> YearMonth:
    year, month = text.split("-")
    return int(year), int(month)


def park(facts: LaFacts, key: str, event: j.JourneyEvent) -> None:
    parked = facts.pending.setdefault(key, [])
    if event not in parked:
        parked.append(event)


def _admission(d: j.ChildAdmittedData, continues_earlier: bool) -> Admission:
    return Admission(
        d.date,
        year_month(d.birth_month),
        d.sex,
        d.uasc,
        grid(d.home_location),
        d.legal_status,
        continues_earlier,
    )


def continues_period(event: j.ChildAdmitted) -> bool:
    """The 903 import's mark of a period begun before the records (envelope extension)."""
    return bool((event.model_extra or {}).get("continuesperiod"))


def admitted(facts: LaFacts, d: j.ChildAdmittedData, continues_earlier: bool = False) -> None:
    facts.admissions.setdefault(d.child_id, {})[d.date] = _admission(d, continues_earlier)
    rederive_child(facts, d.child_id)


def left_care(facts: LaFacts, d: j.ChildLeftCareData) -> None:
    facts.leavings.setdefault(d.child_id, {})[d.date] = d.reason
    rederive_care(facts, d.child_id)


def legal_status_changed(facts: LaFacts, d: j.LegalStatusChangedData) -> None:
    facts.legal_changes.setdefault(d.child_id, {})[d.date] = d.legal_status
    rederive_spans(facts, d.child_id)


def _correction(d: j.ChildDetailsCorrectedData) -> Correction:
    return Correction(
        d.date,
        year_month(d.birth_month) if d.birth_month else None,
        d.sex,
        d.uasc,
        grid(d.home_location),
    )


def details_corrected(facts: LaFacts, d: j.ChildDetailsCorrectedData) -> None:
    correction = _correction(d)
    known = facts.corrections.setdefault(d.child_id, [])
    if correction not in known:
        known.append(correction)
    rederive_details(facts, d.child_id)


def _started(
    d: j.PlacementStartedData,
    reported_end: date | None = None,
    change_reason: str | None = None,
) -> PlacementFacts:
    return PlacementFacts(
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
        reported_end=reported_end,
        change_reason=change_reason,
    )


def placement_started(facts: LaFacts, d: j.PlacementStartedData) -> None:
    before = facts.placements.get(d.placement_id)
    end = (
        (before.reported_end, before.change_reason)
        if before
        else facts.orphan_ends.pop(d.placement_id, (None, None))
    )
    placement = _started(d, end[0], end[1])
    if before is not None and before.child_id != d.child_id:
        _forget(facts, before.child_id, d.placement_id)
    facts.placements[d.placement_id] = placement
    ids = facts.placements_by_child.setdefault(d.child_id, [])
    if d.placement_id not in ids:
        ids.append(d.placement_id)
    rederive_placements(facts, d.child_id)


def _forget(facts: LaFacts, child_id: str, placement_id: str) -> None:
    ids = facts.placements_by_child.get(child_id, [])
    if placement_id in ids:
        ids.remove(placement_id)
    rederive_placements(facts, child_id)


def placement_ended(facts: LaFacts, event: j.PlacementEnded) -> None:
    d = event.data
    placement = facts.placements.get(d.placement_id)
    if placement is None:
        park(facts, f"placement:{d.placement_id}", event)
        return
    # A reported end is the effective end (derive.py), so it is set here too:
    # the derivation then finds this placement as it would make it.
    facts.placements[d.placement_id] = placement_with(
        placement, d.date, d.date, d.reason_for_change
    )
    rederive_placements(facts, placement.child_id)


def referral_received(facts: LaFacts, d: j.ReferralReceivedData) -> None:
    before = facts.referrals.get(d.referral_id)
    referral = ReferralFacts(d.referral_id, d.child_id, d.date, str(d.urgency))
    if before is not None:  # a referral received again keeps how it was closed
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


def retracted(facts: LaFacts, event: j.RetractableEvent) -> None:
    """Undo what `event` said (see the module's docstring)."""
    target = str(event.id)
    if target in facts.retracted:
        return
    facts.retracted.add(target)
    for parked in facts.pending.values():
        if event in parked:
            parked.remove(event)
    match event:
        case j.ChildAdmitted():
            d = event.data
            _drop(facts.admissions, d.child_id, d.date, _admission(d, continues_period(event)))
        case j.ChildLeftCare():
            _drop(facts.leavings, event.data.child_id, event.data.date, event.data.reason)
        case j.LegalStatusChanged():
            ls = event.data
            _drop(facts.legal_changes, ls.child_id, ls.date, ls.legal_status)
        case j.ChildDetailsCorrected():
            known = facts.corrections.get(event.data.child_id, [])
            if _correction(event.data) in known:
                known.remove(_correction(event.data))
        case j.PlacementStarted():
            _unstart(facts, event.data)
        case j.PlacementEnded():
            _unend(facts, event.data)
        case j.ReferralReceived():
            referral = facts.referrals.get(event.data.referral_id)
            if referral is not None and referral.received == event.data.date:
                del facts.referrals[event.data.referral_id]
        case j.ReferralClosed():
            referral = facts.referrals.get(event.data.referral_id)
            if referral is not None and referral.closed == event.data.date:
                facts.referrals[event.data.referral_id] = replace(
                    referral, closed=None, outcome=None, placement_id=None
                )
    child = getattr(event.data, "child_id", None)
    if child is not None:
        rederive_child(facts, child)


def _drop(statements: dict[str, dict[date, V]], child: str, day: date, said: V) -> None:
    mine = statements.get(child, {})
    if mine.get(day) == said:
        del mine[day]


def _unstart(facts: LaFacts, d: j.PlacementStartedData) -> None:
    placement = facts.placements.get(d.placement_id)
    if placement is None or _as_started(placement) != _started(d):
        return
    if placement.reported_end is not None:
        facts.orphan_ends[d.placement_id] = (placement.reported_end, placement.change_reason)
    del facts.placements[d.placement_id]
    ids = facts.placements_by_child.get(d.child_id, [])
    if d.placement_id in ids:
        ids.remove(d.placement_id)
    if not ids:
        facts.placements_by_child.pop(d.child_id, None)


def _as_started(p: PlacementFacts) -> PlacementFacts:
    """What a placement.started said of it (without what its end made of it)."""
    return replace(p, end=None, reported_end=None, change_reason=None)


def _unend(facts: LaFacts, d: j.PlacementEndedData) -> None:
    said = (d.date, d.reason_for_change)
    if facts.orphan_ends.get(d.placement_id) == said:
        del facts.orphan_ends[d.placement_id]
    placement = facts.placements.get(d.placement_id)
    if placement is not None and (placement.reported_end, placement.change_reason) == said:
        facts.placements[d.placement_id] = replace(placement, reported_end=None, change_reason=None)
        # The placement's own child: the ended event may have named another
        # (the end applies to the placement whatever child it names).
        rederive_placements(facts, placement.child_id)
