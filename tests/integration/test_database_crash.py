"""A PostgreSQL crash in the middle of a flow: while the database is away a
request is a 503 to send again (never a 500, nothing half written); after it
comes back every accepted event is counted once, and nothing is left behind."""

import time
import uuid
from collections.abc import Callable

import httpx
import pytest

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from tests.integration.replicas.conftest import Replica, replica
from tests.support.broker import kafka_broker
from tests.support.postgres import local_postgres_server
from tests.support.services import service_env
from tests.unit.shared.builders import DERBY, admitted

pytestmark = pytest.mark.integration


def admission(n: int) -> dict:
    """The same child always gets the same event id (so a resend is a duplicate)."""
    return admitted(child=f"CRASH{n}") | {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"crash/{n}"))}


def post(service: Replica, key: str, body: dict) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.post(f"{service.url}/events", json=body, headers=headers, timeout=30)


def post_until_taken(service: Replica, key: str, body: dict, seconds: float = 60) -> httpx.Response:
    """As a client does: send again after a 503's Retry-After, never after a 500."""
    deadline = time.monotonic() + seconds
    while True:
        response = post(service, key, body)
        assert response.status_code != 500, response.text
        if response.status_code != 503 or time.monotonic() > deadline:
            return response
        time.sleep(float(response.headers.get("Retry-After", "1")))


def children_in_care(metrics: Replica, key: str) -> float | None:
    response = httpx.get(
        f"{metrics.url}/indicators",
        params={"la": DERBY},
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )
    if response.status_code != 200:
        return None
    found = [
        i["value"]
        for i in response.json()["indicators"]
        if i["name"] == "children_in_care" and not i.get("breakdown")
    ]
    return found[0] if found else None


def poll(check: Callable[[], bool], seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def test_a_database_crash_mid_flow_loses_nothing_and_counts_nothing_twice(tmp_path):
    # A server and a broker of its own: the server is crashed, and no other
    # test's children may reach this metrics service.
    with local_postgres_server() as server, kafka_broker() as (bootstrap, idempotent):
        keys = keys_engine(None, server.url, tmp_path)
        key = create_key(keys, DERBY, frozenset(Scope))[1]
        keys.dispose()
        env = service_env(tmp_path, bootstrap, idempotent, server.url)
        with (
            replica("referrals", env, "ref") as referrals,
            replica("metrics", env, "met") as metrics,
        ):
            for n in range(10):
                assert post(referrals, key, admission(n)).status_code == 202

            server.crash()
            away = post(referrals, key, admission(10))
            assert away.status_code == 503, away.text
            assert away.headers["Retry-After"] == "1"
            assert httpx.get(f"{referrals.url}/readyz", timeout=10).status_code == 503

            server.start()
            for n in range(10, 20):
                taken = post_until_taken(referrals, key, admission(n))
                assert taken.status_code == 202, taken.text
            again = post_until_taken(referrals, key, admission(0))
            assert [r["status"] for r in again.json()["results"]] == ["duplicate"]

            assert poll(lambda: children_in_care(metrics, key) == 20), children_in_care(
                metrics, key
            )
            assert poll(lambda: httpx.get(f"{metrics.url}/readyz").status_code == 200)
            assert poll(lambda: httpx.get(f"{referrals.url}/readyz").status_code == 200)
            time.sleep(2)  # a second count would show by now
            assert children_in_care(metrics, key) == 20
