"""Alembic environment of the referrals service database."""

from services.referrals.adapters.tables import TABLES
from shared.migrations import run_env

run_env(TABLES)
