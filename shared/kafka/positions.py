"""Seeking to the positions a consumer keeps in its own database.

On assignment each partition is moved back by one, to the last message this
consumer applied. If the first message read there is that message (same
offset, same fingerprint) the log is the one we know and reading goes on;
otherwise the broker's log is not the one we consumed (the embedded broker
came back empty and was refilled) and the partition is read from the start,
which the inbox makes harmless.
"""

import asyncio
from dataclasses import dataclass

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from sqlalchemy import Engine
from sqlmodel import Session

from shared.store import positions

log = structlog.get_logger()


@dataclass(frozen=True)
class Expected:
    offset: int
    sha256: str


class PositionKeeper(ConsumerRebalanceListener):
    def __init__(self, name: str, engine: Engine) -> None:
        self._name = name
        self._engine = engine
        self._consumer: AIOKafkaConsumer | None = None
        self._expected: dict[TopicPartition, Expected] = {}

    def attach(self, consumer: AIOKafkaConsumer) -> None:
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        for tp in revoked:
            self._expected.pop(tp, None)

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        assert self._consumer is not None
        for tp in assigned:
            stored = await asyncio.to_thread(self._load, tp)
            if stored is None or stored.next_offset == 0:
                await self._consumer.seek_to_beginning(tp)
                continue
            self._expected[tp] = Expected(stored.next_offset - 1, stored.last_sha256)
            self._consumer.seek(tp, stored.next_offset - 1)

    def forget(self, tp: TopicPartition) -> None:
        """The partition is being read from the start: nothing to check there."""
        self._expected.pop(tp, None)

    def _load(self, tp: TopicPartition) -> positions.ConsumerPosition | None:
        with Session(self._engine) as s:
            return positions.load(s, self._name, tp.topic, tp.partition)

    async def check(
        self, tp: TopicPartition, records: list[ConsumerRecord[bytes, bytes]]
    ) -> list[ConsumerRecord[bytes, bytes]]:
        """The records to apply; [] when the partition had to be rewound."""
        expected = self._expected.pop(tp, None)
        if expected is None or not records:
            return records
        first = records[0]
        if (
            first.offset == expected.offset
            and positions.fingerprint(first.value) == expected.sha256
        ):
            return records[1:]
        log.warning(
            "consumer.log_changed",
            consumer=self._name,
            topic=tp.topic,
            partition=tp.partition,
            expected_offset=expected.offset,
            got=first.offset,
        )
        assert self._consumer is not None
        await self._consumer.seek_to_beginning(tp)
        return []
