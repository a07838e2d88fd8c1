"""The SSDA903 returns an LA imported, the postcodes they resolved, the events they gave."""

import json
from collections.abc import Iterable

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from services.referrals.adapters.tables import PostcodeRow, ReturnRow
from services.referrals.domain.ssda903 import PostcodeDirectory
from services.referrals.domain.ssda903.episodes_to_events import ReturnFiles
from shared.codes.ssda903 import FIRST_COLLECTION_YEAR, LAST_COLLECTION_YEAR
from shared.db import transaction
from shared.events.journey import JourneyEvent
from shared.events.registry import parse_journey
from shared.store.tables import IngestedEvent, utcnow


def keep_return(
    engine: Engine,
    la: str,
    ret: ReturnFiles,
    postcodes: PostcodeDirectory | None,
    left_open: str | None = None,
) -> None:
    """Store a return (replacing the same year's) and its postcodes, in one transaction."""
    assert ret.year is not None and isinstance(ret.header, str) and isinstance(ret.episodes, str)
    with transaction(engine) as s:
        row = s.get(ReturnRow, (la, ret.year)) or ReturnRow(
            la=la, year=ret.year, header="", episodes=""
        )
        row.header, row.episodes = ret.header, ret.episodes
        row.uasc = ret.uasc if isinstance(ret.uasc, str) else None
        row.carried = ret.carried if isinstance(ret.carried, str) else None
        row.left_open, row.imported_at = left_open, utcnow()
        s.add(row)
        for postcode, (east, north, where) in (postcodes.entries if postcodes else {}).items():
            known = s.get(PostcodeRow, (la, postcode)) or PostcodeRow(
                la=la, postcode=postcode, easting=east, northing=north
            )
            known.easting, known.northing, known.postcode_la = east, north, where
            s.add(known)


def held_returns(engine: Engine, la: str) -> list[ReturnFiles]:
    """The LA's returns, by year; a year outside the code lists' (stored before the
    import checked years) is left out rather than breaking every later import."""
    with Session(engine) as s:
        rows = s.exec(
            select(ReturnRow)
            .where(ReturnRow.la == la)
            .where(col(ReturnRow.year) >= FIRST_COLLECTION_YEAR)
            .where(col(ReturnRow.year) <= LAST_COLLECTION_YEAR)
            .order_by(col(ReturnRow.year))
        )
        return [ReturnFiles(r.year, r.header, r.episodes, r.uasc, r.carried) for r in rows]


def held_return(engine: Engine, la: str, year: int) -> ReturnFiles | None:
    with Session(engine) as s:
        r = s.get(ReturnRow, (la, year))
        return None if r is None else ReturnFiles(r.year, r.header, r.episodes, r.uasc, r.carried)


def latest_left_open(engine: Engine, la: str) -> str | None:
    """The children left open by refusals, as the LA's latest import found them (CSV)."""
    with Session(engine) as s:
        row = s.exec(
            select(ReturnRow).where(ReturnRow.la == la).order_by(col(ReturnRow.imported_at).desc())
        ).first()
        return None if row is None else row.left_open


def known_postcodes(engine: Engine, la: str) -> PostcodeDirectory:
    with Session(engine) as s:
        rows = s.exec(select(PostcodeRow).where(PostcodeRow.la == la))
        return PostcodeDirectory({r.postcode: (r.easting, r.northing, r.postcode_la) for r in rows})


def children_of_source(engine: Engine, la: str, source: str) -> set[str]:
    """The children a source stored events about."""
    with Session(engine) as s:
        stmt = (
            select(IngestedEvent.key)
            .where(IngestedEvent.la == la, IngestedEvent.source == source)
            .distinct()
        )
        return set(s.exec(stmt))


def events_of_children(
    engine: Engine, la: str, source: str, children: Iterable[str]
) -> list[JourneyEvent]:
    """Every event a source stored about some children, retractions included."""
    ids = sorted(set(children))
    out: list[JourneyEvent] = []
    with Session(engine) as s:
        for i in range(0, len(ids), 500):
            stmt = select(IngestedEvent.body).where(
                IngestedEvent.la == la,
                IngestedEvent.source == source,
                col(IngestedEvent.key).in_(ids[i : i + 500]),
            )
            out += [parse_journey(json.loads(body)) for body in s.exec(stmt)]
    return out


def events_of_source(engine: Engine, la: str, source: str) -> list[JourneyEvent]:
    """Every event a source stored for the LA, retractions included."""
    with Session(engine) as s:
        stmt = select(IngestedEvent.body).where(
            IngestedEvent.la == la, IngestedEvent.source == source
        )
        return [parse_journey(json.loads(body)) for body in s.exec(stmt)]
