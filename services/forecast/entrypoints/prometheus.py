"""Next year's forecast (mid and bounds) per LA as gauges, rendered from the last publishing round.

The scrape fits nothing: the background publisher computes each LA's
default forecast (it must, to publish it) and keeps the figures; a scrape
renders them, so it takes milliseconds however many LAs there are.
A forecast of 1-5 children is left out: /metrics may be read without a key
(no SCRAPE_TOKEN), and a forecast that small tells how many children the LA
has (the small-number rule, as the metrics service applies it).
"""

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.forecast.service_layer.publisher import Figures
from shared.regions import region_of

SMALL_BELOW = 6  # forecasts of 1..5 children are not published


class ForecastCollector(Collector):
    def __init__(self, figures: Figures) -> None:
        self._figures = figures

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "sufficiency_forecast_children_in_care",
            "Children in care forecast for the next 31 March by the default model, "
            "mid and interval bounds (count of children)",
            labels=["la", "region", "model", "bound"],
        )
        for f in self._figures:
            if 0 < round(f.mid) < SMALL_BELOW:
                continue
            for bound, value in (("mid", f.mid), ("lower", f.lower), ("upper", f.upper)):
                family.add_metric([f.la, region_of(f.la) or "", f.model, bound], value)
        yield family

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())
