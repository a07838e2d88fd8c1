"""The live projection refreshes changed LAs in the background; `latest` never lags more."""

from datetime import date

from services.metrics.domain.reference import ReferenceForLa
from services.metrics.service_layer.live import LiveProjection
from tests.unit.metrics.builders import DERBY, DERBYSHIRE, admitted, get

TODAY = date(2024, 6, 1)


def projection() -> LiveProjection:
    return LiveProjection(lambda la: ReferenceForLa(population_by_year={}, targets=()))


def in_care(live: LiveProjection, la: str = DERBY) -> float | None:
    return get(live.latest(la, TODAY), "children_in_care").value


def test_an_applied_event_marks_its_la_for_refresh_and_the_refresh_computes_only_it():
    live = projection()
    live.apply([admitted("C1", "2024-01-01"), admitted("C2", "2024-01-01", la=DERBYSHIRE)])
    assert live.changed.is_set()
    assert live.refresh(TODAY) == 2
    assert not live.changed.is_set()
    live.apply([admitted("C3", "2024-02-01")])
    assert live.refresh(TODAY) == 1  # Derby only
    assert in_care(live) == 2


def test_latest_gives_the_last_refreshed_figures_until_the_next_refresh():
    live = projection()
    live.apply([admitted("C1", "2024-01-01")])
    live.refresh(TODAY)
    live.apply([admitted("C2", "2024-01-01")])
    assert in_care(live) == 1  # the refresh is under way; the scrape does not compute
    assert get(live.indicators(DERBY, TODAY), "children_in_care").value == 2  # REST is exact
    live.refresh(TODAY)
    assert in_care(live) == 2


def test_a_new_day_refreshes_every_la_and_an_la_never_refreshed_is_computed_on_demand():
    live = projection()
    live.apply([admitted("C1", "2024-01-01")])
    assert in_care(live) == 1  # never refreshed
    live.refresh(TODAY)
    assert live.refresh(date(2024, 6, 2)) == 1
