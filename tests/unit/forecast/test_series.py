from datetime import date

import pytest

from services.forecast.domain.series import Series, add_periods, period_ending, periods_between


def d(y: int, m: int = 3, day: int = 31) -> date:
    return date(y, m, day)


def test_from_observations_later_value_wins_and_is_noted():
    s = Series.from_observations([(d(2021), 10), (d(2020), 8), (d(2021), 11), (d(2022), 12)])
    assert s.points == ((d(2020), 8.0), (d(2021), 11.0), (d(2022), 12.0))
    assert s.revised == (d(2021),)


def test_repeating_the_same_value_is_not_a_revision():
    s = Series.from_observations([(d(2021), 10), (d(2021), 10)])
    assert s.revised == ()


def test_gaps_are_left_out_and_listed():
    s = Series.from_observations([(d(2019), 1), (d(2022), 4), (d(2020), 2)])
    assert s.dates == (d(2019), d(2020), d(2022))
    assert s.gaps == (d(2021),)
    assert s.steps() == (0, 1, 3)


def test_nan_is_a_missing_period():
    s = Series.from_observations([(d(2019), 1), (d(2020), float("nan")), (d(2021), 3)])
    assert s.gaps == (d(2020),)


def test_off_calendar_dates_are_refused_unless_snapped():
    with pytest.raises(ValueError):
        Series.from_observations([(date(2020, 3, 30), 1)])
    s = Series.from_observations([(date(2020, 3, 30), 1), (date(2020, 4, 1), 2)], snap=True)
    assert s.dates == (d(2020), d(2021))


def test_monthly_snaps_to_month_end_and_steps_over_year_end():
    s = Series.from_observations(
        [(date(2024, 11, 3), 5), (date(2025, 1, 9), 7)], frequency="month", snap=True
    )
    assert s.dates == (date(2024, 11, 30), date(2025, 1, 31))
    assert s.gaps == (date(2024, 12, 31),)
    assert s.future(2) == (date(2025, 2, 28), date(2025, 3, 31))


def test_interpolated_fills_gaps_on_the_line():
    s = Series(((d(2019), 10.0), (d(2022), 16.0)))
    filled = s.interpolated()
    assert filled.points == ((d(2019), 10.0), (d(2020), 12.0), (d(2021), 14.0), (d(2022), 16.0))
    assert filled.gaps == ()


def test_series_rejects_mixed_anchors_and_disorder():
    with pytest.raises(ValueError):
        Series(((d(2019), 1.0), (date(2020, 4, 30), 2.0)))
    with pytest.raises(ValueError):
        Series(((d(2020), 1.0), (d(2019), 2.0)))
    with pytest.raises(ValueError):
        Series(((date(2020, 2, 29), 1.0),))


def test_upto_and_calendar_helpers():
    s = Series(((d(2019), 1.0), (d(2020), 2.0), (d(2021), 3.0)))
    assert s.upto(d(2020)).values == (1.0, 2.0)
    assert add_periods(date(2024, 1, 31), 1, "month") == date(2024, 2, 29)
    assert add_periods(date(2024, 1, 31), -2, "month") == date(2023, 11, 30)
    assert periods_between(date(2023, 11, 30), date(2024, 2, 29), "month") == 3
    assert period_ending(date(2024, 4, 1), "year") == d(2025)
