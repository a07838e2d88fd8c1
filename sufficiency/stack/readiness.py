"""Waiting for a starting process: as long as it makes progress, up to a ceiling.

A fixed timeout fails on a loaded machine (a service that needs forty seconds
of a shared CPU to migrate and fold its log is slow, not broken) and waits
too long for one that is stuck. These waits follow the process itself: it
must stay alive, and within every `stall` seconds its log must grow or it
must use CPU time; `ceiling` bounds the whole wait. Giving up says why, with
the process's exit code (or that it still runs), its CPU time and the tail
of its log.
"""

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

STALL_SECONDS = 60.0  # no log line and no CPU for this long: stuck
CEILING_SECONDS = 900.0  # however busy the machine, never longer than this
TAIL_CHARS = 3000


class NotReady(TimeoutError):
    """Given up on a process that still runs: stuck, or past the ceiling."""


class ExitedAtStart(RuntimeError):
    """The process ended before it was ready."""


class Process(Protocol):
    """What is needed of a child process (subprocess.Popen has it)."""

    @property
    def pid(self) -> int: ...

    def poll(self) -> int | None: ...


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time the process has used (Linux /proc), else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (command name)"
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _log_files(logs: Sequence[Path]) -> list[Path]:
    """The logs, a folder standing for every *.log file in it."""
    files: list[Path] = []
    for path in logs:
        files.extend(sorted(path.glob("*.log")) if path.is_dir() else [path])
    return files


def tail(logs: Sequence[Path], chars: int = TAIL_CHARS) -> str:
    """The end of each log that has anything in it, newest last."""
    parts = []
    files = [f for f in _log_files(logs) if f.exists() and f.stat().st_size]
    for f in sorted(files, key=lambda f: f.stat().st_mtime):
        with f.open("rb") as handle:
            handle.seek(max(0, f.stat().st_size - chars))
            parts.append(f"--- {f} ---\n{handle.read().decode(errors='replace')}")
    return "\n".join(parts) or "(its log is empty)"


@dataclass
class Watched:
    """A starting process, its logs, and whether it is ready yet."""

    name: str
    process: Process
    logs: Sequence[Path]
    ready: Callable[[], bool]
    _seen: tuple[int, float | None] = field(default=(-1, None), init=False)
    _moved_at: float = field(default_factory=time.monotonic, init=False)

    def progress(self) -> tuple[int, float | None]:
        size = sum(f.stat().st_size for f in _log_files(self.logs) if f.exists())
        return size, cpu_seconds(self.process.pid)

    def idle_for(self, now: float) -> float:
        """Seconds since the log last grew or the process last used CPU."""
        seen = self.progress()
        if seen != self._seen:
            self._seen, self._moved_at = seen, now
        return now - self._moved_at

    def state(self) -> str:
        code = self.process.poll()
        cpu = cpu_seconds(self.process.pid)
        used = "" if cpu is None else f", {cpu:.1f} s of CPU used"
        status = "still running" if code is None else f"exited with code {code}"
        return f"{self.name} (pid {self.process.pid}) {status}{used}"


def wait_for_all(
    watched: Sequence[Watched],
    stall: float = STALL_SECONDS,
    ceiling: float = CEILING_SECONDS,
    interval: float = 0.2,
    on_ready: Callable[[Watched], None] | None = None,
) -> float:
    """Until every process is ready; returns the seconds waited.

    Raises ExitedAtStart when one ends first, NotReady when one that is not
    ready makes no progress for `stall` seconds or `ceiling` passes."""
    start = time.monotonic()
    pending = list(watched)
    while pending:
        for w in list(pending):
            if w.process.poll() is not None:
                raise ExitedAtStart(_report(w, "ended before it was ready", start))
            if w.ready():
                pending.remove(w)
                if on_ready is not None:
                    on_ready(w)
        now = time.monotonic()
        for w in pending:
            if (idle := w.idle_for(now)) >= stall:
                raise NotReady(_report(w, f"made no progress for {idle:.0f} s", start))
            if now - start >= ceiling:
                raise NotReady(_report(w, f"not ready at the {ceiling:.0f} s ceiling", start))
        if pending:
            time.sleep(interval)
    return time.monotonic() - start


def wait_for(
    watched: Watched, stall: float = STALL_SECONDS, ceiling: float = CEILING_SECONDS
) -> float:
    return wait_for_all([watched], stall, ceiling)


def _report(w: Watched, why: str, start: float) -> str:
    waited = time.monotonic() - start
    return f"{w.name} {why} (waited {waited:.1f} s); {w.state()}; its log:\n{tail(w.logs)}"
