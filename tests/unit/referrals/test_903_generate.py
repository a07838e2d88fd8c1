from collections import Counter
from datetime import date
from itertools import pairwise

from services.referrals.domain.ssda903.generate import (
    generate_children,
    generate_return,
    inject_overlaps,
    postcode_directory_rows,
    return_for_year,
)
from services.referrals.domain.ssda903.postcodes import PostcodeDirectory
from services.referrals.domain.ssda903.rows import parse_episodes, parse_header


def test_the_same_seed_gives_the_same_return_and_another_seed_another():
    assert generate_return(200, 2023, seed=1) == generate_return(200, 2023, seed=1)
    assert generate_return(200, 2023, seed=1) != generate_return(200, 2023, seed=2)


def test_generated_rows_parse_cleanly_with_the_codes_of_their_year():
    for year in (2024, 2025):
        ret = generate_return(800, year, seed=year)
        episodes = parse_episodes(ret.episodes, year=year)
        header = parse_header(ret.header, year=year)
        assert episodes.errors == [] and episodes.warnings == [] and header.errors == []
        places = Counter(r.place for r in episodes.rows if r.decom >= date(2025, 4, 1))
        if year == 2025:
            assert places["K3"] > 0 and not places.keys() & {"H5", "P2", "Z1"}


def test_a_return_has_the_structure_of_a_real_one():
    ret = generate_return(1500, 2023, seed=3)
    rows = parse_episodes(ret.episodes, year=2023).rows
    start, end = date(2023, 4, 1), date(2024, 3, 31)
    assert all(r.decom <= end and (r.dec is None or start <= r.dec <= end) for r in rows)
    assert set(Counter(r.rne for r in rows)) == {"S", "P", "L", "T", "B", "U"}
    by_child: dict[str, list] = {}
    for r in rows:
        by_child.setdefault(r.child, []).append(r)
    assert len(by_child) == len(ret.header) == 1500
    firsts = Counter(eps[0].rne for eps in by_child.values())
    assert firsts["S"] > 0 and sum(firsts.values()) - firsts["S"] > 100  # care began earlier
    assert sum(1 for eps in by_child.values() if len(eps) >= 3) > 100
    assert sum(1 for r in rows if r.rec and r.rec != "X1") > 100  # left care
    assert sum(1 for eps in by_child.values() if [r.rne for r in eps].count("S") >= 2) > 0
    for eps in by_child.values():  # consistent: each X1 is followed by the next episode
        for prev, nxt in pairwise(eps):
            assert prev.dec is not None and prev.dec <= nxt.decom
            assert (prev.rec == "X1") == (prev.dec == nxt.decom and nxt.rne != "S")
            if nxt.rne in {"P", "T"}:  # a move keeps the legal status, L/B/U change it
                assert nxt.ls == prev.ls
            if nxt.rne in {"L", "B", "U"}:
                assert nxt.ls != prev.ls
            if nxt.rne == "L":  # the same placement
                assert (nxt.place, nxt.place_provider, nxt.urn) == (
                    prev.place,
                    prev.place_provider,
                    prev.urn,
                )
        assert eps[-1].rec != "X1"
    assert any(r.dec is None for r in rows)


def test_successive_years_overlap_like_real_returns():
    children = generate_children(400, seed=9, first_year=2022, last_year=2023)
    y1, y2 = return_for_year(children, 2022), return_for_year(children, 2023)
    open_at_end = {(r["CHILD"], r["DECOM"]) for r in y1.episodes if not r["DEC"]}
    in_next = {(r["CHILD"], r["DECOM"]): r for r in y2.episodes}
    assert open_at_end and open_at_end <= in_next.keys()
    assert any(in_next[k]["DEC"] for k in open_at_end)  # closed in the next year's return


def test_inject_overlaps_moves_decom_before_the_previous_dec():
    ret = generate_return(300, 2023, seed=4)
    rows, lines = inject_overlaps(ret.episodes, 10, seed=0)
    assert len(lines) == 10 and len({rows[n - 2]["CHILD"] for n in lines}) == 10
    for n in lines:
        prev, row = parse_episodes([rows[n - 3], rows[n - 2]]).rows
        assert prev.child == row.child and prev.decom < row.decom < prev.dec  # type: ignore[operator]
    changed = [i + 2 for i, (a, b) in enumerate(zip(ret.episodes, rows, strict=True)) if a != b]
    assert changed == lines


def test_the_postcode_directory_covers_every_generated_postcode():
    ret = generate_return(300, 2023, seed=4)
    directory = PostcodeDirectory.from_rows(postcode_directory_rows([ret]))
    postcodes = {r[c] for r in ret.episodes for c in ("HOME_POST", "PL_POST") if r[c]}
    assert postcodes and all(directory.lookup(p) for p in postcodes)
