"""The wall's figures and their HTML: rows, RAG, small numbers, sparkline axes."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.metrics.adapters import reference_store
from services.metrics.domain.reference import ReferenceForLa, TargetPoint
from services.metrics.entrypoints.wall_view import axis, board_html, fmt, page_html, sparkline
from services.metrics.service_layer.state import MetricsState
from services.metrics.service_layer.wall import HEADLINES, WallCache, rows, wall_payload
from services.metrics.settings import MetricsSettings
from shared.db import make_engine
from shared.events.envelope import Envelope
from shared.migrations import upgrade
from tests.unit.metrics.builders import DERBY, DERBYSHIRE, FAR, NEAR, admitted, started

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 12, 2)


def drawn_height(values: list[float], unit: str) -> float:
    """How much of the sparkline's box the line spans, 0 to 1."""
    ys = [float(p.split(",")[1]) for p in sparkline(values, unit)[0].split()]
    return (max(ys) - min(ys)) / 24  # the box's usable height (30 less 2 x 3 padding)


def test_a_half_percent_change_is_not_drawn_as_a_cliff():
    assert drawn_height([1000, 1000, 1005], "count") <= 0.06
    assert drawn_height([0.640, 0.643, 0.645], "ratio") <= 0.06
    assert drawn_height([233e6, 234e6, 234.2e6], "gbp") <= 0.06


def test_a_real_change_still_fills_the_box():
    assert drawn_height([100, 150, 200], "count") == pytest.approx(1.0)
    assert drawn_height([0.40, 0.55, 0.70], "ratio") == pytest.approx(1.0)


def test_the_axis_never_goes_below_zero_for_figures_that_cannot():
    assert axis([0.0, 0.02], "ratio") == (0.0, pytest.approx(0.10))
    assert axis([0.01, 0.03], "ratio")[0] == 0.0


def test_a_gap_in_the_trend_breaks_the_line_and_too_few_points_draw_nothing():
    assert len(sparkline([1.0, 2.0, None, 3.0, 4.0], "count")) == 2
    assert sparkline([None, 1.0, None], "count") == []


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.6306, "ratio", "63.1%"),
        (43_631_914.0, "gbp", "£43.6m"),
        (52_000.4, "gbp", "£52,000"),
        (3312.0, "count", "3,312"),
        (73.11, "per_10000", "73.1"),
        (None, "ratio", "\u2013"),  # an en dash
    ],
)
def test_figures_are_printed_as_the_wall_shows_them(value, unit, text):
    assert fmt(value, unit) == text


def test_every_target_a_member_has_gets_a_row():
    extra = TargetPoint("vacancy_mean_days_open", None, date(2026, 1, 1), 30.0, False)
    later = TargetPoint("framework_use", None, date(2027, 1, 1), 0.5)
    table = rows([ReferenceForLa(targets=(extra, later))], TODAY)
    assert table[: len(HEADLINES)] == list(HEADLINES)
    assert [(n, b) for n, b, _ in table[len(HEADLINES) :]] == [("vacancy_mean_days_open", None)]


@pytest.fixture
def state(tmp_path) -> MetricsState:
    engine = make_engine(f"sqlite:///{tmp_path / 'metrics.db'}", "metrics")
    upgrade(engine, ROOT / "services" / "metrics" / "migrations")
    reference_store.load_defaults_if_empty(engine)
    state = MetricsState(MetricsSettings(), engine)
    state.reload_reference()
    return state


def children(n: int, la: str, far: bool = False) -> list[Envelope]:
    events: list[Envelope] = []
    for i in range(n):
        events.append(admitted(f"{la}-{i}", "2026-06-01", la=la))
        location = FAR if far else NEAR
        events.append(started(f"{la}-{i}", f"{la}-{i}-P", "2026-06-01", la=la, location=location))
    return events


def test_the_wall_suppresses_small_counts_and_colours_every_target(state):
    # Derby: eight children all placed far away (red against its 75% target);
    # Derbyshire: three children (suppressed on a public screen).
    state.live.apply(children(8, DERBY, far=True) + children(3, DERBYSHIRE))
    payload: dict[str, Any] = wall_payload(state, "D2N2", TODAY)
    panels = {p["scope"]: {t["key"]: t for t in p["tiles"]} for p in payload["panels"]}
    assert panels[DERBY]["children_in_care"]["value"] == 8
    assert panels[DERBY]["within_20_miles"]["rag"] == "red"
    assert panels[DERBY]["within_20_miles"]["higher_is_better"] is True
    assert panels[DERBYSHIRE]["children_in_care"]["suppressed"]
    assert panels[DERBYSHIRE]["children_in_care"]["value"] is None
    assert panels["D2N2"]["children_in_care"]["value"] == 11
    assert len(panels[DERBY]["children_in_care"]["trend"]) == 13  # 12 month ends and today
    html = board_html(payload)
    assert f'data-testid="{DERBY}-within_20_miles" data-rag="red"' in html
    assert "✗ ≥ 75.0%" in html
    assert '<div class="value">x</div>' in html


def test_the_page_carries_its_figures_without_scripts(state):
    state.live.apply(children(7, DERBY))
    html = page_html(wall_payload(state, "D2N2", TODAY), rotate_seconds=15)
    assert f'data-testid="{DERBY}-children_in_care"' in html
    assert '<div class="value">7</div>' in html
    assert "connecting" not in html
    assert "https://" not in html  # nothing from outside (council networks block CDNs)


def test_the_cache_recomputes_only_when_a_member_changed(state):
    cache = WallCache()
    first = cache.current(state, "D2N2", TODAY)
    assert cache.current(state, "D2N2", TODAY) is first
    state.live.apply(children(6, DERBY))
    second = cache.current(state, "D2N2", TODAY)
    assert second is not first
    assert cache.latest(state, "D2N2", TODAY, max_age_seconds=60) is second
    assert cache.latest(state, "D2N2", TODAY, max_age_seconds=-1) is second  # still exact
    state.live.apply(children(1, DERBYSHIRE))
    assert cache.latest(state, "D2N2", TODAY, max_age_seconds=60) is second  # recent enough
    assert cache.latest(state, "D2N2", TODAY, max_age_seconds=-1) is None  # old and moved on
