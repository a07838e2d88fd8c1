"""Weekly cost of current placements, spend, and framework use."""

from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import admitted, d, figures, fold, get, left_care, started

DAY = d("2024-03-31")


def _child(child: str, place: str, provider: str, cost: float | None):
    return [
        admitted(child, "2023-01-01"),
        started(
            child, f"P{child}", "2023-01-01", reason="S", place=place, provider=provider, cost=cost
        ),
    ]


COSTS = [
    *_child("C1", "U4", "PR1", 634.0),  # internal foster
    *_child("C2", "U4", "PR4", 974.0),  # IFA
    *_child("C3", "K2", "PR4", 7326.0),  # external residential
    *_child("C4", "K2", "PR1", 3770.0),  # internal residential
    *_child("C5", "K2", "PR4", None),  # no cost known: left out
    *_child("C6", "P1", "PR0", 0.0),  # with parents
    *_child("C7", "K2", "PR4", 9000.0),
    left_care("C7", "2024-01-01"),  # not current
]


def test_weekly_cost_mean_by_category_and_side():
    values = compute_all(fold(COSTS), DAY, ReferenceForLa())
    assert figures(get(values, "weekly_cost_mean_gbp")) == (2540.8, 12704.0, 5)
    assert figures(get(values, "weekly_cost_mean_gbp", "fostering.own")) == (634.0, 634.0, 1)
    assert figures(get(values, "weekly_cost_mean_gbp", "fostering.external")) == (974.0, 974.0, 1)
    assert figures(get(values, "weekly_cost_mean_gbp", "residential.external")) == (
        7326.0,
        7326.0,
        1,
    )
    assert figures(get(values, "weekly_cost_mean_gbp", "residential.own")) == (3770.0, 3770.0, 1)
    assert figures(get(values, "weekly_cost_mean_gbp", "with_parents.parents")) == (0.0, 0.0, 1)
    assert not [v for v in values if v.breakdown == "supported.own"]


def test_weekly_and_annualised_spend():
    values = compute_all(fold(COSTS), DAY, ReferenceForLa())
    assert figures(get(values, "weekly_spend_gbp")) == (12704.0, 12704.0, 5)
    assert figures(get(values, "annualised_spend_gbp")) == (660608.0, 660608.0, 5)


def test_framework_use_of_external_placements_made_in_the_year():
    facts = fold(
        [
            admitted("A", "2022-01-01"),
            started(
                "A", "A0", "2023-01-01", reason="S", provider="PR4", framework="D2N2"
            ),  # before
            started("A", "A1", "2023-05-01", reason="P", provider="PR4", framework="D2N2"),
            started("A", "A2", "2023-06-01", reason="T", provider="PR4", framework="D2N2"),  # T
            admitted("B", "2023-05-01"),
            started("B", "B1", "2023-05-01", reason="S", provider="PR4"),
            started(
                "B", "B2", "2023-07-01", reason="P", place="K2", provider="PR4", framework="D2N2"
            ),
            started("B", "B3", "2023-08-01", reason="P", place="K2", provider="PR5"),
            started("B", "B4", "2023-09-01", reason="P", provider="PR1", framework="D2N2"),  # own
        ]
    )
    values = compute_all(facts, DAY, ReferenceForLa())
    assert figures(get(values, "framework_use")) == (0.5, 2, 4)
    assert figures(get(values, "framework_use", "fostering")) == (0.5, 1, 2)
    assert figures(get(values, "framework_use", "residential")) == (0.5, 1, 2)
