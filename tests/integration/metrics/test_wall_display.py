"""The built-in wall display in a real browser: figures on first paint, on one
screen at kiosk sizes, coloured against targets, moving live.

Screenshots are kept in test-artifacts/wall/ (TEST_ARTIFACTS_DIR) and checked
pixel by pixel where the test knows what must be there.
"""

import os
import re
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from services.metrics.adapters.report.pdf import HEADLESS_FLAGS
from services.metrics.entrypoints.wall_view import page_html
from tests.support.chromium import chromium_binary
from tests.unit.shared.builders import admitted, started

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
DERBY = "E06000015"
TILE = f'[data-testid="{DERBY}-children_in_care"] .value'
AT_LEAST = "([sel, n]) => Number(document.querySelector(sel)?.textContent.replace(/,/g, '')) >= n"
# Playwright adds its own headless switch; the rest are the PDF printer's.
ARGS = [f for f in HEADLESS_FLAGS if f != "--headless"]
SIZES = [(1280, 720), (1920, 1080)]
RAG_RGB = {
    "green": (0x39, 0xB3, 0x6B),
    "amber": (0xE6, 0xA6, 0x19),
    "red": (0xE0, 0x52, 0x4A),
    "none": (0x3B, 0x4A, 0x59),
}
# Everything the page must show at once, and what must not be clipped.
GEOMETRY = """() => {
  const box = el => { const r = el.getBoundingClientRect();
    return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  // Text wider than its box (cut off, or shortened with an ellipsis).
  const wide = el => { const range = document.createRange(); range.selectNodeContents(el);
    const style = getComputedStyle(el);
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return range.getBoundingClientRect().width > room + 1; };
  const clipped = [...document.querySelectorAll(
      "thead th.scope, th.label, .value, .target, footer > span")]
    .filter(el => el.offsetWidth && wide(el)).map(el => el.textContent.trim());
  const px = sel => [...document.querySelectorAll(sel)]
    .map(el => parseFloat(getComputedStyle(el).fontSize));
  return {
    scrollHeight: document.documentElement.scrollHeight, innerHeight,
    scrollWidth: document.documentElement.scrollWidth, innerWidth,
    scopes: [...document.querySelectorAll("thead th.scope")].map(box),
    labels: [...document.querySelectorAll("th.label")].map(box),
    cells: [...document.querySelectorAll("td.cell")].map(el => ({...box(el), rag: el.dataset.rag})),
    legend: document.getElementById("legend").innerText,
    clipped,
    titles: Math.min(...px("thead th"), ...px("th.label"), ...px(".value")),
    smallest: Math.min(...px(".target"), ...px("footer > span")),
  };
}"""


def artefacts() -> Path:
    out = Path(os.environ.get("TEST_ARTIFACTS_DIR", ROOT / "test-artifacts")) / "wall"
    out.mkdir(parents=True, exist_ok=True)
    return out


def settled_value(pair, at_least: int, quiet_for: float = 2.0, timeout: float = 120.0) -> int:
    """The children-in-care figure once it has reached `at_least` and not
    changed for `quiet_for` seconds (a busy machine may consume slowly)."""
    deadline = time.monotonic() + timeout
    last, since = pair.indicator("children_in_care"), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = pair.indicator("children_in_care")
        if now != last:
            last, since = now, time.monotonic()
        elif last and last >= at_least and time.monotonic() - since >= quiet_for:
            return int(last)
    raise AssertionError(f"the figure did not reach {at_least} and settle (last: {last})")


def child(n: int) -> list[dict]:
    return [admitted(child=f"W{n}"), started(child=f"W{n}", placement=f"W{n}-1")]


@pytest.fixture(scope="module")
def settled(pair) -> int:
    pair.post([e for n in range(6) for e in child(n)])  # six: above the small-number rule
    # The broker is shared by the session, so this metrics instance may be
    # catching up on other modules' children too: wait for a settled figure.
    return settled_value(pair, at_least=6)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_binary(), args=ARGS)
        yield browser
        browser.close()


def test_the_first_paint_carries_the_figures(pair, settled, browser):
    # No scripts at all: whatever is on screen came from the server.
    viewport = {"width": 1280, "height": 720}
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    page.goto(f"{pair.metrics}/wall?region=D2N2")
    assert int(page.inner_text(TILE).replace(",", "")) == settled
    assert "connecting" not in page.inner_text("body")
    assert page.locator("thead th.scope").count() == 5  # the region and its four LAs
    context.close()
    assert httpx.get(f"{pair.metrics}/wall?region=NOWHERE", timeout=30).status_code == 404


def rgb_at(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    pixel = image.getpixel((int(x), int(y)))
    assert isinstance(pixel, tuple), pixel
    r, g, b, *_ = pixel
    return r, g, b


def near(a: tuple[int, int, int], b: tuple[int, int, int], by: int = 12) -> bool:
    return all(abs(p - q) <= by for p, q in zip(a, b, strict=True))


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["1280x720", "1920x1080"])
def test_the_wall_fits_the_screen_with_every_la_and_colours_its_targets(
    pair, settled, browser, width, height
):
    page = browser.new_page(viewport={"width": width, "height": height})
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{pair.metrics}/wall?region=D2N2")
    page.wait_for_selector("#live.on", timeout=60_000)  # the stream is open
    assert asked and all(url.startswith(pair.metrics) for url in asked), asked  # no CDN
    page.wait_for_function(AT_LEAST, arg=[TILE, settled], timeout=60_000)
    g = page.evaluate(GEOMETRY)
    assert g["scrollHeight"] <= g["innerHeight"] and g["scrollWidth"] <= g["innerWidth"]
    assert len(g["scopes"]) == 5 and len(g["labels"]) >= 10
    assert len(g["cells"]) == len(g["scopes"]) * len(g["labels"])
    for item in g["scopes"] + g["labels"] + g["cells"]:
        assert item["w"] > 0 and item["h"] > 0, item  # shown, not rotated away
        assert item["x"] >= 0 and item["x"] + item["w"] <= width + 0.5, item
        assert item["y"] >= 0 and item["y"] + item["h"] <= height + 0.5, item
    assert g["clipped"] == []
    # Readable at 3 metres: titles and figures at least 1/36 of the screen's
    # height, the smallest text (targets, legend) at least 0.85 of that.
    assert g["titles"] >= height / 36 - 0.5
    assert g["smallest"] >= 0.85 * height / 36 - 0.5
    for words in ("target met", "near target", "missed", "no target", "hidden"):
        assert words in g["legend"]

    shot = artefacts() / f"wall-{width}x{height}.png"
    page.screenshot(path=str(shot))
    image = Image.open(shot).convert("RGB")
    assert image.size == (width, height)
    rags = [c for c in g["cells"] if c["rag"] != "none"]
    assert rags, "Derby has targets, so some of its cells carry a status"
    for cell in g["cells"]:  # the status stripe at each cell's left edge
        assert near(rgb_at(image, cell["x"] + 2, cell["y"] + cell["h"] / 2), RAG_RGB[cell["rag"]])
    page.close()


def test_a_new_event_moves_the_figures_on_screen(pair, settled, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{pair.metrics}/wall?region=D2N2")
    page.wait_for_selector("#live.on", timeout=60_000)
    page.wait_for_function(AT_LEAST, arg=[TILE, settled], timeout=60_000)
    before = int(page.inner_text(TILE).replace(",", ""))
    pair.post(child(99))
    page.wait_for_function(AT_LEAST, arg=[TILE, before + 1], timeout=60_000)
    assert int(page.inner_text(TILE).replace(",", "")) == before + 1
    assert "Within 20 miles" in page.inner_text("body")
    page.close()


def big_region(las: int) -> dict[str, object]:
    """A payload for a region of `las` LAs: more than a 16:9 screen holds side by side."""
    tile = {
        "key": "children_in_care",
        "label": "Children in care",
        "value": 600.0,
        "unit": "count",
        "target": None,
        "rag": None,
        "suppressed": False,
        "trend": [590.0, 600.0],
        "higher_is_better": None,
    }
    tiles = [{**tile, "key": f"k{i}", "label": f"Indicator {i}"} for i in range(14)]
    scopes = [("BIG", "BIG")] + [(f"E0{i:07d}", f"Council {i}") for i in range(las)]
    return {
        "region": "BIG",
        "as_of": date(2026, 12, 2).isoformat(),
        "version": 1,
        "panels": [{"scope": s, "name": n, "tiles": tiles} for s, n in scopes],
    }


def test_a_region_too_big_for_the_screen_turns_pages(browser, tmp_path):
    path = tmp_path / "big.html"
    path.write_text(page_html(big_region(6), rotate_seconds=1))
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(path.as_uri())
    shown: set[str] = set()
    rows: set[str] = set()
    pages = page.inner_text("#page")
    assert re.search(r"page \d of \d", pages), pages
    total = int(pages.rsplit(" ", 1)[1])
    for _ in range(total):
        g = page.evaluate(GEOMETRY)
        assert g["scrollHeight"] <= g["innerHeight"] and g["scrollWidth"] <= g["innerWidth"]
        visible = page.eval_on_selector_all(
            "thead th.scope", "els => els.filter(e => e.offsetWidth).map(e => e.dataset.scope)"
        )
        assert visible[0] == "BIG"  # the region stays on every page
        shown |= set(visible)
        rows |= set(
            page.eval_on_selector_all(
                "tbody tr", "els => els.filter(e => e.offsetHeight).map(e => e.dataset.key)"
            )
        )
        current = page.inner_text("#page")
        turned = "p => document.getElementById('page').textContent !== p"
        page.wait_for_function(turned, arg=current)
    page.screenshot(path=str(artefacts() / "wall-big-region-1280x720.png"))
    assert len(shown) == 7 and len(rows) == 14  # every LA and every row, page by page
    page.close()
