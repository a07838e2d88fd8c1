"""The clock inside the service: lapsed holds reopen and expiries close vacancies, live
and across a restart (the state is in the database, not in memory)."""

import asyncio
import json
import time
import uuid
from datetime import timedelta

import pytest
from aiokafka import AIOKafkaConsumer

from shared.kafka.topics import SUPPLY
from tests.integration.vacancies import events as ev
from tests.integration.vacancies.conftest import (
    NOTTINGHAM_FEED,
    launch_vacancies,
    make_keys,
    wait_until,
)

pytestmark = pytest.mark.integration


def statuses(svc) -> dict[str, str]:
    return {v["vacancy_id"]: v["status"] for v in svc.get(ev.DERBY, "/vacancies").json()}


def feed_statuses(svc, vacancy_id: str) -> list[str]:
    entries = svc.get(NOTTINGHAM_FEED, "/feed/vacancies", limit=500).json()["entries"]
    return [e["event"]["data"]["status"] for e in entries if e["event"]["subject"] == vacancy_id]


async def supply_types(bootstrap: str) -> list[tuple[str, str]]:
    consumer = AIOKafkaConsumer(SUPPLY, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    try:
        batch = await consumer.getmany(timeout_ms=5000)
    finally:
        await consumer.stop()
    events = [json.loads(r.value) for records in batch.values() for r in records]
    return [(e["subject"], e["type"]) for e in events]


def test_holds_lapse_and_expiries_pass_live_and_across_a_restart(embedded_broker, tmp_path):
    keys = make_keys(tmp_path)
    tag = uuid.uuid4().hex[:6]
    home, live, expiring, lapsing = f"H-{tag}", f"L-{tag}", f"E-{tag}", f"P-{tag}"
    with launch_vacancies(tmp_path, embedded_broker, keys) as svc:
        start = ev.now()
        batch = [
            ev.home(home),
            ev.opened(live, home),
            ev.held(live, "R-1", start + timedelta(seconds=2)),
            ev.opened(expiring, home, expires_at=ev.iso(start + timedelta(seconds=6))),
            ev.opened(lapsing, home),
            ev.held(lapsing, "R-2", start + timedelta(seconds=6)),
        ]
        assert svc.post(ev.DERBY, batch).status_code == 202
        wait_until(lambda: statuses(svc)[live] == "open", 5)
        assert feed_statuses(svc, live) == ["open", "held", "open"]
        assert statuses(svc)[expiring] == "open" and statuses(svc)[lapsing] == "held"

    while ev.now() < start + timedelta(seconds=7):  # both fall due while the service is down
        time.sleep(0.2)
    with launch_vacancies(tmp_path, embedded_broker, keys) as svc:
        wait_until(lambda: statuses(svc)[expiring] == "expired", 5)
        wait_until(lambda: statuses(svc)[lapsing] == "open", 5)
        assert feed_statuses(svc, expiring) == ["open", "expired"]
        types = wait_until(
            lambda: (
                (found := asyncio.run(supply_types(embedded_broker)))
                and (expiring, "vacancy.expired.v1") in found
                and found
            ),
            15,
        )
        assert (live, "vacancy.reopened.v1") in types
        assert (lapsing, "vacancy.reopened.v1") in types
        assert types.count((expiring, "vacancy.expired.v1")) == 1
