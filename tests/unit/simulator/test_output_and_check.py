"""The JSON Lines writer, and the check's counting on a hand-made history."""

from datetime import UTC, date, datetime, time

from shared.events import journey as j
from sufficiency.simulator import read_jsonl, write_jsonl
from sufficiency.simulator.check import figures, fold

LA = "E06000015"
N = 0


def test_jsonl_round_trip(across_code_change, tmp_path):
    sample = across_code_change[:3000]
    path = tmp_path / "events.jsonl"
    assert write_jsonl(sample, path) == len(sample)
    assert list(read_jsonl(path)) == sample
    assert len(path.read_text().splitlines()) == len(sample)


def event(cls, day: str, **data):
    global N
    N += 1
    when = datetime.combine(date.fromisoformat(day), time(10, N % 60), UTC)
    payload = {"date": day, **data}
    return cls.model_validate(
        {
            "id": f"00000000-0000-0000-0000-{N:012d}",
            "source": "/t",
            "time": when,
            "la": LA,
            "subject": data.get("child_id"),
            "data": payload,
        }
    )


def admitted(child, day, uasc=False, home=(435_000, 336_000)):
    loc = None if uasc else {"easting": home[0], "northing": home[1]}
    return event(
        j.ChildAdmitted,
        day,
        child_id=child,
        birth_month="2010-01",
        sex=1,
        ethnicity="WBRI",
        legal_status="V2",
        category_of_need="N1",
        uasc=uasc,
        home_location=loc,
    )


def started(child, pid, day, rne="P", place="U6", miles_east=0.0, provider="PR1"):
    loc = {"easting": 435_000 + int(miles_east * 1609.3), "northing": 336_000}
    return event(
        j.PlacementStarted,
        day,
        placement_id=pid,
        child_id=child,
        reason=rne,
        placement_type=place,
        provider=provider,
        placement_location=loc,
    )


def ended(child, pid, day):
    return event(j.PlacementEnded, day, placement_id=pid, child_id=child, reason_for_change="CARPL")


def test_the_check_counts_as_the_indicators_define():
    events = [
        # A: three new carers in the year, placed 25 miles away at the end
        admitted("A", "2023-05-01"),
        started("A", "A1", "2023-05-01", rne="S"),
        ended("A", "A1", "2023-07-01"),
        started("A", "A2", "2023-07-01"),
        ended("A", "A2", "2023-09-01"),
        started("A", "A3", "2023-09-01", miles_east=25, provider="PR4"),
        # B: in care since 2021, one placement with a same-carer change (T): 1 placement
        admitted("B", "2021-01-01"),
        started("B", "B1", "2021-01-01", rne="S"),
        ended("B", "B1", "2023-06-01"),
        started("B", "B2", "2023-06-01", rne="T", place="U4", miles_east=19.9),
        # C: UASC in a children's home: distance not known
        admitted("C", "2023-10-01", uasc=True),
        started("C", "C1", "2023-10-01", rne="S", place="K2", provider="PR4"),
        # D: left care before 31 March: not counted, but started in the year
        admitted("D", "2023-04-10"),
        started("D", "D1", "2023-04-10", rne="S"),
        ended("D", "D1", "2023-08-01"),
        event(j.ChildLeftCare, "2023-08-01", child_id="D", reason="E4A"),
    ]
    las, _, _ = fold(events)
    f = figures(las[LA], date(2024, 3, 31))
    assert f["children_in_care"] == 3
    assert f["starts"] == 3  # A, C and D started in the 12 months
    assert f["three_plus_placements"] == 1 / 3
    assert f["within_20_miles"] == 1 / 3  # B only; A is 25 miles, C not known
    assert f["fostering"] == 2 / 3 and f["residential"] == 1 / 3
    assert f["uasc"] == 1 / 3
    assert f["own_provision"] == 1 / 3 and f["private_provision"] == 2 / 3
