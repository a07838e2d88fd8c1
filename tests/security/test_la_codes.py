"""Uploads name English LA codes only: another code is refused and changes nothing."""

import pytest

from tests.security.conftest import DERBY, Secured

DISTRICT = "E07000032"  # Amber Valley: a district, not a children's services authority
CSV = {"Content-Type": "text/csv"}
pytestmark = pytest.mark.e2e


def test_reference_and_series_uploads_refuse_a_code_that_is_not_an_english_la(
    secured: Secured,
) -> None:
    s = secured
    before = s.call("derby", "GET", "metrics", "/reference/populations").json()
    bad_population = f"la,year,aged_0_17\n{DERBY},2023,60100\n{DISTRICT},2023,30000\n"
    answer = s.call(
        "derby", "PUT", "metrics", "/reference/populations", content=bad_population, headers=CSV
    )
    assert answer.status_code == 422 and DISTRICT in answer.json()["detail"]
    assert s.call("derby", "GET", "metrics", "/reference/populations").json() == before

    bad_series = f"la,date,series,value\n{DISTRICT},2024-03-31,children_in_care,120\n"
    answer = s.call("derby", "POST", "forecast", "/series/upload", content=bad_series, headers=CSV)
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["pointer"] == "/body/2" and DISTRICT in error["message"]
