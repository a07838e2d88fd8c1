"""`sufficiency db`: migrations of each service database (Alembic)."""

import importlib
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from shared import migrations
from shared.db import database_url, make_engine
from shared.settings import ServiceSettings

app = typer.Typer(no_args_is_help=True, help="Service database migrations (Alembic).")
console = Console()
SERVICES = ("referrals", "vacancies", "metrics", "forecast")
ROOT = Path(__file__).resolve().parents[2] / "services"


def _engine(service: str):  # type: ignore[no-untyped-def]
    settings = ServiceSettings()
    return make_engine(database_url(service, settings.database_url, settings.data_dir), service)


@app.command()
def upgrade(service: Annotated[str | None, typer.Argument()] = None) -> None:
    """Migrate one service's database (or all) to the latest revision."""
    for name in [service] if service else SERVICES:
        migrations.upgrade(_engine(name), ROOT / name / "migrations")
        console.print(f"{name}: at head")


@app.command()
def revision(service: str, message: Annotated[str, typer.Option("-m")]) -> None:
    """Autogenerate a revision from the difference between models and database."""
    engine = _engine(service)
    migrations.upgrade(engine, ROOT / service / "migrations")
    migrations.revision(engine, ROOT / service / "migrations", message)


@app.command()
def check() -> None:
    """Fail if any service's models differ from its migrations."""
    stale = []
    for name in SERVICES:
        tables = importlib.import_module(f"services.{name}.adapters.tables").TABLES
        engine = _engine(name)
        migrations.upgrade(engine, ROOT / name / "migrations")
        if migrations.pending_changes(engine, tables):
            stale.append(name)
    if stale:
        console.print(f"[red]models changed without a migration:[/] {', '.join(stale)}")
        raise typer.Exit(1)
    console.print("migrations are current")
