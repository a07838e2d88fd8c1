"""Freshness: from an event's acceptance to the indicator moving, at a steady rate.

Two shapes of load. `run` sends every event to the one LA it watches, which
grows by the whole rate (at national scale it ends far larger than any real
LA). `run_spread` watches an LA that receives a tenth of the rate (from empty, it
ends at D2N2 size) while the rest goes to another LA, as national traffic
would: what a team watching its own LA sees while the system takes the
whole rate.
"""

import statistics
import threading
import time
from dataclasses import dataclass

import httpx

from bench.harness import Service
from bench.ingest import LA, admissions

# Fresh LAs, not the one the ingest benchmark has already filled.
WATCHED_LA = "E06000018"
BACKGROUND_LA = "E10000007"


@dataclass(frozen=True)
class FreshnessFigures:
    rate: float
    p50_ms: float
    p99_ms: float
    batches: int


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
        rate, statistics.median(delays) * 1000, delays[int(len(delays) * 0.99)] * 1000, len(delays)
    )


def _post(http: httpx.Client, referrals: Service, stream: Stream, t: int) -> None:
    batch = stream.events[t * stream.per_tick : (t + 1) * stream.per_tick]
    r = http.post(
        f"{referrals.url}/events", json=batch, headers={"Authorization": f"Bearer {stream.key}"}
    )
    assert r.status_code == 202, r.text[:300]
