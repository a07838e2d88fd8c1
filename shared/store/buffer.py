"""Write-only rows (outbox, ingest log) inserted in bulk when the session flushes.

Building an ORM object per row costs more than the insert itself; these rows
are never read back in the transaction that writes them, so they are kept as
plain dicts and written with one executemany per table, in the order given,
just before the session's next query or flush, and at commit.
"""

from typing import Any

from sqlalchemy import Table, event, insert
from sqlalchemy.orm import ORMExecuteState, Session

_KEY = "buffered_rows"


def add(session: Session, table: Table, row: dict[str, Any]) -> None:
    pending: dict[Table, list[dict[str, Any]]] = session.info.setdefault(_KEY, {})
    pending.setdefault(table, []).append(row)


def write(session: Session) -> None:
    pending: dict[Table, list[dict[str, Any]]] = session.info.pop(_KEY, {})
    connection = session.connection()  # not session.execute: no re-entrant autoflush
    for table, rows in pending.items():
        connection.execute(insert(table), rows)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, *_: object) -> None:
    write(session)


@event.listens_for(Session, "do_orm_execute")
def _before_query(state: ORMExecuteState) -> None:
    # A query in the same transaction sees the buffered rows.
    if state.session.info.get(_KEY):
        write(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.info.get(_KEY):
        write(session)
