"""The pool: every LA's annual series of one figure, backtested together.

Built from the store (all LAs' 31 March points), it holds the default model
(the candidate with the lowest pooled one-step MAPE, or the fallback while
the store holds too few cases to choose by), the pooled relative errors each
candidate's intervals are drawn from, each LA's own share of the cases (its
backtest scores), and the pool's growth the pooled trend shrinks towards.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import structlog

from services.forecast.domain import defaults
from services.forecast.domain.backtest import BacktestCase, BacktestScore, score_cases
from services.forecast.domain.pooled import pooled_growth
from services.forecast.domain.pooling import (
    PooledCase,
    PooledScore,
    pooled_cases,
    pooled_choice,
    pooled_score,
    relative_errors,
)
from services.forecast.domain.series import Series

log = structlog.get_logger()
MIN_POOL_CASES = 30
"""Fewest one-step cases of a candidate for the pool to choose the default by."""


@dataclass(frozen=True)
class Pool:
    series: str
    version: str
    default: str
    prior_growth: float
    scores: Mapping[str, PooledScore]
    errors: Mapping[str, tuple[tuple[float, ...], ...]]
    by_la: Mapping[str, Mapping[str, BacktestScore]]


def version_of(points: Mapping[str, Sequence[tuple[date, float]]]) -> str:
    """A digest of the pooled data: the pool is rebuilt only when it changes."""
    text = repr(sorted((la, tuple(p)) for la, p in points.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def annual_series(points: Mapping[str, Sequence[tuple[date, float]]]) -> dict[str, Series]:
    """Each LA's series; an LA whose points do not make one is left out of the pool, logged."""
    out = {}
    for la, p in points.items():
        try:
            out[la] = Series.from_observations(p, "year")
        except ValueError as exc:
            log.warning("forecast.pool.series_left_out", la=la, error=str(exc))
    return out


def build_pool(
    series: str,
    points: Mapping[str, Sequence[tuple[date, float]]],
    horizon: int,
) -> Pool:
    by_la = annual_series(points)
    cases = pooled_cases(by_la, defaults.candidates, horizon)
    scores = {name: pooled_score(name, cs) for name, cs in cases.items()}
    enough = {n: s for n, s in scores.items() if s.n >= MIN_POOL_CASES}
    return Pool(
        series=series,
        version=version_of(points),
        default=pooled_choice(enough) if enough else defaults.FALLBACK,
        prior_growth=pooled_growth(by_la.values()),
        scores=scores,
        errors={name: relative_errors(cs, horizon) for name, cs in cases.items()},
        by_la=_by_la(cases),
    )


def _by_la(cases: Mapping[str, Sequence[PooledCase]]) -> dict[str, dict[str, BacktestScore]]:
    """Each LA's own one-step cases of each candidate, scored as its backtest."""
    grouped: dict[str, dict[str, list[BacktestCase]]] = defaultdict(lambda: defaultdict(list))
    for name, cs in cases.items():
        for c in cs:
            if c.horizon == 1:
                grouped[c.la][name].append(BacktestCase(c.origin, 1, c.actual, c.point))
    return {
        la: {name: score_cases(name, cs, 1) for name, cs in models.items()}
        for la, models in grouped.items()
    }
