"""What the demo tells the services about its history before loading it."""

from datetime import date

from services.forecast.adapters.observations import parse_upload
from services.metrics.adapters import reference_store
from services.metrics.adapters.tables import RecordsFrom
from sufficiency.history_facts import published_before, records_csv, upload_csv

DERBYSHIRE = "E10000007"


def test_published_figures_before_the_records_begin_are_uploaded_and_parse():
    figures = published_before(DERBYSHIRE, date(2024, 11, 22))
    assert figures[0] == (date(2019, 3, 31), 802) and figures[-1] == (date(2024, 3, 31), 1057)
    rows, errors = parse_upload(upload_csv(DERBYSHIRE, figures))
    assert errors == [] and len(rows) == 6
    assert rows[-1] == (DERBYSHIRE, date(2024, 3, 31), "children_in_care", 1057.0)


def test_the_records_row_parses_as_metrics_reference_data():
    (row,) = reference_store.parse_csv("records", records_csv(DERBYSHIRE, date(2024, 11, 22)))
    assert isinstance(row, RecordsFrom)
    assert (row.la, row.complete_from) == (DERBYSHIRE, date(2024, 11, 22))
