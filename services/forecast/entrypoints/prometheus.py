"""Next year's forecast (mid and bounds) per LA as gauges, computed at scrape time.

An LA whose forecast is of 1-5 children is left out: /metrics may be read
without a key (no SCRAPE_TOKEN), and a forecast that small tells how many
children the LA has (the small-number rule, as the metrics service applies it).
"""

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from services.forecast.service_layer.forecasting import Forecaster, NotEnoughHistory
from services.forecast.service_layer.publisher import SERIES, las_with_history
from shared.regions import region_of

SMALL_BELOW = 6  # forecasts of 1..5 children are not published


class ForecastCollector(Collector):
    def __init__(self, forecaster: Forecaster, engine: Engine) -> None:
        self._forecaster = forecaster
        self._engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "sufficiency_forecast_children_in_care",
            "Children in care forecast for the next 31 March by the default model, "
            "mid and interval bounds (count of children)",
            labels=["la", "region", "model", "bound"],
        )
        for la in las_with_history(self._engine):
            try:
                result = self._forecaster.forecast(la, [la], SERIES, None, 1)
            except NotEnoughHistory:
                continue
            point = result.points[0]
            if 0 < round(point.mid) < SMALL_BELOW:
                continue
            for bound, value in (
                ("mid", point.mid),
                ("lower", point.lower),
                ("upper", point.upper),
            ):
                family.add_metric([la, region_of(la) or "", result.model, bound], value)
        yield family

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())
