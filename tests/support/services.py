"""Starting a service as a real process (uvicorn) for integration tests."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sufficiency.stack.processes import free_port, wait_ready
from sufficiency.stack.readiness import CEILING_SECONDS, STALL_SECONDS


@dataclass(frozen=True)
class RunningService:
    name: str
    url: str
    log: Path


def service_env(
    data_dir: Path, bootstrap: str, idempotence: bool, database_url: str | None = None, **extra: str
) -> dict[str, str]:
    env = dict(
        os.environ,
        DATA_DIR=str(data_dir),
        KAFKA_BOOTSTRAP_SERVERS=bootstrap,
        KAFKA_IDEMPOTENCE=str(idempotence).lower(),
        LOG_JSON="true",
        **extra,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@dataclass(frozen=True)
class ServiceProcess:
    """A started service process (maybe not ready yet), for tests that kill it."""

    name: str
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def wait_ready(self, stall: float = STALL_SECONDS, ceiling: float = CEILING_SECONDS) -> None:
        wait_ready(self.url, self.process, self.log, stall, ceiling)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def start_service(name: str, env: dict[str, str], port: int | None = None) -> ServiceProcess:
    """The service as a process, without waiting for it (several start at once)."""
    port = port or free_port()
    log = Path(env["DATA_DIR"]) / f"{name}-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            env={**env, f"{name.upper()}_PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return ServiceProcess(name, f"http://127.0.0.1:{port}", log, proc)


@contextmanager
def running_service(
    name: str, env: dict[str, str], stall: float = STALL_SECONDS, ceiling: float = CEILING_SECONDS
) -> Iterator[RunningService]:
    """The service as a process, once it answers /readyz: waited for while it
    makes progress, so a loaded machine slows the start without failing it."""
    started = start_service(name, env)
    try:
        started.wait_ready(stall, ceiling)
        yield RunningService(name, started.url, started.log)
    finally:
        started.stop()
