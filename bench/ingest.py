"""Ingest: single-event POSTs and batches, accepted -> Kafka -> in the indicators.

`uv run python -m bench.ingest [--database sqlite|postgres]` measures, beside
the HTTP raw limits of the same run (bench.limits.http_limits):
- the single-event POST's rate with wrk (16 connections), as a ratio to the
  trivial endpoint's under the same generator;
- its latency at a fixed offered rate (open loop, bench.openloop);
- batches of 1,000 posted one after another until the metrics service has
  applied them all, and the CPU seconds each process spent on it.
"""

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from bench import limits, openloop, wrk
from bench.harness import Service, cpu_seconds, referrals_and_metrics
from bench.openloop import OpenLoop
from bench.workload import journeys
from bench.wrk import EVENT_ID, SERIAL, WrkRun

LA = "E06000015"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


@dataclass(frozen=True)
class BatchFigures:
    events: int
    accept_rate: float
    end_to_end_rate: float
    cpu: dict[str, float]  # process -> CPU seconds while the batches went through


@dataclass(frozen=True)
class IngestFigures:
    single: WrkRun
    single_cpu_ms: float  # the referrals process's CPU per request under wrk
    fixed_rate: OpenLoop
    batches: BatchFigures


def applied(metrics: Service) -> int:
    text = httpx.get(f"{metrics.url}/metrics", timeout=30).text
    for line in text.splitlines():
        if line.startswith(
            'sufficiency_consumer_events_total{consumer="metrics.projection",outcome="applied"}'
        ):
            return int(float(line.rsplit(" ", 1)[1]))
    return 0


def admissions(n: int, offset: int, la: str = LA) -> list[dict[str, object]]:
    """`n` children admitted, each with its own event and child id (freshness uses these)."""
    events = [
        e
        for e in journeys(1, n, 1, date(2026, 3, 31), seed=offset)
        if e.type == "child.admitted.v1"
    ]
    out = []
    for i, e in enumerate(events[:n]):
        raw = e.model_dump(mode="json")
        raw["la"], raw["source"], raw["id"] = (
            la,
            f"/la/{la}/bench",
            f"{offset:08x}-0000-4000-8000-{i:012x}",
        )
        raw["data"]["child_id"] = f"S{offset}-{i}"
        out.append(raw)
    return out


def single_template(la: str = LA) -> str:
    """One child admitted, its event id and child id left to the generator (a new child
    per request, so each is accepted and stored, never a duplicate)."""
    event = next(e for e in journeys(1, 10, 1, date(2026, 3, 31)) if e.type == "child.admitted.v1")
    raw = event.model_dump(mode="json")
    raw["id"], raw["la"], raw["source"] = EVENT_ID, la, f"/la/{la}/bench"
    raw["subject"] = raw["data"]["child_id"] = f"S{SERIAL}"
    return json.dumps(raw, separators=(",", ":"))


def batch_bodies(events: int, la: str = LA) -> list[bytes]:
    stream = [e.model_dump(mode="json") for e in journeys(1, events // 4, 3, date(2026, 3, 31))]
    for e in stream:
        e["la"], e["source"] = la, f"/la/{la}/bench"
    return [json.dumps(stream[i : i + 1000]).encode() for i in range(0, len(stream), 1000)]


def run_batches(
    referrals: Service, metrics: Service, key: str, events: int, pids: dict[str, int]
) -> BatchFigures:
    bodies = batch_bodies(events)
    total = sum(len(json.loads(b)) for b in bodies)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    base = applied(metrics)
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    with httpx.Client(timeout=120, headers=headers) as http:
        for body in bodies:
            r = http.post(f"{referrals.url}/events", content=body)
            assert r.status_code == 202, r.text[:500]
    accepted = time.perf_counter() - started
    while applied(metrics) < base + total:
        time.sleep(0.05)
    end_to_end = time.perf_counter() - started
    cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    return BatchFigures(total, total / accepted, total / end_to_end, cpu)


def run(
    referrals: Service,
    metrics: Service,
    key: str,
    batch_events: int,
    pids: dict[str, int],
    seconds: int = 5,
    rate: float = 200.0,
) -> IngestFigures:
    headers = {"Authorization": f"Bearer {key}"}
    url = f"{referrals.url}/events"
    template = single_template()
    wrk.run(url, template, headers, seconds=1)  # warm-up
    cpu_before = cpu_seconds(referrals.pid)
    single = wrk.run(url, template, headers, seconds=seconds)
    single_cpu_ms = (cpu_seconds(referrals.pid) - cpu_before) * 1000 / max(single.requests, 1)
    fixed = openloop.run(url, template, headers, rate=rate, seconds=seconds * 2)
    for figures, what in ((single, "wrk"), (fixed, "open loop")):
        assert figures.failed == 0, f"{figures.failed} failed requests ({what})"
    batches = run_batches(referrals, metrics, key, batch_events, pids)
    return IngestFigures(single, single_cpu_ms, fixed, batches)


@contextmanager
def stack(db: str) -> Iterator[tuple[Service, Service, str, dict[str, int]]]:
    """Broker, database, referrals and metrics; yields them, a key and their pids."""
    with referrals_and_metrics(db, (LA,)) as s:
        pids = {"referrals": s.referrals.pid, "metrics": s.metrics.pid, **_broker_pid()}
        yield s.referrals, s.metrics, s.keys[LA], pids


def _broker_pid() -> dict[str, int]:
    for pid in Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split():
        if "tansu" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
            return {"broker": int(pid)}
    return {}


def report(db: str, http: limits.HttpLimits, fig: IngestFigures, cmd: str) -> list[str]:
    trivial, gen = http.trivial, http.generator
    b = fig.batches
    cpu = ", ".join(
        f"{name} {s:.1f} s ({s * 1e6 / b.events:.0f} us/event)" for name, s in b.cpu.items()
    )
    return [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, ingest on {db}",
        f"Command: `{cmd}`",
        f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, load average {limits.load_average()}",
        "",
        "| raw limit (same run, same body) | closed loop, wrk 16 conns | open loop 200 req/s |",
        "|---|---|---|",
        f"| static responder (generators' ceiling) | {gen.rate:,.0f} req/s | "
        f"p50 {http.generator_open.p50_ms:.1f} ms, p99 {http.generator_open.p99_ms:.1f} ms |",
        f"| trivial FastAPI POST (uvicorn as the services) | {trivial.rate:,.0f} req/s | "
        f"p50 {http.trivial_open.p50_ms:.1f} ms, p99 {http.trivial_open.p99_ms:.1f} ms |",
        "",
        "| benchmark | figure | beside the raw limit | target |",
        "|---|---|---|---|",
        f"| single-event POST, wrk 16 conns | {fig.single.rate:,.0f} events/s "
        f"(p50 {fig.single.p50_ms:.1f} ms, p99 {fig.single.p99_ms:.1f} ms; "
        f"referrals CPU {fig.single_cpu_ms:.2f} ms per request) | "
        f"{fig.single.rate / trivial.rate:.2f} of the trivial endpoint | >= 0.5 |",
        f"| single-event POST at {fig.fixed_rate.rate:.0f} req/s offered (open loop, "
        f"{fig.fixed_rate.requests:,} requests) | p50 {fig.fixed_rate.p50_ms:.1f} ms, "
        f"p99 {fig.fixed_rate.p99_ms:.1f} ms, max {fig.fixed_rate.max_ms:.0f} ms | "
        f"trivial endpoint p99 {http.trivial_open.p99_ms:.1f} ms | p99 < 100 ms |",
        f"| batches of 1,000: accepted | {b.accept_rate:,.0f} events/s ({b.events:,} events) | | |",
        f"| batches: accepted -> Kafka -> indicators | {b.end_to_end_rate:,.0f} events/s | "
        f"CPU: {cpu} | >= 10,000 |",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--batch-events", type=int, default=40_000)
    parser.add_argument("--seconds", type=int, default=5, help="of each closed-loop run")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    wrk.require_wrk()
    cmd = "uv run python -m bench.ingest " + " ".join(sys.argv[1:])
    http = limits.http_limits(single_template(), args.seconds)
    with stack(args.database) as (ref, met, key, pids):
        fig = run(ref, met, key, args.batch_events, pids, args.seconds)
    lines = report(args.database, http, fig, cmd)
    print("\n".join(lines), flush=True)
    if args.record:
        with RESULTS.open("a") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
