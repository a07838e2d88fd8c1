from services.referrals.domain.ssda903.episodes_to_events import import_return
from services.referrals.domain.ssda903.postcodes import PostcodeDirectory, normalise_postcode
from shared.events.common import GridRef
from shared.events.journey import ChildAdmitted, PlacementStarted
from tests.unit.referrals.builders_903 import LA, SOURCE, ep, head

ONSPD = """pcd,pcds,dointr,doterm,oseast1m,osnrth1m,oslaua,lat,long
DE221AA,DE22 1AA,199801,,435100,337200,E06000015,52.93,-1.49
DE3  9ZZ,DE3 9ZZ,199801,,432000,334000,E06000015,52.90,-1.52
NG1  1AA,NG1 1AA,199801,,457000,340000,E06000018,52.95,-1.15
S40 1XX,S40 1XX,199801,,,,E10000007,,
B1  1AA,B1 1AA,199801,,407000,287000,E99999999,52.48,-1.90
"""


def directory(**kw) -> PostcodeDirectory:
    import csv
    import io

    return PostcodeDirectory.from_rows(csv.DictReader(io.StringIO(ONSPD)), **kw)


def test_normalise_spacing_and_case():
    assert normalise_postcode("de221aa") == "DE22 1AA"
    assert normalise_postcode("  ng1   1aa ") == "NG1 1AA"
    assert normalise_postcode("EC1A1BB") == "EC1A 1BB"
    assert normalise_postcode("DE22") is None and normalise_postcode("") is None


def test_lookup_gives_grid_reference_and_la():
    d = directory()
    assert d.lookup("de22 1aa") == (GridRef(easting=435100, northing=337200), "E06000015")
    assert d.lookup("NG11AA") == (GridRef(easting=457000, northing=340000), "E06000018")
    assert d.lookup("S40 1XX") is None  # no grid reference in the directory
    assert d.lookup("B1 1AA") == (GridRef(easting=407000, northing=287000), None)  # pseudo LA
    assert d.lookup("LE1 1AA") is None and d.lookup(None) is None
    assert len(directory(only=["DE22 1AA", "ng11aa"])) == 2


def test_import_resolves_home_and_placement_locations_through_the_directory():
    episodes = [
        ep("01/06/2023", "S", home="de22 1aa", pl_post="NG1 1AA"),
    ]
    with_dir = import_return([head()], episodes, la=LA, source=SOURCE, postcodes=directory())
    admitted, started = with_dir.events
    assert isinstance(admitted, ChildAdmitted) and isinstance(started, PlacementStarted)
    assert admitted.data.home_postcode == "DE22 1AA"
    assert admitted.data.home_location == GridRef(easting=435100, northing=337200)
    assert started.data.placement_location == GridRef(easting=457000, northing=340000)
    assert started.data.placement_la == "E06000018"

    without = import_return([head()], episodes, la=LA, source=SOURCE)
    admitted, started = without.events
    assert isinstance(admitted, ChildAdmitted) and isinstance(started, PlacementStarted)
    assert admitted.data.home_postcode == "DE22 1AA" and admitted.data.home_location is None
    assert started.data.placement_location is None and started.data.placement_la is None


def test_a_postcode_missing_from_the_directory_is_not_known_with_a_warning():
    res = import_return(
        [head()],
        [ep("01/06/2023", "S", home="LE1 1AA", pl_post="DE3 9ZZ")],
        la=LA,
        source=SOURCE,
        postcodes=directory(),
    )
    admitted, started = res.events
    assert isinstance(admitted, ChildAdmitted) and isinstance(started, PlacementStarted)
    assert admitted.data.home_location is None
    assert started.data.placement_location == GridRef(easting=432000, northing=334000)
    assert [(w.column, w.reason) for w in res.report.warnings] == [
        ("HOME_POST", "postcode_not_in_directory")
    ]
