"""One child's facts, derived again from that child's statements.

Deriving from the whole set of statements (not from the previous facts) is
what makes the fold independent of arrival order: the same statements give
the same facts whatever order their events came in.

Rules:

* Periods of care: admissions and leavings are walked in date order. An
  admission while already in care is ignored (it neither starts a period nor
  moves the start; the referrals service refuses it anyway). A leaving while
  not in care is ignored until the admission it belongs to arrives. On one
  day, a child in care who leaves and is admitted again has two periods; a
  child not in care who is admitted and leaves has a one-day period.
* Legal status spans: one per admission (its LS) and per
  legal_status.changed; a change on the day of an admission wins.
* Child details: the latest admission's, then every correction dated on or
  after that admission, in date order (a later admission supersedes earlier
  corrections, since it restates the child's details).
* Placement ends: the reported end (placement.ended) when there is one;
  otherwise the start of the child's next placement, or the end of the period
  of care the placement started in, whichever is first; otherwise open.
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from services.metrics.domain.facts import (
    Admission,
    ChildFacts,
    LaFacts,
    LegalStatusSpan,
    PeriodOfCare,
    PlacementFacts,
)


def rederive_child(facts: LaFacts, child_id: str) -> None:
    facts.touched.add(child_id)
    _child(facts, child_id)
    _periods(facts, child_id)
    _spans(facts, child_id)
    _placement_ends(facts, child_id)


def _child(facts: LaFacts, child_id: str) -> None:
    admissions = facts.admissions.get(child_id)
    if not admissions:
        facts.children.pop(child_id, None)
        return
    base = admissions[max(admissions)]
    child = ChildFacts(
        child_id, facts.la, base.birth_month, base.sex, base.uasc, base.home_location
    )
    for c in sorted(facts.corrections.get(child_id, []), key=lambda c: c.day):
        if c.day < base.day:
            continue
        child = replace(
            child,
            birth_month=c.birth_month or child.birth_month,
            sex=c.sex or child.sex,
            uasc=child.uasc if c.uasc is None else c.uasc,
            home_location=c.home_location or child.home_location,
        )
    facts.children[child_id] = child


def _periods(facts: LaFacts, child_id: str) -> None:
    admitted = facts.admissions.get(child_id, {})
    left = facts.leavings.get(child_id, {})
    periods: list[PeriodOfCare] = []
    start: date | None = None
    for day in sorted(set(admitted) | set(left)):
        if start is not None and day in left:
            periods.append(PeriodOfCare(child_id, start, day, left[day]))
            start = None
            if day in admitted:
                start = day  # left and admitted again on the same day
            continue
        if start is None and day in admitted:
            if day in left:
                periods.append(PeriodOfCare(child_id, day, day, left[day]))
            else:
                start = day
    if start is not None:
        periods.append(PeriodOfCare(child_id, start, None, None))
    periods = [_flag_continuing(p, admitted) for p in periods]
    if periods:
        facts.periods[child_id] = periods
    else:
        facts.periods.pop(child_id, None)


def _spans(facts: LaFacts, child_id: str) -> None:
    statuses = {day: a.legal_status for day, a in facts.admissions.get(child_id, {}).items()}
    statuses.update(facts.legal_changes.get(child_id, {}))
    if statuses:
        facts.legal_statuses[child_id] = [
            LegalStatusSpan(child_id, day, statuses[day]) for day in sorted(statuses)
        ]
    else:
        facts.legal_statuses.pop(child_id, None)


def placement_order(p: PlacementFacts) -> tuple[date, bool, str]:
    """Start, then (on one day) a placement already reported ended comes first."""
    return (p.start, p.reported_end is None, p.placement_id)


def _placement_ends(facts: LaFacts, child_id: str) -> None:
    ids = facts.placements_by_child.get(child_id)
    if not ids:
        return
    ordered = sorted((facts.placements[i] for i in ids), key=placement_order)
    periods = facts.periods.get(child_id, [])
    for i, p in enumerate(ordered):
        end = p.reported_end
        if end is None:
            candidates = [ordered[i + 1].start] if i + 1 < len(ordered) else []
            care_end = _care_end(periods, p.start)
            if care_end is not None:
                candidates.append(care_end)
            end = min(candidates) if candidates else None
        if end != p.end:
            facts.placements[p.placement_id] = replace(p, end=end)
    facts.placements_by_child[child_id] = [p.placement_id for p in ordered]


def _care_end(periods: list[PeriodOfCare], day: date) -> date | None:
    """The end of the period of care the day falls in (None if open or none)."""
    for period in reversed(periods):
        if period.start <= day:
            if period.end is not None and period.end >= day:
                return period.end
            return None
    return None


def _flag_continuing(period: PeriodOfCare, admitted: Mapping[date, Admission]) -> PeriodOfCare:
    admission = admitted.get(period.start)
    if admission is None or not admission.continues_earlier:
        return period
    return replace(period, continues_earlier=True)
