"""Indicator gauges read at scrape time from the live projection.

The projection works out today's figures of a changed LA in the background
as events land (live.py), so a scrape renders them and computes nothing.

Names, HELP texts and labels are in metric_names.py. An LA's figures carry
`la` and `region`; a region's aggregate is `sufficiency_region_<name>` with
`region` only. Every figure passes the small-number rule first: /metrics
feeds Grafana, which the wall display shows without a login, so it publishes
what /wall publishes and nothing a count of 1-5 could be read from.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.metrics.domain.indicators import Indicator
from services.metrics.domain.small_numbers import suppress
from services.metrics.entrypoints.metric_names import breakdown_values, metric_of
from services.metrics.service_layer.state import MetricsState

OCCUPANCY = "own_home_occupancy"


class IndicatorCollector(Collector):
    def __init__(self, state: MetricsState) -> None:
        self._state = state

    def collect(self) -> Iterator[GaugeMetricFamily]:
        today = datetime.now(UTC).date()
        below = self._state.settings.suppress_below
        families: dict[str, GaugeMetricFamily] = {}
        targets = _targets_family()
        places = _places_family()
        for la in self._state.all_las():
            region = self._state.region_of(la)
            values = self._state.live.latest(la, today)
            self._add(families, suppress(values, below), {"la": la, "region": region})
            for ind in values:
                if ind.target is not None and ind.unit == "ratio":
                    targets.add_metric([la, region, ind.name, ind.breakdown or ""], ind.target)
                if ind.name == OCCUPANCY and ind.denominator is not None:
                    # Registered places are public supply figures, never suppressed.
                    places.add_metric([la, region, ind.breakdown or "total"], ind.denominator)
        for region, members in self._state.regions().items():
            values = suppress(self._state.live.latest_region(members, today), below)
            self._add(families, values, {"region": region}, prefix="sufficiency_region_")
        yield from families.values()
        yield targets
        yield places

    def _add(
        self,
        families: dict[str, GaugeMetricFamily],
        values: Iterable[Indicator],
        where: dict[str, str],
        prefix: str = "sufficiency_",
    ) -> None:
        for ind in values:
            if ind.value is None:
                continue
            metric = metric_of(ind)
            name = prefix + metric.name
            family = families.get(name)
            if family is None:
                text = metric.help if prefix == "sufficiency_" else f"Region: {metric.help}"
                family = families[name] = GaugeMetricFamily(
                    name, text, labels=[*where, *metric.labels]
                )
            labels = [*where.values(), *breakdown_values(ind, len(metric.labels))]
            family.add_metric(labels, ind.value * metric.scale)

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())


def _targets_family() -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "sufficiency_target_ratio",
        "An LA's target in force today for a ratio indicator, from the reference data "
        "(ratio 0-1; indicator and breakdown name the indicator, breakdown empty for its total)",
        labels=["la", "region", "indicator", "breakdown"],
    )


def _places_family() -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "sufficiency_own_home_places",
        "Places registered today in the LA's own homes, by home kind (count of places; "
        "kind=total: all kinds)",
        labels=["la", "region", "kind"],
    )
