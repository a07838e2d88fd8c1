"""`make bench` / `uv run python -m bench`: run the suite and record it in bench/RESULTS.md.

Every figure is printed beside this machine's raw limits measured in the same
run (a trivial FastAPI endpoint's request rate, the broker's produce and
consume rate with aiokafka), so results compare as ratios across machines.
"""

import argparse
import asyncio
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import freshness, ingest, limits, replay
from bench.harness import key_for, rss_mb, service
from sufficiency.stack.processes import tansu_broker as broker

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SCALES = {"small": (20, 10_000, 5), "national": (150, 83_000, 10)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="national")
    parser.add_argument("--batch-events", type=int, default=40_000)
    parser.add_argument("--note", default="", help="what changed since the last run")
    args = parser.parse_args()
    machine = (
        f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"
    )
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, scale {args.scale}",
        f"Command: `uv run python -m bench --scale {args.scale} "
        f"--batch-events {args.batch_events}`",
        f"Machine: {machine}",
        *([f"Note: {args.note}"] if args.note else []),
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, broker() as bootstrap:
        work = Path(tmp)
        http = limits.http_limits(ingest.single_template())
        trivial = http.trivial.rate
        produce, consume = asyncio.run(limits.broker_rate(bootstrap))
        lines += [
            "| raw limit of this machine | figure |",
            "|---|---|",
            f"| load generator's ceiling: wrk, 16 conns, against a static responder | "
            f"{http.generator.rate:,.0f} req/s |",
            f"| trivial FastAPI POST endpoint (wrk, 16 conns) | {trivial:,.0f} req/s |",
            f"| broker produce, aiokafka, 600 B messages | {produce:,.0f} msg/s |",
            f"| broker consume, aiokafka | {consume:,.0f} msg/s |",
            "",
            "| benchmark | figure | beside the raw limit | target |",
            "|---|---|---|---|",
        ]
        _print(lines)
        key = key_for(work, ingest.LA)
        quiet = {"SNAPSHOT_CHECK_SECONDS": "3600"}
        with (
            service("referrals", work, bootstrap) as ref,
            service("metrics", work, bootstrap, **quiet) as met,
        ):
            fig = ingest.run(
                ref, met, key, args.batch_events, {"referrals": ref.pid, "metrics": met.pid}
            )
            fresh = [freshness.run(ref, met, key, rate, first_child=rate) for rate in (500, 1000)]
            spread = freshness.run_spread(
                ref,
                met,
                key_for(work, freshness.WATCHED_LA),
                key_for(work, freshness.BACKGROUND_LA),
            )
            mem = {s.name: rss_mb(s.pid) for s in (ref, met)}
        rows = [
            _row(
                "ingest, single-event POSTs (wrk, 16 conns)",
                f"{fig.single.rate:,.0f} events/s, p50 {fig.single.p50_ms:.1f} ms, "
                f"p99 {fig.single.p99_ms:.1f} ms",
                f"{fig.single.rate / trivial:.2f} of the trivial endpoint",
                ">= 0.5",
            ),
            _row(
                f"ingest, single-event POSTs at {fig.fixed_rate.rate:.0f}/s (open loop)",
                f"p50 {fig.fixed_rate.p50_ms:.1f} ms, p99 {fig.fixed_rate.p99_ms:.1f} ms",
                f"trivial endpoint p99 {http.trivial_open.p99_ms:.1f} ms",
                "p99 < 100 ms",
            ),
            _row(
                "ingest, batches of 1,000: accepted",
                f"{fig.batches.accept_rate:,.0f} events/s ({fig.batches.events:,} events)",
                f"{fig.batches.accept_rate / produce:.0%} of broker produce",
            ),
            _row(
                "ingest, batches: accepted -> Kafka -> indicators",
                f"{fig.batches.end_to_end_rate:,.0f} events/s",
                f"{fig.batches.end_to_end_rate / consume:.0%} of broker consume",
                ">= 10,000",
            ),
            *(
                _row(
                    f"freshness at {f.rate:,.0f} events/s",
                    f"p50 {f.p50_ms:.0f} ms, p99 {f.p99_ms:.0f} ms ({f.batches} batches)",
                    "",
                    "p99 < 1 s at 1,000/s",
                )
                for f in fresh
            ),
            _row(
                f"freshness at {spread.rate:,.0f} events/s, a tenth of them to the watched LA "
                "(empty at the start), the rest to another",
                f"p50 {spread.p50_ms:.0f} ms, p99 {spread.p99_ms:.0f} ms "
                f"({spread.batches} batches)",
                "",
                "p99 < 1 s at 1,000/s",
            ),
            _row(
                "memory after ingest",
                f"referrals {mem['referrals']:.0f} MB, metrics {mem['metrics']:.0f} MB",
            ),
        ]
        _print(rows)
        las, children, years = SCALES[args.scale]
        rep = replay.run(bootstrap, work, las, children, years)
        rows += [
            _row(
                f"replay {rep.events:,} events ({rep.las} LAs, {children:,} children) "
                "into a fresh store",
                f"{rep.replay_rate:,.0f} events/s",
                f"{rep.replay_rate / consume:.0%} of broker consume",
                ">= 30,000",
            ),
            _row("load the projection from its store", f"{rep.load_seconds:.1f} s"),
            _row(
                "as-of query (one LA, any date, cold)",
                f"p50 {rep.as_of_p50_ms:.1f} ms, p99 {rep.as_of_p99_ms:.1f} ms",
            ),
            _row(
                f"/metrics scrape at {rep.las} LAs",
                f"first after start-up {rep.scrape_first_ms:,.0f} ms, "
                f"warm {rep.scrape_warm_ms:,.0f} ms, "
                f"every LA changed since the last refresh {rep.scrape_all_changed_ms:,.0f} ms",
                "",
                "< 100 ms",
            ),
            _row(
                f"background refresh of today's indicators, {rep.las} LAs",
                f"all at start-up {rep.refresh_all_ms:,.0f} ms, "
                f"after one event in each {rep.refresh_changed_ms:,.0f} ms",
            ),
            _row("memory of the metrics projection at that scale", f"{rep.rss_mb:,.0f} MB"),
        ]
        _print(rows[-6:])
        lines += [*rows, ""]
    with RESULTS.open("a") as f:
        f.write("\n".join(lines) + "\n")
    print(f"appended to {RESULTS}", file=sys.stderr)


def _row(name: str, figure: str, beside: str = "", target: str = "") -> str:
    return f"| {name} | {figure} | {beside} | {target} |"


def _print(lines: list[str]) -> None:
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
