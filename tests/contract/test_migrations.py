"""Every service's migrations build exactly its models, on every backend."""

import importlib
from pathlib import Path

import pytest

from shared.migrations import pending_changes, upgrade

ROOT = Path(__file__).resolve().parents[2] / "services"


@pytest.mark.parametrize("service", ["referrals", "vacancies", "metrics", "forecast"])
def test_migrations_match_the_models(engine, service):
    tables = importlib.import_module(f"services.{service}.adapters.tables").TABLES
    upgrade(engine, ROOT / service / "migrations")
    assert pending_changes(engine, tables) == []
    upgrade(engine, ROOT / service / "migrations")  # a second run is a no-op
