"""What `import-903` and `export-903` do, imported only when one of them runs (the CLI's
help stays quick: this pulls in SQLAlchemy and the referrals service)."""

import csv
import io
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from services.referrals.domain.ssda903 import PostcodeDirectory
from services.referrals.domain.ssda903.files import FileRefused, decode
from services.referrals.service_layer.ssda903_export import (
    export_episodes,
    export_uasc,
    left_open,
)
from services.referrals.service_layer.ssda903_import import (
    ImportOutcome,
    check_return,
    import_903,
    reject_report_csv,
    report_rows,
)
from sufficiency.console import console, get_console
from sufficiency.stores import service_engine


def run_import(
    header: Path,
    episodes: Path,
    la: str,
    year: int | None,
    uasc: Path | None,
    postcodes: Path | None,
    reject_report: Path | None,
    data_dir: Path,
) -> None:
    """Import a 903 return into the referrals store; the running service publishes it.

    A file-level problem refuses the whole return (exit 1) and changes nothing.
    """
    files = {"header": header, "episodes": episodes} | ({"uasc": uasc} if uasc else {})
    try:
        decoded = {name: decode(path.read_bytes(), name) for name, path in files.items()}
        texts = {name: d.text for name, d in decoded.items()}
        check_return(la, texts["header"], texts["episodes"], year, texts.get("uasc"))
        directory = _directory(postcodes)
        outcome = _run(data_dir, la, texts, year, directory)
    except FileRefused as exc:
        console.print(f"[red]{files.get(exc.file, exc.file)}: {exc.message}[/] ({exc.reason})")
        console.print("the return was refused: nothing was stored")
        raise typer.Exit(1) from None
    outcome.encodings = {n: d.encoding for n, d in decoded.items()}
    _print_report(outcome)
    if reject_report is not None:
        reject_report.write_text(reject_report_csv(outcome))
        console.print(f"errors, warnings and notes written to {reject_report}")


def _directory(postcodes: Path | None) -> PostcodeDirectory | None:
    if postcodes is None:
        return None
    text = decode(postcodes.read_bytes(), "postcodes").text
    return PostcodeDirectory.from_rows(csv.DictReader(io.StringIO(text)))


def _run(
    data_dir: Path,
    la: str,
    texts: dict[str, str],
    year: int | None,
    directory: PostcodeDirectory | None,
) -> ImportOutcome:
    engine = service_engine("referrals", data_dir)
    with Progress(
        TextColumn("importing children"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=get_console(),
    ) as bar:
        task = bar.add_task("import", total=None)
        return import_903(
            engine,
            la,
            texts["header"],
            texts["episodes"],
            year,
            directory,
            lambda done, total: bar.update(task, completed=done, total=total),
            uasc=texts.get("uasc"),
        )


def _print_report(outcome: ImportOutcome) -> None:
    r = outcome.report
    table = Table(
        "episodes read",
        "imported",
        "superseded",
        "rejected",
        "of which after a refusal",
        "warnings",
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
                r.rejected_after_refusal,
                len(r.warnings),
                outcome.accepted,
                outcome.duplicates,
                outcome.corrected,
                outcome.withdrawn,
            )
        )
    )
    console.print(table)
    _notes(outcome)
    _problems(outcome)


def _notes(outcome: ImportOutcome) -> None:
    r = outcome.report
    other = {n: e for n, e in outcome.encodings.items() if e != "utf-8"}
    for name, encoding in other.items():
        console.print(f"{name} is not UTF-8: read as {encoding}")
    if r.no_header_children:
        console.print(
            f"{r.no_header_children:,} children have no valid header row: "
            f"their {r.no_header_rows:,} episode rows were refused"
        )
    if r.carried:
        console.print(f"{len(r.carried):,} earlier versions kept in force for rejected rows")
    if r.uasc_read:
        console.print(f"UASC file: {r.uasc_imported:,} of {r.uasc_read:,} rows imported")
    if outcome.retracted:
        console.print(
            f"{outcome.retracted:,} earlier imported events retracted: {outcome.corrected:,} "
            f"replaced by the later return's version, {outcome.withdrawn:,} no longer returned"
        )
    if r.left_open:
        names = ", ".join(o.child for o in r.left_open[:20])
        more = "" if len(r.left_open) <= 20 else f" and {len(r.left_open) - 20:,} more"
        console.print(
            f"[yellow]{len(r.left_open):,} children left in care by refused episodes[/]: "
            f"{names}{more}"
        )


def _problems(outcome: ImportOutcome) -> None:
    rows = list(report_rows(outcome))
    for kind, title in (("error", "errors (row refused)"), ("warning", "warnings (row kept)")):
        found = [row for row in rows if row[0] == kind]
        if not found:
            continue
        table = Table("file", "line", "child", "reason", "rule", "message", title=title)
        for _, file, _, line, child, _, reason, rule, message in found[:50]:
            table.add_row(file, line, child, reason, rule, message)
        console.print(table)
        if len(found) > 50:
            console.print(f"... and {len(found) - 50:,} more (see --reject-report)")


def run_export(la: str, year: int, out: Path, uasc_out: Path | None, data_dir: Path) -> None:
    """Rebuild the episodes table of a collection year from the events."""
    engine = service_engine("referrals", data_dir)
    out.write_text(export_episodes(engine, la, year))
    console.print(f"wrote {out}")
    if uasc_out is not None:
        uasc_out.write_text(export_uasc(engine, la, year))
        console.print(f"wrote {uasc_out}")
    still = left_open(engine, la)
    if still:
        console.print(
            f"[yellow]{len(still):,} children are in care only because later episodes were "
            "refused[/] (their last episode is open):"
        )
        for r in still[:50]:
            console.print(f"  {r['CHILD']} from {r['IN_CARE_FROM']}, refused {r['REFUSED_FROM']}")
