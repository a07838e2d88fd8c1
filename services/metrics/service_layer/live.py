"""The live projection: every LA's facts in memory, kept current by the consumer.

Facts are folded from the service's own event log (at start) and then from
each consumed batch. Indicator sets are cached per (LA, date) and dropped
when that LA's facts change, so scrapes and wall refreshes cost nothing
between events.
"""

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from services.metrics.domain.facts import LaFacts
from services.metrics.domain.indicators import Indicator, aggregate_region, compute_all
from services.metrics.domain.projection import apply
from services.metrics.domain.reference import ReferenceForLa
from shared.events.registry import AnyEvent


class LiveProjection:
    def __init__(self, reference: Callable[[str], ReferenceForLa]) -> None:
        self._facts: dict[str, LaFacts] = {}
        self._reference = reference
        self._cache: dict[tuple[str, date], list[Indicator]] = {}
        self._versions: dict[str, int] = {}
        self._lock = threading.RLock()

    def las(self) -> list[str]:
        with self._lock:
            return sorted(self._facts)

    def first_date(self, la: str) -> date | None:
        with self._lock:
            facts = self._facts.get(la)
            return facts.first_date() if facts else None

    def version(self, la: str) -> int:
        return self._versions.get(la, 0)

    def apply(self, events: Iterable[AnyEvent]) -> set[str]:
        changed: set[str] = set()
        with self._lock:
            for event in events:
                facts = self._facts.setdefault(event.la, LaFacts(event.la))
                apply(facts, event)
                changed.add(event.la)
            for la in changed:
                self._versions[la] = self._versions.get(la, 0) + 1
                for key in [k for k in self._cache if k[0] == la]:
                    del self._cache[key]
        return changed

    def indicators(self, la: str, as_of: date) -> list[Indicator]:
        with self._lock:
            cached = self._cache.get((la, as_of))
            if cached is not None:
                return cached
            facts = self._facts.get(la) or LaFacts(la)
            result = compute_all(facts, as_of, self._reference(la))
            self._cache[(la, as_of)] = result
            return result

    def region(self, members: Sequence[str], as_of: date) -> list[Indicator]:
        return aggregate_region([self.indicators(la, as_of) for la in members])

    def invalidate_all(self) -> None:
        with self._lock:
            self._cache.clear()
