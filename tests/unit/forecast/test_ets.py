"""Holt and damped trend exponential smoothing (statsmodels ETS) with their intervals."""

import math
from datetime import date
from itertools import pairwise

import numpy as np
import pytest

from services.forecast.domain.damped import DampedModel
from services.forecast.domain.ets import fit_ets, initial_state_terms
from services.forecast.domain.holt import HoltModel
from services.forecast.domain.series import Series
from tests.unit.forecast.seed001 import cic

NOISY = Series(
    tuple(
        (date(2010 + i, 3, 31), float(v))
        for i, v in enumerate([100, 104, 110, 107, 115, 124, 121, 130, 141, 138, 150, 158])
    )
)


def half_widths(points):
    return [(p.upper - p.lower) / 2 for p in points]


@pytest.mark.parametrize("model", [HoltModel(), DampedModel()])
@pytest.mark.parametrize("series", [NOISY, cic(2013, 2025), cic(2017, 2024)])
def test_intervals_contain_mid_and_widen_with_horizon(model, series):
    pts = model.fit_predict(series, 6)
    assert len(pts) == 6
    assert pts[0].period == date(series.last.year + 1, 3, 31)
    for p in pts:
        assert p.lower < p.mid < p.upper
        assert p.mid - p.lower == pytest.approx(p.upper - p.mid)
    hw = half_widths(pts)
    assert all(b > a for a, b in pairwise(hw)), hw


def test_holt_on_seed_001_is_the_line_when_the_weights_are_zero():
    """On 2017-2024 both weights fit at ~0: mid 1112.36 as the OLS line and the
    published 1112; bounds 1068.0 - 1156.7 (statsmodels' own) do not match the
    published 1062 - 1163, which is OLS's confidence interval."""
    own = HoltModel(dof_correction=False, initial_state_uncertainty=False)
    p = own.fit_predict(cic(2017, 2024), 1)[0]
    assert p.mid == pytest.approx(1112.36, abs=0.01)
    assert (p.lower, p.upper) == pytest.approx((1068.01, 1156.71), abs=0.05)
    # With weights at 0 statsmodels' interval does not widen at all ...
    flat = half_widths(own.fit_predict(cic(2017, 2024), 3))
    assert flat[2] == pytest.approx(flat[0], rel=1e-3)
    # ... while the default adds the fitted line's own uncertainty.
    default = HoltModel().fit_predict(cic(2017, 2024), 1)[0]
    assert (default.lower, default.upper) == pytest.approx((1032.85, 1191.87), abs=0.05)


def test_initial_state_term_is_ols_leverage_when_weights_are_zero():
    n = 8  # x = 1..8, mean 4.5, Sxx = 42
    terms = initial_state_terms(0.0, 0.0, 1.0, n, 3)
    expected = [1 / n + (n + h - 4.5) ** 2 / 42 for h in (1, 2, 3)]
    assert terms == pytest.approx(expected)


def test_dof_correction_scales_the_variance_by_n_over_n_minus_k():
    s = cic(2013, 2025)
    raw = fit_ets(s, 2, 0.95, False, dof_correction=False, initial_state_uncertainty=False)
    fixed = fit_ets(s, 2, 0.95, False, dof_correction=True, initial_state_uncertainty=False)
    n, k = 13, 4
    assert fixed.sigma2 == pytest.approx(raw.sigma2 * n / (n - k))
    ratio = half_widths(fixed.points)[0] / half_widths(raw.points)[0]
    assert ratio == pytest.approx(math.sqrt(n / (n - k)))


def test_holt_variance_matches_the_closed_form():
    """statsmodels' variance for Holt: sigma^2 (1 + (h-1)(a^2 + a b h + b^2 h (2h-1)/6))."""
    s = cic(2017, 2025)
    r = fit_ets(s, 3, 0.95, False, dof_correction=False, initial_state_uncertainty=False)
    a, b = r.params["smoothing_level"], r.params["smoothing_trend"]
    assert a > 0.1 and b > 0.1
    z = 1.959963984540054
    for h, p in enumerate(r.points, start=1):
        var = r.sigma2 * (1 + (h - 1) * (a * a + a * b * h + b * b * h * (2 * h - 1) / 6))
        assert (p.upper - p.mid) == pytest.approx(z * np.sqrt(var), rel=1e-6)


def test_gaps_are_interpolated_before_fitting():
    with_gap = Series(tuple(p for p in NOISY.points if p[0].year != 2015))
    assert with_gap.gaps == (date(2015, 3, 31),)
    pts = HoltModel().fit_predict(with_gap, 2)
    assert pts[0].period == date(2022, 3, 31)


def test_too_few_points():
    with pytest.raises(ValueError):
        HoltModel().fit_predict(cic(2020, 2023), 1)
    with pytest.raises(ValueError):
        DampedModel().fit_predict(cic(2019, 2023), 1)
