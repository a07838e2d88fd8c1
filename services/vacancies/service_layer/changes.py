"""Saving a vacancy change together with its feed entry (one transaction)."""

from datetime import datetime

from sqlmodel import Session

from services.vacancies.adapters import feed_log
from services.vacancies.adapters.vacancy_store import live_vacancies_of, save_vacancy
from services.vacancies.domain.feed_view import feed_event, feed_facts
from services.vacancies.domain.homes import Home
from services.vacancies.domain.lifecycle import Status, Vacancy
from shared.regions import region_of


def publish(s: Session, home: Home, v: Vacancy, at: datetime, status: Status | None = None) -> None:
    """A feed entry for the vacancy, if its owner belongs to a region."""
    region = region_of(home.owner_la)
    if region is not None:
        feed_log.append(s, region, feed_event(home, v, at, status))


def vacancy_saved(s: Session, home: Home, v: Vacancy) -> None:
    save_vacancy(s, v)
    if home.share_regionally:
        publish(s, home, v, v.updated_at)


def home_changed(s: Session, before: Home, after: Home) -> None:
    """A shared home's live vacancies go to the feed again with the home's new
    details; a home that stops sharing has them shown as withdrawn once."""
    if not (before.share_regionally or after.share_regionally):
        return
    if feed_facts(before) == feed_facts(after):
        return
    for v in live_vacancies_of(s, after.home_id):
        if after.share_regionally:
            publish(s, after, v, after.updated_at)
        else:
            publish(s, after, v, after.updated_at, Status.WITHDRAWN)
