"""The operations dashboard and the alert rules read only metrics the services export."""

import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from services.forecast.entrypoints.app import create_app as create_forecast_app
from services.forecast.settings import ForecastSettings
from services.metrics.service_layer.freshness import Freshness
from shared.http.app import create_service_app
from shared.http.runtime import Runtime
from shared.kafka.consumer import ConsumerMetrics, EventConsumer
from shared.settings import ServiceSettings
from shared.store.tables import SHARED_TABLES

ROOT = Path(__file__).resolve().parents[3]
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "operations.json"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
NAME = re.compile(r"\b(sufficiency_[a-z0-9_]+)")
# Added by the flow work on issue 13 (the outbox's parking and consumer lag);
# the dashboard and the alerts are written against these names.
ANNOUNCED = {"sufficiency_outbox_parked_messages", "sufficiency_consumer_lag_messages"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> set[str]:
    """Every sample name a service's registry gives, with one observation each."""
    tmp = tmp_path_factory.mktemp("ops")
    runtime = Runtime.create("svc", ServiceSettings(data_dir=tmp))
    for table in SHARED_TABLES:
        table.create(runtime.engine, checkfirst=True)
    create_service_app(runtime, "svc", "test", [])
    metrics = ConsumerMetrics(runtime.registry)
    EventConsumer("c", ["t"], lambda s, e: None, runtime.engine, "x:1", None, metrics)
    metrics.events.labels("c", "applied").inc()
    Freshness(runtime.registry).reflected([0.0])
    forecast = create_forecast_app(ForecastSettings(data_dir=tmp / "forecast"))
    for table in SHARED_TABLES:
        table.create(forecast.state.runtime.engine, checkfirst=True)
    names = {
        s.name
        for registry in (runtime.registry, forecast.state.runtime.registry)
        for family in text_string_to_metric_families(generate_latest(registry).decode())
        for s in family.samples
    }
    # The HTTP families have samples only once a request was answered.
    names |= {
        "sufficiency_http_requests_total",
        *(f"sufficiency_http_request_duration_seconds{s}" for s in ("_bucket", "_count", "_sum")),
    }
    return names


def dashboard_exprs() -> list[str]:
    dash = json.loads(DASHBOARD.read_text())
    return [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]


def alert_exprs() -> list[str]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [r["expr"] for g in groups for r in g["rules"] if g["name"] == "sufficiency-services"]


def test_operations_dashboard_has_a_fixed_uid_and_the_data_source():
    dash = json.loads(DASHBOARD.read_text())
    assert dash["uid"] == "sufficiency-operations"
    used = {t["datasource"]["uid"] for p in dash["panels"] for t in p.get("targets", [])}
    assert used == {"sufficiency-prometheus"}


@pytest.mark.parametrize("expr", dashboard_exprs() + alert_exprs())
def test_every_query_names_an_exported_metric(expr, exported):
    for name in NAME.findall(expr):
        assert name in exported or name in ANNOUNCED, f"{name} is not exported"
