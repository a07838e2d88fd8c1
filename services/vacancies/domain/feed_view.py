"""What the shared regional feed says about a vacancy (pure).

Only the FeedVacancy fields: no child data (not even the referral a vacancy
is held for), the postcode district only, and no name for any home (foster
households are never identified; the feed needs no names at all).
"""

import uuid
from datetime import datetime

from services.vacancies.domain.homes import Home
from services.vacancies.domain.lifecycle import Status, Vacancy
from shared.events.common import HomeKind, HomeProvider, Need, OfstedRating
from shared.events.feed import FeedStatus, FeedVacancy, FeedVacancyData, postcode_district

SOURCE = "/services/vacancies/feed"


def feed_facts(home: Home) -> tuple[object, ...]:
    """What the feed shows of a home: when it changes, its vacancies go out again."""
    return (
        home.share_regionally,
        home.location_la,
        postcode_district(home.postcode),
        home.ofsted_rating,
        home.weekly_price,
        home.frameworks,
    )


def feed_data(home: Home, v: Vacancy, status: Status | None = None) -> FeedVacancyData:
    current = status or v.status
    return FeedVacancyData(
        vacancy_id=v.vacancy_id,
        owner_la=home.owner_la,
        kind=HomeKind(home.kind),
        provider=HomeProvider(home.provider),
        location_la=home.location_la,
        postcode_district=postcode_district(home.postcode),
        places=v.places_left if v.live else 0,
        age_min=v.age_min,
        age_max=v.age_max,
        suitable_for=[Need(n) for n in v.suitable_for],
        ofsted_rating=OfstedRating(home.ofsted_rating),
        weekly_price=home.weekly_price,
        frameworks=list(home.frameworks),
        status=FeedStatus(current),
        updated_at=max(v.updated_at, home.updated_at),
    )


def feed_event(home: Home, v: Vacancy, at: datetime, status: Status | None = None) -> FeedVacancy:
    """A feed entry; `status` overrides the vacancy's (withdrawn when a home stops sharing)."""
    return FeedVacancy(
        id=uuid.uuid4(),
        source=SOURCE,
        time=at,
        subject=v.vacancy_id,
        la=home.owner_la,
        data=feed_data(home, v, status),
    )
