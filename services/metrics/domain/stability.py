"""Placement stability: 3 or more placements in a year, and long-term stability.

Each child's part is a function of the child in care (`three_plus`,
`long_term`), shared by the pass over the cohort and by tally.py.
"""

from dataclasses import dataclass
from datetime import date

from services.metrics.domain.cohort import AsOf, InCare
from services.metrics.domain.dates import age_on, months_before
from services.metrics.domain.indicator import Indicator, ratio

IN_CARE_MONTHS = 30  # "in care continuously for at least 2.5 years"
SAME_CARER_MONTHS = 24  # "living with the same carer for at least 2 years"
COHORT_AGE_BELOW = 16


def three_plus(c: InCare, first: date, day: date) -> bool:
    """3 or more placements in the 12 months to D, counted per child by
    `ChildRow.placements_counted`: the placement open when the window opens,
    then each new-carer start (RNE S, P, B). A move with the same carer (T, U)
    or a change of legal status only is not one."""
    return c.row.placements_counted(first, day) >= 3


def three_plus_placements(ctx: AsOf) -> list[Indicator]:
    """Share of CLA at D with 3 or more placements in the 12 months to D."""
    many = sum(1 for c in ctx.cohort if three_plus(c, ctx.first, ctx.day))
    return three_plus_from(many, len(ctx.cohort))


def three_plus_from(many: int, n: int) -> list[Indicator]:
    return [ratio("three_plus_placements", many, n)]


@dataclass(frozen=True, slots=True)
class StabilityDates:
    """The two cut-off days of long-term stability as of D."""

    day: date
    in_care_by: date
    carer_by: date

    @classmethod
    def of(cls, day: date) -> "StabilityDates":
        return cls(day, months_before(day, IN_CARE_MONTHS), months_before(day, SAME_CARER_MONTHS))


def long_term(c: InCare, dates: StabilityDates) -> tuple[bool, bool]:
    """(eligible, stable): aged under 16 and in care for 2.5 years or more;
    and of those, with a current carer (a run of placements linked by RNE
    T/U) who has had them for 2 years or more."""
    if (
        age_on(c.child.birth_month, dates.day) >= COHORT_AGE_BELOW
        or c.period.start > dates.in_care_by
    ):
        return False, False
    return True, c.placement is not None and c.placement.carer_since <= dates.carer_by


def long_term_stability(ctx: AsOf) -> list[Indicator]:
    """Of CLA at D aged under 16 and in care for 2.5 years or more, the share
    whose current carer has had them for 2 years or more."""
    dates = StabilityDates.of(ctx.day)
    eligible = stable = 0
    for c in ctx.cohort:
        is_eligible, is_stable = long_term(c, dates)
        eligible += is_eligible
        stable += is_stable
    return long_term_stability_from(stable, eligible)


def long_term_stability_from(stable: int, eligible: int) -> list[Indicator]:
    return [ratio("long_term_stability", stable, eligible)]
