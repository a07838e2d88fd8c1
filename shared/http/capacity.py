"""At most so many of a costly thing at once in a process (event streams, 903
imports): one more is refused with 503 and Retry-After, before it has cost
anything or changed anything, and what already runs goes on.
"""

import threading
from collections.abc import Callable

from fastapi import HTTPException
from prometheus_client import CollectorRegistry, Counter, Gauge


class Capacity:
    """`refusal` may name `{most}`. With a registry, gauge `<metric>_open` and
    counter `<metric>_refused_total` show how full it is (`what`: their help)."""

    def __init__(
        self,
        most: int,
        refusal: str,
        retry_after_seconds: int,
        registry: CollectorRegistry | None = None,
        metric: str = "",
        what: str = "",
    ) -> None:
        self.most = most
        self.open = 0  # slots held now
        self._refusal = refusal.format(most=most)
        self._retry_after = str(retry_after_seconds)
        self._lock = threading.Lock()  # a slot may be given back from another thread
        self._gauge = self._refused = None
        if registry is not None:
            self._gauge = Gauge(f"{metric}_open", f"{what} open now", registry=registry)
            self._refused = Counter(
                f"{metric}_refused", f"{what} refused, {most} being open", registry=registry
            )

    def take(self) -> "Slot":
        with self._lock:
            full = self.open >= self.most
            if not full:
                self._count(1)
        if full:
            if self._refused is not None:
                self._refused.inc()
            raise HTTPException(503, self._refusal, headers={"Retry-After": self._retry_after})
        return Slot(self._give_back)

    def _give_back(self) -> None:
        with self._lock:
            self._count(-1)

    def _count(self, n: int) -> None:
        self.open += n
        if self._gauge is not None:
            self._gauge.set(self.open)


class Slot:
    """Given back once, however many paths end it; the request that took it
    gives it back when it ends, unless it handed it over to work that outlives
    the request (a background import), which then gives it back itself."""

    def __init__(self, give_back: Callable[[], None]) -> None:
        self._give_back: Callable[[], None] | None = give_back
        self._handed_over = False

    def release(self) -> None:
        give_back, self._give_back = self._give_back, None
        if give_back is not None:
            give_back()

    def hand_over(self) -> None:
        self._handed_over = True

    def release_unless_handed_over(self) -> None:
        if not self._handed_over:
            self.release()
