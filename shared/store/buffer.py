"""Write-only rows (outbox, ingest log) inserted in bulk when the session flushes.

Building an ORM object per row costs more than the insert itself; these rows
are never read back in the transaction that writes them, so they are kept as
plain dicts and written with one executemany per table, in the order given,
just before a query that may read one of their tables, and at commit. An ORM
flush does not write them: no mapped table refers to them, and a batch whose
every event changes ORM rows would otherwise insert them one by one.

A table registered with `write_at_commit` (the outbox) is held back until the
commit, after every other table, unless a query reads it: its hook then runs
with nothing left to do but insert those rows and commit.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Insert, Table, event, insert
from sqlalchemy.orm import ORMExecuteState, Session

from shared.db import insert_for

_KEY = "buffered_rows"
# In a table's info: a row already there (a unique key) is left as it is, for
# a table that several writers (replicas) fill with the same rows.
IGNORE_DUPLICATES = "buffer_ignore_duplicates"

BeforeInsert = Callable[[Connection, list[dict[str, Any]]], None]
# Tables written only at commit (or before a query that reads them), each with
# what must run just before its rows are inserted (see shared.store.outbox).
_at_commit: dict[str, BeforeInsert] = {}


def write_at_commit(table: Table, before_insert: BeforeInsert) -> None:
    _at_commit[table.name] = before_insert


# Other writers of rows kept on the session until commit (referrals' journey
# state), run at commit after the buffered rows, in the order registered.
_after_buffered: list[Callable[[Session], None]] = []


def at_commit_after_buffered(writer: Callable[[Session], None]) -> None:
    _after_buffered.append(writer)


def add(session: Session, table: Table, row: dict[str, Any]) -> None:
    pending: dict[Table, list[dict[str, Any]]] = session.info.setdefault(_KEY, {})
    pending.setdefault(table, []).append(row)


def write(session: Session, keep: Callable[[Table], bool] = lambda _: False) -> None:
    """Insert the buffered rows, but for the tables `keep` says to hold back."""
    pending: dict[Table, list[dict[str, Any]]] = session.info.pop(_KEY, {})
    held = {t: rows for t, rows in pending.items() if keep(t)}
    if held:
        session.info[_KEY] = held
    connection = session.connection()  # not session.execute: no re-entrant autoflush
    for table, rows in pending.items():
        if table in held:
            continue
        if (hook := _at_commit.get(table.name)) is not None:
            hook(connection, rows)
        connection.execute(_insert(connection, table), rows)


def _insert(connection: Connection, table: Table) -> Insert:
    if not table.info.get(IGNORE_DUPLICATES):
        return insert(table)
    return insert_for(connection, table).on_conflict_do_nothing()


@event.listens_for(Session, "do_orm_execute")
def _before_query(state: ORMExecuteState) -> None:
    # A query in the same transaction sees the buffered rows. Only a query that
    # may read a buffered table writes them, so that a batch whose rules query
    # other tables event by event still inserts its rows in one executemany.
    pending: dict[Table, list[dict[str, Any]]] | None = state.session.info.get(_KEY)
    if pending and _may_read(state, pending):
        read = {m.local_table for m in state.all_mappers}
        write(state.session, keep=lambda t: t.name in _at_commit and t not in read)


def _may_read(state: ORMExecuteState, pending: dict[Table, list[dict[str, Any]]]) -> bool:
    if not state.is_select or not state.all_mappers:
        return True  # a write, or a statement we cannot see into
    return any(m.local_table in pending for m in state.all_mappers)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    pending: dict[Table, list[dict[str, Any]]] | None = session.info.get(_KEY)
    if pending:
        # The tables written at commit go last: once their hook has run, the
        # transaction only inserts them and commits.
        session.info[_KEY] = dict(sorted(pending.items(), key=lambda i: i[0].name in _at_commit))
        write(session)
    for writer in _after_buffered:
        writer(session)
