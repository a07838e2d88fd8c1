"""The home registry: updates keep what they do not mention."""

from services.vacancies.domain import homes
from shared.events.supply import HomeUpdatedData
from tests.unit.vacancies.builders import T0, at, home


def test_an_update_changes_only_the_fields_given():
    before = home(specialisms=("disability",), frameworks=("D2N2",))
    data = HomeUpdatedData(home_id="H1", ofsted_rating="outstanding", registered_places=5)
    after = homes.update(before, data, at(days=1))
    assert (after.ofsted_rating, after.registered_places) == ("outstanding", 5)
    assert after.specialisms == ("disability",) and after.frameworks == ("D2N2",)
    assert after.updated_at == at(days=1) and after.postcode == before.postcode


def test_deregistration_keeps_the_home_with_its_end_date():
    gone = homes.deregister(home(), T0.date(), T0)
    assert not gone.active and gone.deregistered_on == T0.date()
