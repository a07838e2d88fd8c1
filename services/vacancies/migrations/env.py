"""Alembic environment of the vacancies service database."""

from services.vacancies.adapters.tables import TABLES
from shared.migrations import run_env

run_env(TABLES)
