"""The wall dashboard queries only what the metrics service exports."""

import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from services.metrics.adapters import reference_store
from services.metrics.entrypoints.metric_names import METRICS
from services.metrics.entrypoints.prometheus import IndicatorCollector
from services.metrics.service_layer.state import MetricsState
from services.metrics.service_layer.wall import HEADLINES
from services.metrics.settings import MetricsSettings
from shared.db import make_engine
from shared.events import parse_event
from shared.migrations import upgrade
from tests.unit.shared.builders import admitted, event, started

ROOT = Path(__file__).resolve().parents[3]
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "wall.json"
SELECTOR = re.compile(r"(sufficiency_[a-z0-9_]+)(?:\{([^}]*)\})?")
MATCHER = re.compile(r'(\w+)\s*(=~|!=|=)\s*"([^"]*)"')


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, list[dict[str, str]]]:
    """Metric name -> label sets, scraped from the collector over a small history."""
    db = tmp_path_factory.mktemp("m") / "metrics.db"
    engine = make_engine(f"sqlite:///{db}", "metrics")
    upgrade(engine, ROOT / "services" / "metrics" / "migrations")
    reference_store.load_defaults_if_empty(engine)
    state = MetricsState(MetricsSettings(), engine)
    state.reload_reference()
    home = event(
        "home.registered.v1",
        {
            "home_id": "H1",
            "kind": "childrens_home",
            "provider": "own_la",
            "owner_la": "E06000015",
            "location_la": "E06000015",
            "registered_places": 10,
        },
        time="2024-04-01T09:00:00Z",
    )
    vacancy = event(
        "vacancy.opened.v1",
        {"vacancy_id": "V1", "home_id": "H1", "places": 1, "available_from": "2024-04-02"},
        time="2024-04-02T09:00:00Z",
    )
    # Seven children, so no figure is a count of 1-5 that /metrics would suppress.
    children = [
        e for n in range(7) for e in (admitted(f"C{n}"), started(f"C{n}", f"P{n}", home_id="H1"))
    ]
    state.live.apply([parse_event(e) for e in (home, vacancy, *children)])
    registry = CollectorRegistry()
    registry.register(IndicatorCollector(state))
    out: dict[str, list[dict[str, str]]] = {}
    for family in text_string_to_metric_families(generate_latest(registry).decode()):
        for sample in family.samples:
            out.setdefault(sample.name, []).append(sample.labels)
    return out


def queries() -> list[str]:
    dash = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    exprs += [v["definition"] for v in dash["templating"]["list"]]
    return exprs


def test_dashboard_and_data_source_have_fixed_uids_and_refresh():
    dash = json.loads(DASHBOARD.read_text())
    assert dash["uid"] == "sufficiency-wall" and dash["refresh"] == "30s"
    assert {v["name"] for v in dash["templating"]["list"]} == {"region", "la"}
    source = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    uids = {d["uid"] for d in source["datasources"]}
    used = {t["datasource"]["uid"] for p in dash["panels"] for t in p.get("targets", [])}
    assert used == uids == {"sufficiency-prometheus"}


def test_targets_are_thresholds_of_the_headline_ratios():
    dash = json.loads(DASHBOARD.read_text())
    near = next(p for p in dash["panels"] if p["title"] == "Within 20 miles")
    steps = near["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert {"color": "green", "value": 0.75} in steps


@pytest.mark.parametrize("expr", queries())
def test_every_query_selects_series_the_service_exports(expr, exported):
    selectors = SELECTOR.findall(expr)
    assert selectors, f"no metric selector in {expr}"
    for name, matchers in selectors:
        assert name in exported, f"{name} is not exported"
        series = exported[name]
        for label, op, value in MATCHER.findall(matchers):
            assert all(label in s for s in series), f"{name} has no label {label}"
            if op == "=" and "$" not in value:
                assert any(s[label] == value for s in series), f"no {name}{{{label}={value!r}}}"


def test_stat_panels_show_the_walls_headlines_under_the_walls_titles():
    """Same title, same figure: each stat reads the indicator and breakdown /wall shows."""
    headlines = {label: (name, breakdown) for name, breakdown, label in HEADLINES}
    dash = json.loads(DASHBOARD.read_text())
    stats = [p for p in dash["panels"] if p["type"] == "stat"]
    titles = [p["title"] for p in stats]
    assert set(titles) <= set(headlines), set(titles) - set(headlines)
    assert all(titles.count(t) == 2 for t in titles)  # the region's panel and the LAs'
    assert {"Children in care", "Own children's homes occupancy"} <= set(titles)
    for panel in stats:
        name, breakdown = headlines[panel["title"]]
        metric = METRICS[name]
        [target] = panel["targets"]
        [(selected, matchers)] = SELECTOR.findall(target["expr"])
        assert selected in {f"sufficiency_{metric.name}", f"sufficiency_region_{metric.name}"}
        labels = {label: value for label, _, value in MATCHER.findall(matchers)}
        for label in metric.labels:
            assert labels.get(label) == (breakdown or "total"), panel["title"]


def test_region_panels_read_the_region_metrics_and_la_panels_the_la_ones():
    dash = json.loads(DASHBOARD.read_text())
    for panel in dash["panels"]:
        for target in panel.get("targets", []):
            if target.get("legendFormat") == "$region":
                assert target["expr"].startswith("sufficiency_region_"), target["expr"]
            else:
                assert "sufficiency_region_" not in target["expr"], target["expr"]
