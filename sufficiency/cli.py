"""The operators' command line: `sufficiency --help`."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from sufficiency.commands import db, keys, reference, replay, schemas, simulate, ssda903
from sufficiency.stack.settings import StackSettings

app = typer.Typer(no_args_is_help=True, help="Placement sufficiency backend: operator commands.")
app.add_typer(keys.app, name="keys")
app.add_typer(schemas.app, name="schemas")
app.add_typer(db.app, name="db")
app.add_typer(replay.app, name="replay")
app.add_typer(reference.app, name="reference")
app.command("import-903")(ssda903.import_903_command)
app.command("export-903")(ssda903.export_903_command)
app.command("simulate")(simulate.simulate_command)


@app.command()
def run(
    data_dir: Annotated[
        Path, typer.Option(envvar="DATA_DIR", help="Where databases, keys and logs live")
    ] = Path(".data"),
    demo: Annotated[
        bool, typer.Option(help="Load a synthetic D2N2 history and keep a live trickle going")
    ] = True,
) -> None:
    """Start the embedded stack: local broker and the four services, until Ctrl-C."""
    from sufficiency.stack.runner import run as run_stack

    settings = StackSettings(data_dir=data_dir)
    run_stack(settings, after_ready=None if not demo else _demo_loader())


def _demo_loader() -> Callable[[StackSettings, dict[str, str]], None]:
    from sufficiency.demo import start_demo

    return start_demo


if __name__ == "__main__":
    app()
