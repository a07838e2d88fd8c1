"""Background publishing carries on past an LA that cannot be forecast, and the /metrics
scrape renders the figures it left, without fitting anything."""

from datetime import date
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, Counter, generate_latest
from sqlmodel import Session, select

from services.forecast.adapters import observations
from services.forecast.adapters.tables import PublishedForecast
from services.forecast.entrypoints.prometheus import ForecastCollector
from services.forecast.service_layer.forecasting import CannotForecast, Forecaster
from services.forecast.service_layer.publisher import Figures, publish_changed
from shared.db import transaction
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "forecast" / "migrations"
BAD, GOOD = "E06000001", "E10000007"  # the bad LA comes first in the round


@pytest.fixture
def store(engine):
    upgrade(engine, MIGRATIONS)
    with transaction(engine) as s:
        for k, year in enumerate(range(2017, 2025)):
            observations.upsert(
                s, GOOD, "children_in_care", date(year, 3, 31), 630 + 55 * k, "upload"
            )
            # Stored before uploads were checked: an infinite count no model can fit.
            value = float("inf") if year == 2022 else 100.0 + k
            observations.upsert(s, BAD, "children_in_care", date(year, 3, 31), value, "upload")
    return engine


def test_one_la_that_cannot_be_forecast_does_not_stop_the_others(store):
    registry = CollectorRegistry()
    failures = Counter("sufficiency_forecast_publish_failures", "", registry=registry)
    figures = Figures()
    published = publish_changed(Forecaster(store), store, 3, figures, failures)
    assert published == 1
    assert registry.get_sample_value("sufficiency_forecast_publish_failures_total") == 1
    with Session(store) as s:
        assert [p.la for p in s.exec(select(PublishedForecast))] == [GOOD]
    assert [f.la for f in figures] == [GOOD]


def test_a_scrape_renders_the_last_round_and_fits_no_model(store, monkeypatch):
    figures = Figures()
    forecaster = Forecaster(store)
    publish_changed(forecaster, store, 3, figures)
    registry = CollectorRegistry()
    registry.register(ForecastCollector(figures))

    def no_fitting(*_: object, **__: object) -> None:
        raise AssertionError("a scrape fitted a model")

    monkeypatch.setattr(Forecaster, "forecast", no_fitting)
    monkeypatch.setattr(Forecaster, "pool", no_fitting)
    text = generate_latest(registry).decode()
    (figure,) = list(figures)
    mid = registry.get_sample_value(
        "sufficiency_forecast_children_in_care",
        {"la": GOOD, "region": "D2N2", "model": figure.model, "bound": "mid"},
    )
    assert mid == pytest.approx(figure.mid) and f'la="{BAD}"' not in text


def test_asking_for_the_bad_las_forecast_is_a_clear_error_not_a_crash(store):
    with pytest.raises(CannotForecast, match="finite"):
        Forecaster(store).forecast(BAD, [BAD], "children_in_care", None, 1)
