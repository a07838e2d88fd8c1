"""The commands' rich console, made when first used.

Importing rich.console (and typer's rich help) costs more than the whole of
`sufficiency --help` may take, so the CLI's help is click's plain text and
the console is imported by the first command that prints.
"""

from functools import cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console


@cache
def get_console() -> "Console":
    from rich.console import Console

    return Console()


class _Lazy:
    def __getattr__(self, name: str) -> Any:
        return getattr(get_console(), name)


console = cast("Console", _Lazy())
"""Use as a rich Console; pass get_console() where rich needs the object itself."""
