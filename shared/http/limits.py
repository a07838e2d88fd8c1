"""A cap on request bodies, enforced while they stream in.

A pure ASGI middleware: a declared Content-Length over the limit is refused
before any of the body is read; a body without one (chunked) is counted as it
arrives and refused as soon as it passes the limit, so a huge body is never
held in memory. Whatever the application made of the interrupted read (FastAPI
turns a failing read into a 400), the client gets the 413.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.errors import error_json

DEFAULT_MAX_REQUEST_BYTES = 5 * 1024 * 1024


class BodyTooLarge(Exception):
    """Raised into the application when the body passes the limit."""


class BodyLimit:
    """`max_bytes` for every path but those `per_path` names (a file upload's larger limit)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        per_path: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope.get("path", ""), self.max_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(send, limit)
            return
        await _Guarded(self, limit, receive, send).run(scope)

    async def _refuse(self, send: Send, limit: int) -> None:
        body, headers = error_json(f"request body over {limit} bytes", limit_bytes=limit)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _Guarded:
    """One request: counts what the app receives, swallows its answer once over."""

    def __init__(self, limit: BodyLimit, max_bytes: int, receive: Receive, send: Send) -> None:
        self.limit, self.max_bytes, self._receive, self._send = limit, max_bytes, receive, send
        self.seen = 0
        self.exceeded = False
        self.started = False

    async def run(self, scope: Scope) -> None:
        try:
            await self.limit.app(scope, self.receive, self.send)
        except BodyTooLarge:
            pass
        except Exception:
            if not self.exceeded:
                raise
        if self.exceeded and not self.started:
            await self.limit._refuse(self._send, self.max_bytes)

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.max_bytes:
                self.exceeded = True
                raise BodyTooLarge(self.max_bytes)
        return message

    async def send(self, message: Message) -> None:
        if self.exceeded:
            return  # the app's own answer to the broken read; the 413 replaces it
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
