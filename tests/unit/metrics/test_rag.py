"""Targets in force at a date, and red / amber / green."""

import pytest

from services.metrics.domain.indicators import compute_all
from services.metrics.domain.rag import rag_of
from services.metrics.domain.reference import ReferenceForLa, TargetPoint
from tests.unit.metrics.builders import DERBYSHIRE, admitted, d, fold, get, started

# Derbyshire's residential-mix trajectory (seed 001), lower is better
TRAJECTORY = tuple(
    TargetPoint("placement_mix", "residential", d(day), value, higher_is_better=False)
    for day, value in [
        ("2026-04-01", 0.16),
        ("2027-04-01", 0.15),
        ("2028-04-01", 0.14),
        ("2029-04-01", 0.13),
        ("2030-04-01", 0.11),
    ]
)
REF = ReferenceForLa({2025: 155_400}, TRAJECTORY)


@pytest.mark.parametrize(
    ("day", "target"),
    [
        ("2026-03-31", None),
        ("2026-04-01", 0.16),
        ("2027-06-30", 0.15),
        ("2028-03-31", 0.15),
        ("2029-04-01", 0.13),
        ("2031-01-01", 0.11),
    ],
)
def test_the_point_of_a_trajectory_in_force_at_the_date(day, target):
    point = REF.target_on("placement_mix", "residential", d(day))
    assert (point.value if point else None) == target


def _residential(n_residential: int, n_children: int = 20):
    events = []
    for i in range(n_children):
        child = f"C{i}"
        events += [
            admitted(child, "2025-01-01", la=DERBYSHIRE),
            started(
                child,
                f"P{i}",
                "2025-01-01",
                reason="S",
                place="K2" if i < n_residential else "U4",
                la=DERBYSHIRE,
            ),
        ]
    return fold(events, la=DERBYSHIRE)


@pytest.mark.parametrize(
    ("residential", "day", "rag"),
    [
        (3, "2027-06-30", "green"),  # 15% against 15%
        (4, "2027-06-30", "amber"),  # 20%: five points over
        (5, "2027-06-30", "red"),  # 25%
        (3, "2026-06-30", "green"),  # 15% against 16%
        (3, "2030-06-30", "amber"),  # 15% against 11%: four points over
    ],
)
def test_rag_against_the_trajectory(residential, day, rag):
    values = compute_all(_residential(residential), d(day), REF)
    ind = get(values, "placement_mix", "residential")
    expected_target = REF.target_on("placement_mix", "residential", d(day))
    assert expected_target is not None
    assert (ind.target, ind.rag) == (expected_target.value, rag)
    assert get(values, "placement_mix", "fostering").target is None


def test_no_target_no_rag():
    values = compute_all(_residential(3), d("2025-06-30"), REF)
    ind = get(values, "placement_mix", "residential")
    assert (ind.target, ind.rag) == (None, None)


def test_higher_is_better_and_tolerances():
    near = TargetPoint("within_20_miles", None, d("2022-04-01"), 0.75)
    assert [rag_of(v, near, "ratio") for v in (0.80, 0.75, 0.70, 0.69, None)] == [
        "green",
        "green",
        "amber",
        "red",
        None,
    ]
    tight = TargetPoint("within_20_miles", None, d("2022-04-01"), 0.75, amber_tolerance=0.01)
    assert rag_of(0.72, tight, "ratio") == "red"
    count = TargetPoint("children_in_care", None, d("2022-04-01"), 500, higher_is_better=False)
    assert [rag_of(v, count, "count") for v in (480, 525, 526)] == ["green", "amber", "red"]
