"""Engines and sessions. Each service has its own database.

SQLite (the embedded default): one file per service under DATA_DIR.
PostgreSQL: one schema per service in the database DATABASE_URL names, chosen
through the connection's search_path so table definitions stay unqualified.
"""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlmodel import Session


def database_url(service: str, configured: str | None, data_dir: Path) -> str:
    if configured:
        return configured
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / f'{service}.db').resolve()}"


def make_engine(url: str, schema: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"options": f"-csearch_path={schema}"},
    )
    with engine.begin() as conn:
        one_at_a_time(conn, f"schema {schema}")
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    return engine


def one_at_a_time(conn: Connection, what: str) -> None:
    """On PostgreSQL, wait until no other process's transaction does `what`
    (replicas starting together would otherwise race to create the same
    schema or tables); the lock ends with this transaction."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _advisory_key(what)})


def _advisory_key(what: str) -> int:
    return zlib.crc32(what.encode())


@contextmanager
def across_processes(engine: Engine, what: str) -> Iterator[None]:
    """On PostgreSQL, hold a session-level advisory lock for `what` while the
    block runs, across however many transactions it commits (replicas of one
    service share the database); the server frees it if the process dies."""
    if engine.dialect.name != "postgresql":
        yield
        return
    key = _advisory_key(what)
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _: Any) -> None:
        # WAL lets readers run beside the single writer; NORMAL sync is still
        # durable across process crashes, which is the failure we design for.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    return engine


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def insert_for(connection: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """The dialect's own INSERT, which has ON CONFLICT (the generic one has not)."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
