"""Pooled backtests, the pooled trend, the combination and intervals from pooled errors."""

import math
from datetime import date

import numpy as np
import pytest

from services.forecast.domain import defaults
from services.forecast.domain.forecast import ForecastPoint
from services.forecast.domain.naive import NaiveModel
from services.forecast.domain.pooled import (
    CombinationModel,
    PooledDriftModel,
    PooledTrendModel,
    own_growth,
    pooled_growth,
)
from services.forecast.domain.pooling import (
    MIN_HALF_WIDTH,
    empirical_interval,
    errors_at,
    never_flat,
    pooled_cases,
    pooled_choice,
    pooled_score,
    relative_errors,
)
from services.forecast.domain.series import Series


def annual(*values: float, first: int = 2015) -> Series:
    return Series(tuple((date(first + i, 3, 31), v) for i, v in enumerate(values)))


def test_the_pooled_trend_shrinks_an_las_growth_halfway_to_the_pools_and_damps_it():
    series = annual(100, 110, 121, 133.1)  # 10% a year
    g = math.log(1.1)
    assert own_growth(series) == pytest.approx(g)
    model = PooledTrendModel(prior_growth=0.0, weight=0.5, phi=0.8)
    mids = [p.mid for p in model.fit_predict(series, 2)]
    assert mids[0] == pytest.approx(133.1 * math.exp(g / 2 * 0.8))
    assert mids[1] == pytest.approx(133.1 * math.exp(g / 2 * (0.8 + 0.64)))


def test_the_pools_growth_is_the_median_las():
    pool = [annual(100, 100), annual(100, 110), annual(100, 200), annual(0, 5)]
    assert pooled_growth(pool, window=1) == pytest.approx(math.log(1.1))


def test_the_combination_is_the_mean_of_its_members():
    series = annual(100, 110, 121, 133.1)
    naive, trend = NaiveModel(), PooledTrendModel()
    combo = CombinationModel((naive, trend)).fit_predict(series, 2)
    for k, p in enumerate(combo):
        parts = [naive.fit_predict(series, 2)[k].mid, trend.fit_predict(series, 2)[k].mid]
        assert p.mid == pytest.approx(sum(parts) / 2)


def test_pooled_cases_never_see_the_future():
    # LA b jumps in 2020; no forecast from an origin before 2020 may know it.
    pool = {"a": annual(*(100 + i for i in range(8))), "b": annual(50, 51, 52, 53, 54, 500, 501)}
    cases = pooled_cases(pool, defaults.candidates, 2)
    for c in cases["pooled_trend"]:
        if c.origin < date(2020, 3, 31):
            assert c.point.mid < 200
    first = min(c.origin for cs in cases.values() for c in cs)
    assert first == date(2017, 3, 31)  # three points to fit on, at least


def test_the_default_is_the_lowest_pooled_mape_and_a_near_tie_goes_to_the_simpler():
    pool = {la: annual(*(100 * (1.05**i) for i in range(9))) for la in ("a", "b", "c")}
    cases = pooled_cases(pool, defaults.candidates, 1)
    scores = {n: pooled_score(n, cs) for n, cs in cases.items()}
    best = min(scores.values(), key=lambda s: s.mape)
    assert pooled_choice(scores) == best.model
    assert pooled_choice(scores, tolerance=1000.0) in ("naive", "linear", "pooled_trend")


def test_intervals_scale_the_pooled_relative_errors_and_widen_beyond_the_known_horizons():
    errors = (tuple(-0.1 + 0.2 * i / 39 for i in range(40)), ())
    point = ForecastPoint(date(2025, 3, 31), 200.0, 199.0, 201.0)
    later = ForecastPoint(date(2026, 3, 31), 200.0, 199.0, 201.0)
    first, second = empirical_interval([point, later], errors)  # type: ignore[misc]
    assert first.lower == pytest.approx(200 * (1 - 0.095), rel=1e-3)
    assert first.upper == pytest.approx(200 * (1 + 0.095), rel=1e-3)
    assert second.upper - second.mid == pytest.approx((first.upper - first.mid) * math.sqrt(2))
    assert empirical_interval([point], ((0.0,) * 5,)) is None  # too few errors
    assert errors_at(errors, 1, 50) is None


def test_an_interval_is_never_zero_wide_nor_below_zero():
    errors = ((0.0,) * 40,)
    (flat,) = empirical_interval([ForecastPoint(date(2025, 3, 31), 0.0, 0.0, 0.0)], errors)  # type: ignore[misc]
    assert flat.lower == 0.0 and flat.upper == MIN_HALF_WIDTH
    wide = (tuple([-3.0] * 20 + [0.5] * 20),)
    (low,) = empirical_interval([ForecastPoint(date(2025, 3, 31), 10.0, 9.0, 11.0)], wide)  # type: ignore[misc]
    assert low.lower == 0.0
    negative = never_flat(ForecastPoint(date(2025, 3, 31), -4.0, -9.0, 1.0))
    assert (negative.lower, negative.mid) == (0.0, 0.0) and negative.upper >= MIN_HALF_WIDTH


def test_relative_errors_known_by_a_date_leave_out_later_actuals():
    pool = {"a": annual(*(100 + 3 * i for i in range(8)))}
    cases = pooled_cases(pool, defaults.candidates, 2)["naive"]
    known = relative_errors(cases, 2, known_by=date(2019, 3, 31))
    assert sum(map(len, known)) == sum(1 for c in cases if c.point.period <= date(2019, 3, 31))
    assert all(e > 0 for es in known for e in es)  # a rising series: naive is always low


def test_the_pooled_drift_moves_the_last_value_by_the_pools_growth_alone_damped():
    series = annual(100, 150, 90, 120)  # its own trend plays no part
    g = math.log(1.04)
    mids = [p.mid for p in PooledDriftModel(prior_growth=g).fit_predict(series, 3)]
    assert mids == pytest.approx([120 * math.exp(g * d) for d in (0.5, 0.75, 0.875)])
    assert PooledDriftModel(0.0).fit_predict(series, 1)[0].mid == 120.0
    walk = NaiveModel().fit_predict(series, 2)
    for drift, naive in zip(PooledDriftModel(g).fit_predict(series, 2), walk, strict=True):
        assert drift.upper - drift.mid == pytest.approx(naive.upper - naive.mid)
        assert drift.mid - drift.lower == pytest.approx(naive.mid - naive.lower)


def test_the_pooled_default_can_be_the_pooled_drift():
    # Every LA grows 2% a year on average, but its own changes are a random
    # walk about that (8% a year): the last value misses the drift, an LA's own
    # trend (and a line through its points) chases its noise. Seeded: margins
    # this thin, as on the DfE's figures, depend on the draw.
    rng = np.random.default_rng(2)
    pool = {
        f"la{k}": annual(*(100 * np.exp(np.cumsum(0.02 + rng.normal(0, 0.08, 9)))))
        for k in range(40)
    }
    cases = pooled_cases(pool, defaults.candidates, 1)
    scores = {n: pooled_score(n, cs) for n, cs in cases.items()}
    assert "pooled_drift" in scores
    assert pooled_choice(scores) == "pooled_drift"
    assert scores["pooled_drift"].mape < scores["naive"].mape
