import math
from datetime import date

import pytest

from services.forecast.domain.naive import NaiveModel
from services.forecast.domain.series import Series

T_3 = 3.182446305284263  # t(3 df, 0.975)
T_2 = 4.302652729749464  # t(2 df, 0.975)


def test_last_value_with_random_walk_interval_by_hand():
    s = Series(tuple((date(2020 + i, 3, 31), v) for i, v in enumerate([10.0, 13.0, 12.0, 16.0])))
    # changes 3, -1, 4: sigma = sqrt((9 + 1 + 16) / 3) about zero, 3 df
    sigma = math.sqrt(26 / 3)
    pts = NaiveModel().fit_predict(s, 3)
    assert [p.mid for p in pts] == [16.0, 16.0, 16.0]
    for h, p in enumerate(pts, start=1):
        assert p.upper - p.mid == pytest.approx(T_3 * sigma * math.sqrt(h))
        assert p.mid - p.lower == pytest.approx(T_3 * sigma * math.sqrt(h))
    assert pts[0].upper == pytest.approx(16 + 9.3688, abs=1e-4)


def test_change_across_a_gap_counts_per_period():
    s = Series(((date(2020, 3, 31), 10.0), (date(2021, 3, 31), 13.0), (date(2023, 3, 31), 17.0)))
    # changes 3 (one year) and 4 over two years -> 4 / sqrt(2): sigma = sqrt((9 + 8) / 2)
    p = NaiveModel().fit_predict(s, 1)[0]
    assert p.period == date(2024, 3, 31)
    assert p.upper - p.mid == pytest.approx(T_2 * math.sqrt(8.5))


def test_a_steady_trend_is_not_hidden():
    s = Series(tuple((date(2020 + i, 3, 31), 10.0 + 5 * i) for i in range(5)))
    p = NaiveModel().fit_predict(s, 1)[0]
    # changes all 5: an sd about their mean would be 0; about zero it is 5.
    assert p.upper - p.mid == pytest.approx(2.7764451051977987 * 5.0)  # t(4 df) * 5
