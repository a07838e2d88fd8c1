"""Alembic environment of the forecast service database."""

from services.forecast.adapters.tables import TABLES
from shared.migrations import run_env

run_env(TABLES)
