"""`uv run python -m bench.forecast_flows`: do the DfE's flows predict an LA's next count?

Development only, as ``bench.forecast_development``: counts and flows up to
2023, one-step targets 2018-2023, LAs with 3+ counts at the origin; 2024 is
never loaded. The extra information is the DfE's published per-LA number of
children who started and who ceased to be looked after during each year
(2016-2023) and the child population (0-17) behind its rates (2018-2023),
``bench/data/cla_flows_by_la.csv``. Candidates, each forecasting next year's
log growth with what is known at the origin (every rate and regression is
refitted at each origin on the years before it, no look-ahead):

* flow models, next count = count + expected starts - expected ceased, with
  starts the LA's last year's (or its mean of up to 3 years) and ceased the
  count times a ceased rate (pooled across LAs, or the LA's own);
* pooled panel regressions of next log growth on the flow ratios (starts /
  count, ceased / last count), the net flow, the count per 10,000 children
  (relative to the year's median across LAs), the child population's growth,
  and on leading indicators from the children-in-need census
  (``bench/data/cin_cpp_by_la.csv``: children in need and on a child
  protection plan at 31 March, their starts, referrals; last year's growth
  of each, or its ratio to the count), with OLS, median and Huber loss;
* the flow model averaged with naive (a combination);
* UASC and other children forecast apart (naive or pooled growth on each),
  and regressions on the UASC share and its change, on the targets for
  which the UASC counts by LA allow it (2022-2023);
* oracles given next year's actual flows or UASC count (the most flows could give),
  how well last year's starts forecast next year's, and the pooled
  correlation of next log growth with each feature.

Printed; appended to ``bench/RESULTS.md`` with ``--append``.

MAPE, median APE and bias of the one-step forecasts, and the MAPE's ratio to
naive on the same cases.
"""

from __future__ import annotations

import csv
import sys
import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import statsmodels.api as sm
from numpy.typing import NDArray

from bench.forecast_development import FIRST, LAST_DEV_YEAR, MIN_PAIRS, fit
from bench.forecast_official import RESULTS, load

FLOWS = Path(__file__).resolve().parent / "data" / "cla_flows_by_la.csv"
LEADING = Path(__file__).resolve().parent / "data" / "cin_cpp_by_la.csv"
UASC = Path(__file__).resolve().parent / "data" / "uasc_31_march_by_la.csv"
FIRST_UASC_TARGET = 2022  # UASC by LA from 2020: a pooled UASC growth needs a year before
LEADING_COLUMNS = ("cin_31_march", "cin_started", "referrals", "cpp_31_march", "cpp_started")
Array = NDArray[np.float64]
Predict = Callable[[int], Array]
FIRST_TARGET = 2018
CORRELATED = (
    *("flow", "starts", "ceased", "net", "dstarts", "startrate", "rate", "pop"),
    *(f"d:{c}" for c in LEADING_COLUMNS),
    *(f"r:{c}" for c in LEADING_COLUMNS),
)


class Panel:
    """Counts, flows and child population as LA x year arrays from 2015 (nan where unknown)."""

    def __init__(self) -> None:
        series = load(last_year=LAST_DEV_YEAR)
        self.las = list(series)
        shape = (len(self.las), LAST_DEV_YEAR - FIRST + 1)
        self.count = np.full(shape, np.nan)
        for i, s in enumerate(series.values()):
            for d, v in s.points:
                self.count[i, d.year - FIRST] = v
        self.started = np.full(shape, np.nan)
        self.ceased = np.full(shape, np.nan)
        self.population = np.full(shape, np.nan)
        row = {la: i for i, la in enumerate(self.las)}
        with FLOWS.open(newline="") as f:
            for r in csv.DictReader(f):
                year = int(r["year"])
                if year > LAST_DEV_YEAR or r["la_code"] not in row:
                    continue
                i, t = row[r["la_code"]], year - FIRST
                for array, column in (
                    (self.started, "started"),
                    (self.ceased, "ceased"),
                    (self.population, "population_0_17"),
                ):
                    if r[column]:
                        array[i, t] = float(r[column])
        self.leading = {c: np.full(shape, np.nan) for c in LEADING_COLUMNS}
        with LEADING.open(newline="") as f:
            for r in csv.DictReader(f):
                year = int(r["year"])
                if year > LAST_DEV_YEAR or r["la_code"] not in row:
                    continue
                for column, array in self.leading.items():
                    if r[column]:
                        array[row[r["la_code"]], year - FIRST] = float(r[column])
        self.uasc = np.full(shape, np.nan)
        with UASC.open(newline="") as f:
            for r in csv.DictReader(f):
                year = int(r["year"])
                if year <= LAST_DEV_YEAR and r["la_code"] in row:
                    # suppressed (fewer than 6, or to protect another cell): taken as none
                    self.uasc[row[r["la_code"]], year - FIRST] = float(r["uasc_31_march"] or 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.logs = np.where(self.count > 0, np.log(self.count), np.nan)
        self.growth = np.full(shape, np.nan)
        self.growth[:, 1:] = np.diff(self.logs, axis=1)

    def lagged(self, array: Array, t: int, years: int) -> Array:
        """The mean of up to ``years`` known values ending at ``t`` (nan if none)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(np.nanmean(array[:, max(0, t - years + 1) : t + 1], axis=1))

    def ceased_rate(self, t: int) -> Array:
        """Each LA's ceased in year t over its count a year before."""
        return self.ceased[:, t] / self.count[:, t - 1]

    def pooled_ceased_rate(self, t: int) -> float:
        r = self.ceased_rate(t)
        c = self.count[:, t - 1]
        ok = ~np.isnan(r)
        return float(np.sum(self.ceased[ok, t]) / np.sum(c[ok]))


def growth_of(panel: Panel, t: int, level: Array) -> Array:
    """Log growth from the count at t to a forecast level (no change where unknown or <= 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(np.maximum(level, 1.0) / panel.count[:, t])
    return np.where(np.isfinite(g), g, 0.0)


def flow_level(
    panel: Panel, t: int, start_years: int, own_rate: bool, rate_years: int = 3
) -> Array:
    """Count + expected starts - expected ceased (nan where a flow is unknown)."""
    starts = panel.lagged(panel.started, t, start_years)
    if own_rate:
        rates = [panel.ceased_rate(s) for s in range(max(1, t - rate_years + 1), t + 1)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rate = np.nanmean(np.column_stack(rates), axis=1)
    else:
        rate = np.full(len(panel.las), panel.pooled_ceased_rate(t))
    return np.asarray(panel.count[:, t] + starts - rate * panel.count[:, t])


def flow(panel: Panel, start_years: int, own_rate: bool, rate_years: int = 3) -> Predict:
    return lambda t: growth_of(panel, t, flow_level(panel, t, start_years, own_rate, rate_years))


def known_flows(panel: Panel, ceased_known: bool) -> Predict:
    """An oracle given next year's actual starts (and ceased, or the LA's own last ceased rate)."""

    def predict(t: int) -> Array:
        if ceased_known:
            ceased = panel.ceased[:, t + 1]
        else:
            ceased = panel.ceased_rate(t) * panel.count[:, t]
        return growth_of(panel, t, panel.count[:, t] + panel.started[:, t + 1] - ceased)

    return predict


def starts_forecast(panel: Panel) -> str:
    """How well next year's starts follow from last year's (the oracle's missing piece)."""
    s = panel.started
    t0 = FIRST_TARGET - FIRST
    last, nxt = s[:, t0 - 1 : -1].ravel(), s[:, t0:].ravel()
    ok = ~np.isnan(last) & ~np.isnan(nxt) & (nxt > 0)
    ape = np.abs(last[ok] - nxt[ok]) / nxt[ok] * 100
    return (
        f"Next year's starts forecast by the LA's last year's starts ({ok.sum()} cases, "
        f"targets {FIRST_TARGET}-{LAST_DEV_YEAR}): MAPE {ape.mean():.1f}%, "
        f"median APE {np.median(ape):.1f}%."
    )


def correlations(panel: Panel, names: Sequence[str]) -> list[str]:
    """Pooled correlation of next log growth with each feature, both demeaned by year."""
    rows = [
        "| feature at the origin | corr. with next log growth (pooled, year-demeaned) | pairs |"
    ]
    rows.append("|---|---|---|")
    for name in names:
        xs, ys = [], []
        for t in range(FIRST_TARGET - FIRST - 1, panel.logs.shape[1] - 1):
            x, y = features(panel, t, (name,))[:, 0], panel.growth[:, t + 1]
            ok = ~np.isnan(y) & ~np.isnan(x)
            if ok.sum() > 2:
                xs.append(x[ok] - x[ok].mean())
                ys.append(y[ok] - y[ok].mean())
        x, y = np.concatenate(xs), np.concatenate(ys)
        rows.append(f"| {name} | {np.corrcoef(x, y)[0, 1]:+.3f} | {len(y)} |")
    return rows


def last_net_flow(panel: Panel) -> Predict:
    def predict(t: int) -> Array:
        return growth_of(panel, t, panel.count[:, t] + panel.started[:, t] - panel.ceased[:, t])

    return predict


def features(panel: Panel, t: int, names: Sequence[str]) -> Array:
    c = panel.count
    cols = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for name in names:
            if name == "starts":
                cols.append(np.log(panel.started[:, t] / c[:, t]))
            elif name == "ceased":
                cols.append(panel.ceased_rate(t))
            elif name == "net":
                cols.append((panel.started[:, t] - panel.ceased[:, t]) / c[:, t])
            elif name == "rate":
                rate = np.log(c[:, t] / panel.population[:, t])
                cols.append(rate - np.nanmedian(rate) if np.any(~np.isnan(rate)) else rate)
            elif name == "flow":  # the own-rate flow model's growth, to be weighted by the fit
                level = flow_level(panel, t, 3, own_rate=True) if t >= 1 else c[:, t] * np.nan
                cols.append(np.log(np.maximum(level, 1.0) / c[:, t]))
            elif name == "dstarts":
                cols.append(np.log(panel.started[:, t] / panel.started[:, t - 1]))
            elif name == "startrate":
                rate = np.log(panel.started[:, t] / panel.population[:, t])
                cols.append(rate - np.nanmedian(rate) if np.any(~np.isnan(rate)) else rate)
            elif name.startswith("d:"):  # last year's log growth of a leading indicator
                a = panel.leading[name[2:]]
                cols.append(np.log(a[:, t] / a[:, t - 1]) if t >= 1 else c[:, t] * np.nan)
            elif name.startswith("r:"):  # a leading indicator per child looked after
                a = panel.leading[name[2:]]
                cols.append(np.log(a[:, t] / c[:, t]))
            elif name == "uasc":
                cols.append(panel.uasc[:, t] / c[:, t])
            elif name == "duasc":
                cols.append((panel.uasc[:, t] - panel.uasc[:, t - 1]) / c[:, t])
            elif name == "pop":
                cols.append(np.log(panel.population[:, t] / panel.population[:, t - 1]))
    if not cols:
        return np.empty((len(panel.las), 0))
    x = np.column_stack(cols)
    return np.where(np.isfinite(x), x, np.nan)


def regression(panel: Panel, names: Sequence[str], method: str) -> Predict:
    def predict(t: int) -> Array:
        xs, ys = [], []
        for s in range(t):  # pairs whose target year s + 1 <= t: known at the origin
            x, y = features(panel, s, names), panel.growth[:, s + 1]
            ok = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
            xs.append(x[ok])
            ys.append(y[ok])
        if sum(map(len, ys)) < MIN_PAIRS:
            return np.zeros(len(panel.las))
        beta = fit(method, np.vstack(xs), np.concatenate(ys))
        g = sm.add_constant(features(panel, t, names), has_constant="add") @ beta
        return np.where(np.isnan(g), beta[0], g)

    return predict


def mean_of(*models: Predict) -> Predict:
    return lambda t: np.mean([m(t) for m in models], axis=0)


def split(panel: Panel, drift_other: bool, grow_uasc: bool) -> Predict:
    """Children other than UASC and UASC forecast apart, each naive or with its pooled growth."""

    def predict(t: int) -> Array:
        uasc = np.where(np.isnan(panel.uasc[:, t]), 0.0, panel.uasc[:, t])
        other = panel.count[:, t] - uasc
        if drift_other:
            past = [
                np.log(
                    (panel.count[:, s + 1] - panel.uasc[:, s + 1])
                    / (panel.count[:, s] - panel.uasc[:, s])
                )
                for s in range(t)
            ]
            known = np.concatenate(past)
            known = known[np.isfinite(known)]
            other = other * np.exp(np.median(known)) if len(known) else other
        if grow_uasc:
            last = ~np.isnan(panel.uasc[:, t]) & ~np.isnan(panel.uasc[:, t - 1])
            uasc = uasc * np.sum(panel.uasc[last, t]) / np.sum(panel.uasc[last, t - 1])
        return growth_of(panel, t, other + uasc)

    return predict


def errors(panel: Panel, predict: Predict, first_target: int = FIRST_TARGET) -> Array:
    """Signed percentage errors (forecast - actual) / actual of the one-step cases."""
    out: list[float] = []
    for t in range(first_target - FIRST - 1, panel.logs.shape[1] - 1):
        points = np.sum(~np.isnan(panel.logs[:, : t + 1]), axis=1)
        ok = ~np.isnan(panel.logs[:, t]) & ~np.isnan(panel.logs[:, t + 1]) & (points >= 3)
        actual = panel.count[ok, t + 1]
        forecast = panel.count[ok, t] * np.exp(predict(t)[ok])
        out += list((forecast - actual) / actual * 100)
    return np.asarray(out)


def candidates(panel: Panel) -> dict[str, Predict]:
    zero = np.zeros(len(panel.las))
    models: dict[str, Predict] = {
        "naive": lambda t: zero,
        "pooled drift (median regression on a constant)": regression(panel, (), "median"),
        "last net flow repeated (count + starts - ceased)": last_net_flow(panel),
        "flow: last starts, pooled ceased rate": flow(panel, 1, own_rate=False),
        "flow: mean starts (3 y), pooled ceased rate": flow(panel, 3, own_rate=False),
        "flow: mean starts (3 y), own ceased rate (3 y)": flow(panel, 3, own_rate=True),
        "flow: last starts, own last ceased rate": flow(panel, 1, own_rate=True, rate_years=1),
    }
    specs: list[tuple[str, ...]] = [
        ("starts", "ceased"),
        ("net",),
        ("rate",),
        ("pop",),
        ("dstarts",),
        ("startrate",),
        ("starts", "dstarts"),
        ("starts", "ceased", "rate", "pop"),
        ("flow",),
        ("flow", "startrate"),
        ("d:cpp_31_march",),
        ("r:cpp_31_march",),
        ("d:cpp_started",),
        ("d:cin_31_march",),
        ("d:referrals",),
        ("r:cpp_started", "d:cpp_started"),
        ("d:cpp_31_march", "d:cpp_started", "d:cin_31_march", "d:referrals"),
    ]
    for names in specs:
        for method in ("ols", "median", "huber"):
            models[f"regression on {', '.join(names)} ({method})"] = regression(
                panel, names, method
            )
    models["mean of naive and flow (mean starts, pooled rate)"] = mean_of(
        models["naive"], models["flow: mean starts (3 y), pooled ceased rate"]
    )
    models["mean of naive and flow (mean starts, own rate)"] = mean_of(
        models["naive"], models["flow: mean starts (3 y), own ceased rate (3 y)"]
    )
    models["mean of pooled drift and flow (mean starts, pooled rate)"] = mean_of(
        models["pooled drift (median regression on a constant)"],
        models["flow: mean starts (3 y), pooled ceased rate"],
    )
    return models


def uasc_table(panel: Panel) -> list[str]:
    zero = np.zeros(len(panel.las))
    models: dict[str, Predict] = {
        "naive": lambda t: zero,
        "pooled drift (median regression on a constant)": regression(panel, (), "median"),
        "others with their pooled median growth, UASC naive": split(panel, True, False),
        "others naive, UASC with last year's national UASC growth": split(panel, False, True),
        "others with pooled growth, UASC with national growth": split(panel, True, True),
    }

    def uasc_oracle(t: int) -> Array:
        now, nxt = (np.nan_to_num(panel.uasc[:, k]) for k in (t, t + 1))
        return growth_of(panel, t, panel.count[:, t] - now + nxt)

    models["oracle (knows the year scored): next year's UASC, others naive"] = uasc_oracle
    for names in (("uasc",), ("duasc",), ("uasc", "duasc")):
        for method in ("ols", "median", "huber"):
            models[f"regression on {', '.join(names)} ({method})"] = regression(
                panel, names, method
            )
    scored = {n: errors(panel, m, FIRST_UASC_TARGET) for n, m in models.items()}
    base = float(np.mean(np.abs(scored["naive"])))
    rows = [
        f"UASC and other children apart (UASC at 31 March by LA from 2020 only, so one-step "
        f"targets {FIRST_UASC_TARGET}-{LAST_DEV_YEAR}, {len(scored['naive'])} cases; a "
        "suppressed UASC count taken as none):",
        "",
        *score_table(scored, base),
    ]
    return rows


def score_table(scored: dict[str, Array], base: float) -> list[str]:
    """Candidates by MAPE, each beside the naive model's (`base`)."""
    rows = ["| candidate | MAPE | median APE | bias | ratio to naive |", "|---|---|---|---|---|"]
    for name, e in sorted(scored.items(), key=lambda kv: float(np.mean(np.abs(kv[1])))):
        mape = float(np.mean(np.abs(e)))
        rows.append(
            f"| {name} | {mape:.2f}% | {np.median(np.abs(e)):.2f}% | {np.mean(e):+.2f}% "
            f"| {mape / base:.3f} |"
        )
    return rows


def main() -> None:
    warnings.simplefilter("ignore")
    panel = Panel()
    scored = {name: errors(panel, m) for name, m in candidates(panel).items()}
    base = float(np.mean(np.abs(scored["naive"])))
    oracles = {
        "next year's starts and ceased (the identity)": known_flows(panel, ceased_known=True),
        "next year's starts, own last ceased rate": known_flows(panel, ceased_known=False),
    }
    rows = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, forecast development with the DfE's flows "
        "(years up to 2023)",
        "Command: `uv run python -m bench.forecast_flows` (no figure from 2024 or later is "
        f"loaded; one-step targets {FIRST_TARGET}-{LAST_DEV_YEAR}, "
        f"{len(scored['naive'])} cases).",
        "",
        *score_table(scored, base),
    ]
    rows += ["", "| oracle (not a forecast: knows the year scored) | MAPE | ratio to naive |"]
    rows.append("|---|---|---|")
    for name, predict in oracles.items():
        mape = float(np.mean(np.abs(errors(panel, predict))))
        rows.append(f"| {name} | {mape:.2f}% | {mape / base:.3f} |")
    rows += ["", starts_forecast(panel), "", *correlations(panel, CORRELATED), ""]
    rows += uasc_table(panel)
    print("\n".join(rows))
    if "--append" in sys.argv:
        with RESULTS.open("a") as f:
            f.write("\n".join(rows) + "\n\n")
        print(f"appended to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
