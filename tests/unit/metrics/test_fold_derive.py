"""The fold derives again only the facts an event's statements feed (derive.py).

A journey event used to derive all of its child's facts; now each kind of
event derives only the facts that read its kind of statement. These tests
hold the fold to the old way: random streams (the tally test's events, with
continuing admissions and retractions), folded event by event both ways, must
leave every field of the LA's facts equal after every event; and
`placement_with`, the positional copy the fold uses instead of
`dataclasses.replace`, must copy every field.
"""

from dataclasses import fields, replace
from datetime import date
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.metrics.domain import journey_fold
from services.metrics.domain.derive import placement_with, rederive_child
from services.metrics.domain.facts import LaFacts, PlacementFacts
from services.metrics.domain.projection import apply
from shared.events import journey as j
from tests.unit.metrics.builders import (
    DERBY,
    admitted,
    ended,
    fold,
    left_care,
    retraction,
    started,
)
from tests.unit.metrics.test_tally import CHILDREN, days, journey_events

PARTIAL = ("rederive_care", "rederive_details", "rederive_placements", "rederive_spans")


def continuing(child: str, day: str) -> j.ChildAdmitted:
    """An admission the 903 import marks as continuing a period begun before the records."""
    body = admitted(child, day).model_dump(mode="json")
    return j.ChildAdmitted.model_validate({**body, "continuesperiod": True})


events = st.one_of(journey_events, st.builds(continuing, st.sampled_from(CHILDREN), days))


@st.composite
def streams(draw: st.DrawFn) -> list[Any]:
    out: list[Any] = []
    retractable: list[Any] = []  # a child's events, not retractions themselves
    for _ in range(draw(st.integers(1, 40))):
        if retractable and draw(st.integers(0, 5)) == 0:
            out.append(retraction(draw(st.sampled_from(retractable))))
            continue
        event = draw(events)
        out.append(event)
        if hasattr(event.data, "child_id"):
            retractable.append(event)
    return out


def fold_deriving_everything(facts: LaFacts, event: Any) -> None:
    """The fold as it was: every journey event derives all of its child's facts."""
    everything: dict[str, Any] = {name: rederive_child for name in PARTIAL}
    with patch.multiple(journey_fold, **everything):
        apply(facts, event)


def state(facts: LaFacts) -> dict[str, object]:
    """Every field of the facts but the indexes' cache."""
    return {f.name: getattr(facts, f.name) for f in fields(facts) if f.name != "cache"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams())
def test_deriving_only_what_an_event_feeds_gives_the_facts_of_deriving_everything(
    stream: list[Any],
) -> None:
    fast, full = LaFacts(DERBY), LaFacts(DERBY)
    for event in stream:
        apply(fast, event)
        fold_deriving_everything(full, event)
        assert state(fast) == state(full)
        assert list(fast.placements) == list(full.placements)  # same order too


def test_a_leaving_ends_the_open_placement_with_the_period() -> None:
    """The case a leaving that derived only the periods would get wrong."""
    facts = LaFacts(DERBY)
    for event in (admitted("C1", "2024-01-01"), started("C1", "P1", "2024-01-02")):
        apply(facts, event)
    assert facts.placements["P1"].end is None
    apply(facts, left_care("C1", "2024-03-01"))
    assert facts.placements["P1"].end == date(2024, 3, 1)


def every_field_set() -> PlacementFacts:
    """A placement whose every field differs from its default and from the others."""
    return PlacementFacts(
        placement_id="P1",
        child_id="C1",
        start=date(2024, 1, 1),
        end=date(2024, 2, 1),
        reason="S",
        place="U5",
        provider="PR4",
        home_id="H1",
        placement_location=(1, 2),
        placement_la="E10000024",
        weekly_cost=3770.0,
        framework="F1",
        referral_id="R1",
        emergency=True,
        urn="SC1",
        reported_end=date(2024, 3, 1),
        change_reason="CARPL",
    )


def test_placement_with_is_replace() -> None:
    p = every_field_set()
    assert {f.name for f in fields(p) if getattr(p, f.name) == f.default} == set()
    for end, reported, reason in [
        (None, None, None),
        (date(2025, 1, 1), date(2025, 1, 2), "OTHER"),
        (p.end, p.reported_end, p.change_reason),
    ]:
        made = placement_with(p, end, reported, reason)
        assert made == replace(p, end=end, reported_end=reported, change_reason=reason)


def test_a_retracted_end_that_named_another_child_reopens_the_placement_at_once() -> None:
    """The end applies to the placement whatever child it names, and so does its
    retraction: the placement's own child is derived again then, not at its next
    event (as when every event derived all of a child's facts)."""
    facts = LaFacts(DERBY)
    end = ended("C0", "P0", "2024-02-01")
    for event in (admitted("C1", "2024-01-01"), started("C1", "P0", "2024-01-02"), end):
        apply(facts, event)
    assert facts.placements["P0"].end == date(2024, 2, 1)
    apply(facts, retraction(end))
    assert facts.placements["P0"].end is None
    assert (
        facts.placements["P0"]
        == fold([admitted("C1", "2024-01-01"), started("C1", "P0", "2024-01-02")]).placements["P0"]
    )
