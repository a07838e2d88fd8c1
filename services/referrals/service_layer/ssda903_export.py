"""Rebuilding an LA's 903 episodes table for a collection year from its events.

Retracted events are left out: the table shows the history as it now stands.
A child left in care only because its later episodes were refused exports
with its last accepted episode open; `left_open` names those children (the
CLI prints them, the HTTP export lists them in a response header).
"""

import csv
import io
import json

from sqlalchemy import Engine
from sqlmodel import Session, select

from services.referrals.adapters import returns_store
from services.referrals.domain.journey_history import effective
from services.referrals.domain.ssda903 import events_to_episodes, write_episodes_csv
from services.referrals.domain.ssda903.rows import UASC_COLUMNS, parse_uasc
from shared.events.registry import parse_journey
from shared.store.tables import IngestedEvent


def export_episodes(engine: Engine, la: str, year: int) -> str:
    with Session(engine) as s:
        rows = s.exec(select(IngestedEvent).where(IngestedEvent.la == la)).all()
    events = effective(parse_journey(json.loads(r.body)) for r in rows)
    return write_episodes_csv(events_to_episodes(events, la=la, year=year))


def export_uasc(engine: Engine, la: str, year: int) -> str:
    """The UASC file of a year as imported (its valid rows, in the DfE columns)."""
    held = returns_store.held_return(engine, la, year)
    rows = [] if held is None or held.uasc is None else parse_uasc(held.uasc, year=year).rows
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=UASC_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(r.as_csv_dict() for r in rows)
    return buf.getvalue()


def left_open(engine: Engine, la: str) -> list[dict[str, str]]:
    """Children in care only because later episodes were refused (latest import)."""
    text = returns_store.latest_left_open(engine, la)
    return [] if not text else list(csv.DictReader(io.StringIO(text)))
