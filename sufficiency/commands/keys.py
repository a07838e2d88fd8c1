"""`sufficiency keys`: create, list, rotate and revoke per-LA API keys."""

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from shared.auth import store
from shared.auth.keys import Scope

app = typer.Typer(no_args_is_help=True, help="Per-LA API keys (stored hashed).")
console = Console()
DataDir = Annotated[Path, typer.Option(envvar="DATA_DIR")]


def _engine(data_dir: Path) -> Engine:
    return store.keys_engine(
        os.environ.get("KEYS_DATABASE_URL"), os.environ.get("DATABASE_URL"), data_dir
    )


@app.command()
def create(
    la: Annotated[str, typer.Argument(help="LA code, e.g. E06000015")],
    scope: Annotated[
        list[Scope] | None, typer.Option(help="Repeat for several; default all")
    ] = None,
    region: str | None = None,
    label: str = "",
    data_dir: DataDir = Path(".data"),
) -> None:
    """Create a key; the plaintext is shown once."""
    row, plaintext = store.create_key(
        _engine(data_dir), la, frozenset(scope or Scope), region, label
    )
    console.print(f"key id {row.key_id} for {la} with scopes {row.scopes}")
    typer.echo(plaintext)


@app.command("list")
def list_keys(data_dir: DataDir = Path(".data")) -> None:
    """List keys (never their secrets)."""
    table = Table("key id", "LA", "region", "scopes", "label", "created", "revoked")
    for k in store.list_keys(_engine(data_dir)):
        table.add_row(
            k.key_id,
            k.la or "",
            k.region or "",
            k.scopes,
            k.label,
            f"{k.created_at:%Y-%m-%d %H:%M}",
            f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "",
        )
    console.print(table)


@app.command()
def rotate(key_id: str, data_dir: DataDir = Path(".data")) -> None:
    """Replace a key with a new one of the same LA and scopes."""
    result = store.rotate(_engine(data_dir), key_id)
    if result is None:
        console.print(f"[red]no active key {key_id}[/]")
        raise typer.Exit(1)
    console.print(f"key {key_id} revoked; new key id {result[0].key_id}")
    typer.echo(result[1])


@app.command()
def revoke(key_id: str, data_dir: DataDir = Path(".data")) -> None:
    """Revoke a key at once."""
    if not store.revoke(_engine(data_dir), key_id):
        console.print(f"[red]no active key {key_id}[/]")
        raise typer.Exit(1)
    console.print(f"key {key_id} revoked")
