"""Rebuilding an LA's 903 episodes table for a collection year from its events.

Retracted events are left out: the table shows the history as it now stands.
"""

import json

from sqlalchemy import Engine
from sqlmodel import Session, select

from services.referrals.domain.journey_history import effective
from services.referrals.domain.ssda903 import events_to_episodes, write_episodes_csv
from shared.events.registry import parse_journey
from shared.store.tables import IngestedEvent


def export_episodes(engine: Engine, la: str, year: int) -> str:
    with Session(engine) as s:
        rows = s.exec(select(IngestedEvent).where(IngestedEvent.la == la)).all()
    events = effective(parse_journey(json.loads(r.body)) for r in rows)
    return write_episodes_csv(events_to_episodes(events, la=la, year=year))
