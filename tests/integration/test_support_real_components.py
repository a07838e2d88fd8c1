"""The test helpers start real components: PostgreSQL, Prometheus, Chromium."""

import struct
import time

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support.chromium import dump_dom, screenshot
from tests.support.ports import free_port
from tests.support.prometheus import prometheus_server

pytestmark = pytest.mark.integration


def test_postgres_answers_a_query(postgres_url):
    assert postgres_url.startswith("postgresql+psycopg://")
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
            assert int(conn.execute(text("show server_version_num")).scalar_one()) >= 150000
    finally:
        engine.dispose()


def test_prometheus_scrapes_itself_and_answers_a_query(tmp_path):
    port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n"
        "scrape_configs:\n  - job_name: self\n"
        f"    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"
    )
    with prometheus_server(config, port=port) as url:
        deadline = time.monotonic() + 30
        result: list[dict] = []
        while not result and time.monotonic() < deadline:
            body = httpx.get(f"{url}/api/v1/query", params={"query": "up"}).json()
            assert body["status"] == "success"
            result = body["data"]["result"]
            time.sleep(0.2)
    assert [(r["metric"]["job"], r["value"][1]) for r in result] == [("self", "1")]


def test_chromium_runs_scripts_and_takes_a_screenshot_of_the_requested_size(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p id=x>static</p><script>x.textContent = 'rendered by js'</script>")
    assert "rendered by js" in dump_dom(page.as_uri(), virtual_time_budget_ms=1000)

    png = screenshot(page.as_uri(), tmp_path / "shot.png", width=640, height=360)
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (640, 360)  # IHDR width, height
