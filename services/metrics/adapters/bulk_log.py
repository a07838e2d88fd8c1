"""Writing a replay's events to the log and the inbox in bulk.

A replay writes hundreds of thousands of rows that no one reads until it
ends, so they go in as one statement per table and batch: PostgreSQL's COPY,
SQLite's executemany.

Into an empty store (`bulk_load`), the tables' secondary indexes are built
once at the end rather than row by row, and SQLite writes without a journal:
until the replay ends the store is a scratch file that a failed replay
leaves to be deleted, never a store a service runs on.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, func, select

from services.metrics.adapters.tables import MetricsEvent
from shared.store.tables import ProcessedEvent, table_of, utcnow

_CACHE = "PRAGMA cache_size=-131072"  # KiB: the inbox's index pages stay in memory
_SCRATCH = ("PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF")
_DURABLE = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """What the log and the inbox keep of one event."""

    source: str
    event_id: str
    la: str
    type: str
    body: str


_LOG_COLUMNS = ("source", "event_id", "la", "type", "body")


def _log_row(e: LoggedEvent) -> tuple[str, str, str, str, str]:
    return (e.source, e.event_id, e.la, e.type, e.body)


def _tables() -> tuple[Table, Table]:
    return table_of(MetricsEvent), table_of(ProcessedEvent)


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return all(connection.scalar(select(func.count()).select_from(t)) == 0 for t in _tables())


@contextmanager
def bulk_load(engine: Engine, empty: bool) -> Iterator[bool]:
    """Yields whether writes may use the scratch mode (the store was empty)."""
    if not empty:
        yield False
        return
    indexes = [ix for table in _tables() for ix in table.indexes]
    with engine.begin() as connection:
        for ix in indexes:
            ix.drop(connection)
    yield True
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        for pragma in _DURABLE if sqlite else ():
            connection.exec_driver_sql(pragma)
        connection.commit()
        for ix in indexes:
            ix.create(connection)
        connection.commit()
        if sqlite:  # the unjournalled writes reach the disk with this
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.commit()


def write(
    connection: Connection, consumer: str, events: Sequence[LoggedEvent], scratch: bool
) -> None:
    """Call before any other write of the transaction (SQLite's pragmas must
    come before the transaction's first write)."""
    if not events:
        return
    now = utcnow()
    log, inbox = _tables()
    if connection.dialect.name == "postgresql":
        _copy(connection, log, _LOG_COLUMNS, [_log_row(e) for e in events])
        _copy(
            connection,
            inbox,
            ("consumer", "source", "event_id", "processed_at"),
            [(consumer, e.source, e.event_id, now) for e in events],
        )
        return
    for pragma in (_CACHE, *(_SCRATCH if scratch else ())):
        connection.exec_driver_sql(pragma)
    # The driver's executemany straight: SQLAlchemy's per-row parameter
    # processing cost more than SQLite's insert. The one typed value is bound
    # once, as the column's type stores it.
    stamp = inbox.c.processed_at.type.bind_processor(connection.dialect)
    at = stamp(now) if stamp else now
    connection.exec_driver_sql(
        f"INSERT INTO {log.name} ({', '.join(_LOG_COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
        [_log_row(e) for e in events],
    )
    connection.exec_driver_sql(
        f"INSERT INTO {inbox.name} (consumer, source, event_id, processed_at) VALUES (?, ?, ?, ?)",
        [(consumer, e.source, e.event_id, at) for e in events],
    )


def _copy(
    connection: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[object, ...]]
) -> None:
    raw = connection.connection.driver_connection
    with (
        raw.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
