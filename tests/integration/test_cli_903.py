"""`sufficiency simulate --output 903` feeds `sufficiency import-903` as it is:
the files import on a fresh store with nothing rejected, and export back the same."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
DERBY = "E06000015"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KEYS_DATABASE_URL")}
    done = subprocess.run(
        [sys.executable, "-m", "sufficiency.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "200"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_simulated_903_files_round_trip_through_import_and_export(tmp_path):
    out, data = tmp_path / "903", tmp_path / "data"
    cli("simulate", "--output", "903", "--out", out, "--years", "1", "--end", "2025-03-31",
        "--seed", "7", "--la", DERBY)  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == [
        f"episodes-{DERBY}-2024.csv",
        f"header-{DERBY}-2024.csv",
    ]
    episodes = out / f"episodes-{DERBY}-2024.csv"
    header = out / f"header-{DERBY}-2024.csv"
    assert header.read_text().startswith("CHILD,SEX,DOB,ETHNIC\n")
    rows = len(episodes.read_text().splitlines()) - 1
    assert rows > 100

    rejects = tmp_path / "rejects.csv"
    done = cli("import-903", header, episodes, "--la", DERBY, "--year", "2024",
               "--reject-report", rejects, "--data-dir", data)  # fmt: skip
    assert len(rejects.read_text().splitlines()) == 1, rejects.read_text()  # the column names only
    assert f"{rows:,}" in done.stdout  # episodes read and imported

    back = tmp_path / "back.csv"
    cli("export-903", "--la", DERBY, "--year", "2024", "--out", back, "--data-dir", data)
    assert back.read_text() == episodes.read_text()
