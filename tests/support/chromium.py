"""Headless Chromium (Debian package `chromium`) for screenshots and rendered DOM."""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from services.metrics.adapters.report.pdf import HEADLESS_FLAGS

CHROMIUM = "/usr/bin/chromium"


def chromium_binary() -> str:
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError(
            f"{CHROMIUM} not found: install it with `bash scripts/ci-setup.sh` "
            "(or apt-get install chromium)"
        )
    return path


def screenshot(
    url: str,
    path: Path | str,
    width: int = 1920,
    height: int = 1080,
    virtual_time_budget_ms: int | None = None,
    timeout: float = 90,
) -> Path:
    """Save a PNG of `url` at `width`x`height`; return its absolute path."""
    out = Path(path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    extra = [f"--screenshot={out}", f"--window-size={width},{height}"]
    if virtual_time_budget_ms is not None:
        extra.append(f"--virtual-time-budget={virtual_time_budget_ms}")
    _run([*extra, url], timeout)
    if not out.exists():
        raise RuntimeError(f"chromium wrote no screenshot of {url}")
    return out


def dump_dom(url: str, virtual_time_budget_ms: int = 5000, timeout: float = 90) -> str:
    """The DOM of `url` after its scripts ran for `virtual_time_budget_ms` of virtual time."""
    return _run(["--dump-dom", f"--virtual-time-budget={virtual_time_budget_ms}", url], timeout)


def _run(args: list[str], timeout: float) -> str:
    """Run chromium with a fresh profile; return its stdout."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as tmp:
        flags = [*HEADLESS_FLAGS, f"--user-data-dir={tmp}/profile"]
        stdout, stderr = Path(tmp, "stdout"), Path(tmp, "stderr")
        # Output goes to files, not pipes: chromium's helper processes inherit the
        # descriptors and could keep a pipe open after the browser itself exits.
        with stdout.open("wb") as out, stderr.open("wb") as err:
            proc = subprocess.Popen(
                [chromium_binary(), *flags, *args],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                cwd=tmp,
                start_new_session=True,
            )
            try:
                code = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                code = None
            finally:
                with contextlib.suppress(ProcessLookupError):  # the helper processes too
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if code != 0:
            reason = "timed out" if code is None else f"exited {code}"
            raise RuntimeError(f"chromium {reason}:\n{stderr.read_text(errors='replace')[-3000:]}")
        return stdout.read_text(errors="replace")
