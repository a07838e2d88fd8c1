"""The candidates for the default model, and the default when there is no pool to choose by.

Candidates are cheap, robust methods for short annual series (holt and damped
need 5-6 points and fit slowly, so they are offered by name, not pooled).
The default across LAs is the candidate with the lowest pooled backtest MAPE
(:mod:`services.forecast.domain.pooling`); :data:`FALLBACK` is used until the
store holds enough LAs' history to pool, and is what ``bench.forecast_official``
chose on the DfE's published figures.
"""

from __future__ import annotations

from services.forecast.domain.forecast import Model
from services.forecast.domain.linear import LinearModel
from services.forecast.domain.naive import NaiveModel
from services.forecast.domain.pooled import CombinationModel, PooledDriftModel, PooledTrendModel
from services.forecast.domain.theta import ThetaModel

FALLBACK = "pooled_drift"
POOLED = ("naive", "linear", "theta", "pooled_trend", "pooled_drift", "combination")


def candidates(prior_growth: float) -> dict[str, Model]:
    naive, theta, trend = NaiveModel(), ThetaModel(), PooledTrendModel(prior_growth)
    return {
        "naive": naive,
        "linear": LinearModel(),
        "theta": theta,
        "pooled_trend": trend,
        "pooled_drift": PooledDriftModel(prior_growth),
        "combination": CombinationModel((naive, theta, trend)),
    }
