"""Fixtures for real components, shared by every tier that needs them."""

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from shared.db import make_engine
from tests.support.broker import kafka_broker


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    from tests.support.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A fresh database of each kind, for contract tests over every backend."""
    schema = f"t{uuid.uuid4().hex[:10]}"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'contract.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    eng = make_engine(url, schema=schema)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def broker() -> Iterator[tuple[str, bool]]:
    """(bootstrap, idempotence supported) of a real Kafka-protocol broker."""
    with kafka_broker() as info:
        yield info
