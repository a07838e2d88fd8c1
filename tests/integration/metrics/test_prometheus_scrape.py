"""A real Prometheus server scrapes the metrics service and answers PromQL."""

import httpx
import pytest

from tests.e2e.stack import poll
from tests.support.prometheus import prometheus_server
from tests.unit.shared.builders import admitted, started

pytestmark = pytest.mark.integration


def query(prometheus: str, promql: str) -> list[dict]:
    body = httpx.get(f"{prometheus}/api/v1/query", params={"query": promql}, timeout=10).json()
    assert body["status"] == "success", body
    return body["data"]["result"]


def test_prometheus_gets_the_indicator_back(pair, tmp_path):
    pair.post(
        [
            e
            for n in range(3)
            for e in (admitted(child=f"PR{n}"), started(child=f"PR{n}", placement=f"PR{n}-1"))
        ]
    )
    poll(lambda: (pair.indicator("children_in_care") or 0) >= 3)
    target = pair.metrics.removeprefix("http://")
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "scrape_configs:\n  - job_name: metrics\n    static_configs:\n"
        f"      - targets: ['{target}']\n"
    )
    with prometheus_server(config) as prometheus:
        found = poll(
            lambda: query(prometheus, 'sufficiency_children_in_care{la="E06000015"}'), timeout=30
        )
        assert float(found[0]["value"][1]) == pair.indicator("children_in_care")
        region = query(prometheus, 'sufficiency_children_in_care{la="",region="D2N2"}')
        assert float(region[0]["value"][1]) >= 3
        assert query(prometheus, 'up{job="metrics"}')[0]["value"][1] == "1"
