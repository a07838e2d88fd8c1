"""Every event is a valid model instance and the journey rules hold."""

import itertools
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.codes.ssda903 import codes_for, collection_year
from shared.events import journey as j
from shared.events import supply as s
from shared.events.registry import EVENT_TYPES, parse_event
from sufficiency.simulator import backfill, live
from tests.unit.simulator.conftest import ACROSS_CODE_CHANGE_END, SEED
from tests.unit.simulator.invariants import check_all


def test_every_event_round_trips_as_its_model(five_years):
    events, _ = five_years
    for event in events:
        assert type(event) is EVENT_TYPES[event.type]
        again = parse_event(event.model_dump_json())
        assert again == event


def test_the_journey_and_supply_rules_hold(five_years, across_code_change):
    events, _ = five_years
    assert check_all(events) == []
    assert check_all(across_code_change) == []


def test_every_kind_of_event_is_produced(five_years):
    kinds = Counter(e.type for e in five_years[0])
    for cls in (
        j.ChildAdmitted,
        j.ReferralReceived,
        j.ReferralClosed,
        j.PlacementStarted,
        j.PlacementEnded,
        j.LegalStatusChanged,
        j.ChildLeftCare,
        s.HomeRegistered,
        s.HomeUpdated,
        s.HomeDeregistered,
        s.VacancyOpened,
        s.VacancyHeld,
        s.VacancyFilled,
        s.VacancyWithdrawn,
    ):
        assert kinds[cls.model_fields["type"].default] > 0, cls


def test_codes_follow_the_collection_year(across_code_change):
    used: dict[bool, Counter[str]] = {False: Counter(), True: Counter()}
    for e in across_code_change:
        if isinstance(e, j.PlacementStarted):
            assert e.data.placement_type in codes_for(collection_year(e.data.date)).place
            used[e.data.date >= date(2025, 4, 1)][e.data.placement_type] += 1
    assert used[False]["H5"] > 0 and used[False]["K3"] == 0
    assert used[True]["K3"] > 0
    assert not {"H5", "P2", "Z1"} & set(used[True])


def test_envelopes_say_who_and_when(five_years):
    for e in five_years[0]:
        assert e.id.version == 5
        assert e.time.tzinfo is not None and e.time.utcoffset() == timedelta(0)
        assert 7 <= e.time.hour <= 23
        if isinstance(e, j.JourneyEvent):
            assert e.source == f"/la/{e.la}/lcs"
        else:
            assert e.source == f"/la/{e.la}/commissioning"
        if isinstance(e, s.HomeRegistered):
            assert e.la == e.data.owner_la
            if e.data.kind.value == "foster_household":
                assert e.data.name is None and e.data.urn is None


def test_uasc_have_no_home_location(five_years):
    for e in five_years[0]:
        if isinstance(e, j.ChildAdmitted):
            assert (e.data.home_location is None) == e.data.uasc


def test_ids_are_unique_and_uuid5(five_years):
    events, _ = five_years
    ids = [e.id for e in events]
    assert len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {5}
    for e in events:
        if isinstance(e, j.ChildAdmitted):
            kind, _, rest = e.data.child_id.partition("-")
            assert kind == "child" and uuid.UUID(rest).version == 5


def test_live_continues_the_backfill_within_the_rules(across_code_change):
    start = datetime.combine(
        ACROSS_CODE_CHANGE_END + timedelta(days=1), datetime.min.time(), UTC
    ) + timedelta(hours=9)
    rate = 4.0
    stream: list[Any] = list(itertools.islice(live(start, rate, SEED + 1, years=2), 2000))
    assert stream[0].time == start + timedelta(seconds=1 / rate)
    gaps = {b.time - a.time for a, b in itertools.pairwise(stream)}
    assert gaps == {timedelta(seconds=1 / rate)}
    for e in stream:
        assert getattr(e.data, "date", e.time.date()) == e.time.date()
    assert not {e.id for e in stream} & {e.id for e in across_code_change}
    assert check_all(across_code_change + stream) == []


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        next(live(datetime(2024, 1, 1), 1.0, 1))
    with pytest.raises(ValueError):
        next(live(datetime(2024, 1, 1, tzinfo=UTC), 0.0, 1))
    with pytest.raises(ValueError):
        next(backfill(0, date(2024, 1, 1), 1))
