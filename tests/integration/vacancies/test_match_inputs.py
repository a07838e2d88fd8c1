"""POST /matches refuses prices that are not a finite number of pounds (JSON's
1e400 reads as infinity), naming the field; a price within bounds is ranked."""

import httpx
import pytest

from tests.integration.vacancies import events as ev

INLINE = '{"placement_sought": "residential", "age": 14, "%s": %s}'


@pytest.mark.parametrize("field", ["max_weekly_price", "framework_price"])
@pytest.mark.parametrize("price", ["1e400", "Infinity", "NaN", "2000000", "-1", "true"])
def test_a_price_that_is_not_pounds_is_a_422(vacancies, field: str, price: str) -> None:
    answer = httpx.post(
        f"{vacancies.url}/matches",
        content=INLINE % (field, price),
        headers={**vacancies.headers(ev.DERBY), "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 422, answer.text
    assert [e["pointer"] for e in answer.json()["errors"]] == [f"/body/{field}"]


def test_a_price_within_bounds_is_ranked(vacancies) -> None:
    answer = httpx.post(
        f"{vacancies.url}/matches",
        content=INLINE % ("max_weekly_price", "6500.5"),
        headers={**vacancies.headers(ev.DERBY), "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
