"""Starting the embedded stack with the CLI, as a user would."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.ports import free_port

SERVICES = ("referrals", "vacancies", "metrics", "forecast")


@dataclass(frozen=True)
class Stack:
    urls: dict[str, str]
    keys: dict[str, str]
    data_dir: Path
    broker_port: int
    process: subprocess.Popen[bytes]

    def headers(self, la: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[la]}"}


def stack_env(data_dir: Path, ports: dict[str, int], broker_port: int) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")
    }
    env.update({f"{n.upper()}_PORT": str(p) for n, p in ports.items()})
    env.update(DATA_DIR=str(data_dir), BROKER_PORT=str(broker_port))
    return env


@contextmanager
def embedded_stack(
    data_dir: Path,
    ports: dict[str, int] | None = None,
    broker_port: int | None = None,
    demo: bool = False,
    ready_timeout: float = 120,
) -> Iterator[Stack]:
    ports = ports or {name: free_port() for name in SERVICES}
    broker_port = broker_port or free_port()
    log = (data_dir / "stack-cli.log").open("ab")
    argv = [sys.executable, "-m", "sufficiency.cli", "run", "--data-dir", str(data_dir)]
    argv.append("--demo" if demo else "--no-demo")
    proc = subprocess.Popen(
        argv,
        env=stack_env(data_dir, ports, broker_port),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    urls = {n: f"http://127.0.0.1:{p}" for n, p in ports.items()}
    try:
        _wait(urls, proc, data_dir, ready_timeout)
        keys = json.loads((data_dir / "demo-keys.json").read_text())
        yield Stack(urls, keys, data_dir, broker_port, proc)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait(
    urls: dict[str, str], proc: subprocess.Popen[bytes], data_dir: Path, timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((data_dir / "stack-cli.log").read_text()[-3000:])
        if all(_ready(u) for u in urls.values()):
            return
        time.sleep(0.5)
    raise TimeoutError((data_dir / "stack-cli.log").read_text()[-3000:])


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def broker_pid(data_dir: Path) -> int:
    return int(json.loads((data_dir / "stack.json").read_text())["broker"])


def poll(fn, timeout: float = 30.0, interval: float = 0.2):  # type: ignore[no-untyped-def]
    """Call fn until it returns a truthy value; return that value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met in {timeout}s (last: {last!r})")
