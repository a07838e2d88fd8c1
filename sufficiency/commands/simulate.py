"""`sufficiency simulate`: the synthetic D2N2 world, to a file, a 903 file set, or the services."""

import json
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from services.referrals.domain.ssda903 import events_to_episodes, write_episodes_csv
from shared.codes.ssda903 import collection_year
from shared.events.envelope import Envelope
from sufficiency.simulator import D2N2, backfill, compare, format_table, write_jsonl

console = Console()


class Output(StrEnum):
    JSONL = "jsonl"
    SSDA903 = "903"
    HTTP = "http"


def simulate_command(
    output: Annotated[
        Output, typer.Option(help="jsonl file, 903 episodes files, or post to the services")
    ] = Output.JSONL,
    out: Annotated[Path, typer.Option(help="File (jsonl) or folder (903)")] = Path(
        "simulated.jsonl"
    ),
    years: Annotated[int, typer.Option(help="Years of history (backfill)")] = 5,
    end: Annotated[
        str | None, typer.Option(help="Last day, YYYY-MM-DD (default yesterday)")
    ] = None,
    seed: int = 2026,
    check: Annotated[bool, typer.Option(help="Print published against simulated figures")] = False,
    data_dir: Annotated[Path, typer.Option(envvar="DATA_DIR")] = Path(".data"),
) -> None:
    """Backfill a deterministic history of Derby, Derbyshire, Nottingham and Nottinghamshire.

    For a live stream into a running stack, `sufficiency run` keeps one going.
    """
    last = date.fromisoformat(end) if end else datetime.now(UTC).date() - timedelta(days=1)
    events = list(backfill(years, last, seed))
    console.print(f"{len(events):,} events, {last - timedelta(days=365 * years)} to {last}")
    if output is Output.JSONL:
        write_jsonl(events, out)
        console.print(f"wrote {out}")
    elif output is Output.SSDA903:
        out.mkdir(parents=True, exist_ok=True)
        for la in D2N2:
            for year in range(collection_year(last) - years + 1, collection_year(last) + 1):
                path = out / f"episodes-{la}-{year}.csv"
                path.write_text(write_episodes_csv(events_to_episodes(events, la=la, year=year)))
        console.print(f"wrote episodes files for {len(D2N2)} LAs to {out}")
    else:
        _post(events, data_dir)
    if check:
        console.print(format_table(compare(events)))


def _post(events: list[Envelope], data_dir: Path) -> None:
    from sufficiency.posting import Poster, post_in_order
    from sufficiency.stack.settings import StackSettings

    keys = json.loads((data_dir / "demo-keys.json").read_text())
    settings = StackSettings(data_dir=data_dir)
    with (data_dir / "logs" / "simulate.log").open("a") as log:
        post_in_order(Poster(settings, keys, log), events, 500)
    console.print("posted")
