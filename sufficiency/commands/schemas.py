"""`sufficiency schemas`: the JSON Schema and AsyncAPI documents of the events."""

import typer

from sufficiency.console import console

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Event contract documents generated from the models.",
)


@app.command()
def write() -> None:
    """Write shared/contract/schemas/*.json and shared/contract/asyncapi.json."""
    from shared.events import docs

    for path in docs.write():
        console.print(f"wrote {path}")


@app.command()
def check() -> None:
    """Fail if the committed documents are stale."""
    from shared.events import docs

    stale = docs.stale()
    for path in stale:
        console.print(f"[red]stale[/] {path}")
    if stale:
        raise typer.Exit(1)
    console.print("contract documents are up to date")
