"""Prometheus figures of the vacancies service: feed deliveries and subscriber health.

Counters are counted where things happen; subscription gauges are computed from
the database at scrape time, so they are right in every replica.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from services.vacancies.adapters import feed_log, subscriptions
from services.vacancies.domain.delivery import SubStatus
from shared.regions import REGIONS


class VacancyMetrics:
    def __init__(self, registry: CollectorRegistry, engine: Engine) -> None:
        self.deliveries = Counter(
            "sufficiency_feed_webhook_deliveries_total",
            "Webhook delivery attempts of feed entries, by outcome (delivered / failed)",
            ["outcome"],
            registry=registry,
        )
        self.clock = Counter(
            "sufficiency_vacancy_clock_transitions_total",
            "Vacancies changed by the clock: lapsed holds reopened, expiries passed",
            ["kind"],
            registry=registry,
        )
        self.sse_clients = Gauge(
            "sufficiency_feed_stream_clients", "Open server-sent event streams", registry=registry
        )
        registry.register(SubscriptionCollector(engine))


class SubscriptionCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        rows = subscriptions.health(self._engine)
        now = datetime.now(UTC)
        subs = GaugeMetricFamily(
            "sufficiency_feed_webhook_subscriptions",
            "Webhook subscriptions by delivery status (paused ones need attention)",
            labels=["region", "status"],
        )
        lag = GaugeMetricFamily(
            "sufficiency_feed_webhook_backlog_entries",
            "Feed entries not yet delivered, summed over a region's subscriptions",
            labels=["region"],
        )
        failing = GaugeMetricFamily(
            "sufficiency_feed_webhook_failing_seconds",
            "How long the longest-failing subscription of a region has failed (0: none)",
            labels=["region"],
        )
        for region in sorted(set(REGIONS) | {r for r, *_ in rows}):
            mine = [r for r in rows if r[0] == region]
            for status in SubStatus:
                subs.add_metric([region, status.value], sum(1 for r in mine if r[1] == status))
            lag.add_metric([region], sum(r[2] for r in mine))
            since = [r[3] for r in mine if r[3] is not None]
            failing.add_metric([region], (now - min(since)).total_seconds() if since else 0.0)
        yield subs
        yield lag
        yield failing
        head = GaugeMetricFamily("sufficiency_feed_entries", "Entries in the feed log")
        head.add_metric([], feed_log.last_seq(self._engine))
        yield head
