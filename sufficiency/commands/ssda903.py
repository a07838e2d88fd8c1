"""`sufficiency import-903` and `export-903`: SSDA903 returns in and out of referrals."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sufficiency.console import console, get_console

if TYPE_CHECKING:
    from services.referrals.service_layer.ssda903_import import ImportOutcome

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
    postcodes: Annotated[
        Path | None, typer.Option(exists=True, help="ONS Postcode Directory CSV")
    ] = None,
    reject_report: Annotated[
        Path | None, typer.Option(help="Write rejected rows here (CSV)")
    ] = None,
    data_dir: DataDir = Path(".data"),
) -> None:
    """Import a 903 return into the referrals store; the running service publishes it."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from services.referrals.domain.ssda903 import PostcodeDirectory
    from services.referrals.service_layer.ssda903_import import import_903, reject_report_csv
    from sufficiency.stores import service_engine

    directory = None
    if postcodes is not None:
        import csv

        with postcodes.open(newline="") as f:
            directory = PostcodeDirectory.from_rows(csv.DictReader(f))
    engine = service_engine("referrals", data_dir)
    with Progress(
        TextColumn("importing children"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=get_console(),
    ) as bar:
        task = bar.add_task("import", total=None)
        outcome = import_903(
            engine,
            la,
            header.read_text(encoding="utf-8-sig"),
            episodes.read_text(encoding="utf-8-sig"),
            year,
            directory,
            lambda done, total: bar.update(task, completed=done, total=total),
        )
    _print_report(outcome)
    if outcome.report.episodes_read == 0 and not outcome.report.rejected:
        console.print(f"[red]no episodes in {episodes}[/]: nothing was imported")
        raise typer.Exit(1)
    if reject_report is not None:
        reject_report.write_text(reject_report_csv(outcome))
        console.print(f"rejected rows written to {reject_report}")


def _print_report(outcome: "ImportOutcome") -> None:
    from rich.table import Table

    r = outcome.report
    table = Table(
        "episodes read",
        "imported",
        "superseded",
        "rejected",
        "events accepted",
        "duplicates",
        "corrected",
        "withdrawn",
        title=None
        if outcome.year is None
        else f"return {outcome.year}-{(outcome.year + 1) % 100:02d}",
    )
    table.add_row(
        *(
            f"{n:,}"
            for n in (
                r.episodes_read,
                r.episodes_imported,
                r.episodes_superseded,
                r.episodes_rejected,
                outcome.accepted,
                outcome.duplicates,
                outcome.corrected,
                outcome.withdrawn,
            )
        )
    )
    console.print(table)
    if outcome.retracted:
        console.print(
            f"{outcome.retracted:,} earlier imported events retracted: {outcome.corrected:,} "
            f"replaced by the later return's version, {outcome.withdrawn:,} no longer returned"
        )
    if r.rejected or outcome.refused:
        rejects = Table("file", "line", "child", "reason", "message", title="rejected")
        for e in r.rejected[:50]:
            rejects.add_row(e.file, str(e.row), e.child or "", e.reason, e.message)
        for child, reason, message in outcome.refused[:50]:
            rejects.add_row("service", "", child, reason, message)
        console.print(rejects)


def export_903_command(
    la: Annotated[str, typer.Option(help="LA code")],
    year: Annotated[int, typer.Option(help="Collection year (2024 = 2024-25)")],
    out: Annotated[Path, typer.Option(help="Where to write the episodes CSV")] = Path(
        "episodes.csv"
    ),
    data_dir: DataDir = Path(".data"),
) -> None:
    """Rebuild the episodes table of a collection year from the events."""
    from services.referrals.service_layer.ssda903_export import export_episodes
    from sufficiency.stores import service_engine

    out.write_text(export_episodes(service_engine("referrals", data_dir), la, year))
    console.print(f"wrote {out}")
