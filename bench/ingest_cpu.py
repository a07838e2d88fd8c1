"""CPU per event of batched ingest, in this process: the cheapest way to iterate.

`uv run python -m bench.ingest_cpu [--events N] [--profile]` runs, on a fresh
SQLite store each, (1) the referrals ingest (`shared.ingest.batch.ingest`
with the journey pipeline) on bench.ingest's batches of 1,000, from the
decoded JSON body as the endpoint has it, and (2) the metrics consumer's
apply (decode from bytes, inbox, event log, commit, fold into the live
projection) on the same events in batches of `--consumer-batch`. No HTTP,
no broker, no relay, no refresh of the indicators: what is left of each
service's per-event Python work. CPU time of this process (`process_time`),
per event; `--profile` prints cProfile's top functions.

The figure moves with the machine's load (another process's cache misses);
compare runs made back to back.
"""

import argparse
import asyncio
import cProfile
import json
import pstats
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from aiokafka import ConsumerRecord, TopicPartition
from prometheus_client import CollectorRegistry
from sqlmodel import SQLModel

from bench import limits
from bench.ingest import LA, batch_bodies
from services.metrics.adapters import event_log
from services.metrics.entrypoints.app import MIGRATIONS
from services.metrics.service_layer.state import MetricsState
from services.metrics.settings import MetricsSettings
from services.referrals.adapters.tables import TABLES
from services.referrals.service_layer.journey_pipeline import journey_pipeline
from shared.db import make_engine
from shared.events.registry import AnyEvent
from shared.ingest.batch import ingest
from shared.kafka.consumer import ConsumerMetrics, EventConsumer, WithMessage
from shared.migrations import upgrade

T = TypeVar("T")
TOPIC = "journey.v1"


def measured(work: Callable[[], int], profile: bool) -> float:
    """CPU microseconds per event of `work` (which returns how many events it did)."""
    profiler = cProfile.Profile() if profile else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    events = work()
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return (time.process_time() - started) * 1e6 / events


def referrals(bodies: list[bytes], work_dir: Path, profile: bool) -> float:
    engine = make_engine(f"sqlite:///{work_dir / 'referrals.db'}", "referrals")
    SQLModel.metadata.create_all(engine, tables=TABLES)
    pipeline = journey_pipeline(timedelta(minutes=5))
    ingest(engine, json.loads(bodies[0]), LA, pipeline)  # warm-up

    def work() -> int:
        done = 0
        for body in bodies[1:]:
            done += len(ingest(engine, json.loads(body), LA, pipeline))
        return done

    return measured(work, profile)


async def _inline(step: Callable[..., T], *args: Any) -> T:
    return step(*args)


def metrics(bodies: list[bytes], work_dir: Path, batch: int, profile: bool) -> float:
    engine = make_engine(f"sqlite:///{work_dir / 'metrics.db'}", "metrics")
    upgrade(engine, MIGRATIONS)
    state = MetricsState(MetricsSettings(), engine)
    state.load()

    def fold(events: Sequence[AnyEvent], published: Sequence[float]) -> None:
        state.live.apply(events, published)

    consumer = EventConsumer(
        "metrics.projection",
        [TOPIC],
        WithMessage(event_log.append_message),  # as the service does
        engine,
        "unused:9092",
        None,  # no dead letters here
        ConsumerMetrics(CollectorRegistry()),
        after_commit=fold,
    )
    values = [json.dumps(e, separators=(",", ":")).encode() for b in bodies for e in json.loads(b)]
    records = [
        ConsumerRecord(TOPIC, 0, i, 1_700_000_000_000, 0, b"", v, None, 0, len(v), [])
        for i, v in enumerate(values)
    ]
    # The transaction in this thread, so that the profile and process_time see it whole.
    asyncio.to_thread = _inline  # type: ignore[assignment]

    async def consume(part: list[ConsumerRecord[bytes, bytes]]) -> None:
        for i in range(0, len(part), batch):
            chunk = part[i : i + batch]
            decoded = [d for r in chunk if (d := await consumer._decode(r)) is not None]
            last = chunk[-1]
            await consumer.apply(decoded, [(TopicPartition(TOPIC, 0), last.offset + 1, last.value)])

    def run(coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run(coroutine)

    run(consume(records[:batch]))  # warm-up

    def work() -> int:
        run(consume(records[batch:]))
        return len(records) - batch

    return measured(work, profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--consumer-batch", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    bodies = batch_bodies(args.events)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-cpu-") as tmp:
        work_dir = Path(tmp)
        ref = referrals(bodies, work_dir, args.profile)
        met = metrics(bodies, work_dir, args.consumer_batch, args.profile)
    load = limits.load_average()
    print(
        f"referrals ingest {ref:.0f} CPU-us/event; metrics consumer {met:.0f} CPU-us/event "
        f"(batches of {args.consumer_batch}); load average {load}"
    )


if __name__ == "__main__":
    main()
