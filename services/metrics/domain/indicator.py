"""The value every indicator computation returns, and how each kind recombines."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Unit = Literal["count", "ratio", "per_10000", "days", "gbp"]


class Kind(StrEnum):
    """How `value` follows from the other fields (and so how a region sums it)."""

    COUNT = "count"  # value = numerator (a count); no denominator
    TOTAL = "total"  # value = numerator (a sum of money); denominator = items summed
    RATIO = "ratio"  # value = numerator * scale / denominator (shares, rates, means)
    QUANTILE = "quantile"  # value = a quantile of `samples`; denominator = len(samples)


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str  # stable snake_case id, e.g. "placement_mix"
    value: float | None  # None: not computable (no denominator), or suppressed
    numerator: float | None
    denominator: float | None
    unit: Unit
    breakdown: str | None = None  # e.g. "residential", "PR4", "childrens_home"
    target: float | None = None  # the target in force at the as-of date (rag.py)
    rag: str | None = None  # "green", "amber" or "red"
    suppressed: bool = False  # small numbers hidden (small_numbers.py)
    # The values behind a median or percentile, so a region can pool them.
    samples: tuple[float, ...] = field(default=(), repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.name, self.breakdown)


def ratio(
    name: str,
    numerator: float,
    denominator: float | None,
    unit: Unit = "ratio",
    breakdown: str | None = None,
    scale: float = 1.0,
) -> Indicator:
    value = numerator * scale / denominator if denominator else None
    return Indicator(name, value, numerator, denominator, unit, breakdown)


def count(name: str, n: float, breakdown: str | None = None) -> Indicator:
    return Indicator(name, n, n, None, "count", breakdown)


def total(
    name: str, amount: float, items: int, unit: Unit = "gbp", breakdown: str | None = None
) -> Indicator:
    return Indicator(name, amount, amount, items, unit, breakdown)
