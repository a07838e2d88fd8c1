"""`sufficiency keys`: create, list, rotate and revoke per-LA API keys."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shared.auth import store
from shared.auth.keys import Scope
from shared.codes.las import la_problem
from sufficiency.stores import key_registry

app = typer.Typer(no_args_is_help=True, help="Per-LA API keys (stored hashed).")
console = Console()
DataDir = Annotated[Path, typer.Option(envvar="DATA_DIR")]


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
    if (problem := la_problem(la)) is not None:
        console.print(f"[red]{problem}[/]")
        raise typer.Exit(1)
    row, plaintext = store.create_key(
        key_registry(data_dir), la, frozenset(scope or Scope), region, label
    )
    console.print(f"key id {row.key_id} for {la} with scopes {row.scopes}")
    typer.echo(plaintext)


@app.command("list")
def list_keys(data_dir: DataDir = Path(".data")) -> None:
    """List keys (never their secrets)."""
    table = Table("key id", "LA", "region", "scopes", "label", "created", "revoked")
    for k in store.list_keys(key_registry(data_dir)):
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
    result = store.rotate(key_registry(data_dir), key_id)
    if result is None:
        console.print(f"[red]no active key {key_id}[/]")
        raise typer.Exit(1)
    console.print(f"key {key_id} revoked; new key id {result[0].key_id}")
    typer.echo(result[1])


@app.command()
def revoke(key_id: str, data_dir: DataDir = Path(".data")) -> None:
    """Revoke a key at once."""
    if not store.revoke(key_registry(data_dir), key_id):
        console.print(f"[red]no active key {key_id}[/]")
        raise typer.Exit(1)
    console.print(f"key {key_id} revoked")
