"""Webhook subscriptions belong to the key that made them, on every backend (after
the migration that gave them an owner); those made before keep to their LA's keys."""

from pathlib import Path

from sqlalchemy import Engine

from services.vacancies.adapters import subscriptions
from services.vacancies.adapters.feed_tables import SubscriptionRow
from shared.db import transaction
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "vacancies" / "migrations"
DERBY, NOTTINGHAM = "E06000015", "E06000018"


def test_each_key_lists_its_own_and_its_las_ownerless_subscriptions(engine: Engine):
    upgrade(engine, MIGRATIONS)
    db = engine
    made = {
        key: subscriptions.create(db, key, la, "D2N2", f"https://h.example/{key}", "s", 0).id
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
