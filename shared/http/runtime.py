"""A running service: its database, key registry, broker clients and tasks.

HTTP starts at once; the broker side connects in the background and keeps
retrying, so a service accepts events (into its outbox) while the broker is
down, and reports not-ready until the broker answers.
"""

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from shared.auth.lookup import KeyLookup
from shared.auth.store import keys_engine
from shared.db import database_url, make_engine
from shared.ingest.group import GroupCommit
from shared.kafka.client import ensure_topics, start_producer
from shared.kafka.consumer import (
    AfterCommit,
    ConsumerMetrics,
    EventConsumer,
    Handler,
    Prepare,
    WithMessage,
)
from shared.kafka.relay import OutboxRelay
from shared.kafka.topics import all_topics
from shared.leadership import RELAY, Leadership
from shared.settings import ServiceSettings

log = structlog.get_logger()


@dataclass(frozen=True)
class ConsumerSpec:
    name: str
    topics: list[str]
    handler: Handler | WithMessage
    after_commit: AfterCommit | None = None
    prepare: Prepare | None = None
    # Not ready until it has once read to the end of its partitions (an in-memory projection).
    ready_after_catching_up: bool = False


BackgroundJob = Callable[["Runtime"], Coroutine[Any, Any, None]]


def periodic_publisher(name: str, seconds: float, publish: Callable[[], int]) -> BackgroundJob:
    """A job that calls `publish` (blocking; it returns how many events it
    enqueued) every `seconds`, wakes the relay when it enqueued any, and
    logs a failed round, which the next tick retries. It is a duty named
    `name`: across replicas only the one leading it publishes (two would
    race on the same marks and publish a change twice)."""

    async def job(runtime: "Runtime") -> None:
        leads = runtime.leadership.duty(name)
        while True:
            await asyncio.sleep(seconds)
            if not leads():
                continue
            try:
                if await asyncio.to_thread(publish):
                    runtime.notify_outbox()
            except Exception as exc:
                log.warning(f"{name}.failed", error=repr(exc))

    return job


@dataclass
class Runtime:
    name: str
    settings: ServiceSettings
    engine: Engine
    keys: Engine
    key_lookup: KeyLookup
    leadership: Leadership
    registry: CollectorRegistry
    group_commit: GroupCommit | None  # the one writer of POST /events, if it has one
    producer: AIOKafkaProducer | None = None
    relay: OutboxRelay | None = None
    consumers: list[EventConsumer] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    broker_ready: bool = False

    @classmethod
    def create(cls, name: str, settings: ServiceSettings, takes_events: bool = False) -> "Runtime":
        """`takes_events`: the service has POST /events (its group-commit writer and
        metrics exist only then, so no service exports them at zero)."""
        url = database_url(name, settings.database_url, settings.data_dir)
        engine = make_engine(url, schema=name)
        registry = CollectorRegistry()
        leadership = Leadership.create(
            engine, name, settings.replica_name(), settings.lease_retry_seconds, registry
        )
        leadership.duty(RELAY)  # every service has an outbox
        keys = keys_engine(settings.keys_database_url, settings.database_url, settings.data_dir)
        return cls(
            name=name,
            settings=settings,
            engine=engine,
            keys=keys,
            key_lookup=KeyLookup(keys, settings.key_cache_seconds),
            leadership=leadership,
            registry=registry,
            group_commit=(
                GroupCommit(engine, settings.max_event_bytes, registry) if takes_events else None
            ),
        )

    @property
    def ingest(self) -> GroupCommit:
        if self.group_commit is None:
            raise RuntimeError(f"{self.name} was created without POST /events (takes_events)")
        return self.group_commit

    def notify_outbox(self) -> None:
        if self.relay is not None:
            self.relay.notify()

    async def start_broker_side(self, specs: list[ConsumerSpec], jobs: list[BackgroundJob]) -> None:
        # The duties registered so far are tried for before anything starts,
        # so that a lone replica leads from its first moment.
        await asyncio.to_thread(self.leadership.round)
        self.tasks.append(asyncio.create_task(self.leadership.run(), name=f"{self.name}-leases"))
        self.tasks.append(asyncio.create_task(self._connect(specs), name=f"{self.name}-broker"))
        for job in jobs:
            self.tasks.append(asyncio.create_task(job(self), name=f"{self.name}-job"))

    async def _connect(self, specs: list[ConsumerSpec]) -> None:
        await ensure_topics(self.settings, all_topics(self.settings.region))
        self.producer = await start_producer(self.settings)
        self.relay = OutboxRelay(
            self.engine,
            self.producer,
            self.settings.kafka_bootstrap_servers,
            self.registry,
            self.settings.outbox_poll_seconds,
            leads=self.leadership.duty(RELAY),
        )
        self.tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.name}-relay"))
        metrics = ConsumerMetrics(self.registry) if specs else None
        for spec in specs:
            assert metrics is not None
            consumer = EventConsumer(
                f"{self.name}.{spec.name}",
                spec.topics,
                spec.handler,
                self.engine,
                self.settings.kafka_bootstrap_servers,
                self.producer,
                metrics,
                spec.after_commit,
                self.settings.consumer_batch_size,
                spec.prepare,
                spec.ready_after_catching_up,
            )
            self.consumers.append(consumer)
            self.tasks.append(asyncio.create_task(consumer.run(), name=consumer.name))
        self.broker_ready = True
        log.info("broker.connected", consumers=[c.name for c in self.consumers])

    async def stop(self) -> None:
        """Cancel the background tasks and close the producer, both within
        SHUTDOWN_GRACE_SECONDS: a stopping process must exit (a metrics process
        was seen to wait for ever here after SIGTERM), and what is lost by not
        waiting longer is safe (unpublished outbox rows stay unpublished, an
        uncommitted offset is read again)."""
        grace = self.settings.shutdown_grace_seconds
        deadline = time.monotonic() + grace
        for task in self.tasks:
            task.cancel()
        if self.tasks:
            _, pending = await asyncio.wait(self.tasks, timeout=grace)
            if pending:
                names = sorted(t.get_name() for t in pending)
                log.error("shutdown.tasks_still_running", tasks=names, seconds=grace)
        if self.producer is not None:
            try:  # what is left of the grace, and a second at least to flush
                await asyncio.wait_for(self.producer.stop(), max(1.0, deadline - time.monotonic()))
            except TimeoutError:
                log.error("shutdown.producer_stop_timed_out", seconds=grace)
        await asyncio.to_thread(self.leadership.release)
        self.engine.dispose()
        self.keys.dispose()
