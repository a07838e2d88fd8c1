"""What /metrics of the metrics service publishes: the small-number rule, region
figures under their own names, HELP texts with units, durations in seconds,
registered places, and the freshness of each refresh."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from services.metrics.adapters import reference_store
from services.metrics.domain.catalogue import SPECS
from services.metrics.entrypoints.metric_names import METRICS, SECONDS_PER_DAY
from services.metrics.entrypoints.prometheus import IndicatorCollector
from services.metrics.service_layer.freshness import Freshness
from services.metrics.service_layer.state import MetricsState
from services.metrics.settings import MetricsSettings
from shared.db import make_engine
from shared.migrations import upgrade
from tests.unit.metrics.builders import DERBY, DERBYSHIRE, admitted, get, home, started, vacancy

ROOT = Path(__file__).resolve().parents[3]
Samples = dict[str, list[tuple[dict[str, str], float]]]


@pytest.fixture
def state(tmp_path) -> MetricsState:
    engine = make_engine(f"sqlite:///{tmp_path / 'metrics.db'}", "metrics")
    upgrade(engine, ROOT / "services" / "metrics" / "migrations")
    reference_store.load_defaults_if_empty(engine)
    state = MetricsState(MetricsSettings(data_dir=tmp_path), engine)
    state.reload_reference()
    return state


def children(n: int, la: str = DERBY, home_id: str | None = None) -> list:
    return [
        e
        for i in range(n)
        for e in (
            admitted(f"{la}-{i}", "2024-05-01", la=la),
            started(f"{la}-{i}", f"{la}-{i}-P", "2024-05-01", la=la, home_id=home_id),
        )
    ]


def scrape(state: MetricsState) -> tuple[Samples, dict[str, str]]:
    registry = CollectorRegistry()
    registry.register(IndicatorCollector(state))
    samples: Samples = {}
    helps: dict[str, str] = {}
    for family in text_string_to_metric_families(generate_latest(registry).decode()):
        helps[family.name] = family.documentation
        for s in family.samples:
            samples.setdefault(s.name, []).append((s.labels, s.value))
    return samples, helps


def test_an_la_with_three_children_publishes_none_of_its_personal_figures(state):
    state.live.apply(children(3) + children(8, DERBYSHIRE))
    samples, _ = scrape(state)
    derby = {
        name: v for name, rows in samples.items() for labels, v in rows if labels.get("la") == DERBY
    }
    assert "sufficiency_children_in_care" not in derby
    assert "sufficiency_within_20_miles_ratio" not in derby
    assert "sufficiency_placement_mix_ratio" not in derby
    in_care = {labels["la"]: v for labels, v in samples["sufficiency_children_in_care"]}
    assert in_care[DERBYSHIRE] == 8
    # The region's 11 children are published, under the region's own name.
    [(labels, total)] = samples["sufficiency_region_children_in_care"]
    assert labels == {"region": "D2N2"} and total == 11


def test_summing_an_la_metric_adds_only_the_las(state):
    state.live.apply(children(6) + children(8, DERBYSHIRE))
    samples, _ = scrape(state)
    assert sum(v for _, v in samples["sufficiency_children_in_care"]) == 14
    assert all("la" in labels for labels, _ in samples["sufficiency_children_in_care"])


def test_every_family_says_what_it_is_and_its_unit(state):
    state.live.apply([*children(7, home_id="H1"), home("H1", "2024-04-01", places=10)])
    _, helps = scrape(state)
    assert len(helps) > 20
    for name, text in helps.items():
        assert not text.startswith("Indicator"), name
        assert any(u in text for u in ("ratio 0-1", "count", "seconds", "GBP", "per 10,000")), (
            f"{name}: {text}"
        )
    assert not any(name.endswith("_days") for name in helps)


def test_durations_are_published_in_seconds(state):
    state.live.apply([home("H1", "2024-04-01", places=10), vacancy("V1", "H1", "2024-04-02")])
    samples, _ = scrape(state)
    today = datetime.now(UTC).date()
    days = get(state.live.latest(DERBY, today), "vacancy_mean_days_open").value
    [(_, seconds)] = [
        (labels, v)
        for labels, v in samples["sufficiency_vacancy_mean_open_seconds"]
        if labels["la"] == DERBY
    ]
    assert days is not None and days > 100
    assert seconds == days * SECONDS_PER_DAY
    assert METRICS["vacancy_mean_days_open"].name == "vacancy_mean_open_seconds"


def test_registered_places_of_own_homes_are_published_by_kind(state):
    state.live.apply(
        [
            *children(7, home_id="H1"),
            home("H1", "2024-04-01", places=10),
            home("F1", "2024-04-01", kind="foster_household", places=2),
        ]
    )
    samples, _ = scrape(state)
    places = {
        labels["kind"]: v
        for labels, v in samples["sufficiency_own_home_places"]
        if labels["la"] == DERBY
    }
    assert places == {"total": 12, "childrens_home": 10, "foster_household": 2}
    occupancy = {
        labels["kind"]: v
        for labels, v in samples["sufficiency_own_home_occupancy_ratio"]
        if labels["la"] == DERBY
    }
    assert occupancy["childrens_home"] == 0.7


def test_a_refresh_reports_how_long_its_events_took_to_show(state):
    seen: list[list[float]] = []
    state.live.on_reflected = seen.append
    events = children(2)
    state.live.apply(events, [100.0 + i for i in range(len(events))])
    assert seen == []  # folded, not yet reflected in the published figures
    state.live.refresh(datetime.now(UTC).date())
    assert seen == [[100.0, 101.0, 102.0, 103.0]]
    state.live.refresh(datetime.now(UTC).date(), [DERBY])
    assert len(seen) == 1  # nothing new to report


def test_freshness_is_a_histogram_in_seconds():
    registry = CollectorRegistry()
    freshness = Freshness(registry)
    now = datetime.now(UTC).timestamp()
    freshness.reflected([now - 0.2, now - 3.0, now + 5.0])  # the last: a clock ahead
    text = generate_latest(registry).decode()
    assert "sufficiency_indicator_freshness_seconds_count 3.0" in text
    assert 'sufficiency_indicator_freshness_seconds_bucket{le="0.05"} 1.0' in text
    assert 'sufficiency_indicator_freshness_seconds_bucket{le="1.0"} 2.0' in text


def test_every_indicator_has_a_prometheus_name_help_and_unit():
    assert set(METRICS) == set(SPECS)
    names = [m.name for m in METRICS.values()]
    assert len(set(names)) == len(names)
    for spec in SPECS.values():
        metric = METRICS[spec.name]
        if spec.unit == "days":
            assert metric.name.endswith("_seconds") and metric.scale == SECONDS_PER_DAY
        if spec.unit == "ratio":
            assert metric.name.endswith("_ratio")
        if spec.unit == "gbp":
            assert metric.name.endswith("_gbp")
