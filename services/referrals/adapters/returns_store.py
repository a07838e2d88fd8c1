"""The SSDA903 returns an LA imported, the postcodes they resolved, the events they gave."""

import json

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from services.referrals.adapters.tables import PostcodeRow, ReturnRow
from services.referrals.domain.ssda903 import PostcodeDirectory
from shared.db import transaction
from shared.events.journey import JourneyEvent
from shared.events.registry import parse_journey
from shared.store.tables import IngestedEvent

HeldReturn = tuple[int, str, str]  # (collection year, header CSV, episodes CSV)


def keep_return(
    engine: Engine, la: str, ret: HeldReturn, postcodes: PostcodeDirectory | None
) -> None:
    """Store a return (replacing the same year's) and the postcodes resolved for it."""
    year, header, episodes = ret
    with transaction(engine) as s:
        row = s.get(ReturnRow, (la, year)) or ReturnRow(la=la, year=year, header="", episodes="")
        row.header, row.episodes = header, episodes
        s.add(row)
        for postcode, (east, north, where) in (postcodes.entries if postcodes else {}).items():
            known = s.get(PostcodeRow, (la, postcode)) or PostcodeRow(
                la=la, postcode=postcode, easting=east, northing=north
            )
            known.easting, known.northing, known.postcode_la = east, north, where
            s.add(known)


def held_returns(engine: Engine, la: str) -> list[HeldReturn]:
    with Session(engine) as s:
        rows = s.exec(select(ReturnRow).where(ReturnRow.la == la).order_by(col(ReturnRow.year)))
        return [(r.year, r.header, r.episodes) for r in rows]


def known_postcodes(engine: Engine, la: str) -> PostcodeDirectory:
    with Session(engine) as s:
        rows = s.exec(select(PostcodeRow).where(PostcodeRow.la == la))
        return PostcodeDirectory({r.postcode: (r.easting, r.northing, r.postcode_la) for r in rows})


def events_of_source(engine: Engine, la: str, source: str) -> list[JourneyEvent]:
    """Every event a source stored for the LA, retractions included."""
    with Session(engine) as s:
        stmt = select(IngestedEvent.body).where(
            IngestedEvent.la == la, IngestedEvent.source == source
        )
        return [parse_journey(json.loads(body)) for body in s.exec(stmt)]
