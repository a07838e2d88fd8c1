"""The machine's raw limits, measured in the same run as every benchmark."""

import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench import openloop, wrk
from bench.openloop import OpenLoop
from bench.wrk import WrkRun
from sufficiency.stack.processes import free_port, port_open


@dataclass(frozen=True)
class HttpLimits:
    """Closed loop (wrk) and at the fixed offered rate (open loop), against the
    static responder (the generators' own ceiling) and the trivial endpoint."""

    generator: WrkRun
    trivial: WrkRun
    generator_open: OpenLoop
    trivial_open: OpenLoop


@contextmanager
def server(module: str) -> Iterator[str]:
    """`python -m module PORT` until it listens; yields its POST /events URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", module, str(port)])
    try:
        deadline = time.monotonic() + 30
        while not port_open(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{module} did not start on port {port}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/events"
    finally:
        proc.terminate()
        proc.wait(10)


def http_limits(template: str, seconds: int = 5, rate: float = 200.0) -> HttpLimits:
    """The same generators, settings and body as the service is measured with."""
    closed: dict[str, WrkRun] = {}
    opened: dict[str, OpenLoop] = {}
    for module in ("bench.static_responder", "bench.trivial_app"):
        with server(module) as url:
            wrk.run(url, template, seconds=1)  # warm-up
            closed[module] = wrk.run(url, template, seconds=seconds)
            opened[module] = openloop.run(url, template, rate=rate, seconds=seconds)
    return HttpLimits(
        closed["bench.static_responder"],
        closed["bench.trivial_app"],
        opened["bench.static_responder"],
        opened["bench.trivial_app"],
    )


async def broker_rate(
    bootstrap: str, messages: int = 100_000, size: int = 600
) -> tuple[float, float]:
    """(produce, consume) messages per second with aiokafka, as the services use it."""
    topic = f"bench-{uuid.uuid4().hex[:8]}"
    value = b"x" * size
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=512 * 1024
    )
    await producer.start()
    started = time.perf_counter()
    futures = [
        await producer.send(topic, value, key=str(i % 1000).encode()) for i in range(messages)
    ]
    await asyncio.gather(*futures)
    produce = messages / (time.perf_counter() - started)
    await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=5000,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    seen, started = 0, time.perf_counter()
    while seen < messages:
        for records in (await consumer.getmany(timeout_ms=1000)).values():
            seen += len(records)
    consume = messages / (time.perf_counter() - started)
    await consumer.stop()
    return produce, consume


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, printed beside every figure (2 shared cores)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
