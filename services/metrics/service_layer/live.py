"""The live projection: every LA's facts in memory, kept current by the consumer.

Facts are folded from the service's own event log (at start) and then from
each consumed batch. Indicator sets are cached per (LA, date) and dropped
when that LA's facts change. Today's set of every changed LA is worked out
again in the background (`refresh`), so a scrape of 150 LAs reads figures
and never computes them: `latest` answers with the set from the last
refresh while the next one is under way.

Today's figures (the day of the last refresh) are not worked out from every
child each time: each LA keeps a `Tally` for that day (domain/tally.py),
which redoes only the children the events since touched. Other days are
computed in full (`compute_all`) and cached.
"""

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from services.metrics.domain.facts import HomeFacts, LaFacts
from services.metrics.domain.indicators import Indicator, aggregate_region, compute_all
from services.metrics.domain.projection import apply
from services.metrics.domain.reference import ReferenceForLa
from services.metrics.domain.tally import Tally
from services.metrics.service_layer.heap import LongLivedHeap
from shared.events.registry import AnyEvent


class LiveProjection:
    def __init__(
        self, reference: Callable[[str], ReferenceForLa], freeze_every_events: int = 0
    ) -> None:
        self._facts: dict[str, LaFacts] = {}
        self._reference = reference
        self._cache: dict[tuple[str, date], list[Indicator]] = {}
        self._versions: dict[str, int] = {}
        self._latest: dict[str, tuple[date, list[Indicator]]] = {}
        self._stale: set[str] = set()
        self._tally_day: date | None = None
        self._tallies: dict[str, Tally] = {}
        # When each event folded since its LA's last refresh was published, so
        # the refresh can report how long events took to show (freshness.py).
        self._published: dict[str, list[float]] = {}
        self.on_reflected: Callable[[list[float]], None] | None = None
        self.changed = threading.Event()
        self._lock = threading.RLock()
        self._heap = LongLivedHeap(freeze_every_events)

    def las(self) -> list[str]:
        with self._lock:
            return sorted(self._facts)

    def first_date(self, la: str) -> date | None:
        with self._lock:
            facts = self._facts.get(la)
            return facts.first_date() if facts else None

    def homes(self, la: str) -> list[HomeFacts]:
        """The homes the LA's supply events registered (the report's supply tables)."""
        with self._lock:
            facts = self._facts.get(la)
            return list(facts.homes.values()) if facts else []

    def version(self, la: str) -> int:
        return self._versions.get(la, 0)

    def apply(self, events: Sequence[AnyEvent], published: Sequence[float] = ()) -> set[str]:
        """Fold events; `published` (optional, one per event) is when each was
        published, for the freshness of the refresh that reflects it."""
        changed: set[str] = set()
        with self._lock:
            for event in events:
                facts = self._facts.get(event.la)
                if facts is None:  # not setdefault: an LaFacts costs 17 empty fields
                    facts = self._facts[event.la] = LaFacts(event.la)
                apply(facts, event)
                changed.add(event.la)
            for event, at in zip(events, published, strict=False):
                self._published.setdefault(event.la, []).append(at)
            for la in changed:
                self._versions[la] = self._versions.get(la, 0) + 1
                for key in [k for k in self._cache if k[0] == la]:
                    del self._cache[key]
            self._stale |= changed
        if changed:
            self.changed.set()
        self._heap.folded(len(events))
        return changed

    def indicators(self, la: str, as_of: date) -> list[Indicator]:
        with self._lock:
            cached = self._cache.get((la, as_of))
            if cached is not None:
                return cached
            result = self._compute(la, as_of)
            self._cache[(la, as_of)] = result
            return result

    def _compute(self, la: str, as_of: date) -> list[Indicator]:
        facts = self._facts.get(la)
        if facts is None:
            return compute_all(LaFacts(la), as_of, self._reference(la))
        if as_of != self._tally_day:
            return compute_all(facts, as_of, self._reference(la))
        tally = self._tallies.get(la)
        if tally is None or tally.day != as_of:
            tally = self._tallies[la] = Tally(as_of)
        return tally.indicators(facts, self._reference(la))

    def region(self, members: Sequence[str], as_of: date) -> list[Indicator]:
        return aggregate_region([self.indicators(la, as_of) for la in members])

    def refresh(self, today: date, las: Iterable[str] = ()) -> int:
        """Work out today's indicators of every LA changed since the last
        refresh (and of `las`); returns how many LAs it computed."""
        self.changed.clear()
        with self._lock:
            if today != self._tally_day:  # yesterday's tallies serve no one now
                self._tally_day = today
                self._tallies.clear()
            todo = (self._stale | set(las)) | {
                la for la, (day, _) in self._latest.items() if day != today
            }
            self._stale.clear()
        for la in sorted(todo):  # one LA at a time: events are applied in between
            with self._lock:
                self._latest[la] = (today, self.indicators(la, today))
                # Under the same lock as the computation: exactly the events it saw.
                reflected = self._published.pop(la, [])
            if reflected and self.on_reflected is not None:
                self.on_reflected(reflected)
        return len(todo)

    def latest(self, la: str, today: date) -> list[Indicator]:
        """Today's indicators as of the last refresh (exact when nothing has
        changed since); computed here only for an LA never refreshed."""
        with self._lock:
            cached = self._cache.get((la, today))
            if cached is not None:
                return cached
            kept = self._latest.get(la)
        if kept is not None and kept[0] == today:
            return kept[1]
        return self.indicators(la, today)

    def latest_region(self, members: Sequence[str], today: date) -> list[Indicator]:
        return aggregate_region([self.latest(la, today) for la in members])

    def invalidate_all(self) -> None:
        with self._lock:
            self._cache.clear()
