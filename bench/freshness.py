"""Freshness: from an event's acceptance to the indicator moving, at a steady rate.

Two shapes of load. `run` sends every event to the one LA it watches, which
grows by the whole rate (at national scale it ends far larger than any real
LA). `run_spread` watches an LA that receives a tenth of the rate (from empty, it
ends at D2N2 size) while the rest goes to another LA, as national traffic
would: what a team watching its own LA sees while the system takes the
whole rate.

`uv run python -m bench.freshness [--database sqlite|postgres]` runs both
shapes on their own: a broker, the database, referrals and metrics; the one
LA filled first with batches of journeys (`--prefill-events`) so it is very
large, as in the national run of `python -m bench`; then `--rate` events/s
into it, and the spread case. Beside them: the broker's produce and consume
rate in the same run (the raw limit), and the CPU one computation of today's
indicators of such an LA takes in the projection (in memory, no HTTP).
"""

import argparse
import asyncio
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast

import httpx

from bench import limits
from bench.harness import Service, referrals_and_metrics
from bench.ingest import LA, admissions, run_batches
from bench.workload import journeys
from services.metrics.domain.reference import ReferenceForLa
from services.metrics.service_layer.live import LiveProjection
from shared.events.registry import AnyEvent, parse_event

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

# Fresh LAs, not the one the ingest benchmark has already filled.
WATCHED_LA = "E06000018"
BACKGROUND_LA = "E10000007"


@dataclass(frozen=True)
class FreshnessFigures:
    rate: float
    p50_ms: float
    p99_ms: float
    batches: int
    children_at_start: float  # children in care in the watched LA when the run began


@dataclass(frozen=True)
class Stream:
    la: str
    key: str
    per_tick: int
    events: list[dict[str, object]]


def run(
    referrals: Service,
    metrics: Service,
    key: str,
    rate: float = 500,
    seconds: float = 20,
    tick: float = 0.1,
    first_child: int = 77,
) -> FreshnessFigures:
    per_tick = max(1, int(rate * tick))
    events = admissions(per_tick * int(seconds / tick), first_child, LA)
    return _measure(referrals, metrics, rate, tick, Stream(LA, key, per_tick, events), None)


def run_spread(
    referrals: Service,
    metrics: Service,
    key: str,
    background_key: str,
    rate: float = 1000,
    seconds: float = 20,
    tick: float = 0.1,
    first_child: int = 91,
) -> FreshnessFigures:
    total = max(10, int(rate * tick))
    watched_n = total // 10
    ticks = int(seconds / tick)
    watched = Stream(
        WATCHED_LA, key, watched_n, admissions(watched_n * ticks, first_child, WATCHED_LA)
    )
    rest = total - watched_n
    background = Stream(
        BACKGROUND_LA,
        background_key,
        rest,
        admissions(rest * ticks, first_child + 1, BACKGROUND_LA),
    )
    return _measure(referrals, metrics, rate, tick, watched, background)


def _in_care(http: httpx.Client, metrics: Service, la: str, key: str) -> float:
    body = http.get(
        f"{metrics.url}/indicators", params={"la": la}, headers={"Authorization": f"Bearer {key}"}
    ).json()
    return float(next(i["value"] for i in body["indicators"] if i["name"] == "children_in_care"))


def _measure(
    referrals: Service,
    metrics: Service,
    rate: float,
    tick: float,
    watched: Stream,
    background: Stream | None,
) -> FreshnessFigures:
    seen: list[tuple[float, float]] = []  # (monotonic time, children in care)
    stop = threading.Event()

    def watch() -> None:
        with httpx.Client(timeout=10) as http:
            while not stop.is_set():
                seen.append((time.monotonic(), _in_care(http, metrics, watched.la, watched.key)))

    ticks = len(watched.events) // watched.per_tick
    with httpx.Client(timeout=30) as http:
        start_value = _in_care(http, metrics, watched.la, watched.key)
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        accepted: list[tuple[float, float]] = []  # (time of 202, value expected after it)
        next_at = time.monotonic()
        for t in range(ticks):
            for stream in (s for s in (background, watched) if s is not None):
                _post(http, referrals, stream, t)
            accepted.append((time.monotonic(), start_value + (t + 1) * watched.per_tick))
            next_at += tick
            time.sleep(max(0.0, next_at - time.monotonic()))
        deadline = time.monotonic() + 30
        while (not seen or seen[-1][1] < accepted[-1][1]) and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        watcher.join()
    delays = []
    for at, expected in accepted:
        moved = next((t for t, v in seen if v >= expected and t >= at), None)
        if moved is not None:
            delays.append(moved - at)
    delays.sort()
    return FreshnessFigures(
        rate,
        statistics.median(delays) * 1000,
        delays[int(len(delays) * 0.99)] * 1000,
        len(delays),
        start_value,
    )


def _post(http: httpx.Client, referrals: Service, stream: Stream, t: int) -> None:
    batch = stream.events[t * stream.per_tick : (t + 1) * stream.per_tick]
    r = http.post(
        f"{referrals.url}/events", json=batch, headers={"Authorization": f"Bearer {stream.key}"}
    )
    assert r.status_code == 202, r.text[:300]


@dataclass(frozen=True)
class ComputationCpu:
    children: int  # children in care in the LA
    ms: list[float]  # CPU of each computation, after 100 admissions each


def computation_cpu(children: int, rounds: int = 10) -> ComputationCpu:
    """CPU of today's indicators of one LA of about `children` in care, computed
    as the live projection does after each batch of 100 admissions."""
    live = LiveProjection(lambda la: ReferenceForLa())
    # journeys() builds each event as its own registered type: AnyEvent members.
    live.apply(cast(list[AnyEvent], list(journeys(1, children, 3, date(2026, 3, 31)))))
    la = live.las()[0]
    today = datetime.now(UTC).date()
    live.refresh(today)
    more = [parse_event(e) for e in admissions(100 * rounds, 5, la)]
    ms = []
    for i in range(rounds):
        live.apply(more[i * 100 : (i + 1) * 100])
        started = time.process_time()
        values = live.indicators(la, today)
        ms.append((time.process_time() - started) * 1000)
    in_care = next(v.value for v in values if v.name == "children_in_care")
    return ComputationCpu(int(in_care or 0), ms)


@contextmanager
def _stack(db: str) -> Iterator[tuple[Service, Service, dict[str, str], str]]:
    """Broker, database, referrals and metrics; yields them, a key per LA and the broker."""
    with referrals_and_metrics(db, (LA, WATCHED_LA, BACKGROUND_LA)) as s:
        yield s.referrals, s.metrics, s.keys, s.bootstrap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--prefill-events", type=int, default=80_000)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cpu-children", type=int, default=30_000)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    cmd = "uv run python -m bench.freshness " + " ".join(sys.argv[1:])
    cpu = computation_cpu(args.cpu_children)
    with _stack(args.database) as (ref, met, keys, bootstrap):
        produce, consume = asyncio.run(limits.broker_rate(bootstrap))
        pids = {"referrals": ref.pid, "metrics": met.pid}
        prefill = run_batches(ref, met, keys[LA], args.prefill_events, pids)
        one = run(ref, met, keys[LA], args.rate, args.seconds, first_child=int(args.rate))
        spread = run_spread(
            ref, met, keys[WATCHED_LA], keys[BACKGROUND_LA], args.rate, args.seconds
        )
    lines = _report(args.database, cmd, cpu, (produce, consume), prefill.events, one, spread)
    print("\n".join(lines), flush=True)
    if args.record:
        with RESULTS.open("a") as f:
            f.write("\n".join(lines) + "\n")


def _report(
    db: str,
    cmd: str,
    cpu: ComputationCpu,
    broker: tuple[float, float],
    prefill: int,
    one: FreshnessFigures,
    spread: FreshnessFigures,
) -> list[str]:
    load = limits.load_average()
    ms = sorted(cpu.ms)
    return [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, freshness on {db}",
        f"Command: `{cmd}`",
        f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, load average {load}",
        "",
        "| figure | value | beside the raw limit of the same run | target |",
        "|---|---|---|---|",
        f"| raw limit: broker produce / consume, aiokafka, 600 B | {broker[0]:,.0f} / "
        f"{broker[1]:,.0f} msg/s | | |",
        f"| CPU of one computation of today's indicators, one LA of {cpu.children:,} "
        f"children in care, after 100 admissions | median {statistics.median(ms):.1f} ms, "
        f"max {ms[-1]:.1f} ms ({len(ms)} computations) | | |",
        f"| freshness at {one.rate:,.0f} events/s, all to one LA ({prefill:,} events of "
        f"journeys first; {one.children_at_start:,.0f} children in care at the start) | "
        f"p50 {one.p50_ms:.0f} ms, p99 {one.p99_ms:.0f} ms ({one.batches} batches) | "
        f"{one.rate / broker[1]:.1%} of broker consume | p99 < 1 s |",
        f"| freshness at {spread.rate:,.0f} events/s, a tenth to the watched LA (empty at "
        f"the start), the rest to another | p50 {spread.p50_ms:.0f} ms, "
        f"p99 {spread.p99_ms:.0f} ms ({spread.batches} batches) | | p99 < 1 s |",
        "",
    ]


if __name__ == "__main__":
    main()
