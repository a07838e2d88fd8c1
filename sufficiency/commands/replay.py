"""`sufficiency replay metrics`: rebuild the metrics store from the topics."""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from sufficiency.console import console, get_console

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Rebuild a projection from the Kafka topics."
)


@app.command()
def metrics(
    data_dir: Annotated[Path, typer.Option(envvar="DATA_DIR")] = Path(".data"),
    bootstrap: Annotated[str, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS")] = "localhost:9092",
    swap: Annotated[
        bool, typer.Option(help="Replace the metrics store (stop the service first)")
    ] = False,
) -> None:
    """Replay journey and supply topics into a fresh store, compare, and optionally swap."""
    import asyncio

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from services.metrics.service_layer.replay import replay
    from shared.db import make_engine
    from shared.migrations import upgrade
    from sufficiency.stores import migrations_of

    if os.environ.get("DATABASE_URL"):
        console.print(
            "[red]replay writes a SQLite store; with DATABASE_URL, replay into a new schema "
            "by pointing the metrics service at it instead[/]"
        )
        raise typer.Exit(2)
    target = data_dir / f"metrics.replay-{datetime.now(UTC):%Y%m%dT%H%M%S}.db"
    engine = make_engine(f"sqlite:///{target.resolve()}", "metrics")
    upgrade(engine, migrations_of("metrics"))
    with Progress(
        TextColumn("replaying"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:,.0f} events/s"),
        TimeRemainingColumn(),
        console=get_console(),
    ) as bar:
        task = bar.add_task("replay", total=None, rate=0.0)
        started = datetime.now(UTC)

        def report(done: int, total: int) -> None:
            seconds = (datetime.now(UTC) - started).total_seconds() or 1e-9
            bar.update(task, completed=done, total=total, rate=done / seconds)

        result = asyncio.run(replay(bootstrap, engine, report))
    console.print(
        f"{result.events:,} events read, {result.applied:,} applied, "
        f"{result.undecodable} undecodable, {result.rate:,.0f} events/s -> {target}"
    )
    _compare_and_swap(data_dir, target, swap)


def _compare_and_swap(data_dir: Path, target: Path, swap: bool) -> None:
    from pydantic import ValidationError

    from services.metrics.service_layer.compare import differences, load_state
    from services.metrics.settings import MetricsSettings
    from shared.db import make_engine

    settings = MetricsSettings(data_dir=data_dir)
    current = data_dir / "metrics.db"
    # The replay stores bodies unvalidated (they were validated where they
    # entered): folding the fresh store validates each one before any swap.
    try:
        fresh = load_state(make_engine(f"sqlite:///{target.resolve()}", "metrics"), settings)
    except ValidationError as exc:
        console.print(f"[red]the replayed store holds an event that does not validate[/]: {exc}")
        console.print(f"not swapped; {target} is left for inspection")
        raise typer.Exit(1) from None
    if current.exists():
        live = load_state(make_engine(f"sqlite:///{current.resolve()}", "metrics"), settings)
        diffs = differences(live, fresh, datetime.now(UTC).date())
        if diffs:
            console.print(f"[yellow]{len(diffs)} indicator values differ[/], e.g.:")
            for line in diffs[:10]:
                console.print(f"  {line}")
        else:
            console.print("[green]identical indicators[/] for every LA, today and each 31 March")
    if swap:
        if current.exists():
            shutil.move(current, current.with_suffix(".db.before-replay"))
        shutil.move(target, current)
        console.print(f"swapped: {current} is the replayed store")
