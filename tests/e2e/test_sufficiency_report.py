"""The sufficiency report as a commissioner gets it, from the stack the CLI starts:
the page in a real browser, the PDF as pages, the workbook and the CSV opened.

Fed seed 001's published 31 March counts (through the forecast service's series
upload), the Derbyshire report reproduces the seed's forecast table.
"""

import csv
import io
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import sync_playwright

from tests.e2e.stack import embedded_stack, poll
from tests.support.chromium import chromium_binary
from tests.unit.forecast.seed001 import CHILDREN_IN_CARE
from tests.unit.shared.builders import DERBY, DERBYSHIRE, admitted, event, left_care, started

pytestmark = pytest.mark.e2e
AS_OF = "2024-03-31"
# Seed 001's 31 March counts 2017-2025: the 2025 count is held, but a report as of
# 31 March 2024 forecasts from the history up to then, as the seed's 2024 table did.
SEED_001 = {y: n for y, n in CHILDREN_IN_CARE.items() if y >= 2017}
CHARTS = {  # every chart the report draws
    "children_in_care_chart",
    "rate_chart",
    "starts_chart",
    "mix_chart",
    "trajectory_chart",
    "distance_chart",
    "stability_chart",
    "provider_chart",
    "spend_chart",
    "occupancy_chart",
    "referrals_chart",
    "gap_chart",
    "gap_cost_chart",
    "supply_chart",
}
ARTEFACTS = Path(__file__).resolve().parents[2] / ".test-artifacts" / "report"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def home(
    home_id: str, time: str, kind: str = "childrens_home", provider: str = "own_la", places: int = 3
) -> dict:
    data = {
        "home_id": home_id,
        "kind": kind,
        "provider": provider,
        "owner_la": DERBY,
        "location_la": DERBY,
        "registered_places": places,
        "location": {"easting": 436000, "northing": 337000},
    }
    raw = event("home.registered.v1", data, time=time)
    raw["subject"] = home_id
    return raw


def children() -> list[dict]:
    """Eight Derby children placed in June 2023: six fostered, two in residential homes
    (one in the LA's own home); one leaves care in December."""
    out = []
    for n in range(8):
        cid = f"REP{n}"
        residential = n >= 6
        out += [
            admitted(child=cid, date="2023-06-01"),
            started(
                child=cid,
                placement=f"{cid}-P",
                date="2023-06-01",
                placement_type="K2" if residential else "U4",
                provider=("PR1" if n == 6 else "PR4") if residential else "PR1",
                home_id="REP-OWN" if n == 6 else f"REP-H{n}",
                weekly_cost=(3770.0 if n == 6 else 7326.0) if residential else 634.0,
            ),
        ]
    return [*out, left_care(child="REP0", date="2023-12-01")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("report")
    with embedded_stack(data_dir) as s:
        post(
            s,
            "vacancies",
            [
                home("REP-OWN", "2023-01-10T09:00:00Z"),
                home("REP-PIPE", "2025-01-10T09:00:00Z", places=4),
            ],
        )
        records = "la,complete_from\nE06000015,2023-06-01\n"  # as the demo tells it
        r = httpx.put(
            f"{s.urls['metrics']}/reference/records",
            content=records,
            headers={**s.headers(DERBY), "Content-Type": "text/csv"},
            timeout=30,
        )
        assert r.status_code < 300, r.text
        post(s, "referrals", children())
        upload(s, DERBYSHIRE, SEED_001)
        upload(s, DERBY, {2021: 649, 2023: 620})
        poll(lambda: cic(s) == 7, timeout=60)
        poll(lambda: occupancy(s) is not None, timeout=60)
        yield s


def post(stack, service: str, events: list[dict]) -> None:
    r = httpx.post(
        f"{stack.urls[service]}/events", json=events, headers=stack.headers(DERBY), timeout=30
    )
    assert r.status_code == 202, r.text


def upload(stack, la: str, counts: dict[int, int]) -> None:
    body = "la,date,series,value\n" + "".join(
        f"{la},{y}-03-31,children_in_care,{n}\n" for y, n in counts.items()
    )
    r = httpx.post(
        f"{stack.urls['forecast']}/series/upload",
        content=body,
        headers={**stack.headers(la), "Content-Type": "text/csv"},
        timeout=30,
    )
    assert r.status_code == 200, r.text


def _indicator(stack, name: str, breakdown: str | None = None) -> float | None:
    body = httpx.get(
        f"{stack.urls['metrics']}/indicators",
        params={"la": DERBY, "as_of": AS_OF},
        headers=stack.headers(DERBY),
        timeout=10,
    ).json()
    return next(
        (
            i["value"]
            for i in body["indicators"]
            if i["name"] == name and i["breakdown"] == breakdown
        ),
        None,
    )


def cic(stack) -> float | None:
    return _indicator(stack, "children_in_care")


def occupancy(stack) -> float | None:
    return _indicator(stack, "own_home_occupancy", "childrens_home")


def report(
    stack, la_or_region: dict[str, str], key_la: str = DERBY, suffix: str = "", **headers: str
) -> httpx.Response:
    return httpx.get(
        f"{stack.urls['metrics']}/reports/sufficiency{suffix}",
        params={**la_or_region, "as_of": AS_OF},
        headers={**stack.headers(key_la), **headers},
        timeout=180,
    )


def test_derbyshire_reproduces_seed_001s_forecast_table(stack):
    r = report(stack, {"la": DERBYSHIRE}, DERBYSHIRE, suffix=".csv")
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    forecast: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["table"] == "forecast":
            forecast.setdefault(row["row_number"], {"date": row["row"]})[row["column"]] = row[
                "value"
            ]
    line = next(
        {k: float(v) for k, v in f.items() if k in ("mid", "lower", "upper")}
        for f in forecast.values()
        if f["model"] == "linear_confidence" and f["date"] == "2025-03-31"
    )
    # Seed 001: 1,112 (1,062-1,163). The straight line's confidence interval on the
    # published counts: 1112.36 (1062.54-1162.17), each figure within one child.
    assert round(line["mid"]) == 1112
    assert abs(line["lower"] - 1062) <= 1 and abs(line["upper"] - 1163) <= 1
    history = {
        row["row"]: row["value"]
        for row in rows
        if row["table"] == "children_in_care" and row["column"] == "children_in_care"
    }
    assert history["2024-03-31"] == "1057" and history["2017-03-31"] == "630"
    page = report(stack, {"la": DERBYSHIRE}, DERBYSHIRE).text
    assert "1,112" in page and "Derbyshire" in page
    path = {
        row["row"]: row["value"]
        for row in rows
        if row["table"] == "residential_trajectory" and row["column"] == "target"
    }
    assert path["2027-03-31"] == "0.16" and path["2031-03-31"] == "0.11"


def test_the_page_in_a_browser_shows_every_chart_without_errors(stack, tmp_path):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_binary(), args=ARGS)
        context = browser.new_context(
            viewport={"width": 1200, "height": 900},
            extra_http_headers=stack.headers(DERBY),
        )
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "request",
            lambda r: (
                outside.append(r.url) if not r.url.startswith(stack.urls["metrics"]) else None
            ),
        )
        page.goto(f"{stack.urls['metrics']}/reports/sufficiency?la={DERBY}&as_of={AS_OF}")
        charts = page.locator("svg[data-chart]")
        assert {charts.nth(i).get_attribute("data-chart") for i in range(charts.count())} == CHARTS
        for i in range(charts.count()):  # drawn, with a visible size, not an empty element
            box = charts.nth(i).bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
            assert charts.nth(i).locator("line, rect, polyline, circle").count() > 3
        for section in (
            "headline",
            "children_in_care",
            "starts",
            "placement_mix",
            "distance",
            "stability",
            "provider",
            "occupancy",
            "referrals",
            "gap",
            "supply",
        ):
            assert page.locator(f'section[data-section="{section}"] table').count() >= 1
        assert page.inner_text('[data-testid="as-of"]') == "31 March 2024"
        assert page.locator('[data-testid="suppressed"]').count() == 0  # Derby's own key
        text = page.inner_text("body")
        assert "Placement sufficiency assessment: Derby" in text
        shot = ARTEFACTS / "derby-report.png"
        page.screenshot(path=str(shot), full_page=True)
        shutil.copy(shot, tmp_path / shot.name)
        page.goto(f"{stack.urls['metrics']}/reports/definitions#within_20_miles")
        assert "20 miles or less" in page.inner_text("body")
        browser.close()
    assert errors == [] and outside == []
    assert shot.stat().st_size > 50_000


def test_the_pdf_renders_to_pages_that_carry_the_report(stack, tmp_path):
    r = report(stack, {"la": DERBY}, accept="application/pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "derby.pdf"
    pdf.write_bytes(r.content)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 5 <= len(pages) <= 20
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pages[0], ARTEFACTS / "derby-report-pdf-page-1.png")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    for phrase in (
        "Placement sufficiency assessment: Derby",
        "31 March 2024",
        "The sufficiency gap",
        "Regional supply",
        "Children in care and forecast",
        "Own homes' occupancy",
    ):
        assert phrase in text, phrase
    assert report(stack, {"la": DERBY}, suffix=".pdf").content[:5] == b"%PDF-"


def test_the_workbook_holds_a_sheet_a_table_and_the_definitions(stack, tmp_path):
    r = report(stack, {"la": DERBY}, suffix=".xlsx")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    for sheet in (
        "about",
        "headline",
        "children_in_care",
        "forecast",
        "placement_mix",
        "distance",
        "weekly_spend",
        "occupancy",
        "gap_by_year",
        "regional_supply",
        "definitions",
    ):
        assert sheet in book.sheetnames, sheet
    headline = {
        row[1]: row for row in book["headline"].iter_rows(min_row=2, values_only=True) if row[1]
    }
    assert headline["children_in_care"][3] == 7
    occupancy_rows = {
        row[0]: row for row in book["occupancy"].iter_rows(min_row=2, values_only=True)
    }
    assert occupancy_rows["childrens_home"][1:3] == (1, 3)  # one of the own home's 3 places
    pipeline = [row for row in book["pipeline"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert pipeline[0][:3] == ("2025-01-10", "residential", 4)
    supply = {
        (row[0], row[1]): row
        for row in book["regional_supply"].iter_rows(min_row=2, values_only=True)
        if row[1]
    }
    assert supply[("own_la", "childrens_home")][2:] == (1, 3)  # REP-PIPE opens after the date
    defs = {row[0] for row in book["definitions"].iter_rows(min_row=2, values_only=True)}
    assert {"children_in_care", "within_20_miles", "sufficiency_gap", "forecast"} <= defs


def test_the_region_report_is_suppressed_and_an_la_key_reads_only_its_own_la(stack):
    r = report(stack, {"region": "D2N2"}, suffix=".csv")
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    mix = {
        row["column"]: row["value"]
        for row in rows
        if row["table"] == "placement_mix" and row["row"] == AS_OF
    }
    assert mix["residential"] == "c"  # two children: shared beyond Derby
    assert "small-number rule" in report(stack, {"region": "D2N2"}).text
    assert report(stack, {"la": DERBYSHIRE}).status_code == 403
    assert report(stack, {"la": DERBY, "region": "D2N2"}).status_code == 422
    assert report(stack, {"la": DERBY}, suffix=".docx").status_code == 404
    assert (
        httpx.get(f"{stack.urls['metrics']}/reports/sufficiency", params={"la": DERBY}).status_code
        == 401
    )
    future = httpx.get(
        f"{stack.urls['metrics']}/reports/sufficiency",
        params={"la": DERBY, "as_of": "2999-01-01"},
        headers=stack.headers(DERBY),
    )
    assert future.status_code == 422
