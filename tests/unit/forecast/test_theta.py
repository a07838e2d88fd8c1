"""Theta: the same forecast as statsmodels' ThetaModel, fitted in a millisecond."""

import warnings
from datetime import date

import numpy as np
import pytest
from statsmodels.tsa.forecasting.theta import ThetaModel as StatsmodelsTheta

from services.forecast.domain.series import Series
from services.forecast.domain.theta import ThetaModel
from tests.unit.forecast.seed001 import cic

SERIES = [
    (630, 719, 802, 862, 899, 909, 995, 1057),  # seed 001, Derbyshire
    (470, 448, 448, 491, 562, 588, 642, 627, 620, 598),  # a rise, then a fall
    (120, 118, 131, 126, 140, 133),
]


@pytest.mark.parametrize("values", SERIES)
def test_the_forecast_is_statsmodels_theta(values):
    series = Series(tuple((date(2015 + i, 3, 31), v) for i, v in enumerate(values)))
    ours = [p.mid for p in ThetaModel().fit_predict(series, 3)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = StatsmodelsTheta(np.asarray(values, float), period=1, deseasonalize=False).fit()
    theirs = list(fitted.forecast(3))
    assert ours == pytest.approx(theirs, rel=2e-3)


def test_a_flat_series_forecasts_its_value_with_a_zero_width_own_interval():
    series = Series(tuple((date(2015 + i, 3, 31), 0.0) for i in range(5)))
    points = ThetaModel().fit_predict(series, 2)
    assert [(p.lower, p.mid, p.upper) for p in points] == [(0.0, 0.0, 0.0)] * 2


def test_the_interval_widens_with_the_horizon():
    points = ThetaModel().fit_predict(cic(2017, 2024), 3)
    widths = [p.upper - p.lower for p in points]
    assert widths == sorted(widths) and widths[0] > 0
