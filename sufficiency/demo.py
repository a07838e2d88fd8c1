"""The demonstration: a backfilled D2N2 history, then a live trickle, over HTTP.

Runs beside the stack (a daemon thread of `sufficiency run`). What it has
posted is recorded in DATA_DIR/demo.json, so a restart neither reloads the
history nor repeats live events: the live stream resumes where it stopped.
"""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

import httpx
from pydantic_settings import BaseSettings
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from shared.events.envelope import Envelope
from shared.events.journey import JourneyEvent
from sufficiency.simulator import backfill, live
from sufficiency.stack.settings import StackSettings

console = Console()
JOURNEY_TYPES = {c.model_fields["type"].default for c in JourneyEvent.__args__}
# The vacancies service emits these itself (a placement.started into the home
# fills it), so a client posting them would only race it.
DERIVED_BY_SERVICE = {"vacancy.filled.v1"}


class DemoSettings(BaseSettings):
    demo_years: int = 4
    demo_seed: int = 2026
    demo_rate_per_second: float = 1.0
    demo_batch: int = 500


@dataclass
class Marker:
    seed: int
    backfill_end: str
    backfill_events: int
    live_start: str
    live_posted: int = 0


def start_demo(settings: StackSettings, keys: dict[str, str]) -> None:
    thread = threading.Thread(
        target=_run, args=(settings, keys, DemoSettings()), name="demo", daemon=True
    )
    thread.start()


def _run(settings: StackSettings, keys: dict[str, str], demo: DemoSettings) -> None:
    marker_path = settings.data_dir / "demo.json"
    log = (settings.data_dir / "logs" / "demo.log").open("a")
    poster = Poster(settings, keys, log)
    marker = _load(marker_path)
    if marker is None:
        end = datetime.now(UTC).date() - timedelta(days=1)
        count = _load_history(
            poster, backfill(demo.demo_years, end, demo.demo_seed), demo.demo_batch
        )
        marker = Marker(demo.demo_seed, end.isoformat(), count, datetime.now(UTC).isoformat())
        _save(marker_path, marker)
    console.print(
        f"[green]demo:[/] history loaded ({marker.backfill_events:,} events); "
        f"live trickle at {demo.demo_rate_per_second}/s (log: {log.name})"
    )
    stream = live(
        datetime.fromisoformat(marker.live_start),
        demo.demo_rate_per_second,
        marker.seed,
        years=demo.demo_years,
    )
    for _ in range(marker.live_posted):
        next(stream)
    for event in stream:
        time.sleep(1 / demo.demo_rate_per_second)
        if event.type not in DERIVED_BY_SERVICE:
            poster.post_one(event)
        marker.live_posted += 1
        if marker.live_posted % 10 == 0:
            _save(marker_path, marker)


def _load_history(poster: "Poster", events: Iterator[Envelope], batch: int) -> int:
    total = 0
    with Progress(
        TextColumn("demo: loading the D2N2 history"),
        BarColumn(pulse_style="cyan"),
        TextColumn("{task.completed:,} events"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("load", total=None)
        pending: dict[tuple[str, str], list[Envelope]] = {}
        for event in events:
            if event.type in DERIVED_BY_SERVICE:
                continue
            key = (_service(event), event.la)
            pending.setdefault(key, []).append(event)
            if len(pending[key]) >= batch:
                _flush(poster, pending, but=key[0])  # what came before goes first
                poster.post(key[0], key[1], pending.pop(key))
            total += 1
            if total % 1000 == 0:
                bar.update(task, completed=total)
        _flush(poster, pending)
        bar.update(task, completed=total)
    return total


def _flush(
    poster: "Poster",
    pending: dict[tuple[str, str], list[Envelope]],
    but: str | None = None,
) -> None:
    """Post what is pending for the other service before a batch goes: a
    placement must reach the vacancies service after the vacancy it fills
    was opened there, as it happened, or the service fills another."""
    for key in [k for k in pending if k[0] != but]:
        poster.post(key[0], key[1], pending.pop(key))


def _service(event: Envelope) -> str:
    return "referrals" if event.type in JOURNEY_TYPES else "vacancies"


class Poster:
    """Posts events with the owning LA's key; a refused event is logged and skipped."""

    def __init__(self, settings: StackSettings, keys: dict[str, str], log: TextIO) -> None:
        self._settings, self._keys, self._log = settings, keys, log
        self._http = httpx.Client(timeout=120)

    @staticmethod
    def service_of(event: Envelope) -> str:
        return _service(event)

    def post_one(self, event: Envelope) -> None:
        self.post(_service(event), event.la, [event])

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


def _load(path: Path) -> Marker | None:
    return Marker(**json.loads(path.read_text())) if path.exists() else None


def _save(path: Path, marker: Marker) -> None:
    path.write_text(json.dumps(asdict(marker), indent=2))


__all__ = ["start_demo"]
