"""Rows refused, rows kept with a warning, and what a refusal may and may not take away."""

from datetime import date

from services.referrals.domain.ssda903.episodes_to_events import (
    ReturnFiles,
    import_return,
    import_returns,
)
from services.referrals.domain.ssda903.events_to_episodes import events_to_episodes
from shared.events.journey import ChildAdmitted
from tests.unit.referrals.builders_903 import LA, SOURCE, ep, head, replay_through_rules


def run(*episodes, header=None, year=2023, **kw):
    return import_return(header or [head()], list(episodes), la=LA, source=SOURCE, year=year, **kw)


def test_a_stray_rec_on_an_open_episode_keeps_the_childs_later_history():
    rows = [
        ep("01/06/2023", "S", "01/09/2023", "X1", rpc="CARPL"),
        ep("01/09/2023", "P", "", "E11", rpc="STAND"),  # REC and reason without an end date
    ]
    res = run(*rows)
    assert res.report.rejected == ()
    assert [(w.row, w.reason, w.rule) for w in res.report.warnings] == [
        (3, "rec_on_open_episode", "148"),
        (3, "reason_place_change_on_open_episode", None),
    ]
    assert res.report.episodes_imported == 2
    replay_through_rules(res.events)


def test_children_without_a_header_are_refused_once_each_and_their_rows_counted():
    res = import_return(
        [head("A1")],
        [ep("01/06/2023", "S", "01/07/2023", "X1", child="B"), ep("01/07/2023", "P", child="B"),
         ep("01/06/2023", "S", child="A1")],
        la=LA, source=SOURCE, year=2023,
    )  # fmt: skip
    no_header = [e for e in res.report.rejected if e.reason == "no_header"]
    assert len(no_header) == 1 and no_header[0].lines == (2, 3)
    assert "2 episode rows" in no_header[0].message
    assert (res.report.no_header_children, res.report.no_header_rows) == (1, 2)
    assert res.report.episodes_rejected == 2 and res.report.episodes_imported == 1


def test_rows_refused_only_because_of_an_earlier_refusal_are_counted_apart():
    rows = [
        ep("01/06/2023", "S", "01/07/2023", "E13"),
        ep("01/08/2023", "S", "01/09/2023", "X1", place="K3"),  # K3 is not a 2023-24 code
        ep("01/09/2023", "P"),  # follows only from the refused readmission
        ep("01/06/2023", "S", child="B"),
        ep("01/07/2023", "P", child="B"),  # B's own mistake: previous episode open
    ]
    res = run(*rows, header=[head("A1"), head("B")])
    reasons = {(e.child, e.row): (e.reason, e.after_refusal) for e in res.report.rejected}
    assert reasons == {
        ("A1", 3): ("code_not_in_list", False),
        ("A1", 4): ("not_in_care", True),
        ("B", 6): ("previous_episode_open", False),
    }
    assert res.report.rejected_after_refusal == 1


def test_a_child_left_in_care_by_a_refused_last_episode_is_reported():
    rows = [
        ep("01/06/2023", "S", "01/09/2023", "X1"),
        ep("01/09/2023", "Q", "01/10/2023", "E11"),  # the leaving episode, refused (RNE Q)
    ]
    res = run(*rows)
    assert [(o.child, o.since, o.refused_from) for o in res.report.left_open] == [
        ("A1", date(2023, 6, 1), date(2023, 9, 1))
    ]
    assert run(rows[0]).report.left_open == ()  # nothing refused: simply still in care


def test_a_rejected_row_of_a_later_return_leaves_the_earlier_version_in_force():
    y2022 = [
        ep("01/03/2023", "S", child="A1"),
        ep("01/02/2023", "S", "01/03/2023", "E11", child="B"),
    ]
    y2023 = [
        ep("01/03/2023", "S", "01/05/2023", "E11", child="A1", place="ZZ"),  # refused
        ep("01/06/2023", "S", child="A1"),
    ]
    header = [head("A1"), head("B")]
    res = import_returns([(2022, header, y2022), (2023, header, y2023)], la=LA, source=SOURCE)
    kept = events_to_episodes(res.events, la=LA, year=2022)
    assert any(r.child == "A1" and r.decom == date(2023, 3, 1) for r in kept)  # not withdrawn


def test_a_same_year_return_carries_the_earlier_version_of_a_refused_row():
    good = [ep("01/06/2023", "S", "01/09/2023", "E11")]
    bad = [ep("01/06/2023", "S", "01/09/2023", "E11", place="ZZ")]
    res = import_returns([ReturnFiles(2023, [head()], bad, carried=good)], la=LA, source=SOURCE)
    assert len(res.report.carried) == 1 and res.report.episodes_rejected == 1
    assert [r.decom for r in events_to_episodes(res.events, la=LA, year=2023)] == [date(2023, 6, 1)]


def test_the_uasc_file_flags_children_until_their_uasc_status_ceased():
    uasc = [
        {"CHILD": "A1", "SEX": "1", "DOB": "15/05/2007", "DUC": ""},
        {"CHILD": "B", "SEX": "1", "DOB": "15/05/2007", "DUC": "01/01/2023"},
        {"CHILD": "C", "SEX": "3", "DOB": "15/05/2007", "DUC": ""},  # refused: SEX
    ]
    header = [head("A1"), head("B"), head("C")]
    rows = [ep("01/06/2023", "S", child=c) for c in ("A1", "B", "C")]
    res = import_returns([ReturnFiles(2023, header, rows, uasc=uasc)], la=LA, source=SOURCE)
    flags = {e.data.child_id: e.data.uasc for e in res.events if isinstance(e, ChildAdmitted)}
    assert flags == {"A1": True, "B": False, "C": False}
    assert (res.report.uasc_read, res.report.uasc_imported) == (3, 2)
    assert [(e.file, e.row, e.reason) for e in res.report.rejected] == [
        ("uasc", 4, "code_not_in_list")
    ]
