"""A lock held across a process's transactions: two replicas' imports of one LA
run one after the other (PostgreSQL; engines stand for the replicas)."""

import threading
import time
import uuid

from shared.db import across_processes, make_engine


def test_a_second_holder_waits_until_the_first_lets_go(postgres_url):
    schema = f"t{uuid.uuid4().hex[:10]}"
    first, second = make_engine(postgres_url, schema), make_engine(postgres_url, schema)
    order: list[str] = []

    def other_replica() -> None:
        with across_processes(second, "ssda903 import E06000018"):
            order.append("second in")

    with across_processes(first, "ssda903 import E06000018"):
        waiting = threading.Thread(target=other_replica)
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive() and order == []
        order.append("first out")
    waiting.join(timeout=10)
    assert order == ["first out", "second in"]


def test_another_la_does_not_wait(postgres_url):
    schema = f"t{uuid.uuid4().hex[:10]}"
    first, second = make_engine(postgres_url, schema), make_engine(postgres_url, schema)
    with across_processes(first, "ssda903 import E06000018"):
        started = time.monotonic()
        with across_processes(second, "ssda903 import E06000019"):
            assert time.monotonic() - started < 5
