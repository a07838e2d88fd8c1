"""A large LA's returns read in parts of its children: together the parts are the whole."""

from services.referrals.domain.ssda903.episodes_to_events import (
    ImportReport,
    combined,
    import_returns,
)
from services.referrals.domain.ssda903.event_factory import ImportedEvent
from services.referrals.domain.ssda903.generate import generate_children, return_for_year
from services.referrals.domain.ssda903.rows import Part, parse_episodes, parse_header
from tests.contract.test_ssda903_service import to_csv
from tests.unit.referrals.builders_903 import LA, SOURCE, ep, head


def _returns() -> list[tuple[int, str, str]]:
    children = generate_children(60, seed=3, first_year=2023, last_year=2024, la=LA)
    out = []
    for year in (2023, 2024):
        ret = return_for_year(children, year)
        episodes = [
            *ret.episodes,
            ep("01/05/2023", "S", child=""),  # no CHILD: read in one part all the same
            ep("01/05/2023", "S", child="bad id!"),
            ep("01/05/2023", "S", child="NOHEAD"),  # no header row
        ]
        episodes[2] = {**episodes[2], "PLACE": "ZZ"}  # rejected, with its child's cascade
        out.append((year, to_csv([*ret.header, head("DUP"), head("DUP")]), to_csv(episodes)))
    return out


def _parts(n: int) -> list[Part]:
    return [Part(i, n) for i in range(n)]


def test_every_row_is_read_in_exactly_one_part():
    _, header, episodes = _returns()[1]
    whole = parse_episodes(episodes, year=2024)
    parts = [parse_episodes(episodes, year=2024, part=p) for p in _parts(3)]
    assert all(p.read for p in parts)
    assert sum(p.read for p in parts) == whole.read
    assert sorted((r.row, r) for p in parts for r in p.rows) == [(r.row, r) for r in whole.rows]
    assert sorted(map(repr, (e for p in parts for e in p.errors))) == sorted(
        map(repr, whole.errors)
    )
    assert frozenset().union(*(p.rejected_keys for p in parts)) == whole.rejected_keys
    headers = [parse_header(header, year=2024, part=p) for p in _parts(3)]
    assert sum(h.read for h in headers) == parse_header(header, year=2024).read
    assert sorted(map(repr, (e for h in headers for e in h.errors))) == sorted(
        map(repr, parse_header(header, year=2024).errors)
    )


def _read(part: Part | None) -> tuple[list[ImportedEvent], ImportReport]:
    events: list[ImportedEvent] = []
    result = import_returns(
        _returns(), la=LA, source=SOURCE, sink=lambda c, evs, n: events.extend(evs), part=part
    )
    return events, result.report


def test_the_parts_derive_and_report_what_one_read_does():
    whole_events, whole = _read(None)
    read = [_read(p) for p in _parts(4)]
    parts = combined([r for _, r in read])
    assert sorted(str(e.id) for evs, _ in read for e in evs) == sorted(
        str(e.id) for e in whole_events
    )
    for name in (
        "episodes_read", "episodes_imported", "episodes_superseded", "header_read",
        "header_imported", "left_open", "episodes_rejected", "rejected_after_refusal",
        "no_header_children",
    ):  # fmt: skip
        assert getattr(parts, name) == getattr(whole, name), name
    assert sorted(map(repr, parts.rejected)) == sorted(map(repr, whole.rejected))
    assert sorted(map(repr, parts.warnings)) == sorted(map(repr, whole.warnings))
    assert sorted(parts.read_by_year) == sorted(whole.read_by_year)
    for year in (2023, 2024):
        one, many = whole.for_year(year), parts.for_year(year)
        assert (one.episodes_read, one.episodes_imported, one.episodes_superseded) == (
            many.episodes_read, many.episodes_imported, many.episodes_superseded,
        )  # fmt: skip
    assert whole.rejected and whole.no_header_children
