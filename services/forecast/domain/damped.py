"""Damped additive trend exponential smoothing, ETS(A,Ad,N).

Like Holt's method but the trend fades by a factor phi (0 < phi < 1, fitted)
each period, so long horizons level off instead of running up a straight
line; on short annual series of children in care this is usually the better
bet (Gardner & McKenzie; the M-competitions). Fitting and intervals as in
:mod:`services.forecast.domain.ets`.

Seed 001: fitted on the 31 March counts 2017-2024 it forecasts 1073.2
(999.6 - 1146.8) for March 2025, against the actual 1,024 (+4.8%; the
published straight line's 1,112 was +8.6%).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.forecast.domain.ets import fit_ets
from services.forecast.domain.forecast import DEFAULT_LEVEL, ForecastPoint, check_inputs
from services.forecast.domain.series import Series


@dataclass(frozen=True)
class DampedModel:
    dof_correction: bool = True
    initial_state_uncertainty: bool = True

    @property
    def name(self) -> str:
        return "damped"

    @property
    def min_points(self) -> int:
        return 6  # five fitted parameters (alpha, beta, phi, initial level and trend) plus one

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]:
        check_inputs(self, series, horizon, level)
        return list(
            fit_ets(
                series, horizon, level, True, self.dof_correction, self.initial_state_uncertainty
            ).points
        )
