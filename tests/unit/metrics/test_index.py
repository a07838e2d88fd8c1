"""The index is rebuilt only for the children an event touched; it must equal a full build."""

from datetime import date

from bench.workload import journeys
from services.metrics.domain.facts import LaFacts
from services.metrics.domain.index import all_child_rows, build_index, index_of
from services.metrics.domain.projection import apply
from tests.unit.metrics.builders import DERBY, admitted, home, home_updated, started


def test_an_index_kept_up_event_by_event_equals_one_built_from_scratch():
    events = list(journeys(1, 60, 3, date(2025, 3, 31), seed=5))
    facts = LaFacts(events[0].la)
    for n, event in enumerate(events):
        apply(facts, event)
        if n % 7 == 0:  # build now and then, so later builds are incremental
            index_of(facts)
    assert index_of(facts) == build_index(facts, all_child_rows(facts))


def test_a_home_that_changes_rebuilds_the_rows_of_the_children_placed_there():
    facts = LaFacts(DERBY)
    for event in (
        home("H1", "2024-01-01", location=(430000, 335000)),
        admitted("C1", "2024-02-01", home=(430000, 336000)),
        started("C1", "P1", "2024-02-01", home_id="H1", location=None, placement_la=None),
    ):
        apply(facts, event)
    before = index_of(facts).children[0].placements[0]
    # Dated before the placement began (reported late): the row reads the home's
    # location on the placement's first day, so it changes. A move dated after
    # that day changes nothing (tests/security/test_as_of_stability.py).
    apply(facts, home_updated("H1", "2024-01-15", location={"easting": 530000, "northing": 335000}))
    after = index_of(facts).children[0].placements[0]
    assert before.miles is not None and after.miles is not None and after.miles > before.miles + 50
    apply(facts, home_updated("H1", "2024-03-01", location={"easting": 430000, "northing": 335000}))
    assert index_of(facts).children[0].placements[0].miles == after.miles
    assert index_of(facts) == build_index(facts, all_child_rows(facts))
