"""Seed 001 (Derbyshire) figures the forecast tests reproduce.

Children in care at 31 March: 2013-2017 from seed 003's table; 2018, 2019,
2023, 2024 and 2025 (provisional) stated in seed 001; 2020-2022 recovered from
seed 001's UASC-share chart data (24/862, 18/899 and 35/909 give its
percentages 2.7842%, 2.0022%, 3.8504% exactly).
"""

from datetime import date

from services.forecast.domain.series import Series

CHILDREN_IN_CARE = {
    2013: 664,
    2014: 628,
    2015: 603,
    2016: 585,
    2017: 630,
    2018: 719,
    2019: 802,
    2020: 862,
    2021: 899,
    2022: 909,
    2023: 995,
    2024: 1057,
    2025: 1024,
}


def cic(first: int, last: int) -> Series:
    return Series(tuple((date(y, 3, 31), CHILDREN_IN_CARE[y]) for y in range(first, last + 1)))
