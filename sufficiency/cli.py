"""The operators' command line: `sufficiency --help`.

Importing this module (and so `--help`) loads typer and the command modules
only: each command imports SQLAlchemy, Alembic, the services or pydantic when
it runs (a test keeps it so).
"""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sufficiency.commands import db, keys, reference, replay, schemas, simulate, ssda903

if TYPE_CHECKING:
    from sufficiency.stack.settings import StackSettings

DISTRIBUTION = "placement-sufficiency"
app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Placement sufficiency backend: operator commands.",
)
app.add_typer(keys.app, name="keys")
app.add_typer(schemas.app, name="schemas")
app.add_typer(db.app, name="db")
app.add_typer(replay.app, name="replay")
app.add_typer(reference.app, name="reference")
app.command("import-903")(ssda903.import_903_command)
app.command("export-903")(ssda903.export_903_command)
app.command("simulate")(simulate.simulate_command)


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version as installed_version

        typer.echo(f"sufficiency {installed_version(DISTRIBUTION)}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit"
        ),
    ] = False,
) -> None:
    """Placement sufficiency backend: operator commands."""


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
    from sufficiency.stack.settings import StackSettings

    settings = StackSettings(data_dir=data_dir)
    run_stack(settings, after_ready=None if not demo else _demo_loader())


def _demo_loader() -> Callable[["StackSettings", dict[str, str]], None]:
    from sufficiency.demo import start_demo

    return start_demo


if __name__ == "__main__":
    app()
