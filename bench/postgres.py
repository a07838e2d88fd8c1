"""A throwaway local PostgreSQL for the benchmarks' PostgreSQL column.

The same server the tests start (tests/support/postgres.py: Debian's binaries,
durability off, removed at exit), so both columns of bench/RESULTS.md run on
one machine with no other setup.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from shared.db import make_engine
from tests.support.postgres import local_postgres


@contextmanager
def postgres_url() -> Iterator[str]:
    """A `postgresql+psycopg://` URL of an empty database, gone at exit."""
    with local_postgres() as url:
        yield url


def engine_for(url: str, schema: str) -> Engine:
    return make_engine(url, schema)
