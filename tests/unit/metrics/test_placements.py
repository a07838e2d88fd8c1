"""Placement mix, provider mix, distance from home, inside the LA."""

import pytest

from services.metrics.domain.distance import miles_between
from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import (
    DERBY,
    FAR,
    HOME,
    NEAR,
    NOTTINGHAM,
    admitted,
    d,
    figures,
    fold,
    get,
    home,
    left_care,
    started,
)

DAY = d("2024-03-31")
MIX = fold(
    [
        admitted("C1", "2023-01-01"),
        started("C1", "P1", "2023-01-01", reason="S", place="U4", provider="PR1"),
        admitted("C2", "2023-01-01"),
        started("C2", "P2", "2023-01-01", reason="S", place="K2", provider="PR4"),
        admitted("C3", "2023-01-01"),
        started("C3", "P3", "2023-01-01", reason="S", place="U1", provider="PR4"),
        admitted("C4", "2024-03-30"),  # no placement yet
        admitted("C5", "2022-01-01"),
        started("C5", "P5", "2022-01-01", reason="S", place="K2"),
        left_care("C5", "2023-12-01"),  # gone: out of numerator and denominator
    ]
)


def test_placement_mix_shares_of_cla_by_category():
    values = compute_all(MIX, DAY, ReferenceForLa())
    assert figures(get(values, "placement_mix", "fostering")) == (0.5, 2, 4)
    assert figures(get(values, "placement_mix", "residential")) == (0.25, 1, 4)
    assert figures(get(values, "placement_mix", "not_known")) == (0.25, 1, 4)
    assert figures(get(values, "placement_mix", "adoption")) == (0.0, 0, 4)


def test_provider_mix_shares_of_cla_by_place_provider():
    values = compute_all(MIX, DAY, ReferenceForLa())
    assert figures(get(values, "provider_mix", "PR1")) == (0.25, 1, 4)
    assert figures(get(values, "provider_mix", "PR4")) == (0.5, 2, 4)
    assert figures(get(values, "provider_mix", "PR0")) == (0.0, 0, 4)
    assert figures(get(values, "provider_mix", "not_known")) == (0.25, 1, 4)


@pytest.mark.parametrize(
    ("metres", "miles"), [(32_250, 20.0), (32_267, 20.1), (6_403, 4.0), (0, 0.0)]
)
def test_distance_is_straight_line_rounded_to_a_tenth_of_a_mile(metres, miles):
    assert miles_between((400_000, 300_000), (400_000, 300_000 + metres)) == miles


def test_within_20_miles_keeps_not_known_in_the_denominator():
    facts = fold(
        [
            admitted("C1", "2023-01-01"),
            started("C1", "P1", "2023-01-01", reason="S", location=NEAR),
            admitted("C2", "2023-01-01"),
            started("C2", "P2", "2023-01-01", reason="S", location=FAR),
            # exactly 20.0 miles once rounded: within
            admitted("C3", "2023-01-01"),
            started("C3", "P3", "2023-01-01", reason="S", location=(HOME[0], HOME[1] + 32_250)),
            # UASC: not known even with both locations
            admitted("C4", "2023-01-01", uasc=True),
            started("C4", "P4", "2023-01-01", reason="S", location=NEAR),
            admitted("C5", "2023-01-01", home=None),
            started("C5", "P5", "2023-01-01", reason="S"),
            admitted("C6", "2023-01-01"),  # no placement
        ]
    )
    values = compute_all(facts, DAY, ReferenceForLa())
    assert figures(get(values, "within_20_miles")) == (round(2 / 6, 6), 2, 6)
    assert figures(get(values, "distance_not_known")) == (0.5, 3, 6)


def test_distance_falls_back_to_the_homes_location():
    facts = fold(
        [
            home("H1", "2020-01-01", location=NEAR),
            admitted("C1", "2023-01-01"),
            started("C1", "P1", "2023-01-01", reason="S", location=None, home_id="H1"),
        ]
    )
    values = compute_all(facts, DAY, ReferenceForLa())
    assert figures(get(values, "within_20_miles")) == (1.0, 1, 1)
    assert figures(get(values, "distance_not_known")) == (0.0, 0, 1)


def test_inside_la_boundary():
    facts = fold(
        [
            home("H1", "2020-01-01", location_la=DERBY),
            admitted("C1", "2023-01-01"),
            started("C1", "P1", "2023-01-01", reason="S", placement_la=DERBY),
            admitted("C2", "2023-01-01"),
            started("C2", "P2", "2023-01-01", reason="S", placement_la=NOTTINGHAM),
            admitted("C3", "2023-01-01"),  # placement_la from the home
            started("C3", "P3", "2023-01-01", reason="S", placement_la=None, home_id="H1"),
            admitted("C4", "2023-01-01"),
            started("C4", "P4", "2023-01-01", reason="S", placement_la=None),
        ]
    )
    values = compute_all(facts, DAY, ReferenceForLa())
    assert figures(get(values, "inside_la_boundary")) == (0.5, 2, 4)
