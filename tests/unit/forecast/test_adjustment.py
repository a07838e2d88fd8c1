from datetime import date

from services.forecast.domain.adjustment import same_percentage_adjustment
from services.forecast.domain.forecast import ForecastPoint


def test_reproduces_seed_001_revised_2026_forecast():
    """2024 forecast for 2025: 1062 / 1112 / 1163, actual 1024 -> -3.6% / -7.9% / -12.0%;
    applied to the 2025 forecast for 2026 (1021 / 1094 / 1168): 984 / 1008 / 1028."""
    previous = ForecastPoint(date(2025, 3, 31), 1112, 1062, 1163)
    current = ForecastPoint(date(2026, 3, 31), 1094, 1021, 1168)
    revised = same_percentage_adjustment(previous, 1024, current, decimals=1)
    assert (round(revised.lower), round(revised.mid), round(revised.upper)) == (984, 1008, 1028)
    exact = same_percentage_adjustment(previous, 1024, current)
    assert (round(exact.lower), round(exact.mid), round(exact.upper)) == (984, 1007, 1028)
