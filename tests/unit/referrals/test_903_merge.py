from datetime import date
from itertools import permutations

from services.referrals.domain.ssda903.episodes_to_events import import_returns
from services.referrals.domain.ssda903.event_factory import canonical_body, event_id
from services.referrals.domain.ssda903.events_to_episodes import events_to_episodes
from services.referrals.domain.ssda903.generate import generate_children, return_for_year
from services.referrals.domain.ssda903.merge import merge_returns
from services.referrals.domain.ssda903.rows import parse_episodes, parse_header
from shared.events.journey import ChildAdmitted, PlacementStarted
from tests.unit.referrals.builders_903 import LA, SOURCE, ep, head, replay_through_rules

# A1 in 2022-23: admitted, then a placement open at 31 March 2023 ...
Y2022 = [
    ep("01/06/2022", "S", "01/02/2023", "X1", rpc="CARPL"),
    ep("01/02/2023", "P", provider="PR1"),
    ep("03/03/2023", "S", child="A2"),
]
# ... which 2023-24 lists again, closed and with a corrected provider; A2's start corrected.
Y2023 = [
    ep("01/02/2023", "P", "01/05/2023", "X1", provider="PR4"),
    ep("01/05/2023", "L", ls="E1", provider="PR4"),
    ep("05/03/2023", "S", child="A2"),
]
HEADERS = [head("A1"), head("A2")]


def imp(returns):
    return import_returns(returns, la=LA, source=SOURCE)


def test_the_later_return_wins_and_nothing_is_counted_twice_in_either_order():
    forward = imp([(2022, HEADERS, Y2022), (2023, HEADERS, Y2023)])
    backward = imp([(2023, HEADERS, Y2023), (2022, HEADERS, Y2022)])
    assert forward.events == backward.events
    report = forward.report
    assert (
        report.episodes_read,
        report.episodes_imported,
        report.episodes_superseded,
        report.episodes_rejected,
    ) == (6, 4, 2, 0)
    started = [e for e in forward.events if isinstance(e, PlacementStarted)]
    assert [(e.data.placement_id, e.data.provider) for e in started] == [
        ("A1-20220601", "PR1"),
        ("A1-20230201", "PR4"),
        ("A2-20230305", "PR1"),
    ]
    replay_through_rules(forward.events)
    # the 2022-23 table rebuilt from the merged history shows the corrected versions
    assert [r.as_csv_dict() for r in events_to_episodes(forward.events, la=LA, year=2022)] == [
        Y2022[0],
        ep("01/02/2023", "P", provider="PR4"),
        Y2023[2],
    ]


def test_an_episode_in_two_years_returns_keeps_its_ids_unless_the_later_corrects_it():
    alone = [imp([(2022, HEADERS, Y2022)]), imp([(2023, HEADERS, Y2023)])]
    started = [
        next(e for e in r.events
             if isinstance(e, PlacementStarted) and e.data.placement_id == "A1-20230201")
        for r in alone
    ]  # fmt: skip
    assert (started[0].data.provider, started[1].data.provider) == ("PR1", "PR4")
    # the provider was corrected: another fact, so another event (the import retracts the first)
    for e in started:
        assert e.id == event_id(LA, "A1", date(2023, 2, 1), "placement.started", canonical_body(e))
    assert started[0].id != started[1].id
    # A1's admission on 1 June 2022 is the same in both (2023-24 supersedes nothing of it)
    unchanged = imp([(2022, HEADERS, [Y2022[0]])]), imp([(2022, HEADERS, Y2022)])
    admitted = [{e.id for e in r.events if isinstance(e, ChildAdmitted)} for r in unchanged]
    assert admitted[0] <= admitted[1]


def test_merge_returns_keeps_an_earlier_returns_closed_episodes_the_later_does_not_list():
    a = [r for r in parse_episodes(Y2022, year=2022).rows]
    b = [r for r in parse_episodes(Y2023, year=2023).rows]
    h = parse_header(HEADERS).rows
    for order in ([(2022, h, a), (2023, h, b)], [(2023, h, b), (2022, h, a)]):
        history = merge_returns(order)
        assert [(r.decom.isoformat(), r.year) for r in history.episodes["A1"]] == [
            ("2022-06-01", 2022),
            ("2023-02-01", 2023),
            ("2023-05-01", 2023),
        ]
        assert [r.decom.isoformat() for r in history.episodes["A2"]] == ["2023-03-05"]
        assert sorted((r.child, r.year) for r in history.superseded) == [("A1", 2022), ("A2", 2022)]


def test_a_later_return_can_correct_an_end_date_within_the_earlier_year():
    earlier = [ep("01/06/2022", "S", "20/03/2023", "X1", rpc="CARPL"), ep("20/03/2023", "P")]
    later = [ep("01/06/2022", "S", "05/04/2023", "X1", rpc="CARPL"), ep("05/04/2023", "P")]
    for order in (
        [(2022, HEADERS, earlier), (2023, HEADERS, later)],
        [(2023, HEADERS, later), (2022, HEADERS, earlier)],
    ):
        res = imp(order)
        assert res.report.rejected == () and res.report.episodes_superseded == 2
        assert [r.as_csv_dict() for r in events_to_episodes(res.events, la=LA, year=2023)] == later


def test_the_same_return_imported_twice_counts_once():
    once = imp([(2022, HEADERS, Y2022)])
    twice = imp([(2022, HEADERS, Y2022), (2022, HEADERS, Y2022)])
    assert once.events == twice.events
    assert twice.report.episodes_imported == 3 and twice.report.episodes_superseded == 3


def test_rows_outside_their_returns_year_are_rejected():
    res = imp(
        [
            (
                2022,
                HEADERS,
                [ep("01/04/2023", "S"), ep("01/06/2022", "S", "05/04/2023", "E13", child="A2")],
            )
        ]
    )
    assert [(e.row, e.column, e.reason) for e in res.report.rejected] == [
        (2, "DECOM", "outside_collection_year"),
        (3, "DEC", "outside_collection_year"),
    ]


def test_generated_successive_years_merge_to_one_history_in_any_order():
    children = generate_children(600, seed=21, first_year=2022, last_year=2024)
    returns = [return_for_year(children, y) for y in (2022, 2023, 2024)]
    results = [
        imp([(r.year, r.header, r.episodes) for r in order]) for order in permutations(returns)
    ]
    first = results[0]
    assert all(r.events == first.events for r in results[1:])
    rep = first.report
    assert rep.rejected == () and rep.episodes_superseded > 0
    assert rep.episodes_read == rep.episodes_imported + rep.episodes_superseded
    # every episode of the children's true history is imported exactly once
    true_episodes = {
        (e.child, e.decom)
        for c in children
        for e in c.episodes
        if e.dec is None or e.dec >= date(2022, 4, 1)
    }
    assert rep.episodes_imported == len(true_episodes)
    assert len({e.id for e in first.events}) == len(first.events)
    for r in returns:
        assert [
            x.as_csv_dict() for x in events_to_episodes(first.events, la=LA, year=r.year)
        ] == r.episodes
    replay_through_rules(first.events)
