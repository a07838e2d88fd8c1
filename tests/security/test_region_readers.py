"""Region readers, on every endpoint of every service: their region's aggregates and
their member LAs' published (suppressed) figures, never another region's, never a write.

MATRIX names every operation the four services' OpenAPI documents list, other than
the public ones; a test fails when an operation is added without a row here.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from services.metrics.domain.catalogue import spec_of
from tests.security.conftest import CITY, D2N2_LAS, DERBY, OTHER_REGION, Secured, _children

pytestmark = pytest.mark.e2e

PUBLIC = {
    (service, "GET", path)
    for service in ("referrals", "vacancies", "metrics", "forecast")
    for path in ("/healthz", "/readyz", "/metrics")
} | {
    ("metrics", "GET", "/wall"),
    ("metrics", "GET", "/wall/stream"),
    ("metrics", "GET", "/reports/definitions"),
}
REFUSED = 403


@dataclass(frozen=True)
class Row:
    service: str
    method: str
    template: str  # as the OpenAPI document spells the path
    path: str = ""  # with the test's ids in place (default: the template)
    params: dict[str, Any] = field(default_factory=dict)
    send: Callable[[Secured], dict[str, Any]] = lambda s: {}
    # None: refused (403). Else a check of the 200 answer: it fails on a leak.
    check: Callable[[Secured, httpx.Response], None] | None = None

    @property
    def id(self) -> str:
        extra = ",".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.service}:{self.method} {self.template}?{extra}"

    def url_path(self, s: Secured) -> str:
        return (self.path or self.template).format(**s.facts)


def small_count(name: str, figure: float | None) -> bool:
    """A count of children 1-5 (or a figure that is one) left in a published view."""
    spec = spec_of(name)
    return spec.numerator_counts and figure is not None and 0 < figure < 6


def published(rows: list[dict[str, Any]]) -> None:
    leaks = [r for r in rows if small_count(r["name"], r["numerator"])]
    assert not leaks, f"small counts published: {leaks[:3]}"
    assert any(r["suppressed"] for r in rows)  # Derby's 3 children: something was


def indicators_published(_: Secured, r: httpx.Response) -> None:
    published(r.json()["indicators"])


def csv_published(_: Secured, r: httpx.Response) -> None:
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    published(
        [
            {
                "name": row["name"],
                "numerator": float(row["numerator"]) if row["numerator"] else None,
                "suppressed": row["suppressed"] == "True",
            }
            for row in rows
        ]
    )


def series_published(_: Secured, r: httpx.Response) -> None:
    points = r.json()["points"]
    assert not [p for p in points if small_count("children_in_care", p["numerator"])]
    assert points[-1]["value"] is None  # today: 3 children, suppressed


def region_feed(_: Secured, r: httpx.Response) -> None:
    page = r.json()
    assert page["region"] == "D2N2" and page["entries"]
    assert {e["event"]["data"]["owner_la"] for e in page["entries"]} <= set(D2N2_LAS)


def stream_opens(_: Secured, r: httpx.Response) -> None:
    assert r.headers["content-type"].startswith("text/event-stream")


def none_of_theirs(_: Secured, r: httpx.Response) -> None:
    assert r.json() == []  # Derby's subscription is Derby's key's


def region_rows_only(_: Secured, r: httpx.Response) -> None:
    assert r.json() and {row["la"] for row in r.json()} <= set(D2N2_LAS)


def report_published(_: Secured, r: httpx.Response) -> None:
    """Derby's report read beyond Derby: its 3 children show as 'c', never as 3."""
    assert r.headers["content-type"].startswith("text/csv")
    cells = list(csv.DictReader(io.StringIO(r.text)))
    assert cells and {c["scope"] for c in cells} == {DERBY}
    assert any(c["value"] == "c" for c in cells)
    counts = [
        c
        for c in cells
        if c["unit"] == "count"
        and c["value"] not in ("", "c")
        and c["column"] not in ("homes", "places")  # supply, not children
    ]
    small = [(c["table"], c["row"], c["column"], c["value"]) for c in counts]
    assert not [c for c in small if 0 < float(c[3]) < 6], small


def region_forecast(_: Secured, r: httpx.Response) -> None:
    assert r.json()["scope"] == "D2N2"


def derby_events(_: Secured) -> dict[str, Any]:
    return {"json": _children(DERBY, 1, "READER")}


def csv_body(text: str) -> Callable[[Secured], dict[str, Any]]:
    return lambda _: {"content": text, "headers": {"Content-Type": "text/csv"}}


def accept_csv(_: Secured) -> dict[str, Any]:
    return {"headers": {"Accept": "text/csv"}}


def import_files(_: Secured) -> dict[str, Any]:
    return {"files": {"header": ("h.csv", b"CHILD\n"), "episodes": ("e.csv", b"CHILD\n")}}


def scenario(_: Secured) -> dict[str, Any]:
    return {"json": {"la": DERBY, "steps": [{"kind": "reduce_entries", "percent": 10}]}}


def subscription(_: Secured) -> dict[str, Any]:
    return {"json": {"url": "https://hooks.example.org/feed"}}


def match(_: Secured) -> dict[str, Any]:
    return {"json": {"placement_sought": "residential"}}


LA = {"la": DERBY}
MATRIX = [
    # referrals: child-level, the LA's own only
    Row("referrals", "POST", "/events", send=derby_events),
    Row("referrals", "GET", "/children/{child_id}/journey", "/children/{child}/journey", LA),
    Row("referrals", "GET", "/referrals/open", params=LA),
    Row("referrals", "GET", "/audit", params=LA),
    Row("referrals", "POST", "/ssda903/imports", send=import_files),
    Row("referrals", "GET", "/ssda903/episodes", params={"year": 2024, "la": DERBY}),
    Row("referrals", "GET", "/ssda903/uasc", params={"year": 2024, "la": DERBY}),
    Row("referrals", "GET", "/ssda903/imports/{job_id}", "/ssda903/imports/none"),
    # vacancies: homes, vacancies and occupancy are the LA's own; the feed is the region's
    Row("vacancies", "POST", "/events", send=derby_events),
    Row("vacancies", "GET", "/vacancies"),
    Row("vacancies", "GET", "/homes", params=LA),
    Row("vacancies", "GET", "/homes/{home_id}", "/homes/{home}"),
    Row("vacancies", "GET", "/homes/{home_id}/occupancy", "/homes/{home}/occupancy"),
    Row("vacancies", "GET", "/occupancy", params=LA),
    Row("vacancies", "POST", "/matches", send=match),
    Row("vacancies", "GET", "/feed/vacancies", check=region_feed),
    Row("vacancies", "GET", "/feed/vacancies/stream", check=stream_opens),
    Row("vacancies", "GET", "/feed/subscriptions", check=none_of_theirs),
    Row("vacancies", "POST", "/feed/subscriptions", send=subscription),
    Row(
        "vacancies",
        "POST",
        "/feed/subscriptions/{sub_id}/resume",
        "/feed/subscriptions/{sub}/resume",
    ),
    Row("vacancies", "DELETE", "/feed/subscriptions/{sub_id}", "/feed/subscriptions/{sub}"),
    # metrics: published figures of member LAs and the region; reference rows of the region
    Row("metrics", "GET", "/indicators", params=LA, check=indicators_published),
    Row("metrics", "GET", "/indicators", params=LA, send=accept_csv, check=csv_published),
    Row("metrics", "GET", "/indicators", params={"region": "D2N2"}, check=indicators_published),
    Row("metrics", "GET", "/indicators", params={"la": CITY}),
    Row("metrics", "GET", "/indicators", params={"region": OTHER_REGION}),
    Row(
        "metrics",
        "GET",
        "/indicators/{name}/series",
        "/indicators/children_in_care/series",
        {"la": DERBY, "interval": "year"},
        check=series_published,
    ),
    Row(
        "metrics",
        "GET",
        "/indicators/{name}/series",
        "/indicators/children_in_care/series",
        {"la": CITY, "interval": "year"},
    ),
    Row("metrics", "GET", "/reference/{kind}", "/reference/populations", check=region_rows_only),
    Row(
        "metrics",
        "PUT",
        "/reference/{kind}",
        "/reference/populations",
        send=csv_body(f"la,year,aged_0_17\n{DERBY},2023,1\n"),
    ),
    # metrics: the report of a member LA, published (suppressed); definitions hold no figures
    Row(
        "metrics",
        "GET",
        "/reports/sufficiency.{suffix}",
        "/reports/sufficiency.csv",
        LA,
        check=report_published,
    ),
    Row("metrics", "GET", "/reports/sufficiency", params={"region": OTHER_REGION}),
    # forecast: the region's forecast; an LA's is the LA's own planning figure
    Row("forecast", "GET", "/forecasts", params={"region": "D2N2"}, check=region_forecast),
    Row("forecast", "GET", "/forecasts", params=LA),
    Row("forecast", "GET", "/forecasts", params={"region": OTHER_REGION}),
    Row(
        "forecast",
        "POST",
        "/series/upload",
        send=csv_body(f"la,date,series,value\n{DERBY},2023-03-31,children_in_care,1\n"),
    ),
    Row("forecast", "POST", "/scenarios", send=scenario),
]


def request(s: Secured, who: str, row: Row) -> httpx.Response:
    url = f"{s.stack.urls[row.service]}{row.url_path(s)}"
    kw = row.send(s)
    headers = {**s.headers(who), **kw.pop("headers", {})}
    if row.template.endswith("/stream"):  # read the head only: the stream does not end
        with httpx.stream(row.method, url, params=row.params, headers=headers, timeout=30) as r:
            return httpx.Response(r.status_code, headers=r.headers, request=r.request)
    return httpx.request(row.method, url, params=row.params, headers=headers, timeout=30, **kw)


@pytest.fixture(scope="module")
def with_subscription(secured: Secured) -> Iterator[Secured]:
    """Derby's own key subscribes (to the allow-listed loopback), so the rows that
    name a subscription name a real one."""
    made = secured.call(
        "derby", "POST", "vacancies", "/feed/subscriptions", json={"url": "http://127.0.0.1:9/x"}
    )
    assert made.status_code == 201, made.text
    sub = secured.facts["sub"] = made.json()["id"]
    yield secured
    secured.call("derby", "DELETE", "vacancies", f"/feed/subscriptions/{sub}")


def test_the_matrix_names_every_non_public_operation_of_every_service(secured):
    listed = set()
    for service, url in secured.stack.urls.items():
        paths = httpx.get(f"{url}/openapi.json", timeout=10).json()["paths"]
        listed |= {(service, m.upper(), p) for p, ops in paths.items() for m in ops}
    assert listed - PUBLIC == {(r.service, r.method, r.template) for r in MATRIX}


@pytest.mark.parametrize("who", ["reader", "reader_rogue"])
@pytest.mark.parametrize("row", MATRIX, ids=lambda r: r.id)
def test_a_region_reader_reads_published_figures_of_its_region_and_writes_nothing(
    with_subscription, who, row
):
    response = request(with_subscription, who, row)
    if row.check is None:
        assert response.status_code == REFUSED, response.text
    else:
        assert response.status_code == 200, response.text
        row.check(with_subscription, response)


@pytest.mark.parametrize("row", [r for r in MATRIX if r.check], ids=lambda r: r.id)
def test_a_reader_of_another_region_sees_nothing_of_d2n2(with_subscription, row):
    response = request(with_subscription, "other_reader", row)
    if response.status_code == 200:  # its own region's view: nothing of D2N2's in it
        body = response.text
        assert not any(la in body for la in D2N2_LAS) and "D2N2" not in body
    else:
        assert response.status_code == REFUSED, response.text


def test_what_readers_tried_to_write_changed_nothing(with_subscription):
    s = with_subscription
    for who in ("reader", "reader_rogue"):
        for row in MATRIX:
            if row.check is None and row.method != "GET":
                assert request(s, who, row).status_code == REFUSED
    own = s.indicators("derby", la=DERBY)
    assert next(r for r in own if r["name"] == "children_in_care")["value"] == 3
    populations = s.call("derby", "GET", "metrics", "/reference/populations").json()
    assert next(p for p in populations if p["la"] == DERBY)["aged_0_17"] == 60100
    subs = s.call("derby", "GET", "vacancies", "/feed/subscriptions").json()
    assert s.facts["sub"] in [x["id"] for x in subs]


def test_a_readers_scopes_are_checked_like_any_other_keys(secured):
    s = secured
    refused = [
        s.call("reader_indicators", "GET", "forecast", "/forecasts", params={"region": "D2N2"}),
        s.call("reader_indicators", "GET", "vacancies", "/feed/vacancies"),
    ]
    assert [r.status_code for r in refused] == [403, 403]
    assert "lacks scope" in refused[0].text
    assert (
        s.call("reader_indicators", "GET", "metrics", "/indicators", params=LA).status_code == 200
    )


def test_an_la_reads_its_own_figures_whole(secured):
    own = secured.indicators("derby", la=DERBY)
    children = next(r for r in own if r["name"] == "children_in_care" and not r["breakdown"])
    assert children["value"] == 3 and not children["suppressed"]
    assert (
        secured.call("derby", "GET", "metrics", "/indicators", params={"la": CITY}).status_code
        == 403
    )
