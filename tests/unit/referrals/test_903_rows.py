from datetime import date

from services.referrals.domain.ssda903.rows import (
    EpisodeRow,
    parse_date,
    parse_episodes,
    parse_header,
    read_csv,
)
from tests.unit.referrals.builders_903 import ep, head


def reasons(parsed) -> dict[int, set[tuple[str | None, str]]]:
    out: dict[int, set[tuple[str | None, str]]] = {}
    for e in parsed.errors:
        out.setdefault(e.row, set()).add((e.column, e.reason))
    return out


def test_a_good_episode_row_is_parsed_with_dfe_dates():
    parsed = parse_episodes([ep("01/04/2023", "S", "02/05/2023", "X1", rpc="CARPL")], year=2023)
    assert parsed.errors == []
    assert parsed.rows == [
        EpisodeRow(
            "A1",
            date(2023, 4, 1),
            "S",
            "C2",
            "N1",
            "U4",
            "PR1",
            date(2023, 5, 2),
            "X1",
            "CARPL",
            "DE22 1AA",
            "DE3 9ZZ",
            "SC100001",
        )
    ]
    assert parsed.rows[0].row == 2 and parsed.rows[0].year == 2023


def test_iso_dates_lower_case_codes_and_untidy_postcodes_are_accepted():
    row = ep("2023-04-01", "s", "2023-05-02", "x1", ls="c2", home="de221aa", pl_post=" DE3  9ZZ")
    parsed = parse_episodes([row])
    assert parsed.errors == []
    r = parsed.rows[0]
    assert (r.decom, r.dec, r.rne, r.rec, r.ls) == (
        date(2023, 4, 1),
        date(2023, 5, 2),
        "S",
        "X1",
        "C2",
    )
    assert (r.home_post, r.pl_post) == ("DE22 1AA", "DE3 9ZZ")


def test_each_bad_row_is_reported_with_its_line_column_and_reason():
    rows = [
        ep("01/04/2023", "S"),  # line 2: fine
        ep("31/02/2023", "S"),  # line 3: no such date
        ep("01/04/2023", "Q", ls="C9"),  # line 4: two bad codes
        ep("01/04/2023", "S", "01/03/2023", "X1"),  # line 5: ends before it starts
        ep("01/04/2023", "S", "01/05/2023"),  # line 6: DEC without REC
        ep("01/04/2023", "S", "", "E11"),  # line 7: REC without DEC: a warning, kept
        ep("01/04/2023", "S", child=""),  # line 8: no child
        ep("01/04/2023", "S", child="A 1"),  # line 9: not an id
        ep("01/04/2023", "S", place="K3"),  # line 10: K3 only from 2025-26
        ep("01/04/2025", "S", place="H5"),  # line 11: H5 retired in 2025-26
        ep("01/04/2023", "S", rpc="BORED"),  # line 12
    ]
    parsed = parse_episodes(rows)
    assert [r.row for r in parsed.rows] == [2, 7]
    assert parsed.rows[1].rec is None
    assert reasons(parsed) == {
        3: {("DECOM", "bad_date")},
        4: {("RNE", "code_not_in_list"), ("LS", "code_not_in_list")},
        5: {("DEC", "dec_before_decom")},
        6: {("REC", "missing_value")},
        8: {("CHILD", "missing_value")},
        9: {("CHILD", "bad_child_id")},
        10: {("PLACE", "code_not_in_list")},
        11: {("PLACE", "code_not_in_list")},
        12: {("REASON_PLACE_CHANGE", "code_not_in_list")},
    }
    assert "2025-26" in next(e.message for e in parsed.errors if e.row == 11)
    assert parsed.read == 11


def test_rec_or_reason_place_change_on_an_open_episode_is_a_warning_and_the_row_is_kept():
    parsed = parse_episodes(
        [ep("01/04/2023", "S", "", "E11"), ep("01/04/2023", "S", "", "", rpc="CARPL", child="B")]
    )
    assert parsed.errors == []
    assert [(r.rec, r.reason_place_change) for r in parsed.rows] == [(None, None)] * 2
    assert [(w.row, w.column, w.reason, w.rule) for w in parsed.warnings] == [
        (2, "REC", "rec_on_open_episode", "148"),
        (3, "REASON_PLACE_CHANGE", "reason_place_change_on_open_episode", None),
    ]


def test_a_rejected_row_gives_its_child_and_start_when_they_can_be_read():
    parsed = parse_episodes([ep("01/04/2023", "Q"), ep("31/02/2023", "S")])
    assert parsed.rejected_keys == {("A1", date(2023, 4, 1))}


def test_a_bad_postcode_is_a_warning_and_the_row_is_kept():
    parsed = parse_episodes([ep("01/04/2023", "S", home="NOT A PC")])
    assert parsed.errors == [] and parsed.rows[0].home_post is None
    assert [(w.row, w.column, w.reason) for w in parsed.warnings] == [
        (2, "HOME_POST", "bad_postcode")
    ]


def test_csv_text_with_bom_and_odd_header_case_and_missing_optional_columns():
    text = (
        "\ufeffchild , DECOM,rne,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\r\n"
        "A1,01/04/2023,S,C2,N1,U4,PR1,,\r\n"
    )
    parsed = parse_episodes(text)
    assert parsed.errors == []
    assert parsed.rows[0].child == "A1" and parsed.rows[0].home_post is None


def test_a_file_missing_a_required_column_rejects_every_row():
    text = (
        "CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC\n"
        "A1,01/04/2023,S,C2,N1,U4,,\nA2,01/04/2023,S,C2,N1,U4,,\n"
    )
    parsed = parse_episodes(text)
    assert parsed.rows == []
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (2, "PLACE_PROVIDER", "missing_column"),
        (3, "PLACE_PROVIDER", "missing_column"),
    ]


def test_header_rows_are_checked():
    parsed = parse_header(
        [
            head("A1"),
            head("A2", sex="3"),
            head("A3", ethnic="XXXX"),
            head("A4", dob="2012-13-01"),
            head("A1"),
        ],
        year=2023,
    )
    assert [(h.child, h.sex, h.dob, h.ethnic) for h in parsed.rows] == [
        ("A1", 1, date(2012, 5, 15), "WBRI")
    ]
    assert {(e.row, e.column, e.reason) for e in parsed.errors} == {
        (3, "SEX", "code_not_in_list"),
        (4, "ETHNIC", "code_not_in_list"),
        (5, "DOB", "bad_date"),
        (6, "CHILD", "duplicate_child"),
    }
    assert all(e.file == "header" and e.year == 2023 for e in parsed.errors)


def test_dates_and_csv_helpers():
    assert parse_date("05/11/2023") == date(2023, 11, 5)
    assert parse_date("2023-11-05T00:00:00") == date(2023, 11, 5)
    assert read_csv("A,B\n1,2\n") == [{"A": "1", "B": "2"}]
    row = parse_episodes([ep("01/04/2023", "S", "02/05/2023", "E11")]).rows[0]
    assert row.as_csv_dict() == ep("01/04/2023", "S", "02/05/2023", "E11")
