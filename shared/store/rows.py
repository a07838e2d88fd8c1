"""Rows by primary key, read at most once per transaction.

Every query of an ORM session first flushes the session's pending changes,
and a flush costs far more than the lookup it precedes. A batch that applies
event after event, each looking rows up by key, so pays for a flush per event.
Here a transaction remembers every row it has read or added by key (and
every key it found absent), so after `prefetch` has read a batch's rows in a
few queries, the events look them up without a query and the batch's changes
are flushed together.

The cache is exact only if every new row of the model is added through `add`
in that transaction: the write paths that use `get` must also use `add`.
"""

from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar, cast

from sqlalchemy import inspect, tuple_
from sqlmodel import Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

Row = TypeVar("Row", bound=SQLModel)
Group = TypeVar("Group", bound=Hashable)
CHUNK = 400
_KEY = "rows_by_key"


def _cache(session: Session) -> dict[tuple[type, Any], object | None]:
    cache: dict[tuple[type, Any], object | None] = session.info.setdefault(_KEY, {})
    return cache


def _identity(model: type[SQLModel], row: SQLModel) -> Any:
    names = [c.key for c in inspect(model).primary_key]
    values = tuple(getattr(row, n) for n in names)
    return values[0] if len(values) == 1 else values


def get(session: Session, model: type[Row], key: Any) -> Row | None:
    cache = _cache(session)
    if (model, key) not in cache:
        cache[(model, key)] = session.get(model, key)
    return cast(Row | None, cache[(model, key)])


def add(session: Session, row: SQLModel) -> None:
    """A new or changed row; a new one is found by later `get`s without a query."""
    session.add(row)
    _cache(session)[(type(row), _identity(type(row), row))] = row


def prefetch(session: Session, model: type[Row], keys: Iterable[Any]) -> None:
    """Read the rows of these keys in a few queries; a key with no row is
    remembered as absent."""
    cache = _cache(session)
    wanted = list({k for k in keys if k is not None and (model, k) not in cache})
    columns = list(inspect(model).primary_key)
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        match = columns[0].in_(chunk) if len(columns) == 1 else tuple_(*columns).in_(chunk)
        for row in session.exec(select(model).where(match)):
            cache[(model, _identity(model, row))] = row
        for key in chunk:
            cache.setdefault((model, key), None)


def remember(session: Session, rows: Iterable[SQLModel]) -> None:
    """Rows read by another query, so that `get` finds them."""
    cache = _cache(session)
    for row in rows:
        cache[(type(row), _identity(type(row), row))] = row


def prefetch_groups(
    session: Session,
    index: dict[Group, list[Row]],
    groups: Iterable[Group],
    query: Callable[[list[Group]], SelectOfScalar[Row]],
    group_of: Callable[[Row], Group],
) -> None:
    """Fill `index` (group -> rows) for the groups not in it yet, with `query`
    run on a few chunks of them; a group with no rows gets an empty list.
    The rows are kept, so `get` finds them too."""
    wanted = [g for g in set(groups) if g not in index]
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        found = list(session.exec(query(chunk)))
        remember(session, found)
        for group in chunk:
            index[group] = []
        for row in found:
            index[group_of(row)].append(row)
