"""Holt's linear trend: additive exponential smoothing, no season (ETS(A,A,N)).

This is what Excel's Forecast Sheet / FORECAST.ETS fits when it finds no
season (its "AAA" with the season switched off), and the Forecast Sheet is
where the "Lower Confidence Bound" / "Upper Confidence Bound" column names of
seed 001's tables come from. Excel's optimiser and initialisation are not
published, so the fit here (statsmodels, maximum likelihood, see
:mod:`services.forecast.domain.ets`) need not equal Excel's digit for digit.

Against seed 001 (31 March counts 2017-2024: 630, 719, 802, 862, 899, 909,
995, 1057; published 2024 forecast for March 2025: 1112, 1062 - 1163):

* the fit puts both smoothing weights at their lower bound (~0), i.e. the OLS
  line, so the mid is 1112.36 and matches the published 1112;
* the bounds do not match: 1068.0 - 1156.7 with statsmodels' own interval
  (``dof_correction=False, initial_state_uncertainty=False``), 1032.9 -
  1191.9 with the defaults here (compare the OLS prediction interval 1031.3 -
  1193.4). The published bounds are the OLS *confidence* interval instead
  (see :mod:`services.forecast.domain.linear`: 1062.54 - 1162.17).
* The published 2025 forecast for March 2026 (1094, 1021 - 1168) is not
  reproduced: on 2017-2025 (2025 = 1024) the fit (alpha 0.28, beta 0.26)
  gives 1099.7, bounds 1013.9 - 1185.4 (statsmodels' own) or 982.0 - 1217.3
  (defaults). Excel's fit may differ from statsmodels' here.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.forecast.domain.ets import fit_ets
from services.forecast.domain.forecast import DEFAULT_LEVEL, ForecastPoint, check_inputs
from services.forecast.domain.series import Series


@dataclass(frozen=True)
class HoltModel:
    dof_correction: bool = True
    initial_state_uncertainty: bool = True

    @property
    def name(self) -> str:
        return "holt"

    @property
    def min_points(self) -> int:
        return 5  # four fitted parameters (alpha, beta, initial level and trend) plus one

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]:
        check_inputs(self, series, horizon, level)
        return list(
            fit_ets(
                series, horizon, level, False, self.dof_correction, self.initial_state_uncertainty
            ).points
        )
