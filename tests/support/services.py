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


@contextmanager
def running_service(
    name: str, env: dict[str, str], stall: float = STALL_SECONDS, ceiling: float = CEILING_SECONDS
) -> Iterator[RunningService]:
    """The service as a process, once it answers /readyz: waited for while it
    makes progress, so a loaded machine slows the start without failing it."""
    port = free_port()
    log = Path(env["DATA_DIR"]) / f"{name}-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            env={**env, f"{name.upper()}_PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc, log, stall, ceiling)
        yield RunningService(name, url, log)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
