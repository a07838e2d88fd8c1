"""Stock-and-flow (Markov chain) projection of children in care by state.

States are placement categories (fostering, residential, supported, adoption,
with_parents, other), optionally crossed with age band ("fostering|10-15").
Over each period a child in state i either stays in care in some state j
(possibly i) or leaves care; new children enter in each state.

History (:class:`FlowHistory`), per period t and states i, j:

* ``moves[t][i][j]``: children in state i at the start of t and in state j at
  its end (staying put is the diagonal);
* ``exits[t][i]``: children in state i at the start of t who left care in it;
* ``entrants[t][j]``: children who entered care in t and were in j at its end.

Estimate (:func:`estimate_flow`), pooling the periods: row i of ``P`` is the
share of children starting in i who end in each state, then exit (the last
column): moves and exits summed over periods, divided by the row total. A
state nobody started in keeps its children (p_ii = 1). Entrants per period:
the mean over the periods.

Projection (:func:`propagate`), with Q the state-to-state block of P and
lambda the mean entrants; each child moves independently (multinomial), and
entrants are Poisson and independent::

    mean(t+1) = Q^T mean(t) + lambda
    cov(t+1)  = Q^T cov(t) Q + sum_i mean_i(t) * (diag(q_i) - q_i q_i^T) + diag(lambda)

(law of total covariance; q_i is row i of Q). The starting population is
known, so cov(0) = 0. A group of states (a category over its age bands, or
the total) has variance 1^T cov 1 over its states, and bounds
mean +- z * sd, the lower one clipped at 0. The variance leaves out the
uncertainty of P and lambda themselves; the backtest widening covers that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from services.forecast.domain.forecast import DEFAULT_LEVEL, ForecastPoint, normal_quantile
from services.forecast.domain.series import Frequency, add_periods, periods_between

Matrix = tuple[tuple[float, ...], ...]


def _matrix(rows: Sequence[Sequence[float]]) -> Matrix:
    return tuple(tuple(float(v) for v in row) for row in rows)


@dataclass(frozen=True)
class FlowHistory:
    """Counts per consecutive period; ``ends[t]`` is the date period t ends."""

    states: tuple[str, ...]
    ends: tuple[date, ...]
    moves: tuple[Matrix, ...]
    exits: Matrix
    entrants: Matrix
    frequency: Frequency = "year"

    def __post_init__(self) -> None:
        s, t = len(self.states), len(self.ends)
        if s == 0 or len(set(self.states)) != s:
            raise ValueError("states must be non-empty and distinct")
        object.__setattr__(self, "moves", tuple(_matrix(m) for m in self.moves))
        object.__setattr__(self, "exits", _matrix(self.exits))
        object.__setattr__(self, "entrants", _matrix(self.entrants))
        object.__setattr__(self, "ends", tuple(self.ends))
        if not (len(self.moves) == len(self.exits) == len(self.entrants) == t):
            raise ValueError("moves, exits, entrants and ends need one entry per period")
        for m in self.moves:
            if len(m) != s or any(len(row) != s for row in m):
                raise ValueError(f"each moves matrix must be {s} x {s}")
        if any(len(row) != s for row in (*self.exits, *self.entrants)):
            raise ValueError(f"exits and entrants need {s} values per period")
        values = [v for m in self.moves for row in m for v in row]
        values += [v for row in (*self.exits, *self.entrants) for v in row]
        if any(v < 0 for v in values):
            raise ValueError("counts cannot be negative")
        for a, b in pairwise(self.ends):
            if periods_between(a, b, self.frequency) != 1:
                raise ValueError(f"periods must be consecutive: {a} then {b}")

    @property
    def periods(self) -> int:
        return len(self.ends)

    def start_population(self, t: int) -> NDArray[np.float64]:
        return np.asarray(self.moves[t]).sum(axis=1) + np.asarray(self.exits[t])

    def end_population(self, t: int) -> NDArray[np.float64]:
        return np.asarray(self.moves[t]).sum(axis=0) + np.asarray(self.entrants[t])

    def head(self, periods: int) -> FlowHistory:
        """The first ``periods`` periods."""
        if not 1 <= periods <= self.periods:
            raise ValueError(f"need between 1 and {self.periods} periods")
        return FlowHistory(
            self.states,
            self.ends[:periods],
            self.moves[:periods],
            self.exits[:periods],
            self.entrants[:periods],
            self.frequency,
        )


@dataclass(frozen=True)
class FlowEstimate:
    states: tuple[str, ...]
    transition: Matrix
    """Rows: from-state; columns: the states then exit (last). Each row sums to 1."""
    entrants: tuple[float, ...]
    """Mean entrants per period by state."""

    @property
    def q(self) -> NDArray[np.float64]:
        """The state-to-state block (exit column dropped)."""
        return np.asarray(self.transition, dtype=float)[:, :-1]


def estimate_flow(history: FlowHistory) -> FlowEstimate:
    s = len(history.states)
    counts = np.zeros((s, s + 1))
    for m, ex in zip(history.moves, history.exits, strict=True):
        counts[:, :s] += np.asarray(m)
        counts[:, s] += np.asarray(ex)
    totals = counts.sum(axis=1)
    p = np.zeros_like(counts)
    for i in range(s):
        if totals[i] > 0:
            p[i] = counts[i] / totals[i]
        else:
            p[i, i] = 1.0
    lam = np.asarray(history.entrants, dtype=float).mean(axis=0)
    return FlowEstimate(history.states, _matrix(p.tolist()), tuple(float(v) for v in lam))


@dataclass(frozen=True)
class Moments:
    mean: tuple[float, ...]
    cov: Matrix

    def group(self, members: Sequence[int]) -> tuple[float, float]:
        """Mean and variance of the sum over the states at ``members``."""
        idx = list(members)
        cov = np.asarray(self.cov)[np.ix_(idx, idx)]
        return float(sum(self.mean[i] for i in idx)), float(cov.sum())


def propagate(
    estimate: FlowEstimate,
    initial: Sequence[float],
    horizon: int,
    entrant_scale: float = 1.0,
) -> list[Moments]:
    """Mean and covariance of the population after each of ``horizon`` periods."""
    q = estimate.q
    s = q.shape[0]
    if len(initial) != s:
        raise ValueError(f"initial population needs {s} values")
    if entrant_scale < 0:
        raise ValueError("entrant_scale cannot be negative")
    lam = np.asarray(estimate.entrants, dtype=float) * entrant_scale
    mean = np.asarray(initial, dtype=float)
    cov = np.zeros((s, s))
    out = []
    for _ in range(horizon):
        moving = sum(
            (mean[i] * (np.diag(q[i]) - np.outer(q[i], q[i])) for i in range(s)),
            start=np.zeros((s, s)),
        )
        cov = q.T @ cov @ q + moving + np.diag(lam)
        mean = q.T @ mean + lam
        out.append(Moments(tuple(mean.tolist()), _matrix(cov.tolist())))
    return out


@dataclass(frozen=True)
class FlowProjection:
    by_category: dict[str, tuple[ForecastPoint, ...]]
    total: tuple[ForecastPoint, ...]
    estimate: FlowEstimate
    moments: tuple[Moments, ...]


def _point(period: date, mean: float, variance: float, z: float) -> ForecastPoint:
    hw = z * float(np.sqrt(max(variance, 0.0)))
    return ForecastPoint(period, mean, max(mean - hw, 0.0), mean + hw)


def project_flow(
    history: FlowHistory,
    horizon: int,
    level: float = DEFAULT_LEVEL,
    initial: Sequence[float] | None = None,
    entrant_scale: float = 1.0,
    category_of: Callable[[str], str] | None = None,
) -> FlowProjection:
    """Project ``horizon`` periods on from the end of the history.

    ``initial`` defaults to the population at the end of the last period.
    ``category_of`` maps a state to the category it is reported under (e.g.
    ``lambda s: s.split("|")[0]`` to add up age bands); by default each state.
    ``entrant_scale`` multiplies the entrants (0.9 = "reduce entries by 10%").
    """
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    z = normal_quantile(level)
    estimate = estimate_flow(history)
    start = history.end_population(history.periods - 1) if initial is None else initial
    moments = propagate(estimate, list(start), horizon, entrant_scale)
    key = category_of or (lambda s: s)
    groups: dict[str, list[int]] = {}
    for i, state in enumerate(history.states):
        groups.setdefault(key(state), []).append(i)
    periods = [add_periods(history.ends[-1], k, history.frequency) for k in range(1, horizon + 1)]
    everyone = list(range(len(history.states)))
    by_category = {
        name: tuple(
            _point(period, *m.group(members), z) for period, m in zip(periods, moments, strict=True)
        )
        for name, members in groups.items()
    }
    total = tuple(
        _point(period, *m.group(everyone), z) for period, m in zip(periods, moments, strict=True)
    )
    return FlowProjection(by_category, total, estimate, tuple(moments))
