"""SSDA903 (children looked after return) import and export, as pure functions.

rows.py parses the header and episodes CSV files; postcodes.py resolves
postcodes through an ONS Postcode Directory; merge.py merges several years'
returns; child_history.py and episodes_to_events.py turn episodes into journey
events with a report; events_to_episodes.py rebuilds a year's episodes table;
generate.py makes synthetic returns.
"""

from services.referrals.domain.ssda903.episodes_to_events import (
    ImportReport,
    ImportResult,
    episodes_to_events,
    import_return,
    import_returns,
    returns_to_events,
)
from services.referrals.domain.ssda903.event_factory import (
    CATEGORY_OF_NEED,
    CONTINUES_PERIOD,
    ImportedEvent,
    event_id,
    placement_id,
)
from services.referrals.domain.ssda903.events_to_episodes import (
    events_to_episodes,
    events_to_header,
    write_episodes_csv,
    write_header_csv,
)
from services.referrals.domain.ssda903.merge import History, merge_returns
from services.referrals.domain.ssda903.postcodes import PostcodeDirectory, normalise_postcode
from services.referrals.domain.ssda903.rows import (
    EpisodeRow,
    HeaderRow,
    RowError,
    parse_episodes,
    parse_header,
)

__all__ = [
    "CATEGORY_OF_NEED", "CONTINUES_PERIOD", "EpisodeRow", "HeaderRow", "History", "ImportReport",
    "ImportResult", "ImportedEvent", "PostcodeDirectory", "RowError", "episodes_to_events",
    "event_id", "events_to_episodes", "events_to_header", "import_return", "import_returns",
    "merge_returns", "normalise_postcode", "parse_episodes", "parse_header", "placement_id",
    "returns_to_events", "write_episodes_csv", "write_header_csv",
]  # fmt: skip
