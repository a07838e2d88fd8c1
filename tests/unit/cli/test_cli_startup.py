"""`sufficiency --help` stays quick: importing the CLI loads no database,
migration, web or service code (each command imports its own when it runs),
and the help is click's plain text, without rich."""

import subprocess
import sys

HEAVY = ("alembic", "sqlalchemy", "sqlmodel", "services", "fastapi", "aiokafka", "pydantic",
         "numpy", "scipy", "statsmodels", "httpx", "psycopg", "rich", "markdown_it")  # fmt: skip
LOADED = (
    "import sys, sufficiency.cli; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_importing_the_cli_loads_nothing_heavy():
    loaded = set(run("-c", LOADED).stdout.split())
    assert "typer" in loaded  # the probe itself works
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_help_lists_every_command_without_loading_them():
    done = run("-X", "importtime", "-m", "sufficiency.cli", "--help")
    assert done.returncode == 0, done.stderr
    for command in ("import-903", "export-903", "simulate", "keys", "db", "replay", "run"):
        assert command in done.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))


def test_version_prints_the_installed_version():
    done = run("-m", "sufficiency.cli", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("sufficiency 0.")
