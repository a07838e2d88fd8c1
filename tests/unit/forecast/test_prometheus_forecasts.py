"""The forecast gauges leave out an LA whose forecast is of 1-5 children."""

from prometheus_client import CollectorRegistry, generate_latest

from services.forecast.entrypoints import prometheus
from services.forecast.service_layer.publisher import Figure, Figures

MIDS = {"E06000015": 600.0, "E06000018": 3.2, "E10000007": 0.0}


def test_a_forecast_of_one_to_five_children_is_not_published():
    figures = Figures()
    figures.replace(
        Figure(la, "linear", mid, max(0.0, mid - 2), mid + 2) for la, mid in MIDS.items()
    )
    registry = CollectorRegistry()
    registry.register(prometheus.ForecastCollector(figures))
    text = generate_latest(registry).decode()
    assert 'la="E06000015"' in text and 'la="E10000007"' in text  # 600 and 0 are published
    assert 'la="E06000018"' not in text
    assert "(count of children)" in text
