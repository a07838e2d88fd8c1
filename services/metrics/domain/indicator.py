"""The value type every indicator computation returns."""

from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["count", "ratio", "per_10000", "days", "gbp"]


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: Unit
    breakdown: str | None = None
    target: float | None = None
    rag: str | None = None
    suppressed: bool = False
    # Raw values behind a median or percentile, so a region can pool them.
    samples: tuple[float, ...] = field(default=(), repr=False, compare=False)


def ratio(name: str, numerator: float, denominator: float, breakdown: str | None = None) -> Indicator:
    value = numerator / denominator if denominator else None
    return Indicator(name, value, numerator, denominator, "ratio", breakdown)


def count(name: str, n: float, breakdown: str | None = None, unit: Unit = "count") -> Indicator:
    return Indicator(name, n, n, None, unit, breakdown)


def mean(name: str, total: float, n: float, unit: Unit, breakdown: str | None = None) -> Indicator:
    return Indicator(name, total / n if n else None, total, n, unit, breakdown)
