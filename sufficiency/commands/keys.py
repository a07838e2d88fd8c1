"""`sufficiency keys`: create, list, rotate and revoke per-LA API keys."""

from pathlib import Path
from typing import Annotated

import typer

from shared.auth.keys import Scope, grant  # no store: it is imported when a command runs
from sufficiency.console import console

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Per-LA API keys (stored hashed)."
)
DataDir = Annotated[Path, typer.Option(envvar="DATA_DIR")]


@app.command()
def create(
    la: Annotated[
        str | None, typer.Argument(help="LA code, e.g. E06000015; omit with --region")
    ] = None,
    scope: Annotated[
        list[Scope] | None,
        typer.Option(help="Repeat for several; default the least: indicators:read"),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(help="With no LA: a region reader (its published figures, read only)"),
    ] = None,
    label: str = "",
    data_dir: DataDir = Path(".data"),
) -> None:
    """Create a key; the plaintext is shown once."""
    from shared.auth import store
    from shared.codes.las import la_problem
    from shared.regions import regions
    from sufficiency.stores import key_registry

    if la is not None and (problem := la_problem(la)) is not None:
        console.print(f"[red]{problem}[/]")
        raise typer.Exit(1)
    try:
        scopes = grant(la, region, frozenset(scope or ()))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if la is None and region not in regions():
        raise typer.BadParameter(f"unknown region {region!r}", param_hint="--region")
    row, plaintext = store.create_key(key_registry(data_dir), la, scopes, region, label)
    who = la or f"region reader of {region}"
    default = "" if scope else " (the default, the least; add --scope for more)"
    console.print(f"key id {row.key_id} for {who}; granted scopes: {row.scopes}{default}")
    typer.echo(plaintext)


@app.command("list")
def list_keys(data_dir: DataDir = Path(".data")) -> None:
    """List keys (never their secrets)."""
    from rich.table import Table

    from shared.auth import store
    from sufficiency.stores import key_registry

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
    """A new secret for a key (the old one stops at once); id, LA, scopes and
    webhook subscriptions stay."""
    from shared.auth import store
    from sufficiency.stores import key_registry

    result = store.rotate(key_registry(data_dir), key_id)
    if result is None:
        console.print(f"[red]no active key {key_id}[/]")
        raise typer.Exit(1)
    console.print(f"key {key_id}: new secret; the old one no longer works")
    typer.echo(result[1])


@app.command()
def revoke(key_id: str, data_dir: DataDir = Path(".data")) -> None:
    """Revoke a key at once."""
    from shared.auth import store
    from sufficiency.stores import key_registry

    if not store.revoke(key_registry(data_dir), key_id):
        console.print(f"[red]no active key {key_id}[/]")
        raise typer.Exit(1)
    console.print(f"key {key_id} revoked")
