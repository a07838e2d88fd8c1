"""The DfE flows kept for forecast development agree with the counts they sit beside."""

from __future__ import annotations

import csv
import statistics

import numpy as np

from bench.forecast_development import panel as count_panel
from bench.forecast_flows import FLOWS, LEADING, UASC, Panel, errors, known_flows
from bench.forecast_official import DATA


def _counts() -> dict[tuple[str, int], int]:
    with DATA.open(newline="") as f:
        return {
            (r["la_code"], int(r["year"])): int(r["children_looked_after"])
            for r in csv.DictReader(f)
        }


def _flows() -> list[dict[str, str]]:
    with FLOWS.open(newline="") as f:
        return list(csv.DictReader(f))


def test_flows_keep_no_year_of_the_independent_check_and_only_known_las() -> None:
    rows = _flows()
    assert {int(r["year"]) for r in rows} == set(range(2016, 2025))
    assert {r["la_code"] for r in rows} <= {la for la, _ in _counts()}


def test_leading_indicators_keep_no_year_of_the_independent_check() -> None:
    with LEADING.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert {int(r["year"]) for r in rows} == set(range(2015, 2025))
    assert {r["la_code"] for r in rows} <= {la for la, _ in _counts()}
    assert sum(bool(r["cpp_31_march"]) for r in rows) > 0.95 * len(rows)


def test_uasc_are_some_of_the_children_looked_after_and_none_from_2025() -> None:
    counts = _counts()
    with UASC.open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["uasc_31_march"]]
    assert {int(r["year"]) for r in rows} == set(range(2020, 2025))
    known = [r for r in rows if (r["la_code"], int(r["year"])) in counts]
    assert len(known) > 0.95 * len(rows)
    assert all(int(r["uasc_31_march"]) <= counts[(r["la_code"], int(r["year"]))] for r in known)
    # England had about 7,300 UASC looked after at 31 March 2023
    assert 6000 < sum(int(r["uasc_31_march"]) for r in rows if r["year"] == "2023") < 8000


def test_starts_less_ceased_is_the_change_in_the_count_within_a_few_children() -> None:
    counts = _counts()
    gaps = [
        abs(
            counts[(r["la_code"], y)]
            - counts[(r["la_code"], y - 1)]
            - int(r["started"])
            + int(r["ceased"])
        )
        for r in _flows()
        if r["started"]
        and r["ceased"]
        and (r["la_code"], y := int(r["year"])) in counts
        and (r["la_code"], y - 1) in counts
    ]
    assert len(gaps) > 1200
    assert statistics.median(gaps) <= 5
    assert sum(g <= 15 for g in gaps) >= 0.95 * len(gaps)


def test_the_panel_lines_flows_up_with_counts_and_scores_naive_as_development_does() -> None:
    panel = Panel()
    naive = errors(panel, lambda t: np.zeros(len(panel.las)))
    logs, _ = count_panel()
    assert np.allclose(panel.logs, logs, equal_nan=True)
    assert len(naive) == 894
    # given next year's actual flows, the identity leaves only rounding: proof of alignment
    assert float(np.mean(np.abs(errors(panel, known_flows(panel, ceased_known=True))))) < 1.0
