"""Readiness waits follow the process: they wait as long as it makes progress,
and when they give up they say what it was doing (state, CPU, its log)."""

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sufficiency.stack.readiness import ExitedAtStart, NotReady, Watched, cpu_seconds, wait_for


@contextmanager
def child(script: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-u", "-c", script], stdout=out, stderr=out)
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_a_process_that_exits_at_start_is_reported_with_its_code_and_log(tmp_path):
    log = tmp_path / "svc.log"
    script = "import sys; print('migrating the store'); sys.exit('database is locked')"
    with child(script, log) as proc, pytest.raises(ExitedAtStart) as failed:
        wait_for(Watched("referrals", proc, [log], lambda: False), stall=30, ceiling=60)
    message = str(failed.value)
    assert "referrals ended before it was ready" in message
    assert "exited with code 1" in message
    assert "migrating the store" in message and "database is locked" in message


def test_a_silent_idle_process_is_given_up_after_the_stall_with_its_log(tmp_path):
    log = tmp_path / "svc.log"
    script = "import time; print('connecting to the broker', flush=True); time.sleep(60)"
    with child(script, log) as proc, pytest.raises(NotReady) as failed:
        wait_for(Watched("metrics", proc, [log], lambda: False), stall=1.5, ceiling=60)
    message = str(failed.value)
    assert "metrics made no progress for" in message
    assert "still running" in message and "s of CPU used" in message
    assert "connecting to the broker" in message


def test_a_process_that_keeps_making_progress_is_waited_for_beyond_the_stall(tmp_path):
    log, flag = tmp_path / "svc.log", tmp_path / "ready"
    script = (
        "import time, pathlib\n"
        "for i in range(12): print('folding batch', i, flush=True); time.sleep(0.25)\n"
        f"pathlib.Path({str(flag)!r}).touch(); time.sleep(60)\n"
    )
    with child(script, log) as proc:
        waited = wait_for(Watched("forecast", proc, [log], flag.exists), stall=1.0, ceiling=60)
    assert waited > 1.0  # longer than the stall: its log kept growing


def test_a_busy_process_is_given_up_at_the_ceiling(tmp_path):
    log = tmp_path / "svc.log"
    script = "import time\nwhile True: print('still loading', flush=True); time.sleep(0.1)"
    with child(script, log) as proc, pytest.raises(NotReady) as failed:
        wait_for(Watched("vacancies", proc, [log], lambda: False), stall=5, ceiling=1.0)
    assert "not ready at the 1 s ceiling" in str(failed.value)
    assert "still loading" in str(failed.value)


def test_cpu_time_counts_as_progress(tmp_path):
    # Silent but computing (migrating, folding a log): not stuck, so only the
    # ceiling ends the wait.
    log = tmp_path / "svc.log"
    script = "import time\nend = time.time() + 60\nwhile time.time() < end: pass"
    with child(script, log) as proc:
        first = cpu_seconds(proc.pid)
        with pytest.raises(NotReady) as failed:
            wait_for(Watched("metrics", proc, [log], lambda: False), stall=1.0, ceiling=2.5)
        assert first is not None and (cpu_seconds(proc.pid) or 0) > first
    assert "ceiling" in str(failed.value)
    assert "(its log is empty)" in str(failed.value)
