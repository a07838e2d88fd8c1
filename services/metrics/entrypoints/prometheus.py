"""Indicator gauges read at scrape time from the live projection.

The projection works out today's figures of a changed LA in the background
as events land (live.py), so a scrape renders them and computes nothing.

Names follow API.md: prefix `sufficiency_`, ratios end `_ratio`, money `_gbp`.
Labels are `la`, `region` and one small fixed breakdown label per indicator;
a region's aggregate has an empty `la`.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.metrics.domain.indicators import Indicator
from services.metrics.service_layer.state import MetricsState

# The breakdown labels of each indicator that has breakdowns; its total (no
# breakdown) gets the value "total" in each, so a family has one label set.
BREAKDOWN_LABELS: dict[str, tuple[str, ...]] = {
    "placement_mix": ("category",),
    "provider_mix": ("provider",),
    "own_home_occupancy": ("kind",),
    "open_vacancies": ("kind",),
    "open_vacancies_by_provider": ("provider",),
    "open_vacancies_by_location_la": ("location_la",),
    "weekly_cost_mean_gbp": ("category", "side"),
    "framework_use": ("category",),
}
SUFFIX = {"ratio": "_ratio", "gbp": "_gbp", "days": "_days"}


def breakdown_values(ind: Indicator, labels: int) -> list[str]:
    if labels == 0:
        return []
    parts = ind.breakdown.split(".") if ind.breakdown else ["total"] * labels
    return (parts + ["total"] * labels)[:labels]


def metric_name(ind: Indicator) -> str:
    name = f"sufficiency_{ind.name}"
    suffix = SUFFIX.get(ind.unit, "")
    return name if name.endswith(suffix) else name + suffix


class IndicatorCollector(Collector):
    def __init__(self, state: MetricsState) -> None:
        self._state = state

    def collect(self) -> Iterator[GaugeMetricFamily]:
        today = datetime.now(UTC).date()
        families: dict[str, GaugeMetricFamily] = {}
        targets = GaugeMetricFamily(
            "sufficiency_target_ratio",
            "An LA's target in force today",
            labels=["la", "region", "indicator", "breakdown"],
        )
        for la in self._state.all_las():
            region = self._state.region_of(la)
            values = self._state.live.latest(la, today)
            self._add(families, values, la, region)
            for ind in values:
                if ind.target is not None and ind.unit == "ratio":
                    targets.add_metric([la, region, ind.name, ind.breakdown or ""], ind.target)
        for region, members in self._state.regions().items():
            self._add(families, self._state.live.latest_region(members, today), "", region)
        yield from families.values()
        yield targets

    def _add(
        self,
        families: dict[str, GaugeMetricFamily],
        values: Iterable[Indicator],
        la: str,
        region: str,
    ) -> None:
        for ind in values:
            if ind.value is None:
                continue
            name = metric_name(ind)
            extra = BREAKDOWN_LABELS.get(ind.name, ())
            family = families.get(name)
            if family is None:
                family = families[name] = GaugeMetricFamily(
                    name, f"Indicator {ind.name}", labels=["la", "region", *extra]
                )
            family.add_metric([la, region, *breakdown_values(ind, len(extra))], ind.value)

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())
