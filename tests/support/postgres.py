"""A real PostgreSQL server for tests, as a SQLAlchemy URL.

In order: `TEST_DATABASE_URL` if set; a testcontainers PostgreSQL when a Docker
engine answers; else a throwaway server started from the distribution's
binaries (Debian: package `postgresql`, binaries in /usr/lib/postgresql/N/bin).
There is no skip: when none of these works the caller gets an error.
"""

import glob
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.support.docker import docker_available
from tests.support.ports import free_port

IMAGE = "postgres:16.4-alpine"
DATABASE = "sufficiency_test"
# PostgreSQL refuses to run as root; as root we run it as this system user.
UNPRIVILEGED_USER = "pgtest"


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a `postgresql+psycopg://` URL of a database nobody else uses."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
    elif docker_available():
        with postgres_container() as url:
            yield url
    else:
        with local_postgres() as url:
            yield url


@contextmanager
def postgres_container() -> Iterator[str]:
    from testcontainers.community.postgres import PostgresContainer

    with PostgresContainer(IMAGE, driver="psycopg") as pg:
        yield pg.get_connection_url()


def find_bin_dir() -> Path:
    """The directory holding initdb, pg_ctl and postgres (newest version first)."""
    candidates = [os.path.dirname(os.path.realpath(p)) for p in (shutil.which("pg_ctl"),) if p]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    for directory in candidates:
        if all(
            os.access(os.path.join(directory, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres")
        ):
            return Path(directory)
    raise RuntimeError(
        "No PostgreSQL for the tests: TEST_DATABASE_URL is unset, no Docker engine answers, "
        "and no initdb/pg_ctl/postgres in PATH or /usr/lib/postgresql/*/bin. "
        "Install the server (`bash scripts/ci-setup.sh`, or apt-get install postgresql) "
        "or set TEST_DATABASE_URL=postgresql+psycopg://user:pw@host:5432/db."
    )


def _version(bin_dir: str) -> tuple[int, ...]:
    name = Path(bin_dir).parent.name
    return tuple(int(p) for p in name.split(".") if p.isdigit()) or (0,)


@dataclass
class LocalServer:
    """A throwaway cluster served from the distribution's binaries, which a test
    may crash (immediate stop: no checkpoint, recovery at the next start)."""

    root: Path
    bin_dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _pg_ctl(self, *args: str) -> list[str]:
        return [str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), *args]

    def start(self) -> None:
        # Durability settings off: the cluster is thrown away after the session.
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root / 'sock'} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = self.root / "server.log"
        _run(self._pg_ctl("-l", str(log), "-w", "-t", "60", "-o", options, "start"), self.root, log)

    def crash(self) -> None:
        subprocess.run(
            _as_server_user(self._pg_ctl("-m", "immediate", "-w", "stop")),
            cwd=self.root,
            capture_output=True,
            timeout=60,
        )


@contextmanager
def local_postgres() -> Iterator[str]:
    """initdb into a temp dir, serve on a free loopback port, remove it all at exit."""
    with local_postgres_server() as server:
        yield server.url


@contextmanager
def local_postgres_server() -> Iterator[LocalServer]:
    bin_dir = find_bin_dir()
    as_root = os.geteuid() == 0
    if as_root:
        _ensure_user(UNPRIVILEGED_USER)
    root = Path(tempfile.mkdtemp(prefix="pgtest-"))
    (root / "sock").mkdir()
    if as_root:
        _chown_tree(root, UNPRIVILEGED_USER)
    server = LocalServer(root, Path(bin_dir), free_port())
    started = False
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(root / "data"),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            root,
        )
        server.start()
        started = True
        with psycopg.connect(
            host="127.0.0.1", port=server.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        yield server
    finally:
        if started:
            server.crash()
        shutil.rmtree(root, ignore_errors=True)


def _as_server_user(cmd: list[str]) -> list[str]:
    """`cmd` as run by the unprivileged user when we are root, else unchanged."""
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", UNPRIVILEGED_USER, "--", *cmd]
    return ["su", "-s", "/bin/sh", UNPRIVILEGED_USER, "-c", shlex.join(cmd)]


def _ensure_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
        return
    except KeyError:
        pass
    result = subprocess.run(
        [
            "useradd",
            "--system",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ],
        capture_output=True,
        text=True,
    )
    try:  # another test process may have created it meanwhile
        pwd.getpwnam(name)
    except KeyError:
        raise RuntimeError(
            f"cannot create user {name!r} to run PostgreSQL as: {result.stderr.strip()}"
        ) from None


def _chown_tree(root: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for path in [root, *root.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _run(cmd: list[str], cwd: Path, log: Path | None = None) -> None:
    # cwd: the unprivileged user may not be allowed into the caller's directory.
    cmd = _as_server_user(cmd)
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        server_log = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        raise RuntimeError(
            f"`{shlex.join(cmd)}` failed ({result.returncode}):\n"
            f"{result.stdout}{result.stderr}{server_log}"
        )
