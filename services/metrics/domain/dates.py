"""Calendar arithmetic the definitions need (months back, windows, ages)."""

import calendar
from datetime import date, timedelta

from services.metrics.domain.facts import YearMonth


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, clamped to the month's last day (29 Feb -> 28 Feb)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def window_start(day: date) -> date:
    """First day of "the 12 months to `day`": for 31 March 2024, 1 April 2023."""
    return months_before(day, 12) + timedelta(days=1)


def age_on(birth_month: YearMonth, day: date) -> int:
    """Age in whole years, taking the birthday as the 1st of the birth month.

    Events carry the month of birth only; the 1st is the earliest possible
    birthday, so a child counts as 16 from the first day of their sixteenth
    birthday month.
    """
    year, month = birth_month
    return day.year - year - (1 if day.month < month else 0)
