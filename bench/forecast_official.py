"""`uv run python -m bench.forecast_official`: the forecast models on the DfE's published figures.

Children looked after at 31 March by LA, 2015-2024 (``bench/data``; 2025 and
later are kept out of development and refused here). Rolling origin, pooled
over all LAs: at each origin every candidate is fitted on every LA's points
up to it. Reported per model, side by side:

* the hold-out: fit on the years up to 2023, score 2024;
* all rolling origins (one step ahead).

The default is chosen as the service chooses it, by the pooled MAPE of the
cases known before the year scored; 95% intervals come from the pooled
relative errors known at each origin (never from the year being scored).
"per-LA choice" is the rule the service used to have: each LA's own best
model on its earlier cases where it has at least 3 origins, else the pooled
choice. Fit time is the time to fit the model at every origin for every LA,
beside the machine's raw limit (numpy OLS on every LA's full series).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from services.forecast.domain import defaults
from services.forecast.domain.damped import DampedModel
from services.forecast.domain.forecast import DEFAULT_LEVEL, ForecastPoint, Model
from services.forecast.domain.holt import HoltModel
from services.forecast.domain.pooled import CombinationModel
from services.forecast.domain.pooling import (
    Candidates,
    PooledCase,
    empirical_interval,
    pooled_cases,
    pooled_choice,
    pooled_score,
    relative_errors,
)
from services.forecast.domain.series import Series

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "cla_31_march_by_la.csv"
RESULTS = HERE / "RESULTS.md"
LAST_YEAR = 2024  # later years are the independent check: never loaded here
HORIZON = 3


def load(path: Path = DATA, last_year: int = LAST_YEAR) -> dict[str, Series]:
    if last_year > LAST_YEAR:
        raise SystemExit(f"years after {LAST_YEAR} are kept for the independent check")
    points: dict[str, list[tuple[date, float]]] = defaultdict(list)
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            if year <= last_year:
                points[row["la_code"]].append(
                    (date(year, 3, 31), float(row["children_looked_after"]))
                )
    return {la: Series.from_observations(p) for la, p in points.items()}


@dataclass
class Timed:
    """A model that adds up the time spent fitting it."""

    model: Model
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def min_points(self) -> int:
        return self.model.min_points

    def fit_predict(
        self, series: Series, horizon: int, level: float = DEFAULT_LEVEL
    ) -> list[ForecastPoint]:
        started = time.perf_counter()
        try:
            return self.model.fit_predict(series, horizon, level)
        finally:
            self.seconds[self.name] += time.perf_counter() - started


def timed_candidates(seconds: dict[str, float], extra: bool) -> Candidates:
    def build(prior: float) -> dict[str, Model]:
        models = defaults.candidates(prior)
        if extra:
            models |= {"holt": HoltModel(), "damped": DampedModel()}
        wrapped: dict[str, Model] = {}
        for name, m in models.items():
            if isinstance(m, CombinationModel):
                continue
            wrapped[name] = Timed(m, seconds)
        for name, m in models.items():
            if isinstance(m, CombinationModel):
                members = tuple(wrapped[n] for n in ("naive", "theta", "pooled_trend"))
                wrapped[name] = CombinationModel(members)
        return wrapped

    return build


def with_intervals(
    cases: Sequence[PooledCase], all_cases: Sequence[PooledCase]
) -> list[PooledCase]:
    """Each one-step case with the pooled empirical interval known at its origin (cases
    whose origin has too few earlier errors are left out)."""
    out = []
    by_origin: dict[date, tuple[tuple[float, ...], ...]] = {}
    for c in cases:
        if c.origin not in by_origin:
            by_origin[c.origin] = relative_errors(all_cases, HORIZON, known_by=c.origin)
        points = empirical_interval([c.point], by_origin[c.origin])
        if points is not None:
            out.append(PooledCase(c.la, c.origin, c.horizon, c.actual, points[0]))
    return out


def per_la_choice(
    cases: Mapping[str, Sequence[PooledCase]], holdout: date, pooled: str
) -> list[PooledCase]:
    """Each LA's hold-out case of the model with its own lowest earlier MAPE (>= 3 origins)."""
    out = []
    las = {c.la for c in cases[pooled] if c.origin == holdout and c.horizon == 1}
    for la in sorted(las):
        own: dict[str, list[float]] = defaultdict(list)
        for name, cs in cases.items():
            for c in cs:
                if c.la == la and c.horizon == 1 and c.point.period <= holdout and c.actual:
                    own[name].append(abs(c.point.mid - c.actual) / c.actual)
        origins = len(own.get(pooled, ()))
        name = min(own, key=lambda n: statistics.fmean(own[n])) if origins >= 3 else pooled
        out += [c for c in cases[name] if c.la == la and c.origin == holdout and c.horizon == 1]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all-models", action="store_true", help="also holt and damped (slow)")
    args = parser.parse_args()
    series = load()
    started = time.perf_counter()
    for s in (s for s in series.values() if len(s) >= 2):
        np.polyfit(np.arange(len(s)), s.values, 1)
    raw = time.perf_counter() - started
    seconds: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    cases = pooled_cases(series, timed_candidates(seconds, args.all_models), HORIZON)
    total = time.perf_counter() - started
    seconds["combination"] = sum(seconds[n] for n in ("naive", "theta", "pooled_trend"))
    holdout = date(LAST_YEAR - 1, 3, 31)
    one_step = {n: [c for c in cs if c.horizon == 1] for n, cs in cases.items()}
    known = {n: [c for c in cs if c.point.period <= holdout] for n, cs in one_step.items()}
    default = pooled_choice({n: pooled_score(n, cs) for n, cs in known.items()})
    flag = " --all-models" if args.all_models else ""
    rows = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, forecasts on the DfE's published figures",
        f"Command: `uv run python -m bench.forecast_official{flag}`",
        f"{len(series)} LAs, 31 March {min(s.dates[0].year for s in series.values())}-{LAST_YEAR} "
        f"(`bench/data/cla_31_march_by_la.csv`). Raw limit: numpy OLS on every LA's series in "
        f"{raw * 1000:.1f} ms; all candidates at every origin in {total:.1f} s.",
        f"Default (pooled MAPE of the cases before {LAST_YEAR}): **{default}**.",
        "",
        f"| model | {LAST_YEAR} MAPE | median APE | bias | 95% coverage | LAs "
        "| all origins MAPE | median APE | bias | 95% coverage | cases | fit time, all LAs |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    scored: dict[str, tuple[list[PooledCase], list[PooledCase]]] = {}
    for name, cs in one_step.items():
        scored[name] = ([c for c in cs if c.origin == holdout], cs)
    scored[f"default ({default})"] = scored[default]
    choice = per_la_choice(cases, holdout, default)
    for label, (held, every) in scored.items():
        name = default if label.startswith("default") else label
        rows.append(_row(label, held, every, cases[name], seconds.get(name)))
    rows.append(_row("per-LA choice (old rule)", choice, [], cases[default], None))
    naive = pooled_score("naive", scored["naive"][0]).mape
    mine = pooled_score(default, scored[default][0]).mape
    rows += [
        "",
        f"Default {LAST_YEAR} MAPE / naive {LAST_YEAR} MAPE = {mine:.2f} / {naive:.2f} = "
        f"**{mine / naive:.3f}** (goal <= 0.92).",
    ]
    print("\n".join(rows))
    with RESULTS.open("a") as f:
        f.write("\n".join(rows) + "\n\n")
    print(f"appended to {RESULTS}", file=sys.stderr)


def _row(
    label: str,
    held: Sequence[PooledCase],
    every: Sequence[PooledCase],
    model_cases: Sequence[PooledCase],
    seconds: float | None,
) -> str:
    h = pooled_score(label, held)
    hc = pooled_score(label, with_intervals(held, model_cases))
    cells = [label, f"{h.mape:.2f}%", f"{h.median_ape:.2f}%", f"{h.bias:+.2f}%"]
    cells += [f"{hc.coverage:.1%}", str(h.las)]
    if every:
        a = pooled_score(label, every)
        ac = pooled_score(label, with_intervals(every, model_cases))
        cells += [f"{a.mape:.2f}%", f"{a.median_ape:.2f}%", f"{a.bias:+.2f}%"]
        cells += [f"{ac.coverage:.1%} (of {ac.n})", str(a.n)]
    else:
        cells += ["", "", "", "", ""]
    cells.append("" if seconds is None else f"{seconds:.1f} s")
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    main()
