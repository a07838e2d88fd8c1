"""Next year's forecast (mid and bounds) per LA as gauges, rendered from the last publishing round.

The scrape fits nothing: the background publisher computes each LA's
default forecast (it must, to publish it) and keeps the figures; a scrape
renders them, so it takes milliseconds however many LAs there are.
"""

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.forecast.service_layer.publisher import Figures
from shared.regions import region_of


class ForecastCollector(Collector):
    def __init__(self, figures: Figures) -> None:
        self._figures = figures

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "sufficiency_forecast_children_in_care",
            "Children in care forecast for the next 31 March (default model)",
            labels=["la", "region", "model", "bound"],
        )
        for f in self._figures:
            for bound, value in (("mid", f.mid), ("lower", f.lower), ("upper", f.upper)):
                family.add_metric([f.la, region_of(f.la) or "", f.model, bound], value)
        yield family

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())
