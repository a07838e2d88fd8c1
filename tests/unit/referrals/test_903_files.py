"""Whole-file checks: each problem a council's file can have gets one clear reason."""

import csv
from pathlib import Path

import pytest

from services.referrals.domain.ssda903.files import (
    FileRefused,
    check_csv,
    check_la,
    check_year,
    decode,
)
from services.referrals.domain.ssda903.rows import REQUIRED_EPISODE_COLUMNS, parse_header
from shared.codes.las import english_las

HEADER = "CHILD,SEX,DOB,ETHNIC\r\n"


def refusal(text: str, required=("CHILD", "SEX", "DOB", "ETHNIC")) -> str:
    with pytest.raises(FileRefused) as refused:
        check_csv(text, "header", required)
    return refused.value.reason


def test_utf8_with_a_bom_is_read_and_the_bom_dropped():
    decoded = decode("\ufeffCHILD,SEX\r\nZoë,1\r\n".encode(), "header")
    assert decoded.encoding == "utf-8" and decoded.text.startswith("CHILD")


def test_windows_1252_is_read_when_utf8_fails_and_said_so():
    decoded = decode("CHILD,NAME\r\nA1,Zo\u00eb \u2013 \u2019\r\n".encode("cp1252"), "header")
    assert decoded.encoding == "cp1252" and "Zo\u00eb \u2013 \u2019" in decoded.text


def test_bytes_windows_1252_does_not_define_fall_back_to_latin_1():
    assert decode(b"CHILD\r\nA\x81\r\n", "header").encoding == "latin-1"


def test_utf16_or_binary_is_refused():
    with pytest.raises(FileRefused) as refused:
        decode("CHILD,SEX\r\n".encode("utf-16"), "header")
    assert refused.value.reason == "undecodable"


def test_each_file_level_problem_has_its_reason():
    assert refusal("") == "empty_file"
    assert refusal(HEADER) == "no_data_rows"
    assert refusal(HEADER.replace(",", ";") + "A;1;01/01/2010;WBRI\r\n") == "wrong_delimiter"
    assert refusal("CHILD,SEX,DOB,ETHNIC,sex\r\nA,1,01/01/2010,WBRI,1\r\n") == "duplicate_column"
    assert refusal("CHILD,DOB\r\nA,01/01/2010\r\n") == "missing_column"
    assert refusal(HEADER + 'A,1,"' + "x" * (129 * 1024) + '",WBRI\r\n') == "field_too_large"


def test_a_missing_column_is_named_once_with_every_missing_column():
    with pytest.raises(FileRefused, match=r"no column PLACE, PLACE_PROVIDER, DEC, REC$"):
        check_csv("CHILD,DECOM,RNE,LS,CIN\r\nA,01/04/2024,S,C2,N1\r\n", "episodes",
                  REQUIRED_EPISODE_COLUMNS)  # fmt: skip


def test_a_good_file_passes_and_column_names_are_matched_loosely():
    check_csv("\ufeff child ,sex,DOB,Ethnic\r\nA,1,01/01/2010,WBRI\r\n", "header", ("CHILD", "SEX"))
    assert parse_header("\ufeffchild,sex,DOB,ETHNIC\r\nA,1,01/01/2010,WBRI\r\n").rows


def test_years_and_la_codes():
    check_year(2012)
    check_year(2026)
    for year in (2011, 2027, 0, 9999, 12000):
        with pytest.raises(FileRefused):
            check_year(year)
    check_la("E06000015")
    for code in ("W06000015", "E07000032", "E10000006", "", "e06000015"):
        with pytest.raises(FileRefused):
            check_la(code)  # Welsh, a district, Cumbria (abolished 2023), blank, lower case


DFE_2024 = Path(__file__).resolve().parents[3] / "bench" / "data" / "cla_31_march_by_la.csv"


def test_the_english_la_list_is_the_153_current_upper_tier_codes_and_two_old_ones():
    codes = english_las()
    assert len(codes) == 153 + 2  # Barnsley's and Sheffield's codes before 2024 too
    assert {c[:3] for c in codes} == {"E06", "E08", "E09", "E10"}
    assert {"E06000063", "E06000064", "E06000065", "E06000066", "E08000038"} <= codes
    assert {"E08000016", "E08000019"} <= codes  # what the DfE's 2024 figures still use
    assert not {"E10000023", "E10000027"} & codes  # North Yorkshire, Somerset: abolished
    with DFE_2024.open(newline="") as f:
        published = {r["la_code"] for r in csv.DictReader(f) if r["year"] == "2024"}
    assert codes == published | {"E08000038", "E08000039"}
