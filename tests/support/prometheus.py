"""A real Prometheus server (and promtool, amtool) for tests, from the Debian packages
`prometheus` and `prometheus-alertmanager`."""

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from sufficiency.stack.readiness import Watched, wait_for
from tests.support.ports import free_port

INSTALL_HINT = (
    "install it with `bash scripts/ci-setup.sh`"
    " (or apt-get install prometheus prometheus-alertmanager)"
)


def _binary(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/bin:/usr/local/bin")
    if path is None:
        raise RuntimeError(f"`{name}` not found in PATH: {INSTALL_HINT}")
    return path


def prometheus_binary() -> str:
    return _binary("prometheus")


def promtool_binary() -> str:
    return _binary("promtool")


def amtool_binary() -> str:
    return _binary("amtool")


@contextmanager
def prometheus_server(config: Path, port: int | None = None) -> Iterator[str]:
    """Run Prometheus with `config` on a loopback port; yield its base URL.

    Pass `port` when the config must name the server's own address (self-scrape).
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="prometheus-") as tmp:
        log = Path(tmp) / "prometheus.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [
                    prometheus_binary(),
                    f"--config.file={config}",
                    f"--storage.tsdb.path={tmp}/data",
                    f"--web.listen-address=127.0.0.1:{port}",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=tmp,
            )
        try:
            wait_for(Watched("prometheus", proc, [log], lambda: _ready(url)))
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/-/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
