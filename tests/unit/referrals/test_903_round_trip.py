import csv
import io
import time

from services.referrals.domain.ssda903.episodes_to_events import import_return
from services.referrals.domain.ssda903.events_to_episodes import (
    events_to_episodes,
    write_episodes_csv,
)
from services.referrals.domain.ssda903.generate import (
    generate_return,
    inject_overlaps,
    postcode_directory_rows,
)
from services.referrals.domain.ssda903.postcodes import PostcodeDirectory
from services.referrals.domain.ssda903.rows import EPISODE_COLUMNS
from shared.events.journey import PlacementStarted
from tests.unit.referrals.builders_903 import LA, SOURCE


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EPISODE_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_import_then_export_of_3200_children_gives_the_same_episodes_file():
    started = time.perf_counter()
    ret = generate_return(3200, 2024, seed=2024)
    directory = PostcodeDirectory.from_rows(postcode_directory_rows([ret]))
    original = csv_text(ret.episodes)
    result = import_return(
        ret.header, original, la=LA, source=SOURCE, year=2024, postcodes=directory
    )
    exported = write_episodes_csv(events_to_episodes(result.events, la=LA, year=2024))
    elapsed = time.perf_counter() - started
    assert len(ret.header) == 3200
    assert result.report.rejected == () and result.report.warnings == ()
    assert result.report.episodes_imported == len(ret.episodes)
    assert exported == original
    # the postcodes went through the directory: every placement with a postcode has a location
    placements = [e for e in result.events if isinstance(e, PlacementStarted)]
    assert all(p.data.placement_location for p in placements if p.data.placement_postcode)
    assert elapsed < 30, f"round trip took {elapsed:.1f}s"


def test_round_trip_of_a_return_with_overlapping_rows_gives_back_every_other_row():
    ret = generate_return(3000, 2023, seed=7)
    episodes, lines = inject_overlaps(ret.episodes, 60, seed=1)
    assert len(lines) == 60
    result = import_return(ret.header, episodes, la=LA, source=SOURCE, year=2023)
    report = result.report
    overlaps = {e.row for e in report.rejected if e.reason == "overlaps_previous"}
    assert overlaps == set(lines)
    # what followed a moved row may no longer fit (an RNE L with no placement to continue,
    # an RNE S while the period the moved row ended goes on): that is reported too
    assert {e.reason for e in report.rejected} == {
        "overlaps_previous",
        "no_open_placement",
        "already_in_care",
    }
    rejected = {e.row for e in report.rejected}
    assert report.episodes_read == report.episodes_imported + len(rejected)
    kept = [row for line, row in enumerate(episodes, start=2) if line not in rejected]
    assert [r.as_csv_dict() for r in events_to_episodes(result.events, la=LA, year=2023)] == kept
