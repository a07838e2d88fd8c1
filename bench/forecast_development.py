"""`uv run python -m bench.forecast_development`: what predicts an LA's next count, before 2024.

Development only: every figure here is scored on the years up to 2023
(``load(last_year=2023)``), so 2024 stays the hold-out of
``bench.forecast_official`` and 2025 is never loaded. Printed (and appended
to ``bench/RESULTS.md``):

* the pooled correlation of next year's log growth with an LA's own last
  growth and with its distance from its own 4-year mean log level (both
  demeaned by year), per year;
* pooled panel regressions of next year's log growth, refitted at every
  origin on all LAs' pairs known by then (no look-ahead), with OLS, median
  (statsmodels QuantReg) and Huber (RLM) loss, on: nothing (a pooled drift),
  the LA's last growth, its last two, its distance from its own mean level,
  the cross-LA mean growth of the last year, and all of these;
* an oracle that knows each year's median growth across LAs in advance: the
  most any forecast of the common movement alone can gain over naive;
* the service's candidates and the pooled drift at four dampings.

MAPE over the one-step cases of targets 2018-2023 (LAs with 3+ points at the
origin), and its ratio to the naive forecast's on the same cases (a
regression with fewer than 30 pairs to fit on forecasts no change).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import numpy as np
import statsmodels.api as sm
from numpy.typing import NDArray

from bench.forecast_official import RESULTS, load
from services.forecast.domain import defaults
from services.forecast.domain.forecast import Model
from services.forecast.domain.pooled import PooledDriftModel
from services.forecast.domain.pooling import pooled_cases, pooled_score

LAST_DEV_YEAR = 2023
FIRST = 2015
Array = NDArray[np.float64]
FEATURES = ("g1", "g2", "dev", "common")
MIN_PAIRS = 30


def panel() -> tuple[Array, Array]:
    """Log levels (LA x year from 2015) and the log growth into each year (nan where unknown)."""
    series = load(last_year=LAST_DEV_YEAR)
    logs = np.full((len(series), LAST_DEV_YEAR - FIRST + 1), np.nan)
    for i, s in enumerate(series.values()):
        for d, v in s.points:
            if v > 0:
                logs[i, d.year - FIRST] = np.log(v)
    growth = np.full_like(logs, np.nan)
    growth[:, 1:] = np.diff(logs, axis=1)
    return logs, growth


def features(logs: Array, growth: Array, t: int, names: Sequence[str]) -> Array:
    """What is known at year index ``t`` to predict the growth into ``t + 1``."""
    n = len(logs)
    nan = np.full(n, np.nan)
    cols = []
    for name in names:
        if name == "g1":
            cols.append(growth[:, t])
        elif name == "g2":
            cols.append(growth[:, t - 1] if t >= 1 else nan)
        elif name == "dev":
            cols.append(logs[:, t] - np.mean(logs[:, t - 3 : t + 1], axis=1) if t >= 3 else nan)
        elif name == "common":
            known = growth[:, t][~np.isnan(growth[:, t])]
            cols.append(np.full(n, known.mean()) if len(known) else nan)
    return np.column_stack(cols) if cols else np.empty((n, 0))


def fit(method: str, x: Array, y: Array) -> Array:
    design = sm.add_constant(x, has_constant="add")
    if method == "ols":
        return np.asarray(np.linalg.lstsq(design, y, rcond=None)[0])
    if method == "median":
        return np.asarray(sm.QuantReg(y, design).fit(q=0.5, max_iter=5000).params)
    return np.asarray(sm.RLM(y, design, M=sm.robust.norms.HuberT()).fit().params)


Predict = Callable[[int], Array]


def ape(logs: Array, predict: Predict) -> list[float]:
    """Absolute percentage errors of one-step forecasts exp(log level + predicted growth)."""
    out = []
    for t in range(2, logs.shape[1] - 1):  # targets 2018..LAST_DEV_YEAR
        points = np.sum(~np.isnan(logs[:, : t + 1]), axis=1)
        ok = ~np.isnan(logs[:, t]) & ~np.isnan(logs[:, t + 1]) & (points >= 3)
        g = predict(t)
        actual = np.exp(logs[ok, t + 1])
        out += list(np.abs(np.exp(logs[ok, t] + g[ok]) - actual) / actual * 100)
    return out


def regression(logs: Array, growth: Array, names: Sequence[str], method: str) -> Predict:
    def predict(t: int) -> Array:
        xs, ys = [], []
        for s in range(t):  # pairs whose target year s + 1 <= t: known at the origin
            x, y = features(logs, growth, s, names), growth[:, s + 1]
            ok = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
            xs.append(x[ok])
            ys.append(y[ok])
        if sum(map(len, ys)) < MIN_PAIRS:
            return np.zeros(len(logs))  # nothing to fit yet: the naive forecast
        beta = fit(method, np.vstack(xs), np.concatenate(ys))
        x = features(logs, growth, t, names)
        g = sm.add_constant(x, has_constant="add") @ beta
        return np.where(np.isnan(g), beta[0], g)  # too short for the features: the drift

    return predict


def correlations(logs: Array, growth: Array) -> list[str]:
    rows = [
        "| target year | corr(next growth, last growth) "
        "| corr(next growth, distance from own mean) |"
    ]
    rows.append("|---|---|---|")
    for t in range(3, logs.shape[1] - 1):
        x = features(logs, growth, t, ("g1", "dev"))
        y = growth[:, t + 1]
        ok = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
        c = [np.corrcoef(x[ok, k], y[ok])[0, 1] for k in range(2)]
        rows.append(f"| {FIRST + t + 1} | {c[0]:+.3f} | {c[1]:+.3f} |")
    return rows


def candidates(prior: float) -> dict[str, Model]:
    models = dict(defaults.candidates(prior))
    for phi in (0.25, 0.8, 1.0):
        models[f"pooled_drift phi={phi}"] = PooledDriftModel(prior, phi)
    return models


def main() -> None:
    warnings.simplefilter("ignore")
    logs, growth = panel()
    naive = ape(logs, lambda t: np.zeros(len(logs)))
    base = float(np.mean(naive))
    rows = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, forecast development on the years up to 2023",
        "Command: `uv run python -m bench.forecast_development` (no figure from 2024 or later "
        "is loaded; one-step targets 2018-2023).",
        "",
        *correlations(logs, growth),
        "",
        "| pooled regression of next log growth on | OLS MAPE / naive | median | Huber |",
        "|---|---|---|---|",
    ]
    specs: list[tuple[str, ...]] = [(), ("g1",), ("g1", "g2"), ("dev",), ("common",), FEATURES]
    for names in specs:
        cells = []
        for method in ("ols", "median", "huber"):
            mape = float(np.mean(ape(logs, regression(logs, growth, names, method))))
            cells.append(f"{mape:.2f}% / {base:.2f}% = {mape / base:.3f}")
        label = ", ".join(names) or "a constant (pooled drift)"
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    def oracle(t: int) -> Array:
        return np.full(len(logs), np.nanmedian(growth[:, t + 1]))

    best = float(np.mean(ape(logs, oracle)))
    rows += [
        "",
        f"Oracle knowing each year's median growth across LAs: {best:.2f}% / {base:.2f}% = "
        f"**{best / base:.3f}** of naive.",
        "",
        "| candidate (pooled rolling origin) | MAPE | median APE | bias | ratio to naive |",
        "|---|---|---|---|---|",
    ]
    series = load(last_year=LAST_DEV_YEAR)
    cases = pooled_cases(series, candidates, 1)
    scores = {n: pooled_score(n, cs) for n, cs in cases.items()}
    for s in sorted(scores.values(), key=lambda s: s.mape):
        rows.append(
            f"| {s.model} | {s.mape:.2f}% | {s.median_ape:.2f}% | {s.bias:+.2f}% | "
            f"{s.mape / scores['naive'].mape:.3f} |"
        )
    print("\n".join(rows))
    with RESULTS.open("a") as f:
        f.write("\n".join(rows) + "\n\n")
    print(f"appended to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
