"""Pages of a list answer: at most `limit` items, and a Link to the next page.

The body stays the JSON array the contract names; when more items follow, the
answer carries `Link: <...>; rel="next"` (RFC 8288) with an opaque cursor, and
a client follows it until no such header comes. The cursor holds the sort key
of the last item given (keyset paging), so a page costs the same however deep
it is, and an item written meanwhile is neither skipped nor given twice.
"""

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response

from shared.http.errors import field_error

DEFAULT_PAGE = 500
MAX_PAGE = 1000
_SEPARATOR = "\x1f"  # a control character: in no id, date or number

T = TypeVar("T")

# The OpenAPI `responses` of a paged list: its 200 may carry the Link.
PAGED: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            "Link": {
                "description": 'When more items follow: `<path?query>; rel="next"` (RFC 8288)',
                "schema": {"type": "string"},
            }
        }
    }
}

PageLimit = Annotated[
    int, Query(ge=1, le=MAX_PAGE, description='Items per page; Link rel="next" gives the rest')
]
PageCursor = Annotated[
    str | None,
    Query(
        max_length=600,
        pattern=r"^[A-Za-z0-9_=-]+$",
        description='Opaque: the cursor in the Link rel="next" of the page before',
    ),
]


def text_key(part: str) -> str:
    """An id in a cursor: what a database can compare (no NUL or other control
    character, which PostgreSQL refuses), no longer than an id."""
    if len(part) > 200 or any(c < " " for c in part):
        raise ValueError("not an id")
    return part


def instant_key(part: str) -> datetime:
    """A time in a cursor: with its offset, as the columns it is compared with
    hold them (a naive time cannot be bound to them)."""
    value = datetime.fromisoformat(part)
    if value.utcoffset() is None:
        raise ValueError("a time without its offset")
    return value


def int_key(part: str) -> int:
    """A row number in a cursor, within what a database integer holds."""
    value = int(part)
    if not 0 <= value < 2**63:
        raise ValueError("not a row number")
    return value


def cursor_of(*parts: str) -> str:
    return base64.urlsafe_b64encode(_SEPARATOR.join(parts).encode("utf-8")).decode("ascii")


def _parts_of(cursor: str | None, *parsers: Callable[[str], Any]) -> tuple[Any, ...] | None:
    """The sort key a cursor holds, each part read back by its parser; a 422
    for anything this list did not give out."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
        parts = text.split(_SEPARATOR)
        if len(parts) != len(parsers):
            raise ValueError("another list's cursor")
        return tuple(parse(part) for parse, part in zip(parsers, parts, strict=True))
    except (UnicodeError, binascii.Error, ValueError):
        raise field_error(
            422,
            ("query", "cursor"),
            "cursor_invalid",
            'not a cursor of this list: follow the Link rel="next" header',
        ) from None


class Paging:
    """A list request's page: the cursor it gave, read back, and the page cut
    from what the query fetched (`fetch`: one more than shown, to know if more
    follow), with a Link to the rest."""

    def __init__(
        self,
        request: Request,
        response: Response,
        cursor: PageCursor = None,
        limit: PageLimit = DEFAULT_PAGE,
    ) -> None:
        self._request, self._response = request, response
        self.cursor, self.limit = cursor, limit

    @property
    def fetch(self) -> int:
        return self.limit + 1

    def after(self, *parsers: Callable[[str], Any]) -> tuple[Any, ...] | None:
        return _parts_of(self.cursor, *parsers)

    def page(self, rows: Sequence[T], key: Callable[[T], tuple[str, ...]]) -> Sequence[T]:
        if len(rows) <= self.limit:
            return rows
        shown = rows[: self.limit]
        rest = self._request.url.include_query_params(
            cursor=cursor_of(*key(shown[-1])), limit=self.limit
        )
        # Relative (RFC 3986 section 4.2): right behind a proxy that rewrites the host.
        self._response.headers["Link"] = f'<{rest.path}?{rest.query}>; rel="next"'
        return shown


Paged = Annotated[Paging, Depends()]
