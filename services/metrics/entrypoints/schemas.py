"""Response models of the metrics API."""

from datetime import date

from pydantic import BaseModel


class IndicatorOut(BaseModel):
    name: str
    breakdown: str | None = None
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str
    target: float | None = None
    rag: str | None = None
    suppressed: bool = False


class IndicatorsOut(BaseModel):
    la: str | None = None
    region: str | None = None
    as_of: date
    indicators: list[IndicatorOut]


class SeriesPoint(BaseModel):
    date: date
    value: float | None
    numerator: float | None
    denominator: float | None


class SeriesOut(BaseModel):
    name: str
    breakdown: str | None
    la: str | None
    region: str | None
    interval: str
    points: list[SeriesPoint]
