"""Real parts for several replicas: a fresh PostgreSQL database per test module, the
broker, and services as processes that a test can kill -9."""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from sufficiency.stack.processes import free_port, wait_ready


@pytest.fixture(scope="module")
def database(postgres_url: str) -> str:
    """A database of its own on the test server (services use fixed schema names)."""
    name = f"replicas_{uuid.uuid4().hex[:8]}"
    url = make_url(postgres_url)
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


@dataclass
class Replica:
    name: str
    url: str
    proc: "subprocess.Popen[bytes]"
    log: Path

    def ready(self) -> dict:
        return httpx.get(f"{self.url}/readyz", timeout=10).json()

    def leads(self, duty: str) -> bool:
        try:
            return bool(self.ready()["leads"].get(duty))
        except (httpx.HTTPError, KeyError, ValueError):
            return False

    def kill(self) -> None:
        """kill -9: no shutdown, no lease released by the process itself."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


@contextmanager
def replica(name: str, env: dict[str, str], replica_id: str) -> Iterator[Replica]:
    port = free_port()
    data_dir = Path(env["DATA_DIR"])
    log = data_dir / f"{name}-{replica_id}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            env={**env, f"{name.upper()}_PORT": str(port), "REPLICA_ID": replica_id},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc, log)
        yield Replica(name, url, proc, log)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def replicas(name: str, env: dict[str, str], count: int = 2) -> Iterator[list[Replica]]:
    with ExitStack() as stack:
        yield [stack.enter_context(replica(name, env, f"{name}-{i}")) for i in range(count)]
