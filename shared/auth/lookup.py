"""The key check of every request, with each key's row kept for a few seconds.

On a database server the registry's row costs a worker thread, a pool
checkout's ping and a round trip per request: more than the rest of a
single-event POST's key handling together. A key's row is therefore kept for
KEY_CACHE_SECONDS after it is read, so a revoked or rotated key stops working
within that long, not at once (0: read every time). The secret is checked
against the kept digest on every request. Only ids found in the registry are
kept, so made-up ids cannot fill the cache.
"""

import asyncio
import time
from collections.abc import Callable

from cachetools import TTLCache
from sqlalchemy import Engine

from shared.auth.keys import Principal, split
from shared.auth.store import KeyRow, key_row, principal_of

MAX_KEPT = 10_000


class KeyLookup:
    def __init__(
        self,
        engine: Engine,
        cache_seconds: float,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._kept: TTLCache[str, KeyRow] | None = (
            TTLCache(MAX_KEPT, cache_seconds, timer) if cache_seconds > 0 else None
        )

    async def authenticate(self, plaintext: str) -> Principal | None:
        parts = split(plaintext)
        if parts is None:
            return None
        key_id, secret = parts
        return principal_of(key_id, await self._row(key_id), secret)

    async def _row(self, key_id: str) -> KeyRow | None:
        if self._kept is not None and (kept := self._kept.get(key_id)) is not None:
            return kept
        row = await self._read(key_id)
        if row is not None and self._kept is not None:
            self._kept[key_id] = row
        return row

    async def _read(self, key_id: str) -> KeyRow | None:
        # A SQLite registry is a local file read by primary key in WAL mode (never
        # blocked by a writer): about 70 us, less than handing it to a worker
        # thread and back. A database server's round trip goes to a thread.
        if self._engine.dialect.name == "sqlite":
            return key_row(self._engine, key_id)
        return await asyncio.to_thread(key_row, self._engine, key_id)
