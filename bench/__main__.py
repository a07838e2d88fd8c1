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
from bench.harness import broker, key_for, rss_mb, service

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SCALES = {"small": (20, 10_000, 5), "national": (150, 83_000, 10)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="national")
    parser.add_argument("--batch-events", type=int, default=40_000)
    parser.add_argument("--note", default="", help="what changed since the last run")
    args = parser.parse_args()
    lines = [f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, scale {args.scale}",
             f"Command: `uv run python -m bench --scale {args.scale} --batch-events {args.batch_events}`",
             f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
             *([f"Note: {args.note}"] if args.note else []), ""]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, broker() as bootstrap:
        work = Path(tmp)
        trivial = limits.trivial_endpoint_rate([{}])
        produce, consume = asyncio.run(limits.broker_rate(bootstrap))
        lines += ["| raw limit of this machine | figure |", "|---|---|",
                  f"| trivial FastAPI POST endpoint (16 clients) | {trivial:,.0f} req/s |",
                  f"| broker produce, aiokafka, 600 B messages | {produce:,.0f} msg/s |",
                  f"| broker consume, aiokafka | {consume:,.0f} msg/s |", ""]
        _print(lines)
        key = key_for(work, ingest.LA)
        with service("referrals", work, bootstrap) as ref, service("metrics", work, bootstrap,
                                                                  SNAPSHOT_CHECK_SECONDS="3600") as met:
            fig = ingest.run(ref, met, key, args.batch_events)
            fresh = freshness.run(ref, met, key)
            mem = {s.name: rss_mb(s.pid) for s in (ref, met)}
        lines += ["| benchmark | figure | beside the raw limit | target |", "|---|---|---|---|",
                  f"| ingest, single-event POSTs (16 clients) | {fig.single_rate:,.0f} events/s, p50 {fig.single_p50_ms:.1f} ms, p99 {fig.single_p99_ms:.1f} ms | {fig.single_rate / trivial:.0%} of the trivial endpoint | |",
                  f"| ingest, batches of 1,000: accepted | {fig.batch_accept_rate:,.0f} events/s ({fig.events:,} events) | {fig.batch_accept_rate / produce:.0%} of broker produce | |",
                  f"| ingest, batches: accepted -> Kafka -> indicators | {fig.batch_end_to_end_rate:,.0f} events/s | {fig.batch_end_to_end_rate / consume:.0%} of broker consume | >= 10,000 |",
                  f"| freshness at {fresh.rate:,.0f} events/s | p50 {fresh.p50_ms:.0f} ms, p99 {fresh.p99_ms:.0f} ms ({fresh.batches} batches) | | p99 < 1 s at 1,000/s |",
                  f"| memory after ingest | referrals {mem['referrals']:.0f} MB, metrics {mem['metrics']:.0f} MB | | |"]
        _print(lines[-6:])
        las, children, years = SCALES[args.scale]
        rep = replay.run(bootstrap, work, las, children, years)
        lines += [f"| replay {rep.events:,} events ({rep.las} LAs, {children:,} children) into a fresh store | {rep.replay_rate:,.0f} events/s | {rep.replay_rate / consume:.0%} of broker consume | >= 30,000 |",
                  f"| load the projection from its store | {rep.load_seconds:.1f} s | | |",
                  f"| as-of query (one LA, any date, cold) | p50 {rep.as_of_p50_ms:.1f} ms, p99 {rep.as_of_p99_ms:.1f} ms | | |",
                  f"| /metrics scrape at {rep.las} LAs | cold {rep.scrape_cold_ms:,.0f} ms, warm {rep.scrape_warm_ms:,.0f} ms | | < 100 ms |",
                  f"| memory of the metrics projection at that scale | {rep.rss_mb:,.0f} MB | | |", ""]
        _print(lines[-6:])
    with RESULTS.open("a") as f:
        f.write("\n".join(lines) + "\n")
    print(f"appended to {RESULTS}", file=sys.stderr)


def _print(lines: list[str]) -> None:
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
