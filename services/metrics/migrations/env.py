"""Alembic environment of the metrics service database."""

from services.metrics.adapters.tables import TABLES
from shared.migrations import run_env

run_env(TABLES)
