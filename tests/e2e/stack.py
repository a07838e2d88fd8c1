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

from sufficiency.stack.processes import answers_ready
from sufficiency.stack.readiness import STALL_SECONDS, Watched, wait_for
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
        _wait(urls, proc, data_dir)
        keys = json.loads((data_dir / "demo-keys.json").read_text())
        yield Stack(urls, keys, data_dir, broker_port, proc)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait(urls: dict[str, str], proc: subprocess.Popen[bytes], data_dir: Path) -> None:
    """Until every service is ready. The CLI gives up on a stuck child itself
    and says why in its log, so this waits twice as long for progress."""
    logs = [data_dir / "stack-cli.log", data_dir / "logs"]
    ready = lambda: all(answers_ready(u) for u in urls.values())  # noqa: E731
    wait_for(Watched("sufficiency run", proc, logs, ready), stall=2 * STALL_SECONDS)


def broker_pid(data_dir: Path) -> int:
    return int(json.loads((data_dir / "stack.json").read_text())["broker"])


def poll(fn, timeout: float = 30.0, interval: float = 0.2):
    """Call fn until it returns a truthy value; return that value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met in {timeout}s (last: {last!r})")
