"""Ingest: single and batched POST /events, accepted -> Kafka -> in the indicators."""

import asyncio
import statistics
import time
from dataclasses import dataclass
from datetime import date

import httpx

from bench.harness import Service
from bench.limits import http_rate
from bench.workload import journeys

LA = "E06000015"


@dataclass(frozen=True)
class IngestFigures:
    single_rate: float
    single_p50_ms: float
    single_p99_ms: float
    batch_accept_rate: float
    batch_end_to_end_rate: float
    events: int


def applied(metrics: Service) -> int:
    text = httpx.get(f"{metrics.url}/metrics", timeout=30).text
    for line in text.splitlines():
        if line.startswith(
            'sufficiency_consumer_events_total{consumer="metrics.projection",outcome="applied"}'
        ):
            return int(float(line.rsplit(" ", 1)[1]))
    return 0


def admissions(n: int, offset: int, la: str = LA) -> list[dict[str, object]]:
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


def run(referrals: Service, metrics: Service, key: str, batch_events: int) -> IngestFigures:
    headers = {"Authorization": f"Bearer {key}"}
    singles = admissions(1500, 1)
    queue = iter(singles)
    rate, latencies = asyncio.run(_singles(referrals.url, headers, queue, len(singles)))
    stream = [
        e.model_dump(mode="json")
        for e in journeys(1, batch_events // 4, 3, date(2026, 3, 31), seed=9)
    ]
    for e in stream:
        e["la"], e["source"] = LA, f"/la/{LA}/bench"
    base = applied(metrics)
    started = time.perf_counter()
    with httpx.Client(timeout=120, headers=headers) as http:
        for i in range(0, len(stream), 1000):
            r = http.post(f"{referrals.url}/events", json=stream[i : i + 1000])
            assert r.status_code == 202, r.text[:500]
    accepted = time.perf_counter() - started
    while applied(metrics) < base + len(stream):
        time.sleep(0.05)
    end_to_end = time.perf_counter() - started
    ordered = sorted(latencies)
    return IngestFigures(
        rate,
        statistics.median(ordered) * 1000,
        ordered[int(len(ordered) * 0.99)] * 1000,
        len(stream) / accepted,
        len(stream) / end_to_end,
        len(stream),
    )


async def _singles(url: str, headers: dict[str, str], events, n: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=60, headers=headers) as http:
        started = time.perf_counter()

        async def client() -> None:
            for event in events:
                t = time.perf_counter()
                r = await http.post(f"{url}/events", json=event)
                assert r.status_code == 202, r.text
                latencies.append(time.perf_counter() - t)

        await asyncio.gather(*(client() for _ in range(16)))
        return n / (time.perf_counter() - started), latencies


__all__ = ["IngestFigures", "http_rate", "run"]
