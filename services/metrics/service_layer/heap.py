"""Keeping the garbage collector's full passes off the projection's facts.

The projection holds millions of small objects (facts, child rows, tally
parts) that live as long as the process. CPython's collector walks all of
them in each full (generation 2) collection, which it starts whenever the
objects that survived since the last one reach a quarter of those it then
found: with an LA growing by 1,000 events/s that was a pause of about 2 s
(the whole process, GIL held) every few tens of seconds, the tail of the
freshness figure. `gc.freeze()` moves every object alive into a permanent
generation the collector no longer walks; it costs no time (lists are
spliced). Done after every `every_events` folded, right after a young
collection, so what it freezes is what survived: the projection's state,
and any cyclic garbage that had already reached the oldest generation since
the last full collection (kept, not freed: a small, bounded cost, since full
collections of what is not frozen stay frequent and cheap). Objects frozen
and later dropped by the projection are still freed by reference counting.
"""

import gc
import threading


class LongLivedHeap:
    def __init__(self, every_events: int) -> None:
        self._every = every_events
        self._since = 0
        self._lock = threading.Lock()

    def folded(self, events: int) -> None:
        """Count `events` folded; freeze the heap each time `every_events` are reached."""
        if self._every <= 0:
            return
        with self._lock:
            self._since += events
            if self._since < self._every:
                return
            self._since = 0
        gc.collect(1)
        gc.freeze()
