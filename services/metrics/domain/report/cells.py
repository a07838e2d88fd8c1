"""Cells from indicators, with the small-number rule shown as the DfE shows it ('c')."""

from collections.abc import Iterable, Sequence
from datetime import date

from services.metrics.domain.indicator import Indicator
from services.metrics.domain.reference import ReferenceForLa, TargetPoint
from services.metrics.domain.report.model import Cell
from services.metrics.domain.small_numbers import is_small

SUPPRESSED = "c"


def pick(values: Sequence[Indicator], name: str, breakdown: str | None = None) -> Indicator | None:
    for ind in values:
        if ind.name == name and (ind.breakdown or None) == breakdown:
            return ind
    return None


def value(values: Sequence[Indicator], name: str, breakdown: str | None = None) -> Cell:
    ind = pick(values, name, breakdown)
    if ind is None:
        return None
    return SUPPRESSED if ind.suppressed else ind.value


def numerator(values: Sequence[Indicator], name: str, breakdown: str | None = None) -> Cell:
    ind = pick(values, name, breakdown)
    if ind is None:
        return None
    return SUPPRESSED if ind.suppressed else ind.numerator


def people(n: float | None, suppressed: bool, below: int) -> Cell:
    """A count of children: 'c' when the report is shared and the count is 1 to below-1."""
    if n is None:
        return None
    if suppressed and is_small(n, below):
        return SUPPRESSED
    return int(n) if float(n).is_integer() else round(n, 1)


def day(d: date) -> str:
    return d.isoformat()


def number(c: Cell) -> float | None:
    return float(c) if isinstance(c, int | float) else None


def target_in_force(
    targets: Iterable[TargetPoint], indicator: str, breakdown: str | None, on: date
) -> float | None:
    """The value of the target in force on a date (the reference data's own rule)."""
    held = ReferenceForLa(targets=tuple(targets)).target_on(indicator, breakdown, on)
    return held.value if held else None
