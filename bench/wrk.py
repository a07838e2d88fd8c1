"""Closed-loop request rates with wrk, a compiled load generator.

A Python generator was the bottleneck of the old raw limit (about 550 req/s
against a trivial endpoint that serves several thousand). wrk sends from C
with a Lua hook that gives every request its own event id, so a service
stores each one rather than answering "duplicate".
"""

import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

INSTALL = (
    "wrk (the HTTP load generator) is not installed: `apt-get install -y wrk` "
    "(Debian/Ubuntu; scripts/ci-setup.sh installs it), or `brew install wrk`"
)
# Placeholders in a body template, filled per request (the Lua script names them too).
EVENT_ID, SERIAL = "@EVENT_ID@", "@SERIAL@"

_SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end
local counter = 0
local template = %(template)s
local headers = {%(headers)s}
function request()
  counter = counter + 1
  local id = string.format("%%08x-%%04x-4000-8000-%%012x", %(tag)d, thread_no, counter)
  local serial = %(tag)d .. "-" .. thread_no .. "-" .. counter
  local body = template:gsub("@EVENT_ID@", id):gsub("@SERIAL@", serial)
  return wrk.format("POST", nil, headers, body)
end
"""


@dataclass(frozen=True)
class WrkRun:
    rate: float  # requests per second
    p50_ms: float
    p99_ms: float
    requests: int
    failed: int  # non-2xx answers and socket errors


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(INSTALL)
    return path


def _lua_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def script(template: str, headers: dict[str, str]) -> str:
    """The Lua script: every EVENT_ID and SERIAL in `template` filled per request."""
    all_headers = {"Content-Type": "application/json", **headers}
    return _SCRIPT % {
        "template": _lua_string(template),
        "headers": ", ".join(
            f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in all_headers.items()
        ),
        "tag": random.randrange(1 << 31),
    }


def run(
    url: str,
    template: str,
    headers: dict[str, str] | None = None,
    seconds: int = 5,
    connections: int = 16,
    threads: int = 1,
) -> WrkRun:
    wrk = require_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script(template, headers or {}))
    try:
        out = subprocess.run(
            [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
             "--latency", "--timeout", "30s", "-s", f.name, url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    finally:
        Path(f.name).unlink()
    return parse(out)


def parse(out: str) -> WrkRun:
    rate = float(_find(r"Requests/sec:\s+([\d.]+)", out))
    requests = int(_find(r"(\d+) requests in", out))
    failed = int(_find(r"Non-2xx or 3xx responses: (\d+)", out, "0"))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        failed += sum(int(g) for g in errors.groups())
    return WrkRun(rate, _ms(_find(r"(?m)^\s+50%\s+(\S+)\s*$", out)),
                  _ms(_find(r"(?m)^\s+99%\s+(\S+)\s*$", out)),
                  requests, failed)  # fmt: skip


def _find(pattern: str, text: str, default: str | None = None) -> str:
    match = re.search(pattern, text)
    if match is None:
        if default is None:
            raise ValueError(f"wrk output without {pattern!r}:\n{text}")
        return default
    return match.group(1)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]
