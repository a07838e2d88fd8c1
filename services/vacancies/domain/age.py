"""A child's age in whole years from their month of birth (pure)."""

from datetime import date


def age_on(birth_month: str | None, day: date) -> int | None:
    """Age on `day` of a child born in `birth_month` (YYYY-MM), taking the 1st."""
    if not birth_month:
        return None
    year, month = (int(p) for p in birth_month.split("-"))
    return day.year - year - (1 if (day.month, day.day) < (month, 1) else 0)
