"""The Theta method (Assimakopoulos & Nikolopoulos 2000), fitted by statsmodels.

Simple exponential smoothing plus half the slope of the OLS line, the
combination that won the M3 competition on annual series. With annual points
there is no season to remove (``deseasonalize=False``).

The model's own interval is the SES one, mid +- z * sigma * sqrt(1 + (h-1) alpha^2),
sigma the root mean square one-step SES error. statsmodels' own
``prediction_intervals`` refits a state-space model and takes over a second
on this machine, which a backtest of 150 LAs cannot afford; the service
replaces the interval by the pooled backtest errors anyway unless asked for
the model's own.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from statsmodels.tsa.forecasting.theta import ThetaModel as _Theta

from services.forecast.domain.forecast import (
    DEFAULT_LEVEL,
    ForecastPoint,
    check_inputs,
    normal_quantile,
)
from services.forecast.domain.series import Series


@dataclass(frozen=True)
class ThetaModel:
    @property
    def name(self) -> str:
        return "theta"

    @property
    def min_points(self) -> int:
        return 3  # a slope and a smoothing weight

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]:
        check_inputs(self, series, horizon, level)
        values = np.asarray(series.interpolated().values, dtype=float)
        if np.ptp(values) == 0:
            # A flat series: SES cannot be estimated; its forecast is the value itself.
            last = float(values[-1])
            return [ForecastPoint(p, last, last, last) for p in series.future(horizon)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # optimiser chatter on 4-10 points
            fitted = _Theta(values, period=1, deseasonalize=False).fit()
            mids = np.asarray(fitted.forecast(horizon), dtype=float)
        alpha = float(fitted.params["alpha"])
        sigma = ses_sigma(values, alpha)
        z = normal_quantile(level)
        out = []
        for k, period in enumerate(series.future(horizon)):
            mid = float(mids[k])
            half = z * sigma * math.sqrt(1 + k * alpha**2)
            out.append(ForecastPoint(period, mid, mid - half, mid + half))
        return out


def ses_sigma(values: NDArray[np.float64], alpha: float) -> float:
    """Root mean square one-step error of simple exponential smoothing with weight ``alpha``."""
    level, errors = float(values[0]), []
    for y in values[1:]:
        error = float(y) - level
        errors.append(error)
        level += alpha * error
    return math.sqrt(sum(e * e for e in errors) / len(errors))
