"""The Theta method (Assimakopoulos & Nikolopoulos 2000) as statsmodels' ``ThetaModel`` fits it.

Simple exponential smoothing plus half the slope of the OLS line, the
combination that did best on the M3 competition's annual series. With annual
points there is no season to remove. As statsmodels (``use_mle=False``):
the drift b0 is the OLS slope, SES starts from the first value and its weight
alpha minimises the one-step squared errors, and

    mid(h) = SES level + b0 / 2 * (h - 1 + 1/alpha - (1 - alpha)^n / alpha)

statsmodels takes 0.1-0.4 s a fit on this shared machine (its Holt-Winters
optimiser), 300 s for a pooled backtest of 150 LAs, and its
``prediction_intervals`` over a second more; the same estimate with scipy's
bounded scalar minimiser takes about a millisecond, so the pool uses this.
A unit test checks it against statsmodels.

The model's own interval is the SES one, mid +- z * sigma * sqrt(1 + (h-1) alpha^2),
sigma the root mean square one-step SES error; the service replaces it by
the pooled backtest errors unless asked for the model's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar

from services.forecast.domain.forecast import (
    DEFAULT_LEVEL,
    ForecastPoint,
    check_inputs,
    normal_quantile,
)
from services.forecast.domain.series import Series


def ses_errors(values: NDArray[np.float64], alpha: float) -> tuple[NDArray[np.float64], float]:
    """One-step errors of SES started at the first value, and the level after the last."""
    level = float(values[0])
    errors = np.empty(len(values) - 1)
    for i, y in enumerate(values[1:]):
        errors[i] = float(y) - level
        level += alpha * errors[i]
    return errors, level


def fit_alpha(values: NDArray[np.float64]) -> float:
    found = minimize_scalar(
        lambda a: float(np.sum(ses_errors(values, a)[0] ** 2)),
        bounds=(1e-4, 1.0),
        method="bounded",
        options={"xatol": 1e-6},
    )
    return float(found.x)


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
        n = len(values)
        b0 = float(np.polyfit(np.arange(n, dtype=float), values, 1)[0])
        alpha = fit_alpha(values)
        errors, last_level = ses_errors(values, alpha)
        sigma = math.sqrt(float(np.mean(errors**2)))
        z = normal_quantile(level)
        out = []
        for h, period in enumerate(series.future(horizon), start=1):
            mid = last_level + b0 / 2 * (h - 1 + 1 / alpha - (1 - alpha) ** n / alpha)
            half = z * sigma * math.sqrt(1 + (h - 1) * alpha**2)
            out.append(ForecastPoint(period, mid, mid - half, mid + half))
        return out
