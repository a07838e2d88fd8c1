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

Each derived fact reads only some statements: the child's details read
admissions and corrections, periods admissions and leavings, legal status
spans admissions and legal status changes, placement ends the child's
placements and periods. An event that adds one kind of statement derives
again only the facts that read it (`rederive_details`, `rederive_care`,
`rederive_spans`, `rederive_placements`): the others are already what the
statements give, since every change goes through here. The fold spends most
of its time on placement events, which need only the placement ends.
"""

from collections.abc import Mapping
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
    """Every fact of the child (an admission reads all, a retraction may touch any)."""
    facts.touched.add(child_id)
    _child(facts, child_id)
    _periods(facts, child_id)
    _spans(facts, child_id)
    _placement_ends(facts, child_id)


def rederive_details(facts: LaFacts, child_id: str) -> None:
    """After a correction: the child's details only."""
    facts.touched.add(child_id)
    _child(facts, child_id)


def rederive_care(facts: LaFacts, child_id: str) -> None:
    """After a leaving: the periods of care, and the placement ends they bound."""
    facts.touched.add(child_id)
    _periods(facts, child_id)
    _placement_ends(facts, child_id)


def rederive_spans(facts: LaFacts, child_id: str) -> None:
    """After a legal status change: the spans only."""
    facts.touched.add(child_id)
    _spans(facts, child_id)


def rederive_placements(facts: LaFacts, child_id: str) -> None:
    """After a placement started or ended: the placement ends only."""
    facts.touched.add(child_id)
    _placement_ends(facts, child_id)


def placement_with(
    p: PlacementFacts, end: date | None, reported_end: date | None, change_reason: str | None
) -> PlacementFacts:
    """`p` with its end and what placement.ended said (dataclasses.replace's result).

    Built positionally: `replace` costs about twice as much (it walks the
    fields and calls the constructor by keyword), and a placement is rebuilt
    about once per journey event. tests/unit/metrics/test_fold_derive.py holds
    this to `replace` with every field set, so a field added and not copied
    here fails there.
    """
    return PlacementFacts(
        p.placement_id,
        p.child_id,
        p.start,
        end,
        p.reason,
        p.place,
        p.provider,
        p.home_id,
        p.placement_location,
        p.placement_la,
        p.weekly_cost,
        p.framework,
        p.referral_id,
        p.emergency,
        p.urn,
        reported_end,
        change_reason,
    )


def _child(facts: LaFacts, child_id: str) -> None:
    admissions = facts.admissions.get(child_id)
    if not admissions:
        facts.children.pop(child_id, None)
        return
    base = admissions[max(admissions)]
    birth_month, sex, uasc, home = base.birth_month, base.sex, base.uasc, base.home_location
    for c in sorted(facts.corrections.get(child_id, []), key=lambda c: c.day):
        if c.day < base.day:
            continue
        birth_month = c.birth_month or birth_month
        sex = c.sex or sex
        uasc = uasc if c.uasc is None else c.uasc
        home = c.home_location or home
    facts.children[child_id] = ChildFacts(child_id, facts.la, birth_month, sex, uasc, home)


def _periods(facts: LaFacts, child_id: str) -> None:
    admitted = facts.admissions.get(child_id, {})
    left = facts.leavings.get(child_id, {})
    periods: list[PeriodOfCare] = []
    start: date | None = None
    for day in sorted(set(admitted) | set(left)):
        if start is not None and day in left:
            periods.append(_period(child_id, start, day, left[day], admitted))
            start = None
            if day in admitted:
                start = day  # left and admitted again on the same day
            continue
        if start is None and day in admitted:
            if day in left:
                periods.append(_period(child_id, day, day, left[day], admitted))
            else:
                start = day
    if start is not None:
        periods.append(_period(child_id, start, None, None, admitted))
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
            facts.placements[p.placement_id] = placement_with(
                p, end, p.reported_end, p.change_reason
            )
    facts.placements_by_child[child_id] = [p.placement_id for p in ordered]


def _care_end(periods: list[PeriodOfCare], day: date) -> date | None:
    """The end of the period of care the day falls in (None if open or none)."""
    for period in reversed(periods):
        if period.start <= day:
            if period.end is not None and period.end >= day:
                return period.end
            return None
    return None


def _period(
    child_id: str,
    start: date,
    end: date | None,
    reason: str | None,
    admitted: Mapping[date, Admission],
) -> PeriodOfCare:
    """A period, marked continuing when the admission it starts with says so."""
    admission = admitted.get(start)
    continues = admission is not None and admission.continues_earlier
    return PeriodOfCare(child_id, start, end, reason, continues)
