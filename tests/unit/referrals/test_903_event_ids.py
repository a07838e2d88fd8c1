"""The event factory builds each event's canonical JSON beside the model (not by
dumping it): it must be the model's own JSON, else the ids would change and every
event an earlier import stored would look changed and be retracted."""

from collections import Counter
from datetime import date, timedelta

from services.referrals.domain.ssda903 import PostcodeDirectory, import_returns
from services.referrals.domain.ssda903.event_factory import (
    CATEGORY_OF_NEED,
    CONTINUES_PERIOD,
    EventFactory,
    canonical_body,
    canonical_json,
    placement_id,
)
from services.referrals.domain.ssda903.generate import (
    generate_children,
    postcode_directory_rows,
    return_for_year,
)
from shared.events.registry import parse_journey_json

LA, SOURCE = "E06000015", "/la/E06000015/ssda903-import"


def test_every_derived_events_json_is_built_as_its_model_gives_it():
    children = generate_children(600, seed=11, first_year=2023, last_year=2024, la=LA)
    returns = [return_for_year(children, year) for year in (2023, 2024)]
    directory = PostcodeDirectory.from_rows(postcode_directory_rows(returns))
    events = import_returns(
        [(r.year, r.header, r.episodes) for r in returns], la=LA, source=SOURCE, postcodes=directory
    ).events
    assert len(Counter(e.type for e in events)) == 6  # every kind the import makes
    extras = Counter(k for e in events for k in (e.model_extra or {}))
    assert extras[CONTINUES_PERIOD] > 0 and extras[CATEGORY_OF_NEED] > 0
    assert any(getattr(e.data, "placement_location", None) for e in events)
    assert any(getattr(e.data, "home_location", None) for e in events)
    for e in events:
        assert e.subject is not None
        built = canonical_json(
            e.source, e.la, type(e), e.time, e.subject, e.data, e.model_extra or {}
        )
        assert built == canonical_body(e).encode()
        assert parse_journey_json(e.model_dump_json()) == e


def test_text_json_would_escape_gives_the_same_json_too():
    factory = EventFactory(LA, SOURCE)
    for urn in ("SC\u00e9123", "SC\x7f1", "SC\t\x011", 'SC"\\1', "SC/1"):
        e = factory.started(
            "C1", date(2024, 5, 1), reason="S", placement_type="U1", provider="PR1", urn=urn,
            postcode=None, location=None, placement_la=None, continues_period=False,
        )  # fmt: skip
        built = canonical_json(e.source, e.la, type(e), e.time, "C1", e.data, {})
        assert built == canonical_body(e).encode(), urn


def test_placement_ids_are_the_strftime_ones_for_any_day():
    day = date(1, 1, 1)
    while day < date(9999, 1, 1):
        assert placement_id("C1", day) == f"C1-{day:%Y%m%d}"
        day += timedelta(days=97)
