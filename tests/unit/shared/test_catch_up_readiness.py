"""A consumer folding into memory (the metrics projection) makes its service
ready only once it has read to the end of every partition it was given: a new
or restarted replica does not answer from a partial projection."""

from aiokafka import TopicPartition
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry

from shared.http.app import create_service_app
from shared.http.runtime import Runtime
from shared.kafka.consumer import ConsumerMetrics, EventConsumer
from shared.settings import ServiceSettings

P0, P1 = TopicPartition("journey.v1", 0), TopicPartition("journey.v1", 1)


class Broker:
    """What the consumer asks aiokafka after a poll: its partitions, their ends, its positions."""

    def __init__(self) -> None:
        self.high: dict[TopicPartition, int | None] = {P0: None, P1: None}
        self.at: dict[TopicPartition, int] = {P0: 0, P1: 0}

    def assignment(self) -> set[TopicPartition]:
        return set(self.high)

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.high[tp]

    async def position(self, tp: TopicPartition) -> int:
        return self.at[tp]


def consumer(tmp_path, gated: bool) -> EventConsumer:
    runtime = Runtime.create("svc", ServiceSettings(data_dir=tmp_path))
    return EventConsumer(
        "svc.projection",
        ["journey.v1"],
        lambda s, e: None,
        runtime.engine,
        "localhost:1",
        None,
        ConsumerMetrics(CollectorRegistry()),
        ready_after_catching_up=gated,
    )


async def test_caught_up_once_every_partition_has_reached_its_end(tmp_path):
    projection, broker = consumer(tmp_path, gated=True), Broker()
    broker.high[P0] = 0  # one partition answered (empty), the other not yet
    await projection._watch_log_end(broker)
    assert not projection.caught_up
    broker.high[P1] = 40  # both answered, one behind
    await projection._watch_log_end(broker)
    assert not projection.caught_up
    broker.at[P1] = 40
    await projection._watch_log_end(broker)
    assert projection.caught_up
    broker.high[P1] = 45  # later lag is the stall check's business, not this one's
    await projection._watch_log_end(broker)
    assert projection.caught_up


def test_readyz_waits_for_a_gated_consumer_only(tmp_path):
    runtime = Runtime.create("svc", ServiceSettings(data_dir=tmp_path))
    app = create_service_app(runtime, "svc", "test", [])
    client = TestClient(app)
    runtime.consumers = [consumer(tmp_path, gated=False)]
    assert "caught_up" not in client.get("/readyz").json()["checks"]
    gated = consumer(tmp_path, gated=True)
    runtime.consumers.append(gated)
    assert client.get("/readyz").json()["checks"]["caught_up"] is False
    gated.caught_up = True
    assert client.get("/readyz").json()["checks"]["caught_up"] is True
