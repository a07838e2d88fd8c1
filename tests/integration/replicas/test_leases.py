"""Leases between processes, and two outbox relays on one outbox, on PostgreSQL and the broker."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine
from sqlmodel import SQLModel, col, select

from shared.db import make_engine, transaction
from shared.kafka.client import ensure_topics, start_producer
from shared.kafka.relay import OutboxRelay
from shared.leadership import RELAY, Leadership, locks_for
from shared.settings import ServiceSettings
from shared.store import outbox
from shared.store.tables import SHARED_TABLES, OutboxMessage
from tests.integration.test_kafka_adapter import read_all

pytestmark = pytest.mark.integration

HOLDER = """
import sys, time
from sqlalchemy import create_engine
from shared.leadership import Leadership, locks_for
lead = Leadership(locks_for(create_engine(sys.argv[1]), "svc"), "holder")
lead.duty("duty")
lead.round()
print("leads" if lead.leads("duty") else "standby", flush=True)
time.sleep(600)
"""


def holder(url: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    assert proc.stdout is not None
    said = ""
    while said not in ("leads", "standby"):  # after its log lines
        said = proc.stdout.readline().strip()
        assert said or proc.poll() is None, "the holder stopped"
    assert said == "leads"
    return proc


def waited(condition: Callable[[], bool], timeout: float) -> float:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"not within {timeout}s"
        time.sleep(0.05)
    return time.monotonic() - start


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_a_lease_has_one_holder_and_moves_within_seconds_when_it_is_killed(
    backend, request, tmp_path: Path
):
    url = (
        request.getfixturevalue("database")
        if backend == "postgresql"
        else (f"sqlite:///{tmp_path / 'svc.db'}")
    )
    proc = holder(url)
    standby = Leadership(locks_for(make_engine(url, "svc"), "svc"), "standby", 0.2)
    leads = standby.duty("duty")
    try:
        standby.round()
        assert not leads()
        assert standby.alive("holder")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)

        def one_round() -> bool:
            standby.round()
            return leads()

        took = waited(one_round, 5.0)
        assert not standby.alive("holder")
        print(f"lease moved {took:.2f}s after kill -9 ({backend})")
    finally:
        if proc.poll() is None:
            proc.kill()
        standby.release()


class Relays:
    """Two replicas' relays (each its engine, producer and lease) on one outbox."""

    def __init__(self, url: str, schema: str, settings: ServiceSettings) -> None:
        self.url, self.schema, self.settings = url, schema, settings
        self.leaders: list[Leadership] = []
        self.producers: list[AIOKafkaProducer] = []
        self.tasks: list[list[asyncio.Task[None]]] = []

    async def start(self, name: str) -> None:
        engine = make_engine(self.url, self.schema)
        leader = Leadership(locks_for(engine, self.schema), name, 0.2)
        self.producers.append(await start_producer(self.settings))
        relay = OutboxRelay(
            engine,
            self.producers[-1],
            self.settings.kafka_bootstrap_servers,
            CollectorRegistry(),
            0.05,
            batch_size=50,
            leads=leader.duty(RELAY),
        )
        self.leaders.append(leader)
        self.tasks.append([asyncio.create_task(leader.run()), asyncio.create_task(relay.run())])

    async def stop(self, i: int) -> None:
        for task in self.tasks[i]:
            task.cancel()
        await asyncio.gather(*self.tasks[i], return_exceptions=True)
        self.leaders[i].release()
        await self.producers[i].stop()


def write(engine: Engine, topic: str, writer: str, count: int) -> None:
    for n in range(count):
        with transaction(engine) as s:
            for key in ("a", "b", "c"):
                value = json.dumps({"writer": writer, "n": n, "key": key})
                outbox.enqueue_raw(s, topic, key, value)


async def test_two_relays_publish_each_row_once_in_key_order_and_a_standby_takes_over(
    database, broker
):
    bootstrap, idempotent = broker
    settings = ServiceSettings(kafka_bootstrap_servers=bootstrap, kafka_idempotence=idempotent)
    topic = f"replicas-{uuid.uuid4().hex[:8]}"
    await ensure_topics(settings, [topic])
    schema = f"relay{uuid.uuid4().hex[:6]}"
    engine = make_engine(database, schema)
    SQLModel.metadata.create_all(engine, tables=list(SHARED_TABLES))
    relays = Relays(database, schema, settings)
    await relays.start("r0")
    await relays.start("r1")
    # Two writers at once: their transactions commit in any order on PostgreSQL.
    writers = [threading.Thread(target=write, args=(engine, topic, w, 60)) for w in "xy"]
    for w in writers:
        w.start()
    while any(w.is_alive() for w in writers):
        await asyncio.sleep(0.1)
    first = await read_all(bootstrap, topic, 360, timeout=30)
    leading = [i for i, lead in enumerate(relays.leaders) if lead.leads(RELAY)]
    assert len(leading) == 1

    await relays.stop(leading[0])  # the leader goes away; the standby takes the duty
    await asyncio.to_thread(write, engine, topic, "z", 20)
    records = await read_all(bootstrap, topic, 420, timeout=30)
    await asyncio.sleep(1.0)  # time for a stray second copy to arrive, were there one
    records = await read_all(bootstrap, topic, 421, timeout=3)
    await relays.stop(1 - leading[0])

    values = [r.value for r in records]
    assert len(first) >= 360 and len(values) == 420 and len(set(values)) == 420  # each once
    with transaction(engine) as s:
        rows = s.exec(select(OutboxMessage).order_by(col(OutboxMessage.seq))).all()
    assert all(r.published for r in rows)
    offsets: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        assert r.partition is not None and r.offset is not None
        offsets[r.key].append((r.partition, r.offset))
    for key, placed in offsets.items():  # each key's rows: seq order is log order
        assert len({p for p, _ in placed}) == 1 and placed == sorted(placed), key
    engine.dispose()
