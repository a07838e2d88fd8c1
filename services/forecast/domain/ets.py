"""Additive exponential smoothing with additive (optionally damped) trend, fitted by statsmodels.

The state-space form ETS(A,A,N) / ETS(A,Ad,N) (Hyndman et al., *Forecasting
with Exponential Smoothing*, 2008) as statsmodels parameterises it (checked
against its fitted values)::

    yhat_t = l_(t-1) + phi * b_(t-1)          e_t = y_t - yhat_t
    l_t    = l_(t-1) + phi * b_(t-1) + alpha * e_t
    b_t    = phi * b_(t-1) + beta * e_t       (phi = 1 for Holt)

fitted by maximum likelihood with the initial level and trend estimated. The
interval is mid +- z * sqrt(var(h)) with

    var(h) = sigma^2 * (1 + sum_(j<h) c_j^2)          statsmodels' "exact" variance
           + sigma^2 * k_h' (X'X)^-1 k_h               uncertainty of the initial states

The second term: with the smoothing weights fixed, the one-step errors are
linear in the initial state x_0 = (l_0, b_0), e = y~ - X x_0 with row t of X
w' D^(t-1) (w = (1, phi), F = [[1, phi], [0, phi]], g = (alpha, beta),
D = F - g w'), and the forecast depends on x_0 through k_h' = w' F^(h-1) D^n.
When both weights are 0 the model is a fixed straight line and this term is
exactly OLS's 1/n + (x0 - x-bar)^2 / Sxx, so the interval still widens with
the horizon; statsmodels alone would keep it flat. The smoothing weights'
own uncertainty is still left out (the backtest widening covers the rest).

sigma^2: statsmodels uses SSE / n; on the 5-10 annual points an LA has, with
4 (Holt) or 5 (damped) parameters fitted, that is far too small, so by
default it is SSE / (n - k), k the number of fitted parameters (as R's
``forecast::ets``). ``dof_correction=False`` and
``initial_state_uncertainty=False`` together give statsmodels' own interval.

Gaps are filled by linear interpolation first (Excel's Forecast Sheet default).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.linalg import matrix_power
from numpy.typing import NDArray
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from services.forecast.domain.forecast import ForecastPoint, normal_quantile
from services.forecast.domain.series import Series


@dataclass(frozen=True)
class EtsResult:
    params: dict[str, float]
    sigma2: float
    """The variance of one-step errors used for the interval (after any correction)."""
    n: int
    points: tuple[ForecastPoint, ...]


def initial_state_terms(
    alpha: float, beta: float, phi: float, n: int, horizon: int
) -> NDArray[np.float64]:
    """k_h' (X'X)^-1 k_h for h = 1..horizon (multiply by sigma^2)."""
    w = np.array([1.0, phi])
    f = np.array([[1.0, phi], [0.0, phi]])
    d = f - np.outer(np.array([alpha, beta]), w)
    x = np.array([w @ matrix_power(d, t) for t in range(n)])
    xtx_inv = np.linalg.pinv(x.T @ x)
    dn = matrix_power(d, n)
    terms = []
    for h in range(1, horizon + 1):
        k = w @ matrix_power(f, h - 1) @ dn
        terms.append(float(k @ xtx_inv @ k))
    return np.asarray(terms)


def fit_ets(
    series: Series,
    horizon: int,
    level: float,
    damped: bool,
    dof_correction: bool = True,
    initial_state_uncertainty: bool = True,
) -> EtsResult:
    regular = series.interpolated()
    n = len(regular)
    y = pd.Series(np.asarray(regular.values, dtype=float))
    with warnings.catch_warnings():
        # statsmodels warns about convergence and bounds on short series; the
        # fit is still the best it found, and the backtest judges it.
        warnings.simplefilter("ignore")
        fitted = ETSModel(
            y, error="add", trend="add", damped_trend=damped, initialization_method="estimated"
        ).fit(disp=False)
        pred = fitted.get_prediction(start=n, end=n + horizon - 1)
    params = {
        name: float(v)
        for name, v in zip(fitted.model.param_names, np.asarray(fitted.params), strict=True)
    }
    k = len(params)
    if dof_correction and n <= k:
        raise ValueError(f"{n} points cannot carry {k} parameters")
    mse = float(fitted.mse)
    sigma2 = mse * (n / (n - k) if dof_correction else 1.0)
    relative = np.asarray(pred.var_pred_mean, dtype=float) / mse if mse > 0 else np.ones(horizon)
    if initial_state_uncertainty:
        phi = params.get("damping_trend", 1.0)
        relative = relative + initial_state_terms(
            params["smoothing_level"], params["smoothing_trend"], phi, n, horizon
        )
    mean = np.asarray(pred.predicted_mean, dtype=float)
    z = normal_quantile(level)
    points = []
    for period, m, r in zip(regular.future(horizon), mean, relative, strict=True):
        hw = z * math.sqrt(max(float(r) * sigma2, 0.0))
        points.append(ForecastPoint(period, float(m), float(m) - hw, float(m) + hw))
    return EtsResult(params, sigma2, n, tuple(points))
