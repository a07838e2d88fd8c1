"""`uv run python -m bench.forecast`: fit every model for 150 LAs x 5 series.

The national dataset is generated (deterministic): ten 31 March counts per LA
and series, a trend with noise and a turning point in some LAs, as real
children-in-care series have; the flow model gets a simulated Markov history
per LA. Reports fit-and-backtest time and rolling-origin accuracy per model,
beside the machine's raw limit (a numpy OLS fit of the same series).
"""

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from services.forecast.domain.backtest import backtest, backtest_flow
from services.forecast.domain.defaults import candidates
from services.forecast.domain.flow import FlowHistory
from services.forecast.domain.forecast import BacktestScore
from services.forecast.domain.series import Series
from services.forecast.service_layer.forecasting import OWN_ONLY

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SERIES = ("children_in_care", "fostering", "residential", "supported", "starts")


def national(las: int, years: int, seed: int) -> list[Series]:
    rng = random.Random(seed)
    out = []
    for _ in range(las):
        for name in SERIES:
            level = {
                "children_in_care": 550,
                "fostering": 380,
                "residential": 60,
                "supported": 45,
                "starts": 220,
            }[name] * rng.uniform(0.4, 2.5)
            trend, turn = rng.gauss(0.03, 0.04), rng.randrange(3, years + 3)
            points = []
            for k in range(years):
                if k == turn:
                    trend = -trend / 2
                level *= 1 + trend + rng.gauss(0, 0.03)
                points.append((date(2016 + k, 3, 31), round(level)))
            out.append(Series.from_observations(points, "year"))
    return out


def flow_history(rng: np.random.Generator, years: int) -> FlowHistory:
    s = 6
    stay = rng.dirichlet(np.ones(s + 1) * 0.5, size=s) * 0.3 + np.eye(s, s + 1) * 0.7
    stay /= stay.sum(axis=1, keepdims=True)
    population = rng.integers(20, 300, size=s).astype(float)
    moves, exits, entrants = [], [], []
    for _ in range(years):
        counts = np.array(
            [rng.multinomial(int(n), p) for n, p in zip(population, stay, strict=True)]
        )
        enter = rng.poisson(population.sum() * 0.12 / s, size=s).astype(float)
        moves.append(tuple(tuple(float(x) for x in row[:s]) for row in counts))
        exits.append(tuple(float(x) for x in counts[:, s]))
        entrants.append(tuple(float(x) for x in enter))
        population = counts[:, :s].sum(axis=0) + enter
    ends = tuple(date(2016 + k, 3, 31) for k in range(1, years + 1))
    return FlowHistory(
        states=tuple(f"s{i}" for i in range(s)),
        ends=ends,
        moves=tuple(moves),
        exits=tuple(exits),
        entrants=tuple(entrants),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--las", type=int, default=150)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    data = national(args.las, args.years, seed=5)
    started = time.perf_counter()
    for s in data:
        xs = np.arange(len(s.points))
        np.polyfit(xs, [v for _, v in s.points], 1)
    raw = time.perf_counter() - started
    rows = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, forecast models",
        f"Command: `uv run python -m bench.forecast --las {args.las} --years {args.years}`",
        f"{len(data):,} series of {args.years} annual points. Raw limit: numpy OLS on all of them "
        f"in {raw * 1000:.0f} ms.",
        "",
        "| model | fit + 1-step rolling backtest, all series | per series | MAPE (mean) | bias "
        "| 95% coverage |",
        "|---|---|---|---|---|---|",
    ]
    for name, model in {**candidates(0.0), **OWN_ONLY}.items():
        scores, t = [], time.perf_counter()
        for s in data:
            scores.append(backtest(model, s, 1))
            model.fit_predict(s, 5)
        rows.append(_row(name, time.perf_counter() - t, len(data), scores))
        print(rows[-1], flush=True)
    rng = np.random.default_rng(5)
    histories = [flow_history(rng, args.years) for _ in range(args.las)]
    t = time.perf_counter()
    flow_scores = [backtest_flow(h, 1) for h in histories]
    rows.append(
        _row(
            "flow (simulated Markov histories, total in care)",
            time.perf_counter() - t,
            len(histories),
            flow_scores,
        )
    )
    print("\n".join(rows))
    with RESULTS.open("a") as f:
        f.write("\n".join(rows) + "\n\n")
    print(f"appended to {RESULTS}", file=sys.stderr)


def _row(name: str, seconds: float, n: int, scores: list[BacktestScore]) -> str:
    ok = [s for s in scores if s.n and np.isfinite(s.mape)]
    mape = statistics.mean(s.mape for s in ok) if ok else float("nan")
    bias = statistics.mean(s.bias for s in ok) if ok else float("nan")
    coverage = statistics.mean(s.coverage for s in ok) if ok else float("nan")
    return (
        f"| {name} | {seconds:.1f} s | {seconds / n * 1000:.1f} ms | {mape:.1f}% | {bias:+.1f}% "
        f"| {coverage:.0%} |"
    )


if __name__ == "__main__":
    main()
