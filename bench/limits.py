"""The machine's raw limits, measured in the same run as every benchmark."""

import asyncio
import os
import subprocess
import sys
import time
import uuid

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from sufficiency.stack.processes import free_port

TRIVIAL_APP = """
from typing import Annotated, Any
from fastapi import Body, FastAPI
app = FastAPI()
@app.post("/events", status_code=202)
async def events(body: Annotated[Any, Body()]) -> dict:
    return {"results": []}
"""


async def http_rate(
    url: str, body: object, headers: dict[str, str], requests: int, concurrency: int
) -> tuple[float, list[float]]:
    """Requests per second and per-request latencies (s), `concurrency` clients at once."""
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def client(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            queue.get_nowait()
            t = time.perf_counter()
            r = await http.post(url, json=body, headers=headers)
            assert r.status_code < 300, r.text
            latencies.append(time.perf_counter() - t)

    async with httpx.AsyncClient(
        timeout=60, limits=httpx.Limits(max_connections=concurrency)
    ) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        return requests / (time.perf_counter() - started), latencies


def trivial_endpoint_rate(body: object, requests: int = 2000, concurrency: int = 16) -> float:
    """A FastAPI endpoint that does nothing, under uvicorn as the services run."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    with open(f"/tmp/trivial_app_{port}.py", "w") as f:
        f.write(TRIVIAL_APP)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"trivial_app_{port}:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--app-dir",
            "/tmp",
        ],
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/events"
        for _ in range(100):
            try:
                httpx.post(url, json=[], timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        rate, _ = asyncio.run(http_rate(url, body, {}, requests, concurrency))
        return rate
    finally:
        proc.terminate()
        proc.wait(10)


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
