"""Starting what a benchmark measures: a broker and service processes on free ports."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from sufficiency.stack.processes import free_port, wait_ready


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
        proc.wait(20)
        log.close()


def key_for(data_dir: Path, la: str) -> str:
    return create_key(keys_engine(None, None, data_dir), la, frozenset(Scope))[1]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
