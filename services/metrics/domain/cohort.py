"""Children looked after (CLA) at a date, with what each indicator needs of them."""

from dataclasses import dataclass
from datetime import date

from services.metrics.domain.facts import Child, LaFacts, Period, Placement, is_open
from shared.codes.ssda903 import SHORT_BREAK_LEGAL_STATUS


@dataclass(frozen=True, slots=True)
class InCare:
    child: Child
    period: Period
    placement: Placement | None  # the placement open at the date, if any


def current_period(periods: list[Period], day: date) -> Period | None:
    for period in reversed(periods):
        if is_open(period.start, period.end, day):
            return period
    return None


def current_placement(history: list[Placement], day: date) -> Placement | None:
    for placement in reversed(history):
        if placement.start <= day:
            return placement if is_open(placement.start, placement.end, day) else None
    return None


def only_short_breaks(facts: LaFacts, child_id: str, period: Period, day: date) -> bool:
    """True when every legal status in force during the period, up to the date, is V3/V4."""
    spans = [s for s in facts.legal.get(child_id, []) if s.start <= day]
    at_start = [s for s in spans if s.start <= period.start]
    in_force = at_start[-1:] + [s for s in spans if s.start > period.start]
    return bool(in_force) and all(s.legal_status in SHORT_BREAK_LEGAL_STATUS for s in in_force)


def looked_after(facts: LaFacts, day: date) -> list[InCare]:
    out = []
    for child_id, periods in facts.periods.items():
        period = current_period(periods, day)
        child = facts.children.get(child_id)
        if period is None or child is None or only_short_breaks(facts, child_id, period, day):
            continue
        out.append(InCare(child, period, current_placement(facts.by_child.get(child_id, []), day)))
    return out


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
