"""A subscriber LA sees a vacancy change within a second on each of the four channels."""

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from services.vacancies.domain.signature import verify
from shared.events import FeedVacancy, parse_event
from shared.kafka.topics import region_feed
from tests.integration.vacancies import events as ev
from tests.integration.vacancies.conftest import NOTTINGHAM_FEED

pytestmark = pytest.mark.integration
TOPIC = region_feed("D2N2")


def last_cursor(svc) -> str:
    cursor = "0"
    while True:
        page = svc.get(NOTTINGHAM_FEED, "/feed/vacancies", cursor=cursor, limit=500).json()
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor


async def kafka_at_end(bootstrap: str) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    await consumer.topics()  # loads metadata
    parts = [TopicPartition(TOPIC, p) for p in consumer.partitions_for_topic(TOPIC) or ()]
    assert parts, "the service created the regional topic"
    consumer.assign(parts)
    await consumer.seek_to_end(*parts)
    for tp in parts:
        await consumer.position(tp)
    return consumer


async def first_on_kafka(consumer: AIOKafkaConsumer, vacancy_id: str) -> tuple[float, bytes]:
    while True:
        for records in (await consumer.getmany(timeout_ms=100)).values():
            for r in records:
                if r.key == vacancy_id.encode():
                    return time.monotonic(), r.value


async def first_on_page(client: httpx.AsyncClient, cursor: str, vacancy_id: str) -> float:
    while True:
        page = (await client.get("/feed/vacancies", params={"cursor": cursor})).json()
        if any(e["event"]["data"]["vacancy_id"] == vacancy_id for e in page["entries"]):
            return time.monotonic()
        await asyncio.sleep(0.05)


async def first_on_stream(
    client: httpx.AsyncClient, cursor: str, vacancy_id: str, connected: asyncio.Event
) -> tuple[float, str]:
    async with client.stream("GET", "/feed/vacancies/stream", params={"cursor": cursor}) as r:
        assert r.status_code == 200
        connected.set()
        event_id = None
        async for line in r.aiter_lines():
            if line.startswith("id:"):
                event_id = line[3:].strip()
            if line.startswith("data:") and vacancy_id in line:
                return time.monotonic(), str(event_id)
    raise AssertionError("the stream ended")


async def first_on_webhook(receiver, vacancy_id: str) -> float:
    while True:
        for d in list(receiver.received):
            if vacancy_id.encode() in d.body:
                return d.at
        await asyncio.sleep(0.02)


async def test_a_change_reaches_a_subscriber_within_a_second_on_every_channel(vacancies, receiver):
    svc, home_id, vacancy_id = vacancies, f"H-{uuid.uuid4().hex[:6]}", f"V-{uuid.uuid4().hex[:6]}"
    assert svc.post(ev.DERBY, [ev.home(home_id)]).status_code == 202
    sub = httpx.post(
        f"{svc.url}/feed/subscriptions",
        json={"url": receiver.url},
        headers=svc.headers(NOTTINGHAM_FEED),
    )
    assert sub.status_code == 201, sub.text
    cursor = last_cursor(svc)
    consumer = await kafka_at_end(svc.bootstrap)
    connected = asyncio.Event()
    async with httpx.AsyncClient(
        base_url=svc.url, headers=svc.headers(NOTTINGHAM_FEED), timeout=30
    ) as client:
        tasks = {
            "kafka": asyncio.create_task(first_on_kafka(consumer, vacancy_id)),
            "http": asyncio.create_task(first_on_page(client, cursor, vacancy_id)),
            "sse": asyncio.create_task(first_on_stream(client, cursor, vacancy_id, connected)),
            "webhook": asyncio.create_task(first_on_webhook(receiver, vacancy_id)),
        }
        await asyncio.wait_for(connected.wait(), 5)
        start = time.monotonic()
        async with httpx.AsyncClient(base_url=svc.url, headers=svc.headers(ev.DERBY)) as derby:
            posted = await derby.post("/events", json=ev.opened(vacancy_id, home_id))
        assert posted.status_code == 202
        try:
            results = await asyncio.wait_for(asyncio.gather(*tasks.values()), 5)
            done: dict[str, Any] = dict(zip(tasks, results, strict=True))
        finally:
            await consumer.stop()
    arrived = {k: v[0] if isinstance(v, tuple) else v for k, v in done.items()}
    latency = {k: round(t - start, 3) for k, t in arrived.items()}
    assert all(s < 1.0 for s in latency.values()), latency

    kafka_event = parse_event(done["kafka"][1])
    assert isinstance(kafka_event, FeedVacancy) and kafka_event.data.status == "open"
    assert done["sse"][1].isdigit()  # the event id is the feed seq
    delivery = next(d for d in receiver.received if vacancy_id.encode() in d.body)
    assert verify(sub.json()["secret"], delivery.body, delivery.headers["X-Signature-256"])
    data = json.loads(delivery.body)["data"]
    assert data["postcode_district"] == "DE22" and "name" not in data
    httpx.delete(
        f"{svc.url}/feed/subscriptions/{sub.json()['id']}", headers=svc.headers(NOTTINGHAM_FEED)
    )


async def test_the_stream_resumes_after_last_event_id(vacancies):
    svc = vacancies
    home_id = f"H-{uuid.uuid4().hex[:6]}"
    ids = [f"V-{uuid.uuid4().hex[:6]}" for _ in range(3)]
    before = last_cursor(svc)
    batch = [ev.home(home_id)] + [ev.opened(v, home_id) for v in ids]
    assert svc.post(ev.DERBY, batch).status_code == 202
    page = svc.get(NOTTINGHAM_FEED, "/feed/vacancies", cursor=before).json()
    seqs = [e["seq"] for e in page["entries"]]
    headers = svc.headers(NOTTINGHAM_FEED) | {"Last-Event-ID": str(seqs[0])}
    seen = []
    async with (
        httpx.AsyncClient(base_url=svc.url, headers=headers, timeout=10) as client,
        client.stream("GET", "/feed/vacancies/stream") as r,
    ):
        async for line in r.aiter_lines():
            if line.startswith("id:"):
                seen.append(int(line[3:]))
            if len(seen) == 2:
                break
    assert seen == seqs[1:3]
