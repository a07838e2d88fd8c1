"""A large SSDA903 return imported, beside the rate its rows are read at alone.

Writes a synthetic return (header and episodes CSV) of about `--rows`
episode rows, then measures, each in its own process so that each peak
memory is its own:

* raw limit: csv.reader over the episodes file (rows/s);
* parse and validate alone: the file-level checks and the row parsers, as
  the import runs them (rows/s);
* import: `import_903` into a fresh SQLite store, everything included
  (rows/s and peak resident memory); with `--years N`, the N-1 earlier
  returns of the same children are imported first (not timed) so that the
  import measured merges the LA's N years; with `--again`, the latest return
  is imported once before it is measured, so that the import measured is the
  same year given again (a council resubmitting).

Rates are given by the wall clock and by the process's CPU time: on a shared
machine the wall clock of a long phase counts other people's work too.

    uv run python -m bench.ssda903 [--rows 260000] [--years 1] [--again] [--record]

`--record` appends the table to bench/RESULTS.md with the command.
"""

import argparse
import csv
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
LA = "E06000015"
YEAR = 2024
ROWS_PER_CHILD = 1.96  # what the generator gives for one year


def _csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def write_return(folder: Path, rows: int, seed: int, years: int = 1) -> int:
    """`years` returns of the same children, each of about `rows` rows: the latest
    in header.csv and episodes.csv, the earlier ones named by year."""
    from services.referrals.domain.ssda903.generate import generate_children, return_for_year

    children = generate_children(
        max(1, round(rows / ROWS_PER_CHILD * (1 if years == 1 else 1.2))),
        seed=seed,
        first_year=YEAR - years + 1,
        last_year=YEAR,
        la=LA,
    )
    for year in range(YEAR - years + 1, YEAR + 1):
        ret = return_for_year(children, year)
        suffix = "" if year == YEAR else f"_{year}"
        (folder / f"header{suffix}.csv").write_text(_csv(ret.header))
        (folder / f"episodes{suffix}.csv").write_text(_csv(ret.episodes))
    return len(ret.episodes)


def earlier_years(folder: Path) -> list[int]:
    return sorted(int(p.stem.split("_")[1]) for p in folder.glob("episodes_*.csv"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def phase_raw(folder: Path) -> dict[str, float]:
    began, cpu = time.perf_counter(), time.process_time()
    with (folder / "episodes.csv").open(newline="") as f:
        n = sum(1 for _ in csv.reader(f)) - 1
    return {
        "rows": n,
        "seconds": time.perf_counter() - began,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
    }


def phase_parse(folder: Path) -> dict[str, float]:
    from services.referrals.domain.ssda903.files import decode
    from services.referrals.domain.ssda903.rows import parse_episodes, parse_header
    from services.referrals.service_layer.ssda903_import import check_return

    began, cpu = time.perf_counter(), time.process_time()
    header = decode((folder / "header.csv").read_bytes(), "header").text
    episodes = decode((folder / "episodes.csv").read_bytes(), "episodes").text
    check_return(LA, header, episodes, YEAR)
    parse_header(header, year=YEAR)
    parsed = parse_episodes(episodes, year=YEAR)
    return {
        "rows": parsed.read,
        "seconds": time.perf_counter() - began,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
    }


def phase_import(folder: Path, again: bool = False) -> dict[str, float]:
    from services.referrals.domain.ssda903.files import decode
    from services.referrals.service_layer.ssda903_import import import_903
    from shared.db import make_engine
    from shared.migrations import upgrade

    migrations = Path(__file__).resolve().parents[1] / "services" / "referrals" / "migrations"
    engine = make_engine(f"sqlite:///{folder / 'referrals.db'}", schema="referrals")
    upgrade(engine, migrations)
    held = [(y, f"_{y}") for y in earlier_years(folder)] + ([(YEAR, "")] if again else [])
    for year, suffix in held:  # held before the return measured
        import_903(
            engine,
            LA,
            decode((folder / f"header{suffix}.csv").read_bytes(), "header").text,
            decode((folder / f"episodes{suffix}.csv").read_bytes(), "episodes").text,
            year,
            None,
            lambda done, total: None,
        )
    began, cpu = time.perf_counter(), time.process_time()
    header = decode((folder / "header.csv").read_bytes(), "header").text
    episodes = decode((folder / "episodes.csv").read_bytes(), "episodes").text
    outcome = import_903(engine, LA, header, episodes, YEAR, None, lambda done, total: None)
    seconds = time.perf_counter() - began
    return {
        "rows": outcome.report.episodes_read,
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "held_years": len(earlier_years(folder)),
        "again": int(again),
        "peak_mb": peak_mb(),
        "events": outcome.accepted,
    }


PHASES = {"raw": phase_raw, "parse": phase_parse, "import": phase_import}


def run_phase(name: str, folder: Path, again: bool = False) -> dict[str, float]:
    extra = ["--again"] if again and name == "import" else []
    out = subprocess.run(
        [sys.executable, "-m", "bench.ssda903", "--phase", name, "--dir", str(folder), *extra],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    print(name, figures, flush=True)
    return figures


def table(size_mb: float, figures: dict[str, dict[str, float]]) -> str:
    raw, parse, imp = figures["raw"], figures["parse"], figures["import"]

    def rate(f: dict[str, float], clock: str = "seconds") -> float:
        return f["rows"] / f[clock]

    held = int(imp.get("held_years", 0))
    again = ", the same year imported before (given again)" if imp.get("again") else ""
    lines = [
        f"| figure ({int(imp['rows']):,} episode rows, {size_mb:.1f} MB) | wall clock | CPU time |",
        "|---|---|---|",
        f"| raw limit: csv.reader over the episodes file | {rate(raw):,.0f} rows/s "
        f"| {rate(raw, 'cpu'):,.0f} rows/s |",
        f"| parsed and validated alone (file checks, row parsers), peak {parse['peak_mb']:,.0f} MB"
        f" | {rate(parse):,.0f} rows/s | {rate(parse, 'cpu'):,.0f} rows/s |",
        f"| imported (merge, events, revision, SQLite store), {held} earlier year(s) held{again}, "
        f"{int(imp['events']):,} events, peak {imp['peak_mb']:,.0f} MB "
        f"| {rate(imp):,.0f} rows/s ({imp['seconds']:,.0f} s) "
        f"| {rate(imp, 'cpu'):,.0f} rows/s ({imp['cpu']:,.0f} s) |",
        f"| import rate / parse-and-validate rate (target 0.2) | {rate(imp) / rate(parse):.3f} "
        f"| {rate(imp, 'cpu') / rate(parse, 'cpu'):.3f} |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=260_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--years", type=int, default=1, help="returns the LA holds (the latest is measured)"
    )
    parser.add_argument(
        "--again", action="store_true", help="measure the latest return imported a second time"
    )
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument(
        "--dir", type=Path, help="measure the files a `--keep` run left there (no generation)"
    )
    parser.add_argument("--keep", type=Path, help="write the files there and keep them")
    args = parser.parse_args()
    if args.phase:
        phase = PHASES[args.phase]
        measured = phase_import(args.dir, args.again) if phase is phase_import else phase(args.dir)
        print(json.dumps(measured))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or args.keep or Path(tmp)
        if args.dir is None:
            folder.mkdir(parents=True, exist_ok=True)
            n = write_return(folder, args.rows, args.seed, args.years)
            print(f"wrote a return of {n:,} episode rows", flush=True)
        (folder / "referrals.db").unlink(missing_ok=True)
        size_mb = (folder / "episodes.csv").stat().st_size / 1e6
        figures = {name: run_phase(name, folder, args.again) for name in PHASES}
    text = table(size_mb, figures)
    print(text)
    if args.record:
        command = " ".join(["uv run python -m bench.ssda903", *sys.argv[1:]])
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        with RESULTS.open("a") as f:
            f.write(f"\n## SSDA903 import of a large return ({stamp})\n\n`{command}`\n\n")
            f.write(text + "\n")


if __name__ == "__main__":
    main()
