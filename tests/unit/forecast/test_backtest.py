"""Rolling-origin arithmetic, model choice and widening, on tiny hand-worked cases."""

import math
from dataclasses import dataclass
from datetime import date

import pytest

from services.forecast.domain.backtest import (
    backtest,
    backtest_flow,
    choose_model,
    rolling_origin_cases,
    widen_to_backtest,
)
from services.forecast.domain.damped import DampedModel
from services.forecast.domain.flow import FlowHistory
from services.forecast.domain.forecast import BacktestScore, Forecast, ForecastPoint, forecast_with
from services.forecast.domain.holt import HoltModel
from services.forecast.domain.linear import LinearModel
from services.forecast.domain.series import Series
from tests.unit.forecast.seed001 import cic


@dataclass(frozen=True)
class LastPlusMinus:
    """Last value, interval +- 6: a model whose forecasts are easy to work by hand."""

    name: str = "stub"
    min_points: int = 2

    def fit_predict(self, series, horizon, level=0.95):
        last = series.values[-1]
        return [ForecastPoint(p, last, last - 6, last + 6) for p in series.future(horizon)]


def annual(values):
    return Series(tuple((date(2020 + i, 3, 31), float(v)) for i, v in enumerate(values)))


def test_rolling_origin_by_hand():
    # 100, 110, 105, 120; min_train 2, horizon 2.
    # Origin 2021 (110): 2022 actual 105 -> error +5 (4.7619%), covered (|5| <= 6);
    #                    2023 actual 120 -> error -10 (-8.3333%), not covered.
    # Origin 2022 (105): 2023 actual 120 -> error -15 (-12.5%), not covered.
    score = backtest(LastPlusMinus(), annual([100, 110, 105, 120]), 2, min_train=2)
    assert score.n == 3
    assert score.mape == pytest.approx((5 / 105 + 10 / 120 + 15 / 120) / 3 * 100)
    assert score.mape == pytest.approx(8.5317, abs=1e-4)
    assert score.bias == pytest.approx((5 / 105 - 10 / 120 - 15 / 120) / 3 * 100)
    assert score.bias == pytest.approx(-5.3571, abs=1e-4)
    assert score.coverage == pytest.approx(1 / 3)
    assert score.errors_by_horizon == ((-5.0, 15.0), (10.0,))  # actual - mid


def test_missing_actuals_are_skipped():
    s = Series(((date(2020, 3, 31), 100.0), (date(2021, 3, 31), 110.0), (date(2023, 3, 31), 120.0)))
    cases = rolling_origin_cases(LastPlusMinus(), s, 2, min_train=2)
    # Origin 2021 only (2023 is the last point): 2022 has no actual, 2023 does.
    assert [(c.origin.year, c.horizon, c.actual) for c in cases] == [(2021, 2, 120.0)]


def test_min_train_never_below_the_model_minimum():
    cases = rolling_origin_cases(LastPlusMinus(min_points=3), annual([1, 2, 3, 4]), 1, min_train=1)
    assert [c.origin.year for c in cases] == [2022]


def test_flow_backtest_on_a_steady_state_is_exact():
    # 100 in care, 90 stay and 10 leave, 10 enter: every end population is 100.
    history = FlowHistory(
        ("A",),
        tuple(date(2020 + t, 3, 31) for t in range(4)),
        tuple((((90,),),) * 4),
        ((10,),) * 4,
        ((10,),) * 4,
    )
    score = backtest_flow(history, 2, min_train=2)
    # origins after 2 and 3 periods; h=1,2 from the first, h=1 from the second
    assert score.n == 3 and score.mape == 0.0 and score.coverage == 1.0


def score(model, mape, n=5):
    return BacktestScore(model, mape, 0.0, 0.9, n)


def test_choose_model_lowest_mape():
    assert (
        choose_model([score("linear", 6.0), score("damped", 4.0), score("naive", 9.0)]) == "damped"
    )


def test_choose_model_ties_go_to_the_simpler():
    assert choose_model([score("damped", 4.0), score("linear", 4.0)]) == "linear"
    assert choose_model([score("holt", 4.0), score("naive", 4.3)], tolerance=0.5) == "naive"
    assert choose_model([score("holt", 4.0), score("naive", 4.3)]) == "holt"


def test_choose_model_ignores_models_without_cases():
    assert choose_model([score("linear", 1.0, n=0), score("holt", 5.0)]) == "holt"
    with pytest.raises(ValueError):
        choose_model([score("linear", math.nan, n=0)])


def fc(half_widths):
    return Forecast(
        "linear",
        tuple(
            ForecastPoint(date(2026 + i, 3, 31), 100.0, 100.0 - hw, 100.0 + hw)
            for i, hw in enumerate(half_widths)
        ),
    )


def test_widen_to_the_empirical_quantile_and_carry_it_forward():
    errors = ((3.0, -5.0, 2.0, 1.0), (4.0,), (-2.0, 2.0, 1.0, 1.0, 2.0))
    s = BacktestScore("linear", 3.0, 0.0, 0.5, 10, errors)
    out = widen_to_backtest(fc([1.0, 1.0, 1.0, 20.0]), s, min_errors=4)
    # h1: 4 errors, 95% "higher" quantile of |e| = 5; h2: one error, too few -> carry 5;
    # h3: quantile 2 < 5 -> still 5; h4: no errors, already 20 wide -> unchanged.
    assert [(p.lower, p.upper) for p in out.points] == [
        (95.0, 105.0),
        (95.0, 105.0),
        (95.0, 105.0),
        (80.0, 120.0),
    ]
    assert out.backtest is s


def test_widen_never_narrows():
    s = BacktestScore("linear", 3.0, 0.0, 0.5, 8, ((1.0, -1.0, 0.5, 0.2),) * 2)
    before = fc([10.0, 30.0])
    after = widen_to_backtest(before, s)
    assert [(p.lower, p.upper) for p in after.points] == [(90.0, 110.0), (70.0, 130.0)]
    for b, a in zip(before.points, after.points, strict=True):
        assert a.lower <= b.lower and a.upper >= b.upper and a.mid == b.mid


def test_widen_respects_a_floor():
    s = BacktestScore("flow", 3.0, 0.0, 0.5, 4, ((-150.0, 10.0, 10.0, 10.0),))
    out = widen_to_backtest(fc([5.0]), s, floor=0.0)
    assert (out.points[0].lower, out.points[0].upper) == (0.0, 250.0)


def test_seed_001_one_step_backtest():
    """Derbyshire 2013-2025, fitted on all years up to each origin (2018 on), one year ahead.

    The straight line's mid misses by 7.84% on average and under-forecasts
    (bias -6.98%: fitted on all years, the 2013-2016 fall drags the line down);
    its confidence interval holds 6 of 7 actuals, the prediction interval 7.
    """

    s = cic(2013, 2025)
    conf = backtest(LinearModel("confidence"), s, 1, min_train=6)
    pred = backtest(LinearModel("prediction"), s, 1, min_train=6)
    assert conf.n == pred.n == 7
    assert conf.mape == pytest.approx(7.8431, abs=1e-4)
    assert conf.bias == pytest.approx(-6.9837, abs=1e-4)
    assert conf.coverage == pytest.approx(6 / 7) and pred.coverage == 1.0
    assert max(abs(e) for e in conf.errors_by_horizon[0]) == pytest.approx(137.5333, abs=1e-4)
    # The smoothing models beat the line on the LA's own history.
    holt, damped = (
        backtest(HoltModel(), s, 1, min_train=6),
        backtest(DampedModel(), s, 1, min_train=6),
    )
    assert holt.mape < 4.0 and damped.mape < 4.0
    assert choose_model([conf, pred, holt, damped]) in {"holt", "damped"}
    # Widening the 2026 confidence-interval forecast to those errors: 1067.9 - 1190.8
    # becomes mid +- 137.53.
    wide = widen_to_backtest(forecast_with(LinearModel("confidence"), cic(2017, 2025), 1), conf)
    (p,) = wide.points
    assert (p.lower, p.mid, p.upper) == pytest.approx((991.83, 1129.36, 1266.89), abs=0.01)
