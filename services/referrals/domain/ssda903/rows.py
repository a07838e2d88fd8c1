"""The header and episodes files of an SSDA903 return, parsed row by row.

Column names are the DfE's (matched ignoring case, surrounding spaces and a
byte-order mark). Dates are DfE dd/mm/YYYY; ISO YYYY-MM-DD is accepted too.
Codes are upper-cased and checked against the lists of `shared.codes.ssda903`
(PLACE against the list of the collection year the episode started in).
Errors refuse the row: it is left out and each error is reported with the
row's line number in the file (the column names are line 1). Warnings keep
the row and ignore one field: a postcode that is not a full UK postcode, a
REC on an episode with no end date (DfE rule 148), a REASON_PLACE_CHANGE on
an episode with no end date. Councils' files routinely carry the last two,
and refusing the row would refuse every later episode of the child.
The UASC file (CHILD, SEX, DOB, DUC) names the unaccompanied asylum-seeking
children and the day each stopped being one (DUC, blank if still UASC).
"""

import csv
import io
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from services.referrals.domain.ssda903.postcodes import normalise_postcode
from shared.codes.ssda903 import (
    CATEGORY_OF_NEED,
    ETHNICITY,
    LEGAL_STATUS,
    PLACE_PROVIDER,
    REASON_EPISODE_CEASED,
    REASON_PLACE_CHANGE,
    RNE,
    all_place_codes,
    codes_for,
    collection_year,
)

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC")
EPISODE_COLUMNS = (
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
)
UASC_COLUMNS = ("CHILD", "SEX", "DOB", "DUC")
REQUIRED_EPISODE_COLUMNS = EPISODE_COLUMNS[:9]  # the last four may be absent: read as blank
_CHILD_ID = re.compile(r"^[A-Za-z0-9._:-]{1,55}$")  # placement ids add 9 characters, to 64

Rows = str | Iterable[Mapping[str, str | None]]
"""CSV text, or rows as csv.DictReader gives them."""


@dataclass(frozen=True)
class Part:
    """One of `count` parts of a return's children (by a stable digest of CHILD as
    written): a large return is read part by part so that only one part's rows
    are in memory at once. A row whose CHILD is blank or invalid falls in one
    part like any other, so every row is read in exactly one part."""

    index: int
    count: int

    def has(self, child: str) -> bool:
        return zlib.crc32(child.encode()) % self.count == self.index


@dataclass(frozen=True)
class RowError:
    """Why a row was rejected (or, in `warnings`, what was dropped from it)."""

    row: int
    column: str | None
    reason: str
    message: str
    child: str | None = None
    file: str = "episodes"
    year: int | None = None
    rule: str | None = None  # the DfE validation rule, where one applies
    after_refusal: bool = False  # refused only because an earlier episode was refused
    also: tuple[int, ...] = ()  # further lines of the same file this error refuses

    @property
    def lines(self) -> tuple[int, ...]:
        return (self.row, *self.also)


@dataclass(frozen=True, slots=True)
class HeaderRow:
    child: str
    sex: int
    dob: date
    ethnic: str
    row: int = field(default=0, compare=False)
    year: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class EpisodeRow:
    child: str
    decom: date
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str
    dec: date | None = None
    rec: str | None = None
    reason_place_change: str | None = None
    home_post: str | None = None
    pl_post: str | None = None
    urn: str | None = None
    row: int = field(default=0, compare=False)
    year: int | None = field(default=None, compare=False)

    def as_csv_dict(self) -> dict[str, str]:
        """The row in the DfE columns, dates dd/mm/YYYY, None as blank."""
        values = (
            self.child,
            format_date(self.decom),
            self.rne,
            self.ls,
            self.cin,
            self.place,
            self.place_provider,
            format_date(self.dec),
            self.rec,
            self.reason_place_change,
            self.home_post,
            self.pl_post,
            self.urn,
        )
        return {col: v or "" for col, v in zip(EPISODE_COLUMNS, values, strict=True)}


@dataclass(frozen=True, slots=True)
class UascRow:
    child: str
    sex: int
    dob: date
    duc: date | None = None  # the day UASC status ceased
    row: int = field(default=0, compare=False)

    def as_csv_dict(self) -> dict[str, str]:
        values = (self.child, str(self.sex), format_date(self.dob), format_date(self.duc))
        return dict(zip(UASC_COLUMNS, values, strict=True))

    def uasc_on(self, day: date) -> bool:
        return self.duc is None or self.duc > day


T = TypeVar("T")
_PLACES = all_place_codes()


@dataclass(frozen=True)
class Parsed(Generic[T]):
    rows: list[T]
    errors: list[RowError]
    warnings: list[RowError]
    read: int
    # (CHILD, DECOM) of rejected rows whose CHILD and DECOM could be read: an
    # earlier version of the episode stays in force (merge.py)
    rejected_keys: frozenset[tuple[str, date]] = frozenset()


def format_date(day: date | None) -> str:
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_date(text: str) -> date:
    """dd/mm/YYYY or ISO YYYY-MM-DD (a time after an ISO date is ignored)."""
    if "/" in text:
        d, m, y = text.split("/")
        if len(y) != 4:
            raise ValueError(text)
        return date(int(y), int(m), int(d))
    return date.fromisoformat(text[:10])


def parse_header(
    rows: Rows, *, year: int | None = None, part: Part | None = None
) -> Parsed[HeaderRow]:
    parsed: list[HeaderRow] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    read = 0
    for line, raw, missing in _rows(rows, HEADER_COLUMNS, part):
        read += 1
        row = _Row(raw, line, "header", year, errors)
        if missing:
            row.fail(missing[0], "missing_column", f"the file has no column {missing[0]}")
            continue
        child = row.child()
        sex = row.code("SEX", frozenset({"1", "2"}))
        dob = row.date("DOB")
        ethnic = row.code("ETHNIC", ETHNICITY)
        if child and child in seen:
            row.fail("CHILD", "duplicate_child", f"child {child} has an earlier header row")
        if row.ok and child and sex and dob and ethnic:
            seen.add(child)
            parsed.append(HeaderRow(child, int(sex), dob, ethnic, line, year))
    return Parsed(parsed, errors, [], read)


def parse_uasc(rows: Rows, *, year: int | None = None, part: Part | None = None) -> Parsed[UascRow]:
    parsed: list[UascRow] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    read = 0
    for line, raw, missing in _rows(rows, UASC_COLUMNS, part):
        read += 1
        row = _Row(raw, line, "uasc", year, errors)
        if missing:
            row.fail(missing[0], "missing_column", f"the file has no column {missing[0]}")
            continue
        child, sex = row.child(), row.code("SEX", frozenset({"1", "2"}))
        dob, duc = row.date("DOB"), row.date("DUC", required=False)
        if child and child in seen:
            row.fail("CHILD", "duplicate_child", f"child {child} has an earlier UASC row")
        if row.ok and child and sex and dob:
            seen.add(child)
            parsed.append(UascRow(child, int(sex), dob, duc, line))
    return Parsed(parsed, errors, [], read)


def parse_episodes(
    rows: Rows, *, year: int | None = None, part: Part | None = None
) -> Parsed[EpisodeRow]:
    parsed: list[EpisodeRow] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    rejected: set[tuple[str, date]] = set()
    read = 0
    for line, raw, missing in _rows(rows, REQUIRED_EPISODE_COLUMNS, part):
        read += 1
        row = _Row(raw, line, "episodes", year, errors)
        if missing:
            row.fail(missing[0], "missing_column", f"the file has no column {missing[0]}")
            continue
        kept: list[RowError] = []  # reported only for a row that is kept
        episode = _episode(row, kept)
        if episode is not None and row.ok:
            warnings += kept
            parsed.append(episode)
        elif row.key is not None:
            rejected.add(row.key)
    return Parsed(parsed, errors, warnings, read, frozenset(rejected))


def _episode(row: "_Row", warnings: list[RowError]) -> EpisodeRow | None:
    child, decom = row.child(), row.date("DECOM")
    row.key = (child, decom) if child and decom else None
    rne, ls, cin = (
        row.code("RNE", RNE),
        row.code("LS", LEGAL_STATUS),
        row.code("CIN", CATEGORY_OF_NEED),
    )
    place, provider = row.code("PLACE", _PLACES), row.code("PLACE_PROVIDER", PLACE_PROVIDER)
    dec = row.date("DEC", required=False)
    rec = row.code("REC", REASON_EPISODE_CEASED, required=False)
    rpc = row.code("REASON_PLACE_CHANGE", REASON_PLACE_CHANGE, required=False)
    if place and decom and place not in codes_for(collection_year(decom)).place:
        year_name = f"{collection_year(decom)}-{(collection_year(decom) + 1) % 100:02d}"
        row.fail("PLACE", "code_not_in_list", f"{place} is not a PLACE code in {year_name}")
    if decom and dec and dec < decom:
        row.fail("DEC", "dec_before_decom", f"ends {dec} before it starts {decom}")
    if dec and not row.text("REC"):
        row.fail("REC", "missing_value", "an episode with an end date needs REC")
    if rec and not row.text("DEC"):  # councils' files often carry it: keep the open episode
        row.warn("REC", "rec_on_open_episode", f"REC {rec} on an open episode: ignored", "148")
        rec = None
    if rpc and not row.text("DEC"):  # a reason for a change that has not happened yet
        msg = f"REASON_PLACE_CHANGE {rpc} on an open episode: ignored"
        row.warn("REASON_PLACE_CHANGE", "reason_place_change_on_open_episode", msg)
        rpc = None
    home, pl_post = _postcode(row, "HOME_POST"), _postcode(row, "PL_POST")
    warnings += row.warnings
    if not (child and decom and rne and ls and cin and place and provider):
        return None
    urn = row.text("URN") or None
    return EpisodeRow(
        child, decom, rne, ls, cin, place, provider, dec, rec, rpc, home, pl_post, urn,
        row.line, row.year,
    )  # fmt: skip


def read_csv(text: str) -> list[dict[str, str]]:
    """CSV text as rows, for the functions that take rows."""
    return [
        {k: v for k, v in r.items() if k is not None} for r in csv.DictReader(io.StringIO(text))
    ]


def _rows(
    rows: Rows, required: tuple[str, ...], part: Part | None = None
) -> Iterable[tuple[int, dict[str, str], list[str]]]:
    source: Iterable[Mapping[str, str | None]] = (
        csv.DictReader(io.StringIO(rows)) if isinstance(rows, str) else rows
    )
    missing: list[str] | None = None
    child_column: str | None = None  # as the file names it
    for line, raw in enumerate(source, start=2):
        if part and child_column and not part.has((raw.get(child_column) or "").strip()):
            continue  # another part's row: not worth building
        row = {_column(k): (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
        if missing is None:
            missing = [c for c in required if c not in row]
            names = [k for k in raw if isinstance(k, str) and _column(k) == "CHILD"]
            child_column = names[-1] if names else None  # the one `row` keeps
        if part is None or part.has(row.get("CHILD", "")):
            yield line, row, missing


def _column(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().upper()


def _postcode(row: "_Row", column: str) -> str | None:
    text = row.text(column)
    postcode = normalise_postcode(text)
    if text and postcode is None:
        row.warn(column, "bad_postcode", f"{text!r} is not a full postcode; treated as not known")
    return postcode


class _Row:
    """One raw row and the errors found in it so far."""

    def __init__(
        self, raw: dict[str, str], line: int, file: str, year: int | None, errors: list[RowError]
    ) -> None:
        self.raw, self.line, self.file, self.year, self.errors = raw, line, file, year, errors
        self.ok = True
        self.warnings: list[RowError] = []
        self.key: tuple[str, date] | None = None

    def text(self, column: str) -> str:
        return self.raw.get(column, "")

    def fail(self, column: str | None, reason: str, message: str) -> None:
        self.ok = False
        child = self.text("CHILD") or None
        self.errors.append(
            RowError(self.line, column, reason, message, child, self.file, self.year)
        )

    def warn(self, column: str, reason: str, message: str, rule: str | None = None) -> None:
        """The row is kept; the field named is ignored."""
        child = self.text("CHILD") or None
        self.warnings.append(
            RowError(self.line, column, reason, message, child, self.file, self.year, rule)
        )

    def child(self) -> str | None:
        value = self.text("CHILD")
        if not value:
            self.fail("CHILD", "missing_value", "CHILD is blank")
            return None
        if not _CHILD_ID.match(value):
            self.fail(
                "CHILD", "bad_child_id", f"{value!r}: up to 55 letters, digits and . _ : - only"
            )
            return None
        return value

    def date(self, column: str, required: bool = True) -> date | None:
        value = self.text(column)
        if not value:
            if required:
                self.fail(column, "missing_value", f"{column} is blank")
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.fail(column, "bad_date", f"{value!r} is not a date (dd/mm/YYYY)")
            return None

    def code(self, column: str, allowed: frozenset[str], required: bool = True) -> str | None:
        value = self.text(column).upper()
        if not value:
            if required:
                self.fail(column, "missing_value", f"{column} is blank")
            return None
        if value not in allowed:
            self.fail(column, "code_not_in_list", f"{value} is not a {column} code")
            return None
        return value
