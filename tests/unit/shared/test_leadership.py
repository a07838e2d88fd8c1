"""Leases: keys, the flock store beside SQLite, and what a replica leads when its store fails."""

from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import create_engine

from shared.leadership import (
    RELAY,
    FileLocks,
    Leadership,
    SoleProcessLocks,
    lease_key,
    locks_for,
    replica_duty,
)


def test_a_lease_key_is_stable_fits_a_bigint_and_differs_per_service_and_duty():
    key = lease_key("referrals", RELAY)
    assert key == lease_key("referrals", RELAY)
    assert -(2**63) <= key < 2**63
    assert len({key, lease_key("vacancies", RELAY), lease_key("referrals", "clock")}) == 3


def test_a_file_lease_has_one_holder_until_it_lets_go(tmp_path: Path):
    first, second = FileLocks(tmp_path), FileLocks(tmp_path)
    assert first.acquire("outbox-relay")
    assert not second.acquire("outbox-relay")
    assert second.held_elsewhere("outbox-relay")
    first.release_all()
    assert not second.held_elsewhere("outbox-relay")
    assert second.acquire("outbox-relay")


def test_a_name_that_is_not_a_file_name_still_has_its_own_lease(tmp_path: Path):
    locks = FileLocks(tmp_path)
    assert locks.acquire(replica_duty("host/1"))
    assert [p.name for p in tmp_path.iterdir()] == ["replica_host_1"]


def test_a_replicas_own_lease_file_goes_with_it_and_asking_creates_none(tmp_path: Path):
    locks, other = FileLocks(tmp_path), FileLocks(tmp_path)
    assert locks.acquire(replica_duty("r1")) and locks.acquire(RELAY)
    assert other.held_elsewhere(replica_duty("r1"))
    locks.release_all()
    assert [p.name for p in tmp_path.iterdir()] == [RELAY]  # a duty's file stays
    assert not other.held_elsewhere(replica_duty("r1"))
    assert [p.name for p in tmp_path.iterdir()] == [RELAY]


def test_the_store_follows_the_database():
    assert isinstance(locks_for(create_engine("sqlite://"), "referrals"), SoleProcessLocks)
    url = "sqlite:////tmp/x/referrals.db"
    assert isinstance(locks_for(create_engine(url), "referrals"), FileLocks)


class BrokenAfterOneRound:
    """A lock store whose connection fails after the first round."""

    def __init__(self) -> None:
        self.rounds, self.released = 0, 0
        self.held: set[str] = set()

    def acquire(self, name: str) -> bool:
        self.held.add(name)
        return True

    def held_elsewhere(self, name: str) -> bool:
        return name == replica_duty("other")

    def check(self) -> None:
        self.rounds += 1
        if self.rounds > 1:
            raise ConnectionError("server closed the connection")

    def release_all(self) -> None:
        self.released += 1
        self.held.clear()


LABELS = {"service": "referrals", "duty": RELAY}


def test_a_replica_whose_lease_connection_fails_leads_nothing_until_it_holds_them_again():
    store = BrokenAfterOneRound()
    registry = CollectorRegistry()
    leader = Leadership(store, "me", 1.0, registry, "referrals")
    relay = leader.duty(RELAY)
    leader.round()
    assert relay() and leader.status() == {RELAY: True}
    assert registry.get_sample_value("sufficiency_leader", LABELS) == 1.0
    leader.round()  # the check passes once
    assert relay()
    leader.round()  # the check fails: everything dropped and the session closed
    assert not relay() and store.released == 1
    assert registry.get_sample_value("sufficiency_leader", LABELS) == 0.0


def test_a_replica_is_alive_while_it_holds_its_own_lease():
    leader = Leadership(BrokenAfterOneRound(), "me")
    assert leader.alive("me")  # never asked of the store: it would see its own lock
    assert leader.alive("other")
    assert not leader.alive("gone")


def test_nobody_is_presumed_dead_when_the_store_cannot_be_asked():
    class Down(BrokenAfterOneRound):
        def held_elsewhere(self, name: str) -> bool:
            raise ConnectionError("down")

    leader = Leadership(Down(), "me")
    with pytest.raises(ConnectionError):
        leader.alive("other")
