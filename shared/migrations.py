"""Alembic for every service: one migrations folder per service database.

A service's `migrations/env.py` calls `run_env(TABLES)`; start-up calls
`upgrade(engine, folder)`. Each service's metadata holds only its own tables,
so autogenerate never sees another service's.
"""

from pathlib import Path

from alembic import command, context
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData, Table

from shared.db import one_at_a_time


def metadata_of(tables: list[Table]) -> MetaData:
    md = MetaData()
    for table in tables:
        table.to_metadata(md)
    return md


def config(folder: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(folder))
    return cfg


def upgrade(engine: Engine, folder: Path) -> None:
    cfg = config(folder)
    with engine.begin() as conn:
        # A second replica waits, then finds the schema at head: nothing to do.
        one_at_a_time(conn, f"migrations {folder.parent.name}")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def revision(engine: Engine, folder: Path, message: str) -> None:
    cfg = config(folder)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)


def pending_changes(engine: Engine, tables: list[Table]) -> list[object]:
    """Differences between the migrated database and the models (empty when current)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"render_as_batch": True})
        return list(compare_metadata(ctx, metadata_of(tables)))


def run_env(tables: list[Table]) -> None:
    """Body of a service's migrations/env.py (online mode, connection given)."""
    conn = context.config.attributes["connection"]
    context.configure(
        connection=conn,
        target_metadata=metadata_of(tables),
        render_as_batch=conn.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
