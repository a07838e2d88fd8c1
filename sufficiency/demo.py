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

from pydantic_settings import BaseSettings
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from shared.events.envelope import Envelope
from sufficiency.history_facts import tell_services
from sufficiency.posting import DERIVED_BY_SERVICE, Poster, post_in_order
from sufficiency.simulator import backfill, live
from sufficiency.simulator.stream import years_before
from sufficiency.stack.settings import StackSettings

console = Console()


class DemoSettings(BaseSettings):
    demo_years: int = 2
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
    took = ""
    if marker is None:
        end = datetime.now(UTC).date() - timedelta(days=1)
        tell_services(settings, keys, years_before(end, demo.demo_years), log)
        started = time.monotonic()
        count = _load_history(
            poster, backfill(demo.demo_years, end, demo.demo_seed), demo.demo_batch
        )
        seconds = time.monotonic() - started
        took = f" in {seconds:.0f} s, {count / seconds:,.0f} events/s"
        marker = Marker(demo.demo_seed, end.isoformat(), count, datetime.now(UTC).isoformat())
        _save(marker_path, marker)
    console.print(
        f"[green]demo:[/] history loaded ({marker.backfill_events:,} events{took}); "
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


def _load_history(poster: Poster, events: Iterator[Envelope], batch: int) -> int:
    with Progress(
        TextColumn("demo: loading the D2N2 history"),
        BarColumn(pulse_style="cyan"),
        TextColumn("{task.completed:,} events"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("load", total=None)
        return post_in_order(poster, events, batch, lambda n: bar.update(task, completed=n))


def _load(path: Path) -> Marker | None:
    return Marker(**json.loads(path.read_text())) if path.exists() else None


def _save(path: Path, marker: Marker) -> None:
    path.write_text(json.dumps(asdict(marker), indent=2))


__all__ = ["start_demo"]
