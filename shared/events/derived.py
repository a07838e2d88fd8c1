"""Events derived by the services: indicator snapshots and forecasts."""

from datetime import date
from typing import Literal

from pydantic import Field

from shared.events.envelope import Envelope, EventData, LaCode


class IndicatorValue(EventData):
    name: str = Field(examples=["children_in_care", "within_20_miles"])
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


class IndicatorsSnapshotData(EventData):
    la: LaCode
    as_of: date
    indicators: list[IndicatorValue]


class ForecastPointData(EventData):
    period: date
    mid: float
    lower: float
    upper: float


class BacktestScoreData(EventData):
    mape: float | None
    bias: float | None
    coverage: float | None
    n: int = 0


class ForecastPublishedData(EventData):
    la: LaCode
    series: str
    model: str
    horizon: int
    points: list[ForecastPointData]
    backtest: BacktestScoreData | None = None


class IndicatorsSnapshot(Envelope):
    type: Literal["indicators.snapshot.v1"] = "indicators.snapshot.v1"
    data: IndicatorsSnapshotData


class ForecastPublished(Envelope):
    type: Literal["forecast.published.v1"] = "forecast.published.v1"
    data: ForecastPublishedData
