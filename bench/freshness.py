"""Freshness: from an event's acceptance to the indicator moving, at a steady rate."""

import statistics
import threading
import time
from dataclasses import dataclass

import httpx

from bench.harness import Service
from bench.ingest import LA, admissions


@dataclass(frozen=True)
class FreshnessFigures:
    rate: float
    p50_ms: float
    p99_ms: float
    batches: int


def run(
    referrals: Service,
    metrics: Service,
    key: str,
    rate: float = 500,
    seconds: float = 20,
    tick: float = 0.1,
    first_child: int = 77,
) -> FreshnessFigures:
    headers = {"Authorization": f"Bearer {key}"}
    per_tick = max(1, int(rate * tick))
    ticks = int(seconds / tick)
    events = admissions(per_tick * ticks, first_child)
    seen: list[tuple[float, float]] = []  # (monotonic time, children in care)
    stop = threading.Event()

    def watch() -> None:
        with httpx.Client(headers=headers, timeout=10) as http:
            while not stop.is_set():
                body = http.get(f"{metrics.url}/indicators", params={"la": LA}).json()
                value = next(
                    i["value"] for i in body["indicators"] if i["name"] == "children_in_care"
                )
                seen.append((time.monotonic(), value))

    with httpx.Client(headers=headers, timeout=30) as http:
        base = http.get(f"{metrics.url}/indicators", params={"la": LA}).json()
        start_value = next(
            i["value"] for i in base["indicators"] if i["name"] == "children_in_care"
        )
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        accepted: list[tuple[float, float]] = []  # (time of 202, value expected after it)
        next_at = time.monotonic()
        for t in range(ticks):
            batch = events[t * per_tick : (t + 1) * per_tick]
            r = http.post(f"{referrals.url}/events", json=batch)
            assert r.status_code == 202, r.text[:300]
            accepted.append((time.monotonic(), start_value + (t + 1) * per_tick))
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
