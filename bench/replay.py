"""Replay at national scale, then as-of queries, scrape time and memory on that store."""

import asyncio
import contextlib
import gc
import os
import random
import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import Engine

from bench.harness import cpu_seconds, rss_mb
from bench.workload import journeys
from services.metrics.adapters import reference_store
from services.metrics.adapters.tables import RegionMember
from services.metrics.entrypoints.prometheus import IndicatorCollector
from services.metrics.service_layer.compare import load_state
from services.metrics.service_layer.replay import replay
from services.metrics.settings import MetricsSettings
from shared.db import make_engine
from shared.events import ChildAdmitted
from shared.kafka.client import ensure_topics
from shared.kafka.topics import JOURNEY, SUPPLY
from shared.migrations import upgrade
from shared.settings import ServiceSettings

MIGRATIONS = Path(__file__).resolve().parents[1] / "services" / "metrics" / "migrations"


@dataclass(frozen=True)
class ReplayFigures:
    events: int
    produce_seconds: float
    replay_rate: float
    load_seconds: float
    as_of_p50_ms: float
    as_of_p99_ms: float
    refresh_all_ms: float  # today's indicators of every LA, as at start-up
    scrape_first_ms: float
    scrape_warm_ms: float
    scrape_all_changed_ms: float  # every LA changed since the last refresh
    refresh_changed_ms: float  # the background refresh that follows
    rss_mb: float
    las: int
    replay_cpu_rate: float  # events per CPU second of this process: less sensitive to the load


async def _produce(bootstrap: str, las: int, children: int, years: int) -> tuple[int, float]:
    await ensure_topics(ServiceSettings(kafka_bootstrap_servers=bootstrap), [JOURNEY, SUPPLY])
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=20, max_batch_size=1024 * 1024
    )
    await producer.start()
    started, n, pending = time.perf_counter(), 0, []
    for event in journeys(las, children, years, date(2026, 3, 31)):
        pending.append(
            await producer.send(
                JOURNEY,
                event.model_dump_json().encode(),
                key=(event.subject or str(event.id)).encode(),
            )
        )
        n += 1
        if len(pending) >= 20_000:
            await asyncio.gather(*pending)
            pending.clear()
    await asyncio.gather(*pending)
    await producer.stop()
    return n, time.perf_counter() - started


def run(
    bootstrap: str,
    work: Path,
    las: int,
    children: int,
    years: int,
    database_url: str | None = None,
) -> ReplayFigures:
    """`database_url` None: a fresh SQLite file under `work`; else that (empty) database."""
    _, produce_seconds = asyncio.run(_produce(bootstrap, las, children, years))
    engine = make_engine(database_url or f"sqlite:///{work / 'metrics-replay.db'}", "metrics")
    upgrade(engine, MIGRATIONS)
    cpu = time.process_time()
    result = asyncio.run(replay(bootstrap, engine, lambda done, total: None))
    cpu_rate = result.events / (time.process_time() - cpu)
    reference_store.load_defaults_if_empty(engine)
    _all_las_in_one_region(engine, las)
    started = time.perf_counter()
    state = load_state(engine, MetricsSettings(data_dir=work, database_url=database_url))
    load_seconds = time.perf_counter() - started
    gc.collect()
    as_of = _as_of_latencies(state, 200)
    registry = CollectorRegistry()
    registry.register(IndicatorCollector(state))
    state.live.invalidate_all()
    today = datetime.now(UTC).date()
    refresh_all = _timed(lambda: state.live.refresh(today, state.all_las()))
    first = _timed(lambda: generate_latest(registry))
    warm = statistics.median(_timed(lambda: generate_latest(registry)) for _ in range(5))
    state.live.apply(_one_admission_per_la(state.live.las(), today))
    all_changed = _timed(lambda: generate_latest(registry))
    refresh_changed = _timed(lambda: state.live.refresh(today))
    return ReplayFigures(
        result.events,
        produce_seconds,
        result.rate,
        load_seconds,
        statistics.median(as_of),
        as_of[int(len(as_of) * 0.99)],
        refresh_all,
        first,
        warm,
        all_changed,
        refresh_changed,
        rss_mb(os.getpid()),
        len(state.live.las()),
        cpu_rate,
    )


def _one_admission_per_la(las: list[str], today: date) -> list[ChildAdmitted]:
    return [
        ChildAdmitted.model_validate(
            {
                "id": uuid.uuid5(uuid.NAMESPACE_URL, f"bench-scrape/{la}"),
                "source": f"/la/{la}/bench",
                "time": datetime(today.year, today.month, today.day, tzinfo=UTC),
                "la": la,
                "subject": f"scrape-{la}",
                "data": {
                    "child_id": f"scrape-{la}",
                    "date": today,
                    "birth_month": "2015-01",
                    "sex": 1,
                    "ethnicity": "WBRI",
                    "legal_status": "C2",
                    "category_of_need": "N1",
                    "uasc": False,
                },
            }
        )
        for la in las
    ]


def _all_las_in_one_region(engine, las: int) -> None:  # type: ignore[no-untyped-def]
    from bench.workload import la_codes

    reference_store.upsert(engine, [RegionMember(region="ENGLAND", la=la) for la in la_codes(las)])


def _as_of_latencies(state, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    las = state.live.las()
    today = datetime.now(UTC).date()
    out = []
    for _ in range(n):
        day = today - timedelta(days=rng.randrange(3650))
        out.append(_timed(lambda: state.live.indicators(rng.choice(las), day)))  # noqa: B023
    return sorted(out)


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


@dataclass(frozen=True)
class ReplayAlone:
    events: int
    rate: float
    cpu_rate: float  # per CPU second of this process
    all_cpu_rate: float  # per CPU second of this process, the broker and the PostgreSQL server


def replay_alone(
    bootstrap: str, work: Path, las: int, children: int, years: int, database_url: str | None
) -> ReplayAlone:
    """The replay alone, with the CPU of everything that works for it: on two
    cores the PostgreSQL server's share is as much a cost as the process's."""
    asyncio.run(_produce(bootstrap, las, children, years))
    engine = make_engine(database_url or f"sqlite:///{work / 'metrics-replay.db'}", "metrics")
    upgrade(engine, MIGRATIONS)
    helpers = [*_children(os.getpid()), *_server(engine)]  # the broker; the server
    cpu, others = time.process_time(), sum(_tree_cpu(p) for p in helpers)
    result = asyncio.run(replay(bootstrap, engine, lambda done, total: None))
    cpu = time.process_time() - cpu
    others = sum(_tree_cpu(p) for p in helpers) - others
    return ReplayAlone(
        result.events, result.rate, result.events / cpu, result.events / (cpu + others)
    )


def _children(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def _server(engine: Engine) -> list[int]:
    """The local PostgreSQL server's postmaster, if the store is one."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as connection:
        data = connection.exec_driver_sql("SHOW data_directory").scalar()
    return [int((Path(str(data)) / "postmaster.pid").read_text().split()[0])]


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children now (those that exited are not counted)."""
    total = 0.0
    for p in (pid, *_children(pid)):
        with contextlib.suppress(OSError):
            total += cpu_seconds(p)
    return total


def main() -> None:
    """The replay part alone (`python -m bench.replay`): shorter than the whole suite."""
    import argparse
    from tempfile import TemporaryDirectory

    from bench import limits
    from bench.harness import database
    from sufficiency.stack.processes import tansu_broker

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--scale", choices=("small", "national"), default="national")
    parser.add_argument("--postgres", action="store_true", help="a local PostgreSQL store")
    parser.add_argument(
        "--replay-only", action="store_true", help="no projection load, queries or memory after"
    )
    args = parser.parse_args()
    las, children, years = {"small": (20, 10_000, 5), "national": (150, 83_000, 10)}[args.scale]
    server = database("postgresql" if args.postgres else "sqlite")
    store = "PostgreSQL" if args.postgres else "SQLite"
    with TemporaryDirectory(prefix="bench-") as tmp, tansu_broker() as bootstrap, server as url:
        _, consume = asyncio.run(limits.broker_rate(bootstrap))
        print(f"| raw limit: broker consume, aiokafka | {consume:,.0f} msg/s |")
        if args.replay_only:
            alone = replay_alone(bootstrap, Path(tmp), las, children, years, url)
            print(
                f"| replay {alone.events:,} events, {store} | {alone.rate:,.0f} events/s, "
                f"{alone.cpu_rate:,.0f} per CPU s of the process, {alone.all_cpu_rate:,.0f} per "
                f"CPU s with the broker's and the database server's | "
                f"{alone.rate / consume:.0%} of broker consume |"
            )
            print(f"| load average at the end | {_load()} |")
            return
        rep = run(bootstrap, Path(tmp), las, children, years, url)
    print(
        f"| replay {rep.events:,} events ({rep.las} LAs), {store} | "
        f"{rep.replay_rate:,.0f} events/s, {rep.replay_cpu_rate:,.0f} per CPU s | "
        f"{rep.replay_rate / consume:.0%} of broker consume |"
    )
    print(f"| load average at the end | {_load()} |")
    print(f"| load the projection from its store | {rep.load_seconds:.1f} s |")
    print(f"| as-of query, cold | p50 {rep.as_of_p50_ms:.1f} ms, p99 {rep.as_of_p99_ms:.1f} ms |")
    print(
        f"| refresh of today's indicators | all {rep.refresh_all_ms:,.0f} ms, "
        f"after one event in each {rep.refresh_changed_ms:,.0f} ms |"
    )
    print(f"| memory of the projection (process RSS) | {rep.rss_mb:,.0f} MB |")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
