"""Writing a replay's events to the log and the inbox in bulk.

A replay writes hundreds of thousands of rows that no one reads until it
ends, so they go in as one statement per table and batch: PostgreSQL's COPY,
SQLite's executemany.

Into an empty store (`bulk_load`) the work is put off to the end, where it
is done once, sorted, in the database:
- the tables' secondary indexes are built then rather than row by row, and
  on PostgreSQL the inbox's primary key too (inserting its random keys one
  by one was two fifths of the server's work);
- the inbox is filled then from the log, in one INSERT ... SELECT (on SQLite
  in its key's order, so that its B-tree is appended to): in an empty store
  the inbox holds exactly the logged events. Meanwhile the replay keeps the
  keys it wrote in memory to refuse a duplicate, and the keys built at the
  end check them all the same;
- SQLite writes without a journal: until the replay ends the store is a
  scratch file that a failed replay leaves to be deleted, never a store a
  service runs on.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from sqlalchemy import Connection, Engine, Table, func, insert, inspect, literal, select

from services.metrics.adapters.tables import MetricsEvent
from shared.store.tables import ProcessedEvent, table_of, utcnow

_CACHE = "PRAGMA cache_size=-131072"  # KiB: the inbox's index pages stay in memory
_SCRATCH = ("PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF")
_DURABLE = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
# Sorting an index's keys: in memory (64 MB per index at national scale), on
# two threads.
_SORT = ("PRAGMA temp_store=MEMORY", "PRAGMA threads=2", "PRAGMA cache_size=-262144")
_PG_SORT = ("SET LOCAL maintenance_work_mem = '256MB'",)  # each index sorted in memory
_UNSORT = ("PRAGMA temp_store=DEFAULT", "PRAGMA threads=0", "PRAGMA cache_size=-2000")


class LoggedEvent(NamedTuple):
    """What the log and the inbox keep of one event; in the log's column order,
    so that it is the log's row as it stands (no copy per event)."""

    source: str
    event_id: str
    la: str
    type: str
    body: str


_LOG_COLUMNS = LoggedEvent._fields
_INBOX_COLUMNS = ("consumer", "source", "event_id", "processed_at")


def _tables() -> tuple[Table, Table]:
    return table_of(MetricsEvent), table_of(ProcessedEvent)


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return all(connection.scalar(select(func.count()).select_from(t)) == 0 for t in _tables())


@contextmanager
def bulk_load(engine: Engine, empty: bool, consumer: str) -> Iterator[bool]:
    """Yields whether writes may use the scratch mode (the store was empty)."""
    if not empty:
        yield False
        return
    log, inbox = _tables()
    indexes = [*log.indexes, *inbox.indexes]
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as connection:
        for ix in indexes:
            ix.drop(connection)
        key = None if sqlite else _drop_primary_key(connection, inbox)
    yield True
    with engine.connect() as connection:
        # SQLite sorts still unjournalled, its sorter in memory, then returns
        # to WAL; the unjournalled writes reach the disk with the checkpoint.
        for setting in (*_SCRATCH, *_SORT) if sqlite else _PG_SORT:
            connection.exec_driver_sql(setting)
        _inbox_from_log(connection, consumer, in_key_order=sqlite)
        if key is not None:
            _add_primary_key(connection, inbox, key)
        for ix in indexes:
            ix.create(connection)
        connection.commit()
        if sqlite:
            for pragma in (*_DURABLE, *_UNSORT, "PRAGMA wal_checkpoint(TRUNCATE)"):
                connection.exec_driver_sql(pragma)
            connection.commit()


def _inbox_from_log(connection: Connection, consumer: str, in_key_order: bool) -> None:
    log, inbox = _tables()
    stamp = literal(utcnow(), inbox.c.processed_at.type)
    rows = select(literal(consumer, inbox.c.consumer.type), log.c.source, log.c.event_id, stamp)
    if in_key_order:
        rows = rows.order_by(log.c.source, log.c.event_id)
    columns = ("consumer", "source", "event_id", "processed_at")
    connection.execute(insert(inbox).from_select(columns, rows))


def _drop_primary_key(connection: Connection, table: Table) -> str | None:
    """The dropped constraint's name (PostgreSQL; SQLite cannot drop one)."""
    name = inspect(connection).get_pk_constraint(table.name)["name"]
    if name:
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql(f"ALTER TABLE {quote(table.name)} DROP CONSTRAINT {quote(name)}")
    return name


def _add_primary_key(connection: Connection, table: Table, name: str) -> None:
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(c.name) for c in table.primary_key.columns)
    connection.exec_driver_sql(
        f"ALTER TABLE {quote(table.name)} ADD CONSTRAINT {quote(name)} PRIMARY KEY ({columns})"
    )


def write(
    connection: Connection, consumer: str, events: Sequence[LoggedEvent], scratch: bool
) -> None:
    """In scratch mode the log only (`bulk_load` fills the inbox at its end).

    Call before any other write of the transaction (SQLite's pragmas must
    come before the transaction's first write)."""
    if not events:
        return
    log, inbox = _tables()
    at = _stamp(connection, inbox)
    inbox_rows = [] if scratch else [(consumer, e.source, e.event_id, at) for e in events]
    if connection.dialect.name == "postgresql":
        _copy(connection, log, _LOG_COLUMNS, events)
        _copy(connection, inbox, _INBOX_COLUMNS, inbox_rows)
        return
    for pragma in (_CACHE, *(_SCRATCH if scratch else ())):
        connection.exec_driver_sql(pragma)
    # The driver's executemany straight: SQLAlchemy's per-row parameter
    # processing cost more than SQLite's insert.
    connection.exec_driver_sql(
        f"INSERT INTO {log.name} ({', '.join(_LOG_COLUMNS)}) VALUES (?, ?, ?, ?, ?)", events
    )
    if inbox_rows:
        connection.exec_driver_sql(
            f"INSERT INTO {inbox.name} ({', '.join(_INBOX_COLUMNS)}) VALUES (?, ?, ?, ?)",
            inbox_rows,
        )


def _stamp(connection: Connection, inbox: Table) -> object:
    """The time processed, bound once as the column's type stores it on this
    dialect (the driver's executemany does not process parameters)."""
    dialect = connection.dialect
    bind = inbox.c.processed_at.type.dialect_impl(dialect).bind_processor(dialect)
    now = utcnow()
    return bind(now) if bind else now


def _copy(
    connection: Connection,
    table: Table,
    columns: tuple[str, ...],
    rows: Sequence[tuple[object, ...]],
) -> None:
    if not rows:
        return
    raw = connection.connection.driver_connection
    with (
        raw.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
