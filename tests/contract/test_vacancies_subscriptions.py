"""Webhook subscriptions belong to the key that made them, on every backend (after
the migration that gave them an owner); those made before keep to their LA's keys."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from services.vacancies.adapters import subscriptions
from services.vacancies.adapters.feed_tables import SubscriptionRow
from services.vacancies.entrypoints.app import create_app
from services.vacancies.settings import VacanciesSettings
from shared.auth.keys import Scope
from shared.auth.store import create_key
from shared.db import transaction
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "vacancies" / "migrations"
DERBY, NOTTINGHAM = "E06000015", "E06000018"


def test_each_key_lists_its_own_and_its_las_ownerless_subscriptions(engine: Engine):
    upgrade(engine, MIGRATIONS)
    db = engine
    made = {
        key: subscriptions.create(db, key, la, "D2N2", f"https://h.example/{key}", "s", 0, 20).id
        for key, la in (("k1", DERBY), ("k2", DERBY), ("k3", NOTTINGHAM))
    }
    legacy = SubscriptionRow(
        id="sub_legacy", la=DERBY, region="D2N2", url="u", secret="s", cursor=0
    )
    with transaction(db) as s:
        s.add(legacy)

    def ids(key: str, la: str | None) -> list[str]:
        return [r.id for r in subscriptions.of_key(db, key, la, "D2N2")]

    assert ids("k1", DERBY) == [made["k1"], "sub_legacy"]
    assert ids("k2", DERBY) == [made["k2"], "sub_legacy"]
    assert ids("k3", NOTTINGHAM) == [made["k3"]]
    assert ids("reader", None) == []  # a region reader owns none it did not make
    assert subscriptions.of_key(db, "k1", DERBY, "ELSEWHERE") == []
    k1_row = subscriptions.get(db, made["k1"])
    assert k1_row is not None
    assert subscriptions.owned_by("k1", DERBY, k1_row)
    assert not subscriptions.owned_by("k2", DERBY, k1_row)
    assert subscriptions.owned_by("k2", DERBY, legacy)
    assert not subscriptions.owned_by("k3", NOTTINGHAM, legacy)
    assert not subscriptions.owned_by("reader", None, legacy)


def test_a_key_holds_at_most_the_configured_number_of_subscriptions(engine: Engine, tmp_path: Path):
    upgrade(engine, MIGRATIONS)
    settings = VacanciesSettings(
        data_dir=tmp_path,
        kafka_bootstrap_servers="127.0.0.1:9",
        webhook_allowed_cidrs="127.0.0.1/32",
        webhook_max_subscriptions=2,
    )
    app = create_app(settings)  # lifespan not started: HTTP and the store only
    app.state.runtime.engine = engine
    clients = [
        TestClient(app, headers={"Authorization": f"Bearer {key}"})
        for key in (create_key(app.state.runtime.keys, DERBY, frozenset(Scope))[1] for _ in "ab")
    ]
    first, other = clients

    def subscribe(c: TestClient) -> int:
        return c.post("/feed/subscriptions", json={"url": "http://127.0.0.1:9/hook"}).status_code

    assert [subscribe(first) for _ in range(3)] == [201, 201, 409]
    assert len(first.get("/feed/subscriptions").json()) == 2  # the refused one left nothing
    assert subscribe(other) == 201  # each key has its own allowance
    sub_id = first.get("/feed/subscriptions").json()[0]["id"]
    assert first.delete(f"/feed/subscriptions/{sub_id}").status_code == 204
    assert subscribe(first) == 201
    with pytest.raises(subscriptions.SubscriptionLimit):
        subscriptions.create(engine, "k9", DERBY, "D2N2", "https://h.example/", "s", 0, 0)


def test_subscriptions_made_at_once_do_not_pass_the_limit_together(engine: Engine):
    upgrade(engine, MIGRATIONS)
    start = threading.Barrier(8)

    def make(n: int) -> str:
        start.wait()
        try:
            subscriptions.create(engine, "k1", DERBY, "D2N2", f"https://h.example/{n}", "s", 0, 3)
        except subscriptions.SubscriptionLimit:
            return "refused"
        except OperationalError:  # SQLite: busy, as a 503 would say; nothing written
            return "busy"
        return "made"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(make, range(8)))
    held = subscriptions.of_key(engine, "k1", DERBY, "D2N2")
    assert len(held) == outcomes.count("made") <= 3, outcomes
