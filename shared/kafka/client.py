"""Creating producers and topics against whichever broker is configured."""

import contextlib

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from tenacity import retry, stop_after_delay, wait_exponential

from shared.settings import ServiceSettings

log = structlog.get_logger()


def make_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    if settings.kafka_idempotence:
        return AIOKafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
        )
    # The embedded broker refuses InitProducerId; acks=all still waits for the
    # write, and consumers dedupe on (source, id), so duplicates change nothing.
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers, acks="all", linger_ms=5
    )


@retry(wait=wait_exponential(max=5), stop=stop_after_delay(120), reraise=True)
async def ensure_topics(settings: ServiceSettings, topics: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(t, settings.kafka_partitions, settings.kafka_replication_factor)
            for t in topics
            if t not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another service won the race
                await admin.create_topics(missing)
            log.info("topics.created", topics=[t.name for t in missing])
    finally:
        await admin.close()


@retry(wait=wait_exponential(max=5), stop=stop_after_delay(120), reraise=True)
async def start_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    producer = make_producer(settings)
    try:
        await producer.start()
    except Exception:
        await producer.stop()
        raise
    return producer
