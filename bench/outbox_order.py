"""What the outbox's per-key order lock costs on PostgreSQL (shared.store.outbox).

Concurrent writers commit outbox rows, as POST /events does (one row per
transaction) and as a batch does (many rows per transaction). The same run
measures them without the lock (the raw limit: the inserts and commits alone)
and with it, in alternating slices, and prints the ratio.

    uv run python -m bench.outbox_order [--database-url URL] [--threads 4] [--seconds 5]

Without --database-url a throwaway local PostgreSQL is started (tests/support).
"""

import argparse
import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import SQLModel

from shared.db import make_engine, transaction
from shared.store import buffer, outbox
from shared.store.tables import SHARED_TABLES, OutboxMessage, table_of

KEYS = [f"C{i}" for i in range(10_000)]
VALUE = '{"id": "x", "data": {"child_id": "C1"}}' * 10


def write(engine: Engine, rows: int, until: float, done: list[int]) -> None:
    count, pick = 0, random.Random()
    while time.monotonic() < until:
        with transaction(engine) as s:
            for _ in range(rows):
                outbox.enqueue_raw(s, "journey.v1", pick.choice(KEYS), VALUE)
        count += rows
    done.append(count)


def rate(engine: Engine, threads: int, rows: int, seconds: float) -> float:
    done: list[int] = []
    until = time.monotonic() + seconds
    workers = [
        threading.Thread(target=write, args=(engine, rows, until, done)) for _ in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(done) / seconds


@contextmanager
def server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    from tests.support.postgres import postgres_server

    with postgres_server() as started:
        yield started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    with server(args.database_url) as url:
        engine = make_engine(url, f"bench{uuid.uuid4().hex[:6]}")
        SQLModel.metadata.create_all(engine, tables=list(SHARED_TABLES))
        table = table_of(OutboxMessage)
        lock = buffer._at_commit[table.name]
        print(f"{args.threads} writer threads, {args.seconds:.0f} s per figure; rows/s")
        print("rows per transaction | without the lock (raw) | with the lock | ratio")
        slices = 5  # the two alternate, so that the machine's load changes both alike
        for rows in (1, 100):
            raw = locked = 0.0
            for _ in range(slices):
                buffer.write_at_commit(table, lambda _c, _r: None)
                raw += rate(engine, args.threads, rows, args.seconds / slices) / slices
                buffer.write_at_commit(table, lock)
                locked += rate(engine, args.threads, rows, args.seconds / slices) / slices
            print(f"{rows} | {raw:,.0f} | {locked:,.0f} | {locked / raw:.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
