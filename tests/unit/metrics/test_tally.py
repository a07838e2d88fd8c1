"""The tallied indicators (kept child by child) equal `compute_all` from scratch.

A property test: random event streams into one LA, folded batch by batch;
after each batch the tally of the day (kept since the first batch, so it
works by delta) must give exactly what a computation over every child gives:
children admitted, leaving, moving, on short breaks (V3/V4), corrected,
homes registered, changed and deregistered, referrals, vacancies, costs, and
the day moving on (a new tally), or back.
"""

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.metrics.domain import index
from services.metrics.domain.facts import LaFacts
from services.metrics.domain.indicator import Indicator
from services.metrics.domain.indicators import compute_all
from services.metrics.domain.projection import apply
from services.metrics.domain.reference import ReferenceForLa, TargetPoint
from services.metrics.domain.tally import Tally
from services.metrics.service_layer.live import LiveProjection
from tests.unit.metrics.builders import (
    DERBY,
    DERBYSHIRE,
    FAR,
    HOME,
    NEAR,
    admitted,
    corrected,
    ended,
    home,
    home_deregistered,
    home_updated,
    left_care,
    legal_status,
    referral,
    referral_closed,
    retraction,
    started,
    vacancy,
    vacancy_filled,
)

CHILDREN = [f"C{i}" for i in range(6)]
PLACEMENTS = [f"P{i}" for i in range(8)]
HOMES = ["H1", "H2"]
START = date(2022, 1, 1)
REFERENCE = ReferenceForLa(
    population_by_year={2023: 50_000},
    targets=(TargetPoint("children_in_care", None, date(2020, 1, 1), 10.0, False),),
)

days = st.integers(0, 4 * 365).map(lambda n: (START + timedelta(days=n)).isoformat())
children = st.sampled_from(CHILDREN)
costs = st.one_of(
    st.none(),
    st.floats(0, 20_000, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.1, 0.2, 0.3, 1e-9, 3333.33]),
    st.sampled_from([0.1, 0.2, 0.3, 1e16]),
)


placement_started = st.builds(
    started,
    children,
    st.sampled_from(PLACEMENTS),
    days,
    reason=st.sampled_from(["S", "P", "B", "T", "U"]),
    place=st.sampled_from(["U4", "U5", "U1", "K2", "R1", "P1", "A4"]),
    provider=st.sampled_from(["PR0", "PR1", "PR2", "PR4", "PR5"]),
    home_id=st.one_of(st.none(), st.sampled_from(HOMES)),
    location=st.sampled_from([None, NEAR, FAR]),
    placement_la=st.sampled_from([None, DERBY, DERBYSHIRE]),
    cost=costs,
    framework=st.sampled_from([None, "F1"]),
    referral=st.sampled_from([None, "R1", "R2"]),
    emergency=st.booleans(),
)
journey_events = st.one_of(
    st.builds(
        admitted,
        children,
        days,
        birth=st.sampled_from(["2008-03", "2012-06", "2020-01"]),
        ls=st.sampled_from(["C2", "E1", "V3", "V4", "J1"]),
        uasc=st.booleans(),
        home=st.sampled_from([None, HOME]),
    ),
    placement_started,
    st.builds(ended, children, st.sampled_from(PLACEMENTS), days),
    st.builds(left_care, children, days),
    st.builds(legal_status, children, days, st.sampled_from(["C2", "V3", "V4", "E1"])),
    st.builds(lambda c, day, u: corrected(c, day, uasc=u), children, days, st.booleans()),
    st.builds(
        lambda c, day, h: corrected(c, day, home_location=h),
        children,
        days,
        st.sampled_from([HOME, FAR]),
    ),
    st.builds(referral, st.sampled_from(["R1", "R2"]), children, days),
    st.builds(
        referral_closed,
        st.sampled_from(["R1", "R2"]),
        days,
        placement=st.sampled_from(PLACEMENTS[:3]),
    ),
    st.builds(
        lambda r, day: referral_closed(r, day, outcome="withdrawn"),
        st.sampled_from(["R1", "R2"]),
        days,
    ),
)
supply_events = st.one_of(
    st.builds(
        home,
        st.sampled_from(HOMES),
        days,
        kind=st.sampled_from(["childrens_home", "foster_household"]),
        places=st.integers(1, 5),
        location=st.sampled_from([None, NEAR, FAR]),
        location_la=st.sampled_from([DERBY, DERBYSHIRE]),
    ),
    st.builds(
        lambda h, day, n: home_updated(h, day, registered_places=n),
        st.sampled_from(HOMES),
        days,
        st.integers(1, 6),
    ),
    st.builds(home_deregistered, st.sampled_from(HOMES), days),
    st.builds(vacancy, st.sampled_from(["V1", "V2"]), st.sampled_from(HOMES), days),
    st.builds(vacancy_filled, st.sampled_from(["V1", "V2"]), days, st.sampled_from(PLACEMENTS)),
)
events = st.one_of(journey_events, journey_events, journey_events, supply_events)


@st.composite
def streams(draw: st.DrawFn) -> list[tuple[list[Any], date]]:
    """Batches, each with the as-of day asked after it (mostly the same day)."""
    out: list[tuple[list[Any], date]] = []
    seen: list[Any] = []
    day = START + timedelta(days=draw(st.integers(200, 4 * 365)))
    for _ in range(draw(st.integers(1, 6))):
        batch = draw(st.lists(events, max_size=8))
        seen += [e for e in batch if hasattr(e.data, "child_id")]
        if len(seen) > 0 and draw(st.booleans()):  # a retraction of something already folded
            batch.append(retraction(draw(st.sampled_from(seen))))
        if draw(st.integers(0, 4)) == 0:
            day += timedelta(days=draw(st.integers(-400, 400)))
        out.append((batch, day))
    return out


def _same(tallied: list[Indicator], full: list[Indicator]) -> None:
    assert tallied == full
    assert [i.samples for i in tallied] == [i.samples for i in full]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams())
def test_the_tally_equals_the_full_computation_after_every_batch(
    stream: list[tuple[list[Any], date]],
) -> None:
    facts = LaFacts(DERBY)
    tallies: dict[date, Tally] = {}
    for batch, day in stream:
        for event in batch:
            apply(facts, event)
        tally = tallies.setdefault(day, Tally(day))
        _same(tally.indicators(facts, REFERENCE), compute_all(facts, day, REFERENCE))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams())
def test_the_live_projection_answers_today_by_tally_as_it_would_in_full(
    stream: list[tuple[list[Any], date]],
) -> None:
    live = LiveProjection(lambda la: REFERENCE)
    for batch, day in stream:
        live.apply(batch)
        live.refresh(day)
        expected = compute_all(live._facts.get(DERBY) or LaFacts(DERBY), day, REFERENCE)
        _same(live.indicators(DERBY, day), expected)
        _same(live.latest(DERBY, day), expected)


def test_a_cost_that_is_no_finite_number_is_computed_in_full() -> None:
    facts = LaFacts(DERBY)
    for event in [
        admitted("C1", "2023-01-01"),
        started("C1", "P1", "2023-01-01", cost=float("inf")),
    ]:
        apply(facts, event)
    day = date(2024, 1, 1)
    tallied = Tally(day).indicators(facts, REFERENCE)
    assert tallied == compute_all(facts, day, REFERENCE)


def test_weekly_costs_taken_away_leave_the_exact_sum_of_those_left() -> None:
    """0.1 + 0.2 + 0.3 - 0.1 in floats is not 0.2 + 0.3: the tally keeps fractions."""
    facts = LaFacts(DERBY)
    day = date(2024, 1, 1)
    tally = Tally(day)
    for i, weekly in enumerate([0.1, 0.2, 0.3, 1e16, 1.0]):
        apply(facts, admitted(f"C{i}", "2023-01-01"))
        apply(facts, started(f"C{i}", f"P{i}", "2023-01-01", cost=weekly))
        _same(tally.indicators(facts, REFERENCE), compute_all(facts, day, REFERENCE))
    for i in (0, 3):
        apply(facts, left_care(f"C{i}", "2023-06-01"))
        _same(tally.indicators(facts, REFERENCE), compute_all(facts, day, REFERENCE))


def test_a_tally_behind_the_dropped_part_of_the_log_starts_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(index, "_LOG_SLACK", 2)
    facts = LaFacts(DERBY)
    day = date(2024, 1, 1)
    often, seldom = Tally(day), Tally(day)
    seldom.indicators(facts, REFERENCE)
    for i in range(12):
        apply(facts, admitted(f"C{i}", "2023-01-01", uasc=i % 3 == 0))
        apply(facts, started(f"C{i}", f"P{i}", "2023-02-01", cost=0.1 * i))
        if i % 4 == 3:
            apply(facts, left_care(f"C{i - 2}", "2023-06-01"))
        _same(often.indicators(facts, REFERENCE), compute_all(facts, day, REFERENCE))
    assert index.child_rows(facts).log_start > 0  # the log was cut: seldom fell behind it
    _same(seldom.indicators(facts, REFERENCE), compute_all(facts, day, REFERENCE))
