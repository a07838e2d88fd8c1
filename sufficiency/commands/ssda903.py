"""`sufficiency import-903` and `export-903`: SSDA903 returns in and out of referrals."""

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[Path, typer.Option(envvar="DATA_DIR")]


def import_903_command(
    header: Annotated[
        Path, typer.Argument(exists=True, help="Header CSV (CHILD, SEX, DOB, ETHNIC, ...)")
    ],
    episodes: Annotated[
        Path, typer.Argument(exists=True, help="Episodes CSV (CHILD, DECOM, RNE, ...)")
    ],
    la: Annotated[str, typer.Option(help="LA code of the return, e.g. E06000015")],
    year: Annotated[int | None, typer.Option(help="Collection year (2024 = 2024-25)")] = None,
    uasc: Annotated[
        Path | None, typer.Option(exists=True, help="UASC CSV (CHILD, SEX, DOB, DUC)")
    ] = None,
    postcodes: Annotated[
        Path | None, typer.Option(exists=True, help="ONS Postcode Directory CSV")
    ] = None,
    reject_report: Annotated[
        Path | None, typer.Option(help="Write errors, warnings and notes here (CSV)")
    ] = None,
    data_dir: DataDir = Path(".data"),
) -> None:
    """Import a 903 return into the referrals store; the running service publishes it.

    A file-level problem refuses the whole return (exit 1) and changes nothing.
    """
    from sufficiency.commands import ssda903_run

    ssda903_run.run_import(header, episodes, la, year, uasc, postcodes, reject_report, data_dir)


def export_903_command(
    la: Annotated[str, typer.Option(help="LA code")],
    year: Annotated[int, typer.Option(help="Collection year (2024 = 2024-25)")],
    out: Annotated[Path, typer.Option(help="Where to write the episodes CSV")] = Path(
        "episodes.csv"
    ),
    uasc_out: Annotated[Path | None, typer.Option(help="Also write the UASC CSV here")] = None,
    data_dir: DataDir = Path(".data"),
) -> None:
    """Rebuild the episodes table of a collection year from the events."""
    from sufficiency.commands import ssda903_run

    ssda903_run.run_export(la, year, out, uasc_out, data_dir)
