"""`sufficiency db`: migrations of each service database (Alembic)."""

import importlib
from typing import Annotated

import typer

from sufficiency.console import console

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Service database migrations (Alembic)."
)
SERVICES = ("referrals", "vacancies", "metrics", "forecast")


@app.command()
def upgrade(service: Annotated[str | None, typer.Argument()] = None) -> None:
    """Migrate one service's database (or all) to the latest revision."""
    from sufficiency.stores import service_engine

    for name in [service] if service else SERVICES:
        service_engine(name)
        console.print(f"{name}: at head")


@app.command()
def revision(service: str, message: Annotated[str, typer.Option("-m")]) -> None:
    """Autogenerate a revision from the difference between models and database."""
    from shared import migrations
    from sufficiency.stores import migrations_of, service_engine

    migrations.revision(service_engine(service), migrations_of(service), message)


@app.command()
def check() -> None:
    """Fail if any service's models differ from its migrations."""
    from shared import migrations
    from sufficiency.stores import service_engine

    stale = []
    for name in SERVICES:
        tables = importlib.import_module(f"services.{name}.adapters.tables").TABLES
        if migrations.pending_changes(service_engine(name), tables):
            stale.append(name)
    if stale:
        console.print(f"[red]models changed without a migration:[/] {', '.join(stale)}")
        raise typer.Exit(1)
    console.print("migrations are current")
