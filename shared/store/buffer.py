"""Write-only rows (outbox, ingest log) inserted in bulk when the session flushes.

Building an ORM object per row costs more than the insert itself; these rows
are never read back in the transaction that writes them, so they are kept as
plain dicts and written with one executemany per table, in the order given,
just before a query that may read one of their tables, and at commit. An ORM
flush does not write them: no mapped table refers to them, and a batch whose
every event changes ORM rows would otherwise insert them one by one.
"""

from typing import Any

from sqlalchemy import Connection, Insert, Table, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

_KEY = "buffered_rows"
# In a table's info: a row already there (a unique key) is left as it is, for
# a table that several writers (replicas) fill with the same rows.
IGNORE_DUPLICATES = "buffer_ignore_duplicates"


def add(session: Session, table: Table, row: dict[str, Any]) -> None:
    pending: dict[Table, list[dict[str, Any]]] = session.info.setdefault(_KEY, {})
    pending.setdefault(table, []).append(row)


def write(session: Session) -> None:
    pending: dict[Table, list[dict[str, Any]]] = session.info.pop(_KEY, {})
    connection = session.connection()  # not session.execute: no re-entrant autoflush
    for table, rows in pending.items():
        connection.execute(_insert(connection, table), rows)


def _insert(connection: Connection, table: Table) -> Insert:
    if not table.info.get(IGNORE_DUPLICATES):
        return insert(table)
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


@event.listens_for(Session, "do_orm_execute")
def _before_query(state: ORMExecuteState) -> None:
    # A query in the same transaction sees the buffered rows. Only a query that
    # may read a buffered table writes them, so that a batch whose rules query
    # other tables event by event still inserts its rows in one executemany.
    pending: dict[Table, list[dict[str, Any]]] | None = state.session.info.get(_KEY)
    if pending and _may_read(state, pending):
        write(state.session)


def _may_read(state: ORMExecuteState, pending: dict[Table, list[dict[str, Any]]]) -> bool:
    if not state.is_select or not state.all_mappers:
        return True  # a write, or a statement we cannot see into
    return any(m.local_table in pending for m in state.all_mappers)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.info.get(_KEY):
        write(session)
