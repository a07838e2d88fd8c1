"""Everything a report is built from, gathered by the service layer (no I/O here)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from services.metrics.domain.indicator import Indicator
from services.metrics.domain.reference import TargetPoint


@dataclass(frozen=True)
class ForecastPoint:
    period: date
    mid: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Forecast:
    model: str
    points: tuple[ForecastPoint, ...]


@dataclass(frozen=True)
class PipelineHome:
    opens: date
    category: str
    places: int


@dataclass(frozen=True)
class SupplyRow:
    provider: str
    kind: str
    homes: int
    places: int


@dataclass(frozen=True)
class ReportInputs:
    scope: str
    scope_name: str
    is_region: bool
    as_of: date
    suppressed: bool
    suppress_below: int
    current: list[Indicator]
    # compute_all at each 31 March from the records' start (ten years at most), and at as_of.
    yearly: list[tuple[date, list[Indicator]]]
    records_from: date | None
    # 31 March children in care up to as_of (published, then live), from the forecast service.
    history: list[tuple[date, float]]
    population: Mapping[date, int]  # aged 0-17 in force at each history date
    targets: tuple[TargetPoint, ...] = ()
    straight_line: Forecast | None = None
    best: Forecast | None = None
    forecast_problem: str = ""
    # Forecast children by placement category, by year (31 March), and where from.
    demand: list[tuple[int, dict[str, float]]] = field(default_factory=list)
    demand_source: str = ""
    own_capacity: Mapping[str, float] = field(default_factory=dict)
    pipeline: tuple[PipelineHome, ...] = ()
    unit_costs: Mapping[str, float] = field(default_factory=dict)
    supply: tuple[SupplyRow, ...] = ()
    region: str = ""
