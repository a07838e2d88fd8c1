"""A real Prometheus server scrapes the metrics service with the scrape token.

Derby has three children: a scrape without the token is refused, and the
one with it carries no figure a count of 1-5 could be read from. With seven
children the figures reach Prometheus, as do the service's own metrics.
"""

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.metrics.domain.catalogue import SPECS
from services.metrics.entrypoints.metric_names import METRICS
from tests.e2e.stack import poll
from tests.integration.metrics.conftest import running_pair
from tests.support.broker import kafka_broker
from tests.support.prometheus import prometheus_server
from tests.unit.shared.builders import DERBY, admitted, started

pytestmark = pytest.mark.integration

TOKEN = "scrape-token-for-tests"
# Metric names (LA and region) of the indicators whose figures count people.
PERSONAL = {
    prefix + METRICS[name].name
    for name, spec in SPECS.items()
    if spec.numerator_counts or spec.denominator_counts
    for prefix in ("sufficiency_", "sufficiency_region_")
}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    # A broker of its own: the exact counts below would take in Derby's events
    # that other modules posted to the session's broker before this one ran.
    with (
        kafka_broker() as broker,
        running_pair(broker, tmp_path_factory.mktemp("guarded"), SCRAPE_TOKEN=TOKEN) as pair,
    ):
        yield pair


def children(first: int, last: int) -> list[dict]:
    return [
        e
        for n in range(first, last)
        for e in (admitted(child=f"PR{n}"), started(child=f"PR{n}", placement=f"PR{n}-1"))
    ]


def scrape(url: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{url}/metrics", headers=headers, timeout=10)


def query(prometheus: str, promql: str) -> list[dict]:
    body = httpx.get(f"{prometheus}/api/v1/query", params={"query": promql}, timeout=10).json()
    assert body["status"] == "success", body
    return body["data"]["result"]


def value(prometheus: str, promql: str) -> float | None:
    found = query(prometheus, promql)
    return float(found[0]["value"][1]) if found else None


def test_an_la_with_three_children_shows_no_count_of_one_to_five(guarded):
    guarded.post(children(0, 3))
    poll(lambda: guarded.indicator("children_in_care") == 3)  # the LA's own key: exact

    assert scrape(guarded.metrics, None).status_code == 401
    assert scrape(guarded.metrics, "wrong").status_code == 401
    response = scrape(guarded.metrics, TOKEN)
    assert response.status_code == 200
    shown = [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if family.name in PERSONAL and sample.value != 0
    ]
    assert shown == []
    # The figures that are not about people are still there.
    assert "sufficiency_target_ratio" in response.text


def test_prometheus_scrapes_with_the_token_and_gets_the_figures(guarded, tmp_path):
    guarded.post(children(3, 7))
    poll(lambda: guarded.indicator("children_in_care") == 7)
    token_file = tmp_path / "scrape-token"
    token_file.write_text(TOKEN + "\n")
    target = guarded.metrics.removeprefix("http://")
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "scrape_configs:\n"
        "  - job_name: metrics\n"
        f"    authorization: {{type: Bearer, credentials_file: {token_file}}}\n"
        f"    static_configs: [{{targets: ['{target}']}}]\n"
        "  - job_name: no-token\n"
        f"    static_configs: [{{targets: ['{target}']}}]\n"
    )
    with prometheus_server(config) as prometheus:
        la = poll(
            lambda: value(prometheus, f'sufficiency_children_in_care{{la="{DERBY}"}}'), timeout=30
        )
        assert la == 7
        assert value(prometheus, 'sufficiency_region_children_in_care{region="D2N2"}') == 7
        # sum() over the LA metric is the LAs' total: the region is not in it.
        assert value(prometheus, "sum(sufficiency_children_in_care)") == 7
        assert value(prometheus, 'up{job="metrics"}') == 1
        # each job is scraped on its own schedule: wait for the tokenless job's first scrape
        (no_token,) = poll(lambda: _present(value(prometheus, 'up{job="no-token"}')), timeout=30)
        assert no_token == 0
        # The service's own health: HTTP by route template, freshness, outbox, dead letters.
        requests = 'sufficiency_http_requests_total{handler="/indicators",status="200"}'
        assert (value(prometheus, f"sum({requests})") or 0) >= 1
        assert (value(prometheus, "sufficiency_indicator_freshness_seconds_count") or 0) >= 7
        assert value(prometheus, "sufficiency_outbox_oldest_unpublished_age_seconds") is not None
        dead_letters = 'sufficiency_dlq_messages_total{consumer="metrics.projection"}'
        assert value(prometheus, dead_letters) == 0
        assert query(prometheus, '{__name__=~".+_created"}') == []


def _present(v: float | None) -> tuple[float] | None:
    """A sample, boxed so that a value of 0 still ends a poll."""
    return None if v is None else (v,)
