"""A real Kafka-protocol broker for integration tests.

Apache Kafka in a container when a Docker engine answers (testcontainers),
else the embedded Tansu broker the stack itself uses.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sufficiency.stack.processes import tansu_broker
from tests.support.docker import docker_available


@contextmanager
def kafka_broker() -> Iterator[tuple[str, bool]]:
    """Yield (bootstrap servers, supports idempotent producers)."""
    if docker_available():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer("confluentinc/cp-kafka:7.6.1").with_kraft() as kafka:
            yield kafka.get_bootstrap_server(), True
        return
    with tansu_broker() as bootstrap:
        yield bootstrap, False
