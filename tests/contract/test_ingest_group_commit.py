"""Group commit: requests stored together answer exactly as each would alone,
on every database backend."""

import asyncio
import json
from datetime import timedelta

import pytest
from prometheus_client import CollectorRegistry
from sqlmodel import Session, SQLModel, select

from services.referrals.adapters.tables import TABLES
from services.referrals.service_layer.journey_pipeline import journey_pipeline
from shared.ingest.batch import Conflict, Rejected, Result, WrongLa
from shared.ingest.group import GroupCommit, Submission, store_group
from shared.store.tables import IngestedEvent, OutboxMessage
from tests.unit.shared.builders import DERBY, DERBYSHIRE, admitted, started

PIPE = journey_pipeline(timedelta(minutes=5))
LIMIT = 1_000_000


@pytest.fixture
def db(engine):
    SQLModel.metadata.create_all(engine, tables=TABLES)
    return engine


def stored_ids(db) -> set[str]:
    with Session(db) as s:
        return set(s.exec(select(IngestedEvent.event_id)).all())


def statuses(outcome: list[Result] | BaseException) -> list[str]:
    assert isinstance(outcome, list), outcome
    return [r.status for r in outcome]


def test_good_requests_are_stored_in_one_transaction(db):
    subs = [Submission([admitted(child=f"C{i}")], DERBY) for i in range(5)]
    outcomes, split = store_group(db, subs, PIPE, LIMIT)
    assert not split
    assert [statuses(o) for o in outcomes] == [["accepted"]] * 5
    assert [o[0].id for o in outcomes] == [s.items[0]["id"] for s in subs]  # type: ignore[index]
    assert len(stored_ids(db)) == 5


def test_a_request_breaking_a_rule_is_refused_alone_with_its_own_indexes(db):
    good = [admitted(child="C1"), started(child="C1")]
    bad = [admitted(child="C2"), started(child="C9")]  # C9 was never admitted
    later = [admitted(child="C3")]
    outcomes, split = store_group(
        db, [Submission(good, DERBY), Submission(bad, DERBY), Submission(later, DERBY)], PIPE, LIMIT
    )
    assert split
    assert statuses(outcomes[0]) == ["accepted", "accepted"]
    assert isinstance(outcomes[1], Rejected)
    [error] = outcomes[1].errors
    assert (error.index, error.reason) == (1, "unknown_child")  # its index in its own request
    assert statuses(outcomes[2]) == ["accepted"]
    assert stored_ids(db) == {e["id"] for e in good + later}


def test_a_request_that_does_not_parse_or_is_for_another_la_leaves_the_rest_together(db):
    unparsable = admitted(child="C2")
    del unparsable["data"]["date"]
    other_la = admitted(child="C3")
    subs = [
        Submission([admitted(child="C1")], DERBY),
        Submission([unparsable], DERBY),
        Submission([other_la], DERBYSHIRE),
        Submission([admitted(child="C4")], DERBY),
    ]
    outcomes, split = store_group(db, subs, PIPE, LIMIT)
    assert not split
    assert isinstance(outcomes[1], Rejected) and isinstance(outcomes[2], WrongLa)
    assert statuses(outcomes[0]) == statuses(outcomes[3]) == ["accepted"]
    assert len(stored_ids(db)) == 2


def test_the_same_event_twice_in_a_group_is_a_duplicate_and_another_body_a_conflict(db):
    first = admitted(child="C1")
    changed = dict(first, data=dict(first["data"], sex=2))
    outcomes, split = store_group(
        db,
        [Submission([first], DERBY), Submission([dict(first)], DERBY)],
        PIPE,
        LIMIT,
    )
    assert not split and [statuses(o) for o in outcomes] == [["accepted"], ["duplicate"]]
    second = admitted(child="C2")
    outcomes, split = store_group(
        db,
        [Submission([second], DERBY), Submission([changed], DERBY)],
        PIPE,
        LIMIT,
    )
    assert split
    assert statuses(outcomes[0]) == ["accepted"] and isinstance(outcomes[1], Conflict)
    with Session(db) as s:
        stored = s.get(IngestedEvent, first["id"])
        assert stored is not None
        body = stored.body
        assert json.loads(body)["data"]["sex"] == 1  # the stored body is unchanged
        assert len(s.exec(select(OutboxMessage)).all()) == 2


def test_concurrent_requests_share_transactions_and_each_gets_its_answer(db):
    registry = CollectorRegistry()
    writer = GroupCommit(db, LIMIT, registry)
    requests = [[admitted(child=f"C{i}")] for i in range(40)]
    requests[7] = [started(child="C99")]  # refused: no such child

    async def post_all() -> list[list[Result] | BaseException]:
        return await asyncio.gather(
            *(writer.submit(r, DERBY, PIPE) for r in requests), return_exceptions=True
        )

    answers = asyncio.run(post_all())
    assert isinstance(answers[7], Rejected)
    assert all(statuses(a) == ["accepted"] for i, a in enumerate(answers) if i != 7)
    transactions = registry.get_sample_value("sufficiency_ingest_group_requests_count")
    assert transactions is not None and transactions < len(requests)
    assert (registry.get_sample_value("sufficiency_ingest_group_splits_total") or 0) >= 1
    assert len(stored_ids(db)) == 39
