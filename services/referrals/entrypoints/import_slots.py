"""A bound on the 903 imports a process runs or holds at once.

An import holds its files' text and builds a child's events at a time: up to
a few hundred MB for a large return. Without a bound, uploads arriving
together (or one client sending return after return, each queued behind the
LA's lock with its files in memory) could take all the memory there is.
Past the bound an upload is a 503 with Retry-After, before its files are read.
"""

import threading
from collections.abc import Callable

from fastapi import HTTPException

RETRY_AFTER_SECONDS = "60"


class ImportSlots:
    def __init__(self, most: int) -> None:
        self.most = most
        self._free = threading.BoundedSemaphore(most)

    def take(self) -> "ImportSlot":
        if not self._free.acquire(blocking=False):
            raise HTTPException(
                503,
                f"{self.most} imports are running, the most this service runs at once: "
                "send the return again later",
                headers={"Retry-After": RETRY_AFTER_SECONDS},
            )
        return ImportSlot(self._free.release)


class ImportSlot:
    """Released when the request ends, unless a background job took it over
    (and releases it itself when the import ends)."""

    def __init__(self, release: Callable[[], None]) -> None:
        self.release = release
        self._handed_over = False

    def hand_over(self) -> None:
        self._handed_over = True

    def release_unless_handed_over(self) -> None:
        if not self._handed_over:
            self.release()
