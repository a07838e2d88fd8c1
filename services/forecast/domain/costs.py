"""Weekly unit costs by placement category and side: the scenario defaults, in one place.

Side is "own" (the LA's own provision: internal foster carers, its own
children's homes) or "external" (independent fostering agencies, private and
voluntary homes), as in the metrics service's cost indicators.

Defaults are seed 001's (Derbyshire, March 2025) average weekly spend:
external residential GBP 7,326, own ("internal mainstream") residential
GBP 3,770, external fostering (IFA) GBP 974, own fostering GBP 634. Other
categories have no published price and are left uncosted (reported as such,
not priced at zero silently).

Annual = weekly x 52, as LAs' tables annualise. Check: seed 001's 143
children in external residential "approximately GBP 54.5 million" a year is
143 x 7,326 x 52 = GBP 54.48m (with the GBP 7,402 it quotes alongside,
55.04m).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Side = Literal["own", "external"]
SIDES: tuple[Side, ...] = ("own", "external")
WEEKS_PER_YEAR = 52


def cost_key(category: str, side: Side) -> str:
    return f"{category}.{side}"


@dataclass(frozen=True)
class UnitCosts:
    weekly: Mapping[str, float] = field(default_factory=dict)
    """GBP per child per week, keyed ``"<category>.<side>"``."""
    weeks_per_year: int = WEEKS_PER_YEAR

    def of(self, category: str, side: Side) -> float | None:
        return self.weekly.get(cost_key(category, side))


DEFAULT_UNIT_COSTS = UnitCosts(
    {
        "residential.external": 7326.0,
        "residential.own": 3770.0,
        "fostering.external": 974.0,
        "fostering.own": 634.0,
    }
)
