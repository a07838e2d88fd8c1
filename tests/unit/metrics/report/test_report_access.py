"""Who sees the report unsuppressed: an LA's own key on its own LA, and no one else."""

from datetime import date

import pytest
from fastapi import HTTPException

from services.metrics.entrypoints.report_api import _check
from shared.auth.keys import Principal, Scope

DAY = date(2024, 3, 31)
DERBY_KEY = Principal("k1", "E06000015", None, frozenset({Scope.INDICATORS_READ}))
REGION_READER = Principal("k2", None, "D2N2", frozenset({Scope.INDICATORS_READ}))
REGIONS = {"D2N2": ["E06000015", "E06000018", "E10000007", "E10000024"]}


def test_an_la_key_reads_its_own_la_unsuppressed_and_its_region_suppressed():
    assert _check(DERBY_KEY, REGIONS, "E06000015", None, DAY) is False
    assert _check(DERBY_KEY, REGIONS, None, "D2N2", DAY) is True


def test_a_region_reader_gets_an_la_suppressed():
    assert _check(REGION_READER, REGIONS, "E06000015", None, DAY) is True


@pytest.mark.parametrize(
    ("la", "region", "day", "status"),
    [
        ("E10000007", None, DAY, 403),  # another LA's own figures
        ("E06000015", "D2N2", DAY, 422),
        (None, None, DAY, 422),
        ("E06000015", None, date(2999, 1, 1), 422),
    ],
)
def test_a_bad_question_is_refused(la, region, day, status):
    with pytest.raises(HTTPException) as refused:
        _check(DERBY_KEY, REGIONS, la, region, day)
    assert refused.value.status_code == status
