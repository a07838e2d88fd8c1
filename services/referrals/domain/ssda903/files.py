"""Whole-file checks of a 903 return, made before any row is read or stored.

A file-level problem refuses the whole return with one message and changes
nothing: bytes that are not text, a file that is not comma-separated, a
column named twice, a required column missing (reported once, not per row),
no data rows, a field over 128 KB (an XML or binary file sent as CSV), a
collection year the code lists do not know, an LA code that is not English.
Text that is not UTF-8 is read as Windows-1252 (Excel on Windows), else
Latin-1, and the encoding used is reported.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from shared.codes.las import la_problem
from shared.codes.ssda903 import FIRST_COLLECTION_YEAR, LAST_COLLECTION_YEAR

MAX_FIELD = 128 * 1024  # the csv module's own default limit, named
_FALLBACKS = ("cp1252", "latin-1")


class FileRefused(Exception):
    """The whole return is refused; nothing was stored."""

    def __init__(self, file: str, reason: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file, self.reason, self.message = file, reason, message


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, cp1252 or latin-1


def decode(data: bytes, file: str) -> Decoded:
    """The file's text: UTF-8 (a BOM dropped), else Windows-1252, else Latin-1."""
    if b"\x00" in data:  # UTF-16 or binary: no 903 CSV has a NUL byte
        raise FileRefused(
            file, "undecodable", "the file is not text (UTF-16 or binary): save it as CSV UTF-8"
        )
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in _FALLBACKS:  # latin-1 decodes any byte, so this always returns
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def column_name(raw: str) -> str:
    return raw.strip().lstrip("\ufeff").strip().upper()


def check_csv(text: str, file: str, required: tuple[str, ...], *, rows_needed: bool = True) -> None:
    """Raise FileRefused for a file-level problem of one CSV file."""
    reader = csv.reader(io.StringIO(text))
    try:
        names = [column_name(n) for n in next(reader, [])]
        _check_columns(names, file, required)
        rows = sum(1 for row in reader if any(cell.strip() for cell in row))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            msg = f"a field is over {MAX_FIELD // 1024} KB: this is not a 903 CSV file"
            raise FileRefused(file, "field_too_large", msg) from exc
        raise FileRefused(file, "not_csv", f"the file cannot be read as CSV: {exc}") from exc
    if rows == 0 and rows_needed:
        raise FileRefused(file, "no_data_rows", "the file has column names but no data rows")


def _check_columns(names: list[str], file: str, required: tuple[str, ...]) -> None:
    if not any(names):
        raise FileRefused(file, "empty_file", "the file is empty")
    if len(names) == 1 and ";" in names[0]:
        msg = "the columns are separated by ';': save the file as CSV with ',' separators"
        raise FileRefused(file, "wrong_delimiter", msg)
    twice = sorted(n for n, k in Counter(names).items() if k > 1 and n)
    if twice:
        raise FileRefused(file, "duplicate_column", f"columns named twice: {', '.join(twice)}")
    missing = [c for c in required if c not in names]
    if missing:
        raise FileRefused(file, "missing_column", f"the file has no column {', '.join(missing)}")


def check_year(year: int) -> None:
    if not FIRST_COLLECTION_YEAR <= year <= LAST_COLLECTION_YEAR:
        msg = (
            f"collection year {year} is outside the years the code lists know "
            f"({FIRST_COLLECTION_YEAR} to {LAST_COLLECTION_YEAR}, as 2024 = 2024-25)"
        )
        raise FileRefused("return", "year_not_known", msg)


def check_la(la: str) -> None:
    if (problem := la_problem(la)) is not None:
        raise FileRefused("return", "unknown_la", problem)
