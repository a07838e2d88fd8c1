"""Leadership: which replica of a service does each of its background duties.

Several replicas of a service share one database. A duty that must run once
across them (the outbox relay, the vacancies clock, webhook deliveries, the
periodic publishers) runs only on the replica holding that duty's lease; the
others try for it every `LEASE_RETRY_SECONDS` and do nothing else for it.

- PostgreSQL: a session-level advisory lock, `pg_try_advisory_lock(key)`, on
  one connection kept for this purpose. The server releases it when that
  session ends, so a replica killed with -9 (its socket closed by the kernel)
  frees its duties at once and a standby takes them at its next try. If the
  connection fails the replica drops every duty first and tries again.
- SQLite (one machine, one file): an exclusive `flock` on a file beside the
  database (`<db file>.leases/<duty>`), which the kernel releases when the
  process dies. An in-memory database has one process by definition: it leads.

A lease's key is the first 8 bytes of sha256("sufficiency/<scope>/<duty>") as
a signed 64-bit integer, where scope is the service's name (its PostgreSQL
schema), so the services sharing a database never contend for each other's
duties. Each replica also holds a lease named `replica/<replica id>` for as
long as it lives, which lets the others tell whether it is still alive.

A lease moving is not instantaneous: a replica whose lease connection broke
notices at its next round (at most one retry interval), so a duty may overlap
for that long. Every duty tolerates it: the relay's consumers dedupe on
(source, id), the clock re-reads what is due under the supply lock, and a
webhook entry sent twice carries the same webhook-id.
"""

import asyncio
import fcntl
import hashlib
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Protocol

import structlog
from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

log = structlog.get_logger()

RELAY = "outbox-relay"
CLOCK = "clock"
WEBHOOKS = "webhooks"


def lease_key(scope: str, duty: str) -> int:
    """The advisory lock key of a duty of a service (documented above)."""
    digest = hashlib.sha256(f"sufficiency/{scope}/{duty}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


REPLICA_PREFIX = "replica/"


def replica_duty(replica_id: str) -> str:
    return f"{REPLICA_PREFIX}{replica_id}"


class Locks(Protocol):
    """Exclusive named locks that the operating system or the database server
    releases when the holding process dies."""

    def acquire(self, name: str) -> bool:
        """Take the lock now, or False when another holder has it."""
        ...

    def held_elsewhere(self, name: str) -> bool:
        """Whether another process holds it (this process does not take it)."""
        ...

    def check(self) -> None:
        """Raise when the locks held so far may have been lost."""
        ...

    def release_all(self) -> None: ...


class AdvisoryLocks:
    """PostgreSQL session-level advisory locks on one dedicated connection."""

    def __init__(self, engine: Engine, scope: str) -> None:
        # Its own engine without a pool: the session must be this connection
        # alone, never returned to a pool where another use could unlock it.
        self._engine = create_engine(engine.url, poolclass=NullPool)
        self._scope = scope
        self._conn: Connection | None = None

    def _connection(self) -> Connection:
        if self._conn is None:
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._conn = conn
        return self._conn

    def _ask(self, sql: str, name: str) -> bool:
        key = lease_key(self._scope, name)
        return bool(self._connection().execute(text(sql), {"k": key}).scalar())

    def acquire(self, name: str) -> bool:
        return self._ask("SELECT pg_try_advisory_lock(:k)", name)

    def held_elsewhere(self, name: str) -> bool:
        if not self._ask("SELECT pg_try_advisory_lock(:k)", name):
            return True
        self._ask("SELECT pg_advisory_unlock(:k)", name)
        return False

    def check(self) -> None:
        if self._conn is not None:
            self._conn.execute(text("SELECT 1"))

    def release_all(self) -> None:
        """Close the session: the server releases every lock it held."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception as exc:  # already broken: its locks are gone with it
                log.info("leadership.close_failed", error=repr(exc))


class FileLocks:
    """flock on files in a directory beside the SQLite database file."""

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._held: dict[str, IO[bytes]] = {}

    def _path(self, name: str) -> Path:
        return self._dir / re.sub(r"[^A-Za-z0-9_.-]", "_", name)

    def acquire(self, name: str) -> bool:
        self._dir.mkdir(parents=True, exist_ok=True)
        handle = self._path(name).open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._held[name] = handle
        return True

    def held_elsewhere(self, name: str) -> bool:
        try:
            handle = self._path(name).open("rb")  # never created by asking
        except FileNotFoundError:
            return False
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
        return False

    def check(self) -> None:
        return None  # a lock on an open file cannot be lost while the process lives

    def release_all(self) -> None:
        for name, handle in self._held.items():
            if name.startswith(REPLICA_PREFIX):
                # A replica's own lease is only ever taken by itself: its file can
                # go (a duty's cannot: a racing replica may have it open to lock).
                self._path(name).unlink(missing_ok=True)
            handle.close()
        self._held.clear()


class SoleProcessLocks:
    """An in-memory SQLite database belongs to one process: it holds every lease."""

    def acquire(self, name: str) -> bool:
        return True

    def held_elsewhere(self, name: str) -> bool:
        return False

    def check(self) -> None:
        return None

    def release_all(self) -> None:
        return None


def locks_for(engine: Engine, scope: str) -> Locks:
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return AdvisoryLocks(engine, scope)
    if not url.database or url.database == ":memory:":
        return SoleProcessLocks()
    return FileLocks(Path(f"{url.database}.leases"))


class Leadership:
    """The duties this replica leads, retried every `retry_seconds`."""

    def __init__(
        self,
        locks: Locks,
        replica_id: str,
        retry_seconds: float = 1.0,
        registry: CollectorRegistry | None = None,
        service: str = "",
    ) -> None:
        self.replica_id = replica_id
        self._service = service
        self._locks = locks
        self._retry = retry_seconds
        self._wanted: set[str] = {replica_duty(replica_id)}
        self._held: set[str] = set()
        self._guard = threading.Lock()  # the lock connection is used from threads
        self._gauge = (
            Gauge(
                "sufficiency_leader",
                "1 while this replica leads the duty (exactly one replica per duty should)",
                ["service", "duty"],
                registry=registry,
            )
            if registry is not None
            else None
        )

    @classmethod
    def create(
        cls,
        engine: Engine,
        scope: str,
        replica_id: str,
        retry_seconds: float,
        registry: CollectorRegistry | None = None,
    ) -> "Leadership":
        return cls(locks_for(engine, scope), replica_id, retry_seconds, registry, scope)

    def duty(self, name: str) -> Callable[[], bool]:
        """Register a duty; the returned predicate says whether this replica leads it now."""
        self._wanted.add(name)
        if self._gauge is not None:
            gauge = self._gauge.labels(self._service, name)
            gauge.set_function(lambda: 1.0 if self.leads(name) else 0.0)
        return lambda: self.leads(name)

    def leads(self, duty: str) -> bool:
        return duty in self._held

    def status(self) -> dict[str, bool]:
        """Each duty (but the replica's own liveness lease) and whether this replica leads it."""
        own = replica_duty(self.replica_id)
        return {d: d in self._held for d in sorted(self._wanted) if d != own}

    def round(self) -> None:
        """Check that the leases held are still held; try for the others."""
        with self._guard:
            try:
                if self._held:
                    self._locks.check()
                for name in sorted(self._wanted - self._held):
                    if self._locks.acquire(name):
                        self._held.add(name)
                        log.info("leadership.acquired", duty=name, replica=self.replica_id)
            except Exception as exc:
                self._drop(exc)

    def _drop(self, exc: BaseException) -> None:
        if self._held:
            log.warning("leadership.lost", duties=sorted(self._held), error=repr(exc))
        self._held.clear()
        self._locks.release_all()

    def alive(self, replica_id: str) -> bool:
        """Whether that replica is still running (holds its liveness lease).
        Raises when the lock store cannot be asked: then nobody is presumed dead."""
        if replica_id == self.replica_id:
            return True
        with self._guard:
            try:
                return self._locks.held_elsewhere(replica_duty(replica_id))
            except Exception as exc:
                self._drop(exc)
                raise

    async def run(self) -> None:
        while True:
            await asyncio.to_thread(self.round)
            await asyncio.sleep(self._retry)

    def release(self) -> None:
        with self._guard:
            self._held.clear()
            self._locks.release_all()
