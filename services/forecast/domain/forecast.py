"""What every model produces: points with a mid and a two-sided interval.

* :class:`ForecastPoint`: one future period, ``lower <= mid <= upper``.
* :class:`BacktestScore`: how a model did on the LA's own history (see
  :mod:`services.forecast.domain.backtest`); it lives here because a
  :class:`Forecast` carries it.
* :class:`Model`: anything with a ``name`` and ``fit_predict``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from scipy import stats

from services.forecast.domain.series import Series

DEFAULT_LEVEL = 0.95
_SLACK = 1e-9


def check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"interval level must be strictly between 0 and 1, not {level}")


def normal_quantile(level: float) -> float:
    """z such that mid +- z*sd covers ``level`` of a normal distribution."""
    check_level(level)
    return float(stats.norm.ppf(0.5 + level / 2.0))


def t_quantile(level: float, df: float) -> float:
    """Student-t equivalent of :func:`normal_quantile` with ``df`` degrees of freedom."""
    check_level(level)
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    return float(stats.t.ppf(0.5 + level / 2.0, df))


@dataclass(frozen=True)
class ForecastPoint:
    period: date
    mid: float
    lower: float
    upper: float

    def __post_init__(self) -> None:
        values = (self.lower, self.mid, self.upper)
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"non-finite forecast at {self.period}: {values}")
        scale = _SLACK * max(1.0, *(abs(v) for v in values))
        if self.lower > self.mid + scale or self.mid > self.upper + scale:
            raise ValueError(f"need lower <= mid <= upper at {self.period}: {values}")

    def contains(self, value: float) -> bool:
        return self.lower <= value <= self.upper


@dataclass(frozen=True)
class BacktestScore:
    """Rolling-origin results for one model.

    ``mape`` and ``bias`` are percentages of the actual; ``bias`` is the mean of
    (forecast - actual) / actual, so positive means the model over-forecast.
    ``coverage`` is the share (0-1) of actuals inside the interval; ``n`` the
    number of (origin, horizon) cases. ``errors_by_horizon[h - 1]`` holds the
    signed errors (actual - mid) at horizon ``h``, for widening intervals.
    """

    model: str
    mape: float
    bias: float
    coverage: float
    n: int
    errors_by_horizon: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True)
class Forecast:
    model: str
    points: tuple[ForecastPoint, ...]
    level: float = DEFAULT_LEVEL
    backtest: BacktestScore | None = None

    def __post_init__(self) -> None:
        check_level(self.level)
        object.__setattr__(self, "points", tuple(self.points))


class Model(Protocol):
    """A univariate forecasting model: fit on ``series``, forecast ``horizon`` periods."""

    @property
    def name(self) -> str: ...

    @property
    def min_points(self) -> int:
        """Fewest points the model can be fitted on."""
        ...

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]: ...


def forecast_with(
    model: Model, series: Series, horizon: int, level: float = DEFAULT_LEVEL
) -> Forecast:
    return Forecast(model.name, tuple(model.fit_predict(series, horizon, level)), level)


def check_inputs(model: Model, series: Series, horizon: int, level: float) -> None:
    """The checks every model makes before fitting."""
    check_level(level)
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    if len(series) < model.min_points:
        raise ValueError(
            f"{model.name} needs at least {model.min_points} points, the series has {len(series)}"
        )
