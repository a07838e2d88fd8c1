"""Starting what a benchmark measures: a broker and service processes on free ports."""

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from sufficiency.stack.processes import free_port, tansu_broker, wait_ready


@dataclass(frozen=True)
class Service:
    name: str
    url: str
    pid: int


@contextmanager
def service(name: str, data_dir: Path, bootstrap: str, **env: str) -> Iterator[Service]:
    port = free_port()
    full_env = dict(
        os.environ,
        DATA_DIR=str(data_dir),
        KAFKA_BOOTSTRAP_SERVERS=bootstrap,
        KAFKA_IDEMPOTENCE="false",
        LOG_LEVEL="WARNING",
        **{f"{name.upper()}_PORT": str(port)},
        **env,
    )
    log = (data_dir / f"{name}.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", f"services.{name}"],
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc, data_dir / f"{name}.log")
        yield Service(name, url, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:  # still busy (metrics folding a backlog): figures are in
            proc.kill()
            proc.wait()
        log.close()


def key_for(data_dir: Path, la: str, database_url: str | None = None) -> str:
    """A key in the registry the services read (DATABASE_URL's, else DATA_DIR's)."""
    return create_key(keys_engine(None, database_url, data_dir), la, frozenset(Scope))[1]


@contextmanager
def database(kind: str) -> Iterator[str | None]:
    """None for SQLite (a file per service under DATA_DIR), or the URL of a throwaway
    local PostgreSQL (tests/support/postgres.py: fsync and synchronous_commit off)."""
    if kind == "sqlite":
        yield None
        return
    from tests.support.postgres import local_postgres

    with local_postgres() as url:
        yield url


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@dataclass(frozen=True)
class Stack:
    referrals: Service
    metrics: Service
    keys: dict[str, str]  # LA -> a key with every scope
    bootstrap: str  # the broker


@contextmanager
def referrals_and_metrics(db: str, las: tuple[str, ...]) -> Iterator[Stack]:
    """A broker, a database (`database(db)`), and the referrals and metrics
    services on them, with a key per LA; the metrics service takes no
    snapshots meanwhile (they would compete with what is measured)."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as tmp,
        tansu_broker() as bootstrap,
        database(db) as url,
    ):
        work = Path(tmp)
        env = {"DATABASE_URL": url} if url else {}
        keys = {la: key_for(work, la, url) for la in las}
        quiet = {"SNAPSHOT_CHECK_SECONDS": "3600"}
        with (
            service("referrals", work, bootstrap, **env) as ref,
            service("metrics", work, bootstrap, **env, **quiet) as met,
        ):
            yield Stack(ref, met, keys, bootstrap)
