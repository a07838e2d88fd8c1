"""Latency at a fixed offered rate (open loop), from several client processes.

A closed-loop generator waits for each answer before sending the next
request, so a slow server slows the generator and its slow answers are
under-counted. Here request i is due at start + i / rate whatever happened
before it, sent on an idle keep-alive connection (a new one if none is idle),
and its latency runs from when it was due, not when it went out: a generator
that falls behind shows as latency, never as fewer requests.

Each process sends its share of the rate over raw HTTP/1.1 on uvloop (no
client library: the per-request cost is a few string operations).
"""

import asyncio
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import uvloop

from bench.wrk import EVENT_ID, SERIAL


@dataclass(frozen=True)
class OpenLoop:
    rate: float  # offered, requests per second
    p50_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    failed: int


@dataclass(frozen=True)
class _Share:
    url: str
    template: str
    headers: dict[str, str]
    rate: float  # this process's
    requests: int
    start: float  # time.monotonic() shared by every process (CLOCK_MONOTONIC)
    process: int
    processes: int


def run(
    url: str,
    template: str,
    headers: dict[str, str] | None = None,
    rate: float = 200.0,
    seconds: float = 10.0,
    processes: int = 2,
) -> OpenLoop:
    """`template` as for bench.wrk: EVENT_ID then SERIAL, filled per request."""
    per = int(rate * seconds / processes)
    start = time.monotonic() + 1.0  # every process started by then
    shares = [
        _Share(url, template, headers or {}, rate / processes, per, start, p, processes)
        for p in range(processes)
    ]
    with ProcessPoolExecutor(processes) as pool:
        results = list(pool.map(_process, shares))
    latencies = sorted(lat for lats, _ in results for lat in lats)
    failed = sum(f for _, f in results)
    return OpenLoop(
        rate,
        latencies[len(latencies) // 2] * 1000,
        latencies[int(len(latencies) * 0.99)] * 1000,
        latencies[-1] * 1000,
        len(latencies),
        failed,
    )


def _process(share: _Share) -> tuple[list[float], int]:
    return uvloop.run(_send_all(share))


async def _send_all(share: _Share) -> tuple[list[float], int]:
    parts = urlsplit(share.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in {"Content-Type": "application/json", **share.headers}.items()
    )
    tag = random.randrange(1 << 31)
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    latencies: list[float] = []
    failed = 0

    async def one(i: int, due: float) -> None:
        nonlocal failed
        event_id = f"{tag:08x}-{share.process:04x}-4000-8000-{i:012x}"
        body = (
            share.template.replace(EVENT_ID, event_id)
            .replace(SERIAL, f"{tag}-{share.process}-{i}")
            .encode()
        )
        request = f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
        conn = idle.pop() if idle else await asyncio.open_connection(host, port)
        reader, writer = conn
        writer.write(request)
        status_line = await reader.readline()
        if not status_line:  # an idle connection the server closed (keep-alive timeout)
            writer.close()
            conn = reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            status_line = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        latencies.append(time.monotonic() - due)
        if not status_line.split(b" ")[1].startswith(b"2"):
            failed += 1
        idle.append(conn)

    tasks = []
    for i in range(share.requests):
        # Processes interleave: process p sends at start + (p/processes + i) / rate.
        due = share.start + (i + share.process / share.processes) / share.rate
        if (wait := due - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    for _, writer in idle:
        writer.close()
    return latencies, failed
