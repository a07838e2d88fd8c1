"""`sufficiency simulate`: the synthetic D2N2 world, to a file, a 903 file set, or the services."""

import json
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shared.regions import D2N2 as D2N2_NAMES  # a dict literal: cheap to import
from sufficiency.console import console

if TYPE_CHECKING:
    from shared.events.envelope import Envelope

D2N2 = tuple(D2N2_NAMES)  # the simulator's LAs, in its order


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
    la: Annotated[
        list[str] | None, typer.Option(help="Only these LAs (repeat for several); default all four")
    ] = None,
) -> None:
    """Backfill a deterministic history of Derby, Derbyshire, Nottingham and Nottinghamshire.

    With --output 903, each LA and collection year gets a header file and an
    episodes file, ready for `sufficiency import-903`. For a live stream into
    a running stack, `sufficiency run` keeps one going.
    """
    from sufficiency.simulator import backfill, compare, format_table, write_jsonl

    las = tuple(la or D2N2)
    if unknown := sorted(set(las) - set(D2N2)):
        console.print(f"[red]the simulator has no LA {', '.join(unknown)}[/]; it has {D2N2}")
        raise typer.Exit(2)
    last = date.fromisoformat(end) if end else datetime.now(UTC).date() - timedelta(days=1)
    events = list(backfill(years, last, seed, las))
    console.print(f"{len(events):,} events, {last - timedelta(days=365 * years)} to {last}")
    if output is Output.JSONL:
        write_jsonl(events, out)
        console.print(f"wrote {out}")
    elif output is Output.SSDA903:
        _write_903(events, las, years, last, out)
    else:
        _post(events, data_dir)
    if check:
        console.print(format_table(compare(events)))


def _write_903(
    events: list["Envelope"], las: tuple[str, ...], years: int, last: date, out: Path
) -> None:
    """header-<la>-<year>.csv and episodes-<la>-<year>.csv for each collection year."""
    from services.referrals.domain.ssda903 import (
        events_to_episodes,
        events_to_header,
        write_episodes_csv,
        write_header_csv,
    )
    from shared.codes.ssda903 import collection_year

    out.mkdir(parents=True, exist_ok=True)
    for la in las:
        for year in range(collection_year(last) - years + 1, collection_year(last) + 1):
            episodes = events_to_episodes(events, la=la, year=year)
            header = events_to_header(events, la=la, children={e.child for e in episodes})
            (out / f"episodes-{la}-{year}.csv").write_text(write_episodes_csv(episodes))
            (out / f"header-{la}-{year}.csv").write_text(write_header_csv(header))
    console.print(f"wrote header and episodes files for {len(las)} LAs to {out}")


def _post(events: list["Envelope"], data_dir: Path) -> None:
    from sufficiency.posting import Poster, post_in_order
    from sufficiency.stack.settings import StackSettings

    keys = json.loads((data_dir / "demo-keys.json").read_text())
    settings = StackSettings(data_dir=data_dir)
    with (data_dir / "logs" / "simulate.log").open("a") as log:
        post_in_order(Poster(settings, keys, log), events, 500)
    console.print("posted")
