"""The forecast gauges leave out an LA whose forecast is of 1-5 children."""

from datetime import date
from types import SimpleNamespace

from prometheus_client import CollectorRegistry, generate_latest

from services.forecast.domain.forecast import ForecastPoint
from services.forecast.entrypoints import prometheus

MIDS = {"E06000015": 600.0, "E06000018": 3.2, "E10000007": 0.0}


class Forecaster:
    def forecast(self, la, scope, series, model, horizon):
        mid = MIDS[la]
        point = ForecastPoint(date(2027, 3, 31), mid, max(0.0, mid - 2), mid + 2)
        return SimpleNamespace(model="linear", points=(point,))


def test_a_forecast_of_one_to_five_children_is_not_published(monkeypatch):
    monkeypatch.setattr(prometheus, "las_with_history", lambda engine: sorted(MIDS))
    registry = CollectorRegistry()
    registry.register(prometheus.ForecastCollector(Forecaster(), None))  # type: ignore[arg-type]
    text = generate_latest(registry).decode()
    assert 'la="E06000015"' in text and 'la="E10000007"' in text  # 600 and 0 are published
    assert 'la="E06000018"' not in text
    assert "(count of children)" in text
