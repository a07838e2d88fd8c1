"""Placement stability: 3+ placements in a year, and long-term stability."""

from datetime import date

from services.metrics.domain.care import year_before
from services.metrics.domain.cohort import InCare, age_on
from services.metrics.domain.facts import LaFacts, Placement, is_open
from services.metrics.domain.indicator import Indicator, ratio
from shared.codes.ssda903 import NEW_CARER_REASONS


def placements_in_year(history: list[Placement], day: date) -> int:
    """Placements in the 12 months to the date, counted as the DfE counts them.

    The placement open when the window opens counts; after that, a placement
    counts only when it brings a new carer (RNE S, P or B), so a change of
    legal status or a move with the same carer is not a new placement.
    """
    opened = year_before(day)
    open_at_start = any(is_open(p.start, p.end, opened) for p in history)
    new_carers = sum(1 for p in history if opened < p.start <= day and p.reason in NEW_CARER_REASONS)
    return int(open_at_start) + new_carers


def three_plus_placements(facts: LaFacts, cohort: list[InCare], day: date) -> Indicator:
    many = sum(1 for c in cohort if placements_in_year(facts.by_child.get(c.child.child_id, []), day) >= 3)
    return ratio("three_plus_placements", many, len(cohort))


def with_same_carer_since(history: list[Placement], current: Placement) -> date:
    """Start of the run of placements with the current carer (linked by RNE T or U)."""
    since = current.start
    placements = [p for p in history if p.start <= current.start]
    for placement in reversed(placements):
        since = placement.start
        if placement.reason in NEW_CARER_REASONS:
            break
    return since


def _months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


def long_term_stability(facts: LaFacts, cohort: list[InCare], day: date) -> Indicator:
    """Of CLA under 16 in care for 2.5 years or more, the share with the same carer 2 years."""
    in_care_since, carer_since = _months_before(day, 30), _months_before(day, 24)
    eligible = stable = 0
    for c in cohort:
        if age_on(c.child.birth, day) >= 16 or c.period.start > in_care_since:
            continue
        eligible += 1
        history = facts.by_child.get(c.child.child_id, [])
        if c.placement and with_same_carer_since(history, c.placement) <= carer_since:
            stable += 1
    return ratio("long_term_stability", stable, eligible)
