"""OLS line and its two intervals, by hand and against seed 001."""

import math
from datetime import date

import pytest

from services.forecast.domain.linear import LinearModel, fit_series
from services.forecast.domain.series import Series
from tests.unit.forecast.seed001 import cic

# Five points, x = 0..4 (31 March 2020-2024), y = 2, 4, 5, 4, 5.
FIVE = Series(tuple((date(2020 + i, 3, 31), y) for i, y in enumerate([2, 4, 5, 4, 5])))
# By hand: x-bar 2, y-bar 4, Sxx 10, Sxy = 4 + 0 + 0 + 0 + 2 = 6, so b = 0.6, a = 2.8.
# Fitted 2.8, 3.4, 4.0, 4.6, 5.2; residuals -0.8, 0.6, 1.0, -0.6, -0.2;
# SSE = 0.64 + 0.36 + 1 + 0.36 + 0.04 = 2.4; s^2 = 2.4 / 3 = 0.8.
T_3 = 3.182446305284263  # t(3 df, 0.975), from tables
S = math.sqrt(0.8)


def test_fit_by_hand():
    fit = fit_series(FIVE)
    assert fit.slope == pytest.approx(0.6)
    assert fit.intercept == pytest.approx(2.8)
    assert fit.s == pytest.approx(S)


def test_prediction_interval_by_hand():
    pts = LinearModel("prediction").fit_predict(FIVE, 2)
    # x0 = 5: mid 5.8, leverage 1/5 + (5-2)^2/10 = 1.1 -> sqrt(2.1)
    # x0 = 6: mid 6.4, leverage 1/5 + 16/10 = 1.8 -> sqrt(2.8)
    assert [p.period for p in pts] == [date(2025, 3, 31), date(2026, 3, 31)]
    assert pts[0].mid == pytest.approx(5.8)
    assert pts[0].upper - pts[0].mid == pytest.approx(T_3 * S * math.sqrt(2.1))
    assert pts[0].upper - pts[0].mid == pytest.approx(4.1249, abs=1e-4)
    assert pts[1].mid == pytest.approx(6.4)
    assert pts[1].mid - pts[1].lower == pytest.approx(T_3 * S * math.sqrt(2.8))


def test_confidence_interval_by_hand():
    pts = LinearModel("confidence").fit_predict(FIVE, 1)
    assert pts[0].upper - pts[0].mid == pytest.approx(T_3 * S * math.sqrt(1.1))
    assert pts[0].upper - pts[0].mid == pytest.approx(2.9854, abs=1e-4)


def test_a_gap_keeps_the_real_time_index():
    # y = 2x exactly with 2022 missing: the line is still y = 2x, and the
    # forecast for 2024 (x = 4) is 8, not 6 as it would be with the gap closed.
    s = Series(((date(2020, 3, 31), 0.0), (date(2021, 3, 31), 2.0), (date(2023, 3, 31), 6.0)))
    p = LinearModel().fit_predict(s, 1)[0]
    assert p.mid == pytest.approx(8.0)


def test_seed_001_2024_forecast_is_the_confidence_interval():
    """Published: 2024 forecast for March 2025 = 1112, bounds 1062 - 1163.

    OLS on 31 March 2017-2024 with the t CONFIDENCE interval reproduces it to
    within one child at each figure (1112.36, 1062.54, 1162.17); the
    prediction interval (1031.31 - 1193.40) does not.
    """
    conf = LinearModel("confidence").fit_predict(cic(2017, 2024), 1)[0]
    assert conf.period == date(2025, 3, 31)
    assert (conf.mid, conf.lower, conf.upper) == pytest.approx(
        (1112.36, 1062.54, 1162.17), abs=0.01
    )
    assert abs(conf.mid - 1112) < 1 and abs(conf.lower - 1062) < 1 and abs(conf.upper - 1163) < 1
    pred = LinearModel("prediction").fit_predict(cic(2017, 2024), 1)[0]
    assert (pred.lower, pred.upper) == pytest.approx((1031.31, 1193.40), abs=0.01)
    # The actual 1,024 fell below both: 38 under the published bound, 7 under the honest one.
    assert not conf.contains(1024) and not pred.contains(1024)
    assert pred.lower - 1024 == pytest.approx(7.31, abs=0.01)


def test_too_few_points():
    with pytest.raises(ValueError):
        LinearModel().fit_predict(Series(((date(2020, 3, 31), 1.0), (date(2021, 3, 31), 2.0))), 1)
