"""The operators' way into the services' databases, configured as the services are."""

import os
from pathlib import Path

from sqlalchemy import Engine

from shared.auth.store import keys_engine
from shared.db import database_url, make_engine
from shared.migrations import upgrade
from shared.settings import ServiceSettings

SERVICES_DIR = Path(__file__).resolve().parents[1] / "services"


def migrations_of(service: str) -> Path:
    return SERVICES_DIR / service / "migrations"


def service_engine(service: str, data_dir: Path | None = None, migrate: bool = True) -> Engine:
    """The service's database (DATABASE_URL or its SQLite file), at the latest revision."""
    settings = ServiceSettings() if data_dir is None else ServiceSettings(data_dir=data_dir)
    engine = make_engine(database_url(service, settings.database_url, settings.data_dir), service)
    if migrate:
        upgrade(engine, migrations_of(service))
    return engine


def key_registry(data_dir: Path) -> Engine:
    return keys_engine(
        os.environ.get("KEYS_DATABASE_URL"), os.environ.get("DATABASE_URL"), data_dir
    )
