"""The codes of England's upper-tier local authorities (children's services).

The list is data (english_las.csv beside this file): the ONS codes in use
since the 2023 reorganisations and the 2024 recoding of Barnsley and
Sheffield, 63 unitary authorities (E06), 36 metropolitan districts (E08),
33 London boroughs with the City (E09) and 21 counties (E10): 153 in all.
Barnsley's and Sheffield's codes before 2024 (E08000016, E08000019) are
accepted too: the DfE's 2024 publication still uses them, and so may an LA's
files. Checked against the 153 LAs of that publication
(bench/data/cla_31_march_by_la.csv).
"""

import csv
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("english_las.csv")


@cache
def english_las() -> frozenset[str]:
    with _DATA.open(newline="") as f:
        return frozenset(row["code"] for row in csv.DictReader(f))


def is_english_la(code: str) -> bool:
    return code in english_las()


def la_problem(code: str) -> str | None:
    """Why `code` is not an English LA code, or None when it is."""
    if is_english_la(code):
        return None
    return f"{code!r} is not the code of an English local authority (E06/E08/E09/E10, current)"
