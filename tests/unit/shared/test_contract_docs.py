from shared.events import docs


def test_committed_schemas_and_asyncapi_are_current():
    stale = docs.stale()
    assert not stale, f"run `make schemas`: stale {stale}"


def test_asyncapi_lists_every_journey_type_on_the_journey_topic():
    doc = docs.asyncapi()
    journey = doc["channels"]["journey.v1"]["messages"]
    assert "placement.started.v1" in journey and "child.left_care.v1" in journey
    assert "feed.vacancy.v1" in doc["channels"]["region.D2N2.vacancies"]["messages"]
