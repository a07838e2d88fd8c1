"""Posting events over HTTP to the stack's services, as a source system would.

Used by the demonstration and by `simulate --output http`. Events go to the
referrals or vacancies service with the owning LA's key, in batches, and in
the order they happened across the two services (see `post_in_order`).
"""

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Protocol, TextIO

import httpx

from shared.events.envelope import Envelope
from shared.events.journey import JourneyEvent
from sufficiency.stack.settings import StackSettings

JOURNEY_TYPES = {c.model_fields["type"].default for c in JourneyEvent.__args__}
# The vacancies service emits these itself (a placement.started into the home
# fills it), so a client posting them would only race it.
DERIVED_BY_SERVICE = {"vacancy.filled.v1"}


Post = tuple[str, str, list[Envelope]]  # (service, la, events)
Pending = dict[tuple[str, str], list[Envelope]]


class PostsEvents(Protocol):
    def post(self, service: str, la: str, events: list[Envelope]) -> None: ...


class Recorder:
    """Keeps the posts instead of sending them: what the services would be
    sent, in order (for benchmarks and tests that apply them in process)."""

    def __init__(self) -> None:
        self.posts: list[Post] = []

    def post(self, service: str, la: str, events: list[Envelope]) -> None:
        self.posts.append((service, la, events))


def posting_order(events: Iterable[Envelope], batch: int) -> list[Post]:
    recorder = Recorder()
    post_in_order(recorder, events, batch)
    return recorder.posts


def service_of(event: Envelope) -> str:
    return "referrals" if event.type in JOURNEY_TYPES else "vacancies"


def post_in_order(
    poster: PostsEvents,
    events: Iterable[Envelope],
    batch: int,
    progress: Callable[[int], None] = lambda posted: None,
) -> int:
    """Post events in batches per service and LA; returns how many were sent
    (events the services derive themselves are left out).

    Supply goes first: before a journey batch, every supply event pending is
    posted, so a placement reaches the vacancies service after the vacancy
    it fills was opened there. The other way round needs no care: the
    service judges a placement by its own day, so supply that happened later
    but arrived first does not change which vacancy it fills. That is why a
    journey batch can be posted on a second thread while the supply after it
    goes to the vacancies service: the two services work at once, and a
    journey batch still leaves only once the supply before it, and the
    journey batch before it, have been answered."""
    total = 0
    pending: Pending = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="journey") as lane:
        journey: Future[None] | None = None
        for event in events:
            if event.type in DERIVED_BY_SERVICE:
                continue
            key = (service_of(event), event.la)
            pending.setdefault(key, []).append(event)
            if len(pending[key]) >= batch:
                if key[0] == "referrals":
                    _flush(poster, pending, "vacancies")
                    _wait(journey)
                    journey = lane.submit(poster.post, key[0], key[1], pending.pop(key))
                else:
                    poster.post(key[0], key[1], pending.pop(key))
            total += 1
            if total % 1000 == 0:
                progress(total)
        _flush(poster, pending, "vacancies")
        _wait(journey)
    _flush(poster, pending, "referrals")
    progress(total)
    return total


def _wait(posting: "Future[None] | None") -> None:
    if posting is not None:
        posting.result()  # raises what the post raised


def _flush(
    poster: PostsEvents, pending: dict[tuple[str, str], list[Envelope]], service: str
) -> None:
    for key in [k for k in pending if k[0] == service]:
        poster.post(key[0], key[1], pending.pop(key))


class Poster:
    """Posts events with the owning LA's key; a refused event is logged and skipped.
    Safe to use from two threads (httpx's client is)."""

    def __init__(self, settings: StackSettings, keys: dict[str, str], log: TextIO) -> None:
        self._settings, self._keys, self._log = settings, keys, log
        self._http = httpx.Client(timeout=120)

    def post_one(self, event: Envelope) -> None:
        self.post(service_of(event), event.la, [event])

    def post(self, service: str, la: str, events: list[Envelope]) -> None:
        bodies = [e.model_dump_json() for e in events]  # serialised once, sent as is
        while bodies:
            r = self._send(service, la, bodies)
            refused = _refused_indexes(r)
            if not refused:
                if r.status_code >= 300:
                    self._note(f"{service} {r.status_code} {r.text[:500]}")
                return
            for i in sorted(refused):  # drop the refused, post the rest again
                self._note(f"{service} refused {bodies[i][:300]}: {refused[i]}")
            bodies = [b for i, b in enumerate(bodies) if i not in refused]

    def _note(self, text: str) -> None:
        print(f"{datetime.now(UTC).isoformat()} {text}", file=self._log, flush=True)

    def _send(self, service: str, la: str, bodies: list[str]) -> httpx.Response:
        url = f"{self._settings.url(service)}/events"
        headers = {"Authorization": f"Bearer {self._keys[la]}", "Content-Type": "application/json"}
        content = ("[" + ",".join(bodies) + "]").encode()
        for attempt in range(30):
            try:
                return self._http.post(url, content=content, headers=headers)
            except httpx.HTTPError:
                time.sleep(min(2**attempt, 10))  # a service restarting under the supervisor
        raise RuntimeError(f"{service} unreachable")


def _refused_indexes(r: httpx.Response) -> dict[int, str]:
    """Index -> reason of each event a 422 refused; empty for any other
    answer, or when an error names no event (then nothing can be kept)."""
    errors = r.json().get("errors", []) if r.status_code == 422 else []
    if not errors or any(not isinstance(e.get("index"), int) for e in errors):
        return {}
    return {e["index"]: f"{e['reason']}: {e['message']}" for e in errors}
