"""Two replicas of a service on one PostgreSQL and the broker, as processes: each duty is done
once across them, and when the replica leading it is killed with -9 the other takes it over."""

import asyncio
import json
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select

from services.referrals.adapters import import_jobs
from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from shared.db import make_engine, transaction
from shared.kafka.topics import JOURNEY
from shared.leadership import CLOCK, RELAY, WEBHOOKS
from shared.store.tables import OutboxMessage
from tests.integration.replicas.conftest import Replica, replicas
from tests.integration.test_kafka_adapter import read_all
from tests.integration.vacancies import events as ev
from tests.integration.vacancies.conftest import FAST_WEBHOOKS, WebhookReceiver, wait_until
from tests.support.services import service_env
from tests.unit.shared.builders import DERBY, admitted

pytestmark = pytest.mark.integration
FAST_LEASES = {"LEASE_RETRY_SECONDS": "0.5"}


def the_leader(group: list[Replica], duty: str) -> Replica:
    leaders = [r for r in group if r.leads(duty)]
    assert len(leaders) == 1, [r.ready() for r in group]
    return leaders[0]


def post(replica: Replica, key: str, body: object) -> None:
    response = httpx.post(
        f"{replica.url}/events", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=30
    )
    assert response.status_code == 202, response.text


def test_referrals_replicas_relay_once_and_a_survivor_takes_over_relay_and_jobs(
    database, broker, tmp_path: Path
):
    bootstrap, idempotent = broker
    keys = keys_engine(None, database, tmp_path)
    key = create_key(keys, DERBY, frozenset(Scope))[1]
    keys.dispose()
    env = service_env(tmp_path, bootstrap, idempotent, database, **FAST_LEASES)
    tag = uuid.uuid4().hex[:6]
    events = [admitted(child=f"{tag}-{i}") for i in range(40)]
    with replicas("referrals", env) as group:
        for i, event in enumerate(events[:20]):
            post(group[i % 2], key, event)  # to either replica
        leader = the_leader(group, RELAY)
        survivor = next(r for r in group if r is not leader)
        db = make_engine(database, "referrals")
        orphan = import_jobs.create(db, DERBY, f"referrals-{group.index(leader)}")
        kept = import_jobs.create(db, DERBY, f"referrals-{group.index(survivor)}")
        time.sleep(1.5)
        assert import_jobs.get(db, orphan).status == "running"  # type: ignore[union-attr]

        leader.kill()
        killed = time.monotonic()

        def post_the_rest() -> None:
            for event in events[20:]:
                post(survivor, key, event)

        posting = threading.Thread(target=post_the_rest)
        posting.start()  # events keep coming while the survivor takes over
        wait_until(lambda: survivor.leads(RELAY), 10)
        took_relay = time.monotonic() - killed
        wait_until(lambda: import_jobs.get(db, orphan).status == "interrupted", 10)  # type: ignore[union-attr]
        took_job = time.monotonic() - killed
        posting.join(60)
        assert import_jobs.get(db, kept).status == "running"  # type: ignore[union-attr]
        ids = {e["id"] for e in events}
        records = asyncio.run(read_all(bootstrap, JOURNEY, 10**6, timeout=8))
        # The topic is the session broker's: other tests' records (some not
        # even JSON, on purpose) are on it too.
        seen = Counter(event_id(r.value) for r in records)
        mine = {i: n for i, n in seen.items() if i in ids}
        db.dispose()
    print(f"relay taken over in {took_relay:.2f}s, job marked in {took_job:.2f}s after kill -9")
    assert set(mine) == ids  # nothing lost
    assert set(mine.values()) == {1}  # and, the leader killed while idle, nothing sent twice


def event_id(value: bytes | None) -> str | None:
    try:
        return str(json.loads(value or b"")["id"])
    except (ValueError, KeyError, TypeError):
        return None


def vacancies_keys(database: str, data_dir: Path) -> tuple[str, str]:
    keys = keys_engine(None, database, data_dir)
    derby = create_key(keys, ev.DERBY, frozenset(Scope))[1]
    feed = create_key(keys, ev.NOTTINGHAM, frozenset({Scope.FEED_READ}))[1]
    keys.dispose()
    return derby, feed


def reopened_rows(database: str, tag: str) -> Counter[str]:
    engine = make_engine(database, "vacancies")
    with transaction(engine) as s:
        values = s.exec(
            select(OutboxMessage.value).where(col(OutboxMessage.value).contains(tag))
        ).all()
    engine.dispose()
    return Counter(
        v["subject"] for v in map(json.loads, values) if v["type"] == "vacancy.reopened.v1"
    )


def test_vacancies_replicas_run_the_clock_and_each_webhook_once_and_hand_over(
    database, broker, tmp_path: Path
):
    bootstrap, idempotent = broker
    derby, feed = vacancies_keys(database, tmp_path)
    env = service_env(tmp_path, bootstrap, idempotent, database, **FAST_LEASES, **FAST_WEBHOOKS)
    receiver = WebhookReceiver().start()
    tag = uuid.uuid4().hex[:6]
    home = f"H-{tag}"
    lapsing = [f"P{i}-{tag}" for i in range(6)]
    try:
        with replicas("vacancies", env) as group:
            sub = httpx.post(
                f"{group[1].url}/feed/subscriptions",
                json={"url": receiver.url},
                headers={"Authorization": f"Bearer {feed}"},
            )
            assert sub.status_code == 201, sub.text
            post(group[0], derby, [ev.home(home)])
            until = ev.now() + timedelta(seconds=3)
            for i, vacancy in enumerate(lapsing):
                post(group[i % 2], derby, [ev.opened(vacancy, home), ev.held(vacancy, "R", until)])
            wait_until(lambda: len(reopened_rows(database, tag)) == len(lapsing), 15)
            time.sleep(2.0)  # further ticks of either clock change nothing
            assert reopened_rows(database, tag) == Counter({v: 1 for v in lapsing})
            assert the_leader(group, CLOCK)

            live = list(group)

            def head() -> int:
                page = httpx.get(
                    f"{live[0].url}/feed/vacancies",
                    params={"limit": 500},
                    headers={"Authorization": f"Bearer {feed}"},
                ).json()
                return max(e["seq"] for e in page["entries"])

            def delivered() -> Counter[int]:
                return Counter(int(d.headers["X-Feed-Seq"]) for d in receiver.received)

            wait_until(lambda: head() in delivered(), 15)
            time.sleep(1.0)
            once = delivered()
            assert set(once.values()) == {1} and len(once) >= 1 + 2 * len(lapsing)

            leader = the_leader(group, WEBHOOKS)
            survivor = next(r for r in group if r is not leader)
            leader.kill()
            live.remove(leader)
            post(survivor, derby, [ev.withdrawn(v) for v in lapsing])
            wait_until(lambda: survivor.leads(WEBHOOKS) and survivor.leads(CLOCK), 10)
            wait_until(lambda: head() in delivered(), 15)
            after = delivered()
            assert set(range(min(after), head() + 1)) <= set(after)  # nothing lost
            assert set(after.values()) == {1}  # killed while idle: nothing sent twice
    finally:
        receiver.stop()
