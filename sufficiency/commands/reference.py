"""`sufficiency reference`: populations, targets, regions and records for the metrics service."""

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sufficiency.console import console

if TYPE_CHECKING:
    from sqlmodel import SQLModel

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Reference data of the metrics service."
)
DataDir = Annotated[Path, typer.Option(envvar="DATA_DIR")]


class Kind(StrEnum):
    POPULATIONS = "populations"
    TARGETS = "targets"
    REGIONS = "regions"
    RECORDS = "records"  # la, complete_from: no snapshot before the LA's history is complete


@app.command()
def load(
    kind: Kind,
    csv_file: Annotated[Path, typer.Argument(exists=True)],
    data_dir: DataDir = Path(".data"),
) -> None:
    """Upsert rows from CSV (the columns of services/metrics/reference/<kind>.csv).

    A running metrics service picks them up at its next start, or at once via PUT /reference/<kind>.
    """
    from services.metrics.adapters import reference_store
    from sufficiency.stores import service_engine

    try:
        rows = reference_store.parse_csv(kind.value, csv_file.read_text())
    except (KeyError, ValueError) as exc:
        console.print(f"[red]bad {kind.value} CSV:[/] {exc}")
        raise typer.Exit(2) from exc
    loaded = reference_store.upsert(service_engine("metrics", data_dir), rows)
    console.print(f"loaded {loaded} {kind.value} rows")


@app.command("list")
def list_rows(kind: Kind, data_dir: DataDir = Path(".data")) -> None:
    """Show the reference data in force."""
    from services.metrics.adapters import reference_store
    from sufficiency.stores import service_engine

    engine = service_engine("metrics", data_dir)
    reference_store.load_defaults_if_empty(engine)
    rows: Sequence[SQLModel]
    if kind is Kind.POPULATIONS:
        rows = reference_store.populations(engine)
    elif kind is Kind.TARGETS:
        rows = reference_store.targets(engine)
    elif kind is Kind.RECORDS:
        rows = reference_store.records(engine)
    else:
        rows = reference_store.region_rows(engine)
    if not rows:
        return
    fields = list(rows[0].model_dump())
    from rich.table import Table

    table = Table(*fields)
    for row in rows:
        table.add_row(*(str(v) for v in row.model_dump().values()))
    console.print(table)
