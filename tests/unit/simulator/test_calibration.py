"""The simulated figures against the seeds, and the calibration itself."""

import dataclasses
from datetime import date

import pytest

from sufficiency.simulator import CALIBRATIONS, compare, format_table
from sufficiency.simulator.calibration import (
    D2N2,
    DERBY,
    DERBY_CAL,
    DERBYSHIRE,
    DERBYSHIRE_CAL,
)
from tests.unit.simulator.conftest import CALIBRATION_END


@pytest.fixture(scope="module")
def last_year(five_years):
    rows = compare(five_years[0])
    print("\n" + format_table(r for r in rows if r.as_of == CALIBRATION_END))
    return {(r.la, r.figure): r for r in rows if r.as_of == CALIBRATION_END}


def test_every_31_march_of_the_backfill_is_checked(five_years):
    days = sorted({r.as_of for r in compare(five_years[0])})
    assert days == [date(y, 3, 31) for y in range(2020, 2025)]


@pytest.mark.parametrize("la", D2N2)
def test_children_in_care_within_10_percent(last_year, la):
    row = last_year[(la, "children_in_care")]
    assert row.published == CALIBRATIONS[la].cic
    assert abs(row.rel_diff) <= 0.10, row


@pytest.mark.parametrize("la", D2N2)
def test_starts_within_15_percent(last_year, la):
    row = last_year[(la, "starts")]
    assert row.published == CALIBRATIONS[la].starts
    assert abs(row.rel_diff) <= 0.15, row


@pytest.mark.parametrize("la", D2N2)
def test_within_20_miles_within_5_points(last_year, la):
    row = last_year[(la, "within_20_miles")]
    assert abs(row.simulated - row.published) <= 0.05, row


@pytest.mark.parametrize("la", D2N2)
def test_other_shares_are_near_their_targets(last_year, la):
    """Looser: small groups (UASC, 3+ moves) are noisy year to year."""
    for figure, points in (
        ("three_plus_placements", 0.05),
        ("uasc", 0.04),
        ("fostering", 0.08),
        ("residential", 0.05),
    ):
        row = last_year[(la, figure)]
        assert abs(row.simulated - row.published) <= points, row


def test_seed_figures_are_the_ones_published():
    assert DERBY_CAL.cic == 598 and DERBY_CAL.starts == 226
    assert DERBY_CAL.population_0_17 == 60_100
    assert round(DERBY_CAL.within_20_miles * 598) == 382
    assert round(DERBY_CAL.three_plus * 598) == 57
    assert round(DERBY_CAL.uasc * 598) == 48
    assert DERBYSHIRE_CAL.cic == 1057 and DERBYSHIRE_CAL.starts == 485
    assert DERBYSHIRE_CAL.cic_by_year[2025] == 1024
    assert round(DERBYSHIRE_CAL.within_20_miles, 3) == 0.614


def test_calibrations_are_frozen_and_complete():
    for cal in CALIBRATIONS.values():
        with pytest.raises(dataclasses.FrozenInstanceError):
            cal.name = "x"  # type: ignore[misc]
        mix = cal.mix.normalised()
        assert abs(sum(mix.values()) - 1) < 1e-9 and min(mix.values()) >= 0
        assert abs(sum(cal.age_stock) - 1) < 1e-3
        assert abs(sum(cal.ethnic) - 1) < 1e-3
        assert 40_000 < cal.population_0_17 < 250_000
    assert set(CALIBRATIONS) == {DERBY, DERBYSHIRE, "E06000018", "E10000024"}
