"""The built-in wall display in a real browser: figures on screen, moving live."""

import time

import pytest
from playwright.sync_api import sync_playwright

from tests.support.chromium import chromium_binary
from tests.unit.shared.builders import admitted, started

pytestmark = pytest.mark.integration
TILE = '[data-testid="E06000015-children_in_care"] .value'
AT_LEAST = "([sel, n]) => Number(document.querySelector(sel)?.textContent.replace(/,/g, '')) >= n"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def settled_value(pair, quiet_for: float = 2.0, timeout: float = 60.0) -> int:
    """The children-in-care figure once it has not changed for `quiet_for` seconds."""
    deadline = time.monotonic() + timeout
    last, since = pair.indicator("children_in_care"), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = pair.indicator("children_in_care")
        if now != last:
            last, since = now, time.monotonic()
        elif last and time.monotonic() - since >= quiet_for:
            return int(last)
    raise AssertionError("the figure did not settle")


def child(n: int) -> list[dict]:
    return [admitted(child=f"W{n}"), started(child=f"W{n}", placement=f"W{n}-1")]


def test_the_wall_shows_the_figures_and_a_new_event_moves_them(pair, tmp_path):
    pair.post([e for n in range(6) for e in child(n)])  # six: above the small-number rule
    # The broker is shared by the session, so this metrics instance may be
    # catching up on other modules' children too: wait for a settled figure.
    settled = settled_value(pair)
    assert settled >= 6
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_binary(), args=ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{pair.metrics}/wall?region=D2N2")
        page.wait_for_function(AT_LEAST, arg=[TILE, settled], timeout=20_000)
        before = int(page.inner_text(TILE))
        assert before == settled
        shot = tmp_path / "wall.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000

        pair.post(child(99))
        page.wait_for_function(AT_LEAST, arg=[TILE, before + 1], timeout=5_000)
        assert int(page.inner_text(TILE)) == before + 1
        assert "Within 20 miles" in page.inner_text("body")
        browser.close()
