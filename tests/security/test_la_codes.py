"""Uploads name English LA codes only: another code is refused and changes nothing."""

import pytest

from tests.security.conftest import DERBY, Secured

DISTRICT = "E07000032"  # Amber Valley: a district, not a children's services authority
CSV = {"Content-Type": "text/csv"}
TARGET = f"la,indicator,valid_from,value\n{DERBY},within_20_miles_ratio,"
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


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("populations", f"la,year,aged_0_17\n{DERBY},2023,0\n"),
        ("populations", f"la,year,aged_0_17\n{DERBY},2023,-60100\n"),
        ("populations", f"la,year,aged_0_17\n{DERBY},99999,60100\n"),
        ("targets", TARGET + "2026-04-01,nan\n"),
        ("targets", TARGET + "2026-04-01,inf\n"),
        ("targets", TARGET + "0001-01-01,0.7\n"),
        ("records", f"la,complete_from\n{DERBY},9999-12-31\n"),
    ],
)  # fmt: skip
def test_reference_values_out_of_range_are_refused_and_change_nothing(
    secured: Secured, kind: str, body: str
) -> None:
    """A population of 0 or below, a target that is not a finite number, or a
    date outside 1900-2099 would make every figure built on it meaningless."""
    s = secured
    before = s.call("derby", "GET", "metrics", f"/reference/{kind}").json()
    answer = s.call("derby", "PUT", "metrics", f"/reference/{kind}", content=body, headers=CSV)
    assert answer.status_code == 422, answer.text
    assert s.call("derby", "GET", "metrics", f"/reference/{kind}").json() == before
