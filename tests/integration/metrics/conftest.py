"""Referrals and metrics as real processes on the real broker, with demo keys."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from tests.support.services import running_service, service_env
from tests.unit.shared.builders import DERBY


@dataclass(frozen=True)
class Pair:
    referrals: str
    metrics: str
    key: str

    def post(self, events: list[dict]) -> None:
        response = httpx.post(
            f"{self.referrals}/events",
            json=events,
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=30,
        )
        assert response.status_code == 202, response.text

    def indicator(self, name: str) -> float | None:
        body = httpx.get(
            f"{self.metrics}/indicators",
            params={"la": DERBY},
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=10,
        ).json()
        return next(
            i["value"] for i in body["indicators"] if i["name"] == name and not i["breakdown"]
        )


@contextmanager
def running_pair(broker: tuple[str, bool], data_dir: Path, **extra: str) -> Iterator[Pair]:
    """Referrals and metrics on `broker`, with a Derby key; `extra` is more environment."""
    bootstrap, idempotent = broker
    key = create_key(keys_engine(None, None, data_dir), DERBY, frozenset(Scope))[1]
    env = service_env(data_dir, bootstrap, idempotent, SNAPSHOT_CHECK_SECONDS="1", **extra)
    with running_service("referrals", env) as ref, running_service("metrics", env) as met:
        yield Pair(ref.url, met.url, key)


@pytest.fixture(scope="module")
def pair(broker, tmp_path_factory):
    with running_pair(broker, tmp_path_factory.mktemp("pair")) as started:
        yield started
