from datetime import date

from services.referrals.domain.ssda903.episodes_to_events import import_return
from services.referrals.domain.ssda903.event_factory import (
    CATEGORY_OF_NEED,
    CONTINUES_PERIOD,
    canonical_body,
    event_id,
)
from services.referrals.domain.ssda903.events_to_episodes import events_to_episodes
from services.referrals.domain.ssda903.generate import generate_return
from shared.events.journey import (
    ChildAdmitted,
    ChildDetailsCorrected,
    ChildLeftCare,
    LegalStatusChanged,
    PlacementEnded,
    PlacementStarted,
)
from shared.events.registry import parse_journey
from tests.unit.referrals.builders_903 import (
    LA,
    SOURCE,
    ep,
    extension,
    head,
    kinds,
    replay_through_rules,
)


def run(*episodes, header=None, year=2023, **kw):
    return import_return(header or [head()], list(episodes), la=LA, source=SOURCE, year=year, **kw)


def exported(result, year=2023):
    return [r.as_csv_dict() for r in events_to_episodes(result.events, la=LA, year=year)]


def test_rne_s_admits_and_starts_a_placement():
    res = run(ep("01/06/2023", "S", ls="V2", cin="N4"), uasc={"A1"})
    assert kinds(res.events) == ["child.admitted", "placement.started"]
    admitted, started = res.events
    assert isinstance(admitted, ChildAdmitted) and isinstance(started, PlacementStarted)
    assert admitted.data.model_dump(
        include={
            "child_id",
            "date",
            "birth_month",
            "sex",
            "ethnicity",
            "legal_status",
            "category_of_need",
            "uasc",
        }
    ) == {
        "child_id": "A1",
        "date": date(2023, 6, 1),
        "birth_month": "2012-05",
        "sex": 1,
        "ethnicity": "WBRI",
        "legal_status": "V2",
        "category_of_need": "N4",
        "uasc": True,
    }
    assert extension(admitted, CONTINUES_PERIOD) is None
    assert started.data.placement_id == "A1-20230601"
    assert (
        started.data.reason,
        started.data.placement_type,
        started.data.provider,
        started.data.urn,
        started.data.placement_postcode,
    ) == ("S", "U4", "PR1", "SC100001", "DE3 9ZZ")
    assert res.report.episodes_imported == 1 and res.report.rejected == ()


def test_rne_p_ends_the_previous_placement_with_its_reason_and_starts_another():
    res = run(
        ep("01/06/2023", "S", "01/09/2023", "X1", rpc="CREQB"),
        ep("01/09/2023", "P", place="K2", provider="PR4"),
    )
    assert kinds(res.events) == [
        "child.admitted",
        "placement.started",
        "placement.ended",
        "placement.started",
    ]
    ended, started = res.events[2:]
    assert isinstance(ended, PlacementEnded) and isinstance(started, PlacementStarted)
    assert (ended.data.placement_id, ended.data.date, ended.data.reason_for_change) == (
        "A1-20230601",
        date(2023, 9, 1),
        "CREQB",
    )
    assert (started.data.placement_id, started.data.reason, started.data.placement_type) == (
        "A1-20230901",
        "P",
        "K2",
    )
    assert ended.time < started.time  # the day's events in causal order


def test_rne_t_and_u_are_moves_with_the_same_carer_u_also_changes_legal_status():
    res = run(
        ep("01/06/2023", "S", "01/07/2023", "X1", ls="C1", rpc="PLACE"),
        ep("01/07/2023", "T", "01/08/2023", "X1", ls="C1", place="U5", rpc="PLACE"),
        ep("01/08/2023", "U", ls="C2", place="U4"),
    )
    assert kinds(res.events)[2:] == [
        "placement.ended",
        "placement.started",
        "placement.ended",
        "legal_status.changed",
        "placement.started",
    ]
    assert [e.data.reason for e in res.events if isinstance(e, PlacementStarted)] == ["S", "T", "U"]
    change = next(e for e in res.events if isinstance(e, LegalStatusChanged))
    assert (change.data.date, change.data.legal_status) == (date(2023, 8, 1), "C2")


def test_rne_b_changes_legal_status_and_placement():
    res = run(
        ep("01/06/2023", "S", "01/07/2023", "X1", ls="V2", rpc="CARPL"),
        ep("01/07/2023", "B", ls="C2", place="K2", provider="PR4"),
    )
    assert kinds(res.events)[2:] == ["placement.ended", "legal_status.changed", "placement.started"]
    assert res.events[-1].data.reason == "B"


def test_rne_l_is_a_legal_status_change_only_and_the_placement_goes_on():
    res = run(
        ep("01/06/2023", "S", "01/07/2023", "X1", ls="C1"),
        ep("01/07/2023", "L", "01/10/2023", "X1", ls="C2", rpc=""),
        ep("01/10/2023", "P", place="U6"),
    )
    assert kinds(res.events) == [
        "child.admitted",
        "placement.started",
        "legal_status.changed",
        "placement.ended",
        "placement.started",
    ]
    ended = next(e for e in res.events if isinstance(e, PlacementEnded))
    assert (ended.data.placement_id, ended.data.date) == ("A1-20230601", date(2023, 10, 1))
    # the end belongs to the episode from 1 July (the one it closes)
    assert ended.id == event_id(
        LA, "A1", date(2023, 7, 1), "placement.ended", canonical_body(ended)
    )


def test_rec_other_than_x1_ends_the_placement_and_the_period_then_rne_s_readmits():
    res = run(
        ep("01/06/2023", "S", "01/07/2023", "X1", ls="C1"),
        ep("01/07/2023", "L", "01/12/2023", "E4A", ls="C2"),
        ep("01/12/2023", "S", place="U4", ls="V2"),
    )
    assert kinds(res.events)[2:] == [
        "legal_status.changed",
        "placement.ended",
        "child.left_care",
        "child.admitted",
        "placement.started",
    ]
    ended, left = res.events[3], res.events[4]
    assert isinstance(ended, PlacementEnded) and isinstance(left, ChildLeftCare)
    assert ended.data.placement_id == "A1-20230601" and ended.data.date == date(2023, 12, 1)
    assert (left.data.reason, left.data.date) == ("E4A", date(2023, 12, 1))
    replay_through_rules(res.events)


def test_a_first_episode_that_is_not_s_continues_a_period_begun_before_the_records():
    res = run(
        ep("10/10/2021", "P", "01/06/2023", "X1", ls="C2", rpc="CARPL"),
        ep("01/06/2023", "P", place="U5"),
    )
    assert res.report.rejected == ()
    assert kinds(res.events)[:2] == ["child.admitted", "placement.started"]
    admitted, started = res.events[:2]
    assert admitted.data.date == date(2021, 10, 10) and admitted.data.legal_status == "C2"
    assert extension(admitted, CONTINUES_PERIOD) is True
    assert extension(started, CONTINUES_PERIOD) is True and started.data.reason == "P"
    assert extension(res.events[-1], CONTINUES_PERIOD) is None
    # the flag is an envelope extension: it survives the shared model's parse
    again = parse_journey(admitted.model_dump(mode="json"))
    assert extension(again, CONTINUES_PERIOD) is True
    assert exported(res) == [
        ep("10/10/2021", "P", "01/06/2023", "X1", ls="C2", rpc="CARPL"),
        ep("01/06/2023", "P", place="U5"),
    ]


def test_a_first_episode_with_rne_l_keeps_its_rne_through_export():
    res = run(ep("03/03/2023", "L", "01/06/2023", "X1", ls="C2"), ep("01/06/2023", "P"))
    assert kinds(res.events)[:3] == ["child.admitted", "legal_status.changed", "placement.started"]
    assert res.events[2].data.reason == "P"  # a placement of unknown start, not a move
    assert [r["RNE"] for r in exported(res)] == ["L", "P"]
    replay_through_rules(res.events)


def test_an_episode_starting_before_the_previous_ended_is_rejected_and_the_rest_kept():
    rows = [
        ep("01/06/2023", "S", "01/09/2023", "X1", rpc="CARPL"),
        ep("15/08/2023", "P", "01/11/2023", "X1", place="K2", rpc="STAND"),  # overlaps
        ep("01/11/2023", "B", "10/01/2024", "X1", ls="E1", place="U5"),
        ep("10/01/2024", "L", ls="C2", place="U5"),
    ]
    res = run(*rows)
    assert [(e.row, e.column, e.reason) for e in res.report.rejected] == [
        (3, "DECOM", "overlaps_previous")
    ]
    assert "01/09/2023" in res.report.rejected[0].message
    assert res.report.episodes_imported == 3
    assert exported(res) == [rows[0], rows[2], rows[3]]
    replay_through_rules(res.events)


def test_rows_that_cannot_follow_the_kept_history_are_rejected_with_reasons():
    rows = [
        ep("01/06/2023", "S", "01/07/2023", "X1"),
        ep("01/07/2023", "S"),  # line 3: still in care (X1)
        ep("05/07/2023", "L", "08/07/2023", "X1", ls="C1"),  # line 4: L after a gap
        ep("10/07/2023", "P", "01/09/2023", "E13"),  # line 5: kept, after a gap
        ep("05/09/2023", "P"),
    ]  # line 6: the period ended
    res = run(*rows)
    assert [(e.row, e.reason) for e in res.report.rejected] == [
        (3, "already_in_care"),
        (4, "no_open_placement"),
        (6, "not_in_care"),
    ]
    assert exported(res) == [rows[0], rows[3]]
    replay_through_rules(res.events)


def test_an_open_episode_followed_by_another_and_l_with_a_new_placement_are_rejected():
    res = run(ep("01/06/2023", "S"), ep("01/07/2023", "P"))
    assert [(e.row, e.reason) for e in res.report.rejected] == [(3, "previous_episode_open")]
    res = run(ep("01/06/2023", "S", "01/07/2023", "X1"), ep("01/07/2023", "L", place="K2"))
    assert [(e.row, e.reason) for e in res.report.rejected] == [(3, "placement_changed_on_rne_l")]
    assert "PLACE" in res.report.rejected[0].message


def test_episodes_of_a_child_without_a_valid_header_are_rejected():
    res = import_return(
        [head("A1", sex="9"), head("A2")],
        [ep("01/06/2023", "S"), ep("01/06/2023", "S", child="A2")],
        la=LA,
        source=SOURCE,
    )
    assert {(e.file, e.row, e.reason) for e in res.report.rejected} == {
        ("header", 2, "code_not_in_list"),
        ("episodes", 2, "no_header"),
    }
    assert {e.data.child_id for e in res.events} == {"A2"}
    assert (res.report.episodes_rejected, res.report.header_rejected) == (1, 1)


def test_an_episode_before_birth_and_a_duplicate_start_are_rejected():
    res = run(
        ep("01/06/2011", "S", "01/06/2023", "X1"),
        ep("01/06/2023", "P", "01/07/2023", "X1"),
        ep("01/06/2023", "T"),
        header=[head(dob="15/05/2012")],
    )
    assert [(e.row, e.reason) for e in res.report.rejected] == [
        (4, "duplicate_episode"),
        (2, "before_birth"),
    ]


def test_home_postcode_and_category_of_need_changes_within_a_period_are_corrections():
    rows = [
        ep("01/06/2023", "S", "01/07/2023", "X1", cin="N1", home="DE22 1AA"),
        ep("01/07/2023", "P", "01/08/2023", "X1", cin="N1", home="DE24 2BB"),
        ep("01/08/2023", "L", ls="C1", cin="N5", home="DE24 2BB"),
    ]
    res = run(*rows)
    corrections = [e for e in res.events if isinstance(e, ChildDetailsCorrected)]
    assert [
        (c.data.date, c.data.home_postcode, extension(c, CATEGORY_OF_NEED)) for c in corrections
    ] == [(date(2023, 7, 1), "DE24 2BB", None), (date(2023, 8, 1), None, "N5")]
    assert exported(res) == rows


def test_a_reason_for_placement_change_before_an_rne_l_is_dropped_with_a_warning():
    res = run(
        ep("01/06/2023", "S", "01/07/2023", "X1", ls="C1", rpc="CARPL"),
        ep("01/07/2023", "L", ls="C2"),
    )
    assert res.report.rejected == ()
    assert [(w.row, w.column, w.reason) for w in res.report.warnings] == [
        (2, "REASON_PLACE_CHANGE", "reason_place_change_ignored")
    ]


def test_importing_the_same_file_twice_gives_the_same_events_and_ids():
    ret = generate_return(300, 2023, seed=11)
    first = import_return(ret.header, ret.episodes, la=LA, source=SOURCE, year=2023)
    second = import_return(ret.header, ret.episodes, la=LA, source=SOURCE, year=2023)
    assert [e.id for e in first.events] == [e.id for e in second.events]
    assert first.events == second.events
    assert len({e.id for e in first.events}) == len(first.events)
    other_la = import_return(ret.header, ret.episodes, la="E10000007", source=SOURCE, year=2023)
    assert not {e.id for e in first.events} & {e.id for e in other_la.events}


def test_a_generated_return_passes_the_referrals_rules_in_event_order():
    ret = generate_return(500, 2023, seed=5)
    res = import_return(ret.header, ret.episodes, la=LA, source=SOURCE, year=2023)
    assert res.report.rejected == ()
    replay_through_rules(res.events)
    per_child: dict[str, list] = {}
    for e in res.events:
        per_child.setdefault(e.data.child_id, []).append(e.time)
    assert all(times == sorted(times) for times in per_child.values())
    days = [e.data.date for e in res.events]
    assert days == sorted(days)
