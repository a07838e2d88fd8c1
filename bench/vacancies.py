"""The vacancies service's two write paths, in process, on a D2N2 history.

Supply batches go through the ingest pipeline and journey batches through the
consumer's transaction, in the order the demo posts them. Beside them, the
raw limit of the same store: rows/s of one executemany insert into SQLite.

    uv run python -m bench.vacancies [--years 1]
"""

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, event, text

from services.vacancies.service_layer.journey_consumer import handle, prepare
from services.vacancies.service_layer.supply_pipeline import supply_pipeline
from shared.db import make_engine
from shared.events.envelope import Envelope
from shared.ingest.batch import Rejected, ingest
from shared.kafka.consumer import ConsumerMetrics, Decoded, EventConsumer
from shared.migrations import upgrade
from sufficiency.posting import posting_order
from sufficiency.simulator import backfill

MIGRATIONS = Path(__file__).resolve().parents[1] / "services" / "vacancies" / "migrations"
BATCH = 500


@dataclass
class PathFigures:
    events: int = 0
    seconds: float = 0.0
    statements: int = 0

    def line(self, name: str) -> str:
        return (
            f"| {name} | {self.events:,} events, {self.events / self.seconds:,.0f} events/s, "
            f"{1000 * self.seconds / self.events:.2f} ms and "
            f"{self.statements / self.events:.1f} SQL statements per event |"
        )


def sqlite_insert_rate(folder: Path, rows: int = 200_000) -> float:
    engine = make_engine(f"sqlite:///{folder / 'raw.db'}", "raw")
    with engine.begin() as c:
        c.execute(text("CREATE TABLE raw (id INTEGER PRIMARY KEY, a TEXT, b TEXT)"))
    started = time.perf_counter()
    with engine.begin() as c:
        c.execute(
            text("INSERT INTO raw (a, b) VALUES (:a, :b)"),
            [{"a": f"vacancy-{i}", "b": "open"} for i in range(rows)],
        )
    return rows / (time.perf_counter() - started)


def run(years: int, folder: Path) -> dict[str, PathFigures]:
    engine = make_engine(f"sqlite:///{folder / 'vacancies.db'}", "vacancies")
    upgrade(engine, MIGRATIONS)
    figures = {"vacancies": PathFigures(), "referrals": PathFigures()}
    current = figures["vacancies"]

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_: object) -> None:
        current.statements += 1

    consumer = EventConsumer(
        "vacancies.journey", [], handle, engine, "", None,
        ConsumerMetrics(CollectorRegistry()), prepare=prepare,
    )  # fmt: skip
    pipeline = supply_pipeline(timedelta(minutes=5))
    for service, la, batch in posting_order(backfill(years, date.today(), 2026), BATCH):
        current = figures[service]
        started = time.perf_counter()
        if service == "referrals":  # a journey batch, as the consumer gets it
            consumer._apply_in_one_transaction([Decoded(None, e) for e in batch])  # type: ignore[arg-type]
        else:
            _ingest(engine, batch, la, pipeline)
        current.seconds += time.perf_counter() - started
        current.events += len(batch)
    return figures


def _ingest(engine: Engine, batch: list[Envelope], la: str, pipeline: object) -> None:
    """As the demo's poster: an event the service refuses is left out, the rest kept."""
    items = [json.loads(e.model_dump_json()) for e in batch]
    while items:
        try:
            ingest(engine, items, la, pipeline)  # type: ignore[arg-type]
            return
        except Rejected as r:
            refused = {e.index for e in r.errors}
            items = [x for i, x in enumerate(items) if i not in refused]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = sqlite_insert_rate(Path(tmp))
        figures = run(args.years, Path(tmp))
    print(f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, vacancies write paths, {args.years} year(s)")
    print(f"Command: `uv run python -m bench.vacancies --years {args.years}`\n")
    print("| figure | value |\n|---|---|")
    print(f"| raw limit: SQLite executemany insert, 3 columns | {raw:,.0f} rows/s |")
    print(figures["vacancies"].line("supply batches through the ingest pipeline"))
    print(figures["referrals"].line("journey batches through the consumer's transaction"))


if __name__ == "__main__":
    main()
