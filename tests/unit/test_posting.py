"""Posting in order across the two services (demo and `simulate --output http`)."""

from sufficiency.posting import Recorder, post_in_order, service_of
from tests.unit.metrics.builders import admitted, home, started, vacancy, vacancy_filled


def test_supply_that_happened_first_is_posted_first_and_derived_fills_are_left_out():
    stream = [
        home("H1", "2024-01-01"),
        vacancy("V1", "H1", "2024-01-02"),
        admitted("C1", "2024-01-03"),
        started("C1", "P1", "2024-01-03", home_id="H1"),
        vacancy_filled("V1", "2024-01-03", "P1"),
        vacancy("V2", "H1", "2024-01-04"),  # fills the supply batch of three
        admitted("C2", "2024-01-05"),
        started("C2", "P2", "2024-01-05", home_id="H1"),
    ]
    for batch in (1, 2, 3, 1000):
        poster = Recorder()
        seen: list[int] = []
        assert post_in_order(poster, stream, batch, seen.append) == 7
        posted = [e for _, _, events in poster.posts for e in events]
        assert sorted(map(str, (e.id for e in posted))) == sorted(
            str(e.id) for e in stream if e.type != "vacancy.filled.v1"
        )
        assert all(service_of(e) == s for s, _, events in poster.posts for e in events)
        for i, earlier in enumerate(stream):
            for later in stream[i + 1 :]:
                supply_first = service_of(earlier) == "vacancies" and earlier in posted
                if supply_first and service_of(later) == "referrals":
                    assert posted.index(earlier) < posted.index(later), batch
        assert seen[-1] == 7
