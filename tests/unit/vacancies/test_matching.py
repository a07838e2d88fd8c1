"""Matching on hand-built cases: every point explained, needs met first."""

from typing import Any

import pytest

from services.vacancies.domain.age import age_on
from services.vacancies.domain.matching import Candidate, Referral, rank, score
from services.vacancies.domain.scoring import TARGET_METRES, distance_reason, price_reasons

CHILD = (435_000, 336_000)


def cand(vacancy_id: str = "V1", **kw) -> Candidate:
    base: dict[str, Any] = dict(
        vacancy_id=vacancy_id,
        kind="childrens_home",
        places_left=1,
        suitable_for=(),
        specialisms=(),
        age_min=8,
        age_max=17,
        location=CHILD,
        ofsted_rating="good",
        weekly_price=5000.0,
        frameworks=(),
    )
    return Candidate(**(base | kw))


def referral(**kw) -> Referral:
    base: dict[str, Any] = dict(placement_sought="residential", needs=(), age=13, location=CHILD)
    return Referral(**(base | kw))


def test_a_vacancy_that_cannot_meet_a_need_never_ranks_above_one_that_can():
    meets = cand(
        "MEETS",
        specialisms=("cse_risk",),
        location=(CHILD[0] + 80_000, CHILD[1]),  # 50 miles away
        ofsted_rating="requires_improvement",
        weekly_price=9000.0,
    )
    misses = cand("MISSES", ofsted_rating="outstanding", weekly_price=3000.0)
    ref = referral(needs=("cse_risk",), framework_price=4000.0)
    ranked = rank(ref, [misses, meets])
    assert [m.vacancy_id for m in ranked] == ["MEETS", "MISSES"]
    assert ranked[1].score > ranked[0].score  # higher points, yet below
    assert ranked[1].unmet_needs == ("cse_risk",) and not ranked[1].needs_met


def test_each_match_explains_its_score():
    m = score(referral(needs=("disability",)), cand(suitable_for=("disability",)))
    assert {r.criterion for r in m.reasons} == {"need", "age", "distance", "ofsted", "price"}
    assert m.score == round(sum(r.points for r in m.reasons), 1)
    by = {r.criterion: r for r in m.reasons}
    assert by["need"].points == 20 and "disability" in by["need"].detail
    assert by["distance"].points == 30 and by["ofsted"].points == 10 and by["age"].points == 20


def test_distance_scores_fall_and_drop_at_the_20_mile_line():
    assert distance_reason(0).points == 30
    assert distance_reason(TARGET_METRES).points == 20
    assert distance_reason(TARGET_METRES + 1).points == 0
    assert distance_reason(2 * TARGET_METRES).points == -10
    assert distance_reason(10 * TARGET_METRES).points == -20
    assert distance_reason(None).points == 0
    near = cand("NEAR", location=(CHILD[0] + 10_000, CHILD[1]))
    far = cand("FAR", location=(CHILD[0] + 40_000, CHILD[1]))
    assert [m.vacancy_id for m in rank(referral(), [far, near])] == ["NEAR", "FAR"]


def test_age_outside_the_range_costs_points():
    inside, outside = score(referral(age=12), cand()), score(referral(age=6), cand())
    assert inside.score - outside.score == 50
    assert "age 6 outside 8-17" in [r.detail for r in outside.reasons]


def test_price_against_framework_and_maximum():
    assert [r.points for r in price_reasons(3900, 4000, None, None)] == [10]
    assert [r.points for r in price_reasons(5000, 4000, None, None)] == [-10]  # 25% over
    assert [r.points for r in price_reasons(9000, 4000, None, None)] == [-20]  # capped
    assert [r.points for r in price_reasons(5000, None, 4500, "D2N2")] == [-40, 5]
    assert [r.points for r in price_reasons(None, 4000, 4500, None)] == [0]


def test_ofsted_rating_orders_otherwise_equal_vacancies():
    ranked = rank(
        referral(),
        [cand("BAD", ofsted_rating="inadequate"), cand("TOP", ofsted_rating="outstanding")],
    )
    assert [m.vacancy_id for m in ranked] == ["TOP", "BAD"]


def test_only_kinds_that_can_give_the_placement_sought_are_ranked():
    foster = cand("F", kind="foster_household")
    home = cand("H", kind="childrens_home")
    assert [m.vacancy_id for m in rank(referral(placement_sought="fostering"), [foster, home])] == [
        "F"
    ]
    assert len(rank(referral(placement_sought="other"), [foster, home])) == 2


def test_a_sibling_group_needs_enough_places():
    ref = referral(needs=("sibling_group",), sibling_group_size=3)
    small = score(ref, cand(suitable_for=("sibling_group",), places_left=2))
    big = score(ref, cand(suitable_for=("sibling_group",), places_left=3))
    assert small.unmet_needs == ("sibling_group",) and big.needs_met


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [("2012-05", "2024-04-30", 11), ("2012-05", "2024-05-01", 12), (None, "2024-05-01", None)],
)
def test_age_from_month_of_birth(birth, day, age):
    from datetime import date

    assert age_on(birth, date.fromisoformat(day)) == age
