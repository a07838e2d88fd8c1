"""Series dates, series of indicator sets, and their cost."""

import random
from datetime import timedelta

import pytest

from services.metrics.domain.reference import ReferenceForLa
from services.metrics.domain.series import points_between, series
from shared.events.envelope import Envelope
from tests.unit.metrics.builders import (
    admitted,
    d,
    ended,
    fold,
    get,
    home,
    left_care,
    referral,
    referral_closed,
    started,
    vacancy,
)


def test_month_ends_between_two_dates():
    assert points_between(d("2024-01-15"), d("2024-04-30"), "month") == [
        d("2024-01-31"),
        d("2024-02-29"),
        d("2024-03-31"),
        d("2024-04-30"),
    ]
    assert points_between(d("2024-01-15"), d("2024-04-29"), "month")[-1] == d("2024-03-31")


def test_year_points_are_statutory_year_ends_and_days_are_days():
    assert points_between(d("2021-06-01"), d("2024-03-31"), "year") == [
        d("2022-03-31"),
        d("2023-03-31"),
        d("2024-03-31"),
    ]
    assert points_between(d("2024-02-28"), d("2024-03-01"), "day") == [
        d("2024-02-28"),
        d("2024-02-29"),
        d("2024-03-01"),
    ]
    with pytest.raises(ValueError):
        points_between(d("2024-01-01"), d("2024-02-01"), "week")


def test_a_series_is_compute_all_at_each_point():
    facts = fold(
        [admitted("A", "2024-01-10"), admitted("B", "2024-02-10"), left_care("A", "2024-03-05")]
    )
    points = series(facts, ReferenceForLa(), d("2024-01-01"), d("2024-03-31"))
    assert [(day, get(v, "children_in_care").value) for day, v in points] == [
        (d("2024-01-31"), 1),
        (d("2024-02-29"), 2),
        (d("2024-03-31"), 1),
    ]


def _synthetic_la(children: int, seed: int = 7):
    """About `children` children over ten years, with moves, referrals and homes."""
    rng = random.Random(seed)
    events: list[Envelope] = [home(f"H{h}", "2014-01-01", places=4) for h in range(30)]
    events += [vacancy(f"V{v}", f"H{v % 30}", "2023-01-01") for v in range(40)]
    start = d("2014-04-01")
    for c in range(children):
        child = f"C{c}"
        day = start + timedelta(days=rng.randrange(3600))
        events += [
            admitted(child, day.isoformat(), birth=f"{day.year - 1 - rng.randrange(17)}-05"),
            referral(f"R{c}", child, day.isoformat()),
        ]
        for p in range(rng.randrange(1, 6)):
            pid = f"{child}P{p}"
            events.append(
                started(
                    child,
                    pid,
                    day.isoformat(),
                    reason="S" if p == 0 else rng.choice("PPT"),
                    place=rng.choice(["U4", "U1", "K2"]),
                    provider=rng.choice(["PR1", "PR4"]),
                    home_id=f"H{c % 30}",
                    cost=float(rng.randrange(500, 6000)),
                )
            )
            if p == 0:
                events.append(referral_closed(f"R{c}", day.isoformat(), placement=pid))
            day += timedelta(days=rng.randrange(30, 400))
            if day > d("2024-03-31"):
                break
            events.append(ended(child, pid, day.isoformat()))
        if day < d("2024-03-31") and rng.random() < 0.5:
            events.append(left_care(child, day.isoformat()))
    return fold(events)


def test_120_month_points_for_1000_children():
    # Speed is measured in bench/, never asserted here (a busy machine fails a timed test).
    facts = _synthetic_la(1000)
    points = series(facts, ReferenceForLa({2023: 60_000}), d("2014-04-01"), d("2024-03-31"))
    assert len(points) == 120
    assert (get(points[-1][1], "children_in_care").value or 0) > 100
