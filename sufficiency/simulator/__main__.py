"""python -m sufficiency.simulator: write a backfill, and print the check table.

    uv run python -m sufficiency.simulator --years 5 --end 2024-03-31 --seed 1 \
        --out d2n2.jsonl --check
"""

import argparse
import sys
import time
from datetime import date

from sufficiency.simulator.calibration import D2N2
from sufficiency.simulator.check import compare, format_table
from sufficiency.simulator.output import write_jsonl
from sufficiency.simulator.stream import backfill


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sufficiency.simulator")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2024, 3, 31))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--la", action="append", choices=D2N2, help="an LA code (repeatable); default all four"
    )
    parser.add_argument("--out", help="JSON Lines file to write")
    parser.add_argument(
        "--check", action="store_true", help="print published against simulated at each 31 March"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    events = list(backfill(args.years, args.end, args.seed, args.la or D2N2))
    print(f"{len(events):,} events in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.out:
        write_jsonl(events, args.out)
    if args.check:
        print(format_table(compare(events)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
