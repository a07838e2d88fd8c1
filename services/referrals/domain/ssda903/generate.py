"""Synthetic SSDA903 returns, for tests and demonstrations. No real child data.

Each child's whole care history is simulated from a seeded `random.Random`
(one per child, so adding children does not change the others): periods of
care starting with RNE S, episodes ending with X1 and followed by a move (P,
B, T, U) or a legal status change (L), leaving care with an E code (at 18 at
the latest), some children coming back into care. PLACE codes are those of
the collection year the episode starts in. A year's return is then cut from
the histories: the episodes open at any time in that year, with DEC, REC and
REASON_PLACE_CHANGE blank for those open at 31 March. Successive years cut
from the same histories overlap as real returns do.

Postcodes are made up from postcode districts of the D2N2 area and a few
cities beyond it; `postcode_directory_rows` gives ONS-directory rows for them
with approximate, jittered coordinates.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from services.referrals.domain.ssda903.rows import (
    HEADER_COLUMNS,
    EpisodeRow,
    format_date,
    parse_date,
)
from shared.codes.ssda903 import codes_for, collection_year

AREAS: dict[str, tuple[tuple[str, ...], tuple[int, int]]] = {
    "E06000015": (("DE1", "DE3", "DE21", "DE22", "DE23", "DE24"), (435_000, 336_000)),
    "E10000007": (
        ("DE4", "DE5", "DE7", "DE45", "DE55", "DE56", "S40", "S41", "S42", "S43", "SK17"),
        (432_000, 362_000),
    ),
    "E06000018": (("NG1", "NG2", "NG3", "NG5", "NG7", "NG8"), (457_000, 340_000)),
    "E10000024": (
        ("NG12", "NG15", "NG17", "NG18", "NG19", "NG21", "NG24", "S80"),
        (465_000, 358_000),
    ),
    "E06000016": (("LE1", "LE2", "LE3"), (458_000, 304_000)),
    "E08000025": (("B1", "B5", "B12"), (407_000, 287_000)),
    "E08000003": (("M1", "M4", "M8"), (384_000, 398_000)),
}
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _weights(spec: str) -> tuple[tuple[str, int], ...]:
    """'A:3 B:1' -> (('A', 3), ('B', 1))"""
    return tuple((k, int(w)) for k, w in (item.split(":") for item in spec.split()))


_ETHNIC = _weights("WBRI:70 WOTH:4 MWBC:5 MOTH:3 APKN:3 AOTH:2 BAFR:3 BCRB:2 OOTH:3 WROM:1 NOBT:3")
_CIN = _weights("N1:60 N2:3 N3:3 N4:8 N5:15 N6:2 N7:1 N8:8")
_FIRST_LS = _weights("V2:35 C1:27 C2:14 L2:8 L1:5 J2:4 E1:2")
_NEXT_LS = {
    "V2": ("C1", "C2"),
    "C1": ("C2",),
    "C2": ("E1",),
    "L1": ("V2", "C1"),
    "L2": ("C1",),
    "E1": ("C2",),
}
_NEXT_RNE = _weights("P:50 L:18 T:10 B:14 U:8")
_RPC = _weights(
    "CARPL:40 CREQB:12 CREQO:10 CHILD:8 LAREQ:10 STAND:4 ALLEG:3 CLOSE:4 PLACE:5 OTHER:4"
)
_LEAVE = _weights("E4A:25 E4B:4 E13:10 E11:9 E12:2 E41:5 E45:4 E46:4 E47:2 E48:2 E8:8 E3:2 E16:1")
_AT_18 = _weights("E5:30 E6:10 E17:25 E7:5 E8:10 E13:5")
# placement kind: (weight, PLACE codes of any year, (provider, weight)...)
_KINDS = (
    (70, ("U1", "U2", "U3", "U4", "U5", "U6"), (("PR1", 55), ("PR4", 40), ("PR5", 5))),
    (10, ("K2", "R1"), (("PR1", 25), ("PR4", 70), ("PR5", 5))),
    (1, ("K1",), (("PR1", 60), ("PR2", 40))),
    (2, ("S1",), (("PR4", 70), ("PR5", 30))),
    (6, ("H5", "P2", "K3"), (("PR4", 60), ("PR1", 30), ("PR5", 10))),
    (5, ("P1",), (("PR0", 100),)),
    (4, ("A3", "A4", "A5", "A6"), (("PR1", 70), ("PR2", 20), ("PR5", 10))),
    (2, ("R2", "R3", "R5", "Z1", "Z11", "Z12"), (("PR3", 60), ("PR4", 40))),
)
_REGISTERED = {"K1", "K2", "R1", "S1", "H5", "K3", "R3"}


@dataclass(frozen=True)
class SyntheticChild:
    child: str
    sex: int
    dob: date
    ethnic: str
    episodes: tuple[EpisodeRow, ...]  # the whole history, DEC blank if open at the horizon

    def header_row(self) -> dict[str, str]:
        values = (self.child, str(self.sex), format_date(self.dob), self.ethnic)
        return dict(zip(HEADER_COLUMNS, values, strict=True)) | {
            "UPN": "",
            "MOTHER": "",
            "MC_DOB": "",
        }


@dataclass(frozen=True)
class SyntheticReturn:
    year: int
    header: list[dict[str, str]]
    episodes: list[dict[str, str]]


def generate_children(
    n: int, *, seed: int, first_year: int, last_year: int, la: str = "E06000015", prefix: str = "C"
) -> list[SyntheticChild]:
    """n children with at least one episode open in the years first_year..last_year."""
    window = (date(first_year, 4, 1), date(last_year + 1, 3, 31))
    out: list[SyntheticChild] = []
    i = 0
    while len(out) < n:
        child = _simulate(random.Random(seed * 1_000_003 + i), f"{prefix}{i:06d}", la, window)
        i += 1
        if any(_open_in(e, *window) for e in child.episodes):
            out.append(child)
    return out


def return_for_year(children: Iterable[SyntheticChild], year: int) -> SyntheticReturn:
    start, end = date(year, 4, 1), date(year + 1, 3, 31)
    header: list[dict[str, str]] = []
    episodes: list[dict[str, str]] = []
    for child in sorted(children, key=lambda c: c.child):
        rows = [e for e in child.episodes if _open_in(e, start, end)]
        if rows:
            header.append(child.header_row())
        for e in rows:
            if e.dec is not None and e.dec > end:
                e = replace(e, dec=None, rec=None, reason_place_change=None)
            episodes.append(e.as_csv_dict())
    return SyntheticReturn(year, header, episodes)


def generate_return(n: int, year: int, *, seed: int, la: str = "E06000015") -> SyntheticReturn:
    return return_for_year(
        generate_children(n, seed=seed, first_year=year, last_year=year, la=la), year
    )


def postcode_directory_rows(returns: Iterable[SyntheticReturn]) -> list[dict[str, str]]:
    """ONS Postcode Directory rows (pcds, oseast1m, osnrth1m, oslaua) for every postcode used."""
    district_la = {d: la for la, (districts, _) in AREAS.items() for d in districts}
    postcodes = sorted(
        {r[c] for ret in returns for r in ret.episodes for c in ("HOME_POST", "PL_POST") if r[c]}
    )
    rows = []
    for pc in postcodes:
        la = district_la[pc.split()[0]]
        (e, n), rng = AREAS[la][1], random.Random(pc)
        rows.append(
            {
                "pcds": pc,
                "oseast1m": str(e + rng.randint(-6000, 6000)),
                "osnrth1m": str(n + rng.randint(-6000, 6000)),
                "oslaua": la,
            }
        )
    return rows


def inject_overlaps(
    episodes: Sequence[dict[str, str]], count: int, *, seed: int
) -> tuple[list[dict[str, str]], list[int]]:
    """Move `count` episodes' DECOM before the previous episode's DEC.

    Returns the new rows and the line numbers (header = line 1) of the moved rows:
    each is an episode starting before the previous one ended. At most one row per
    child is moved, so each overlaps an episode that stays."""
    rows = [dict(r) for r in episodes]
    rng = random.Random(seed)
    candidates = [i for i in range(1, len(rows)) if _can_overlap(rows, i)]
    chosen: dict[str, int] = {}  # at most one per child
    for i in rng.sample(candidates, len(candidates)):
        if len(chosen) < count:
            chosen.setdefault(rows[i]["CHILD"], i)
    for i in sorted(chosen.values()):
        prev_start, prev_end = parse_date(rows[i - 1]["DECOM"]), parse_date(rows[i - 1]["DEC"])
        back = rng.randint(1, (prev_end - prev_start).days - 1)
        rows[i]["DECOM"] = format_date(prev_end - timedelta(days=back))
    return rows, sorted(i + 2 for i in chosen.values())


def _can_overlap(rows: Sequence[dict[str, str]], i: int) -> bool:
    prev, row = rows[i - 1], rows[i]
    if prev["CHILD"] != row["CHILD"] or not prev["DEC"] or prev["REC"] != "X1":
        return False
    return (parse_date(prev["DEC"]) - parse_date(prev["DECOM"])).days >= 3


def _open_in(e: EpisodeRow, start: date, end: date) -> bool:
    return e.decom <= end and (e.dec is None or e.dec >= start)


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _postcode(rng: random.Random, la: str) -> str:
    district = rng.choice(AREAS[la][0])
    return f"{district} {rng.randint(0, 9)}{rng.choice(_UNIT_LETTERS)}{rng.choice(_UNIT_LETTERS)}"


def _placement_la(rng: random.Random, la: str) -> str:
    r = rng.random()
    if r < 0.55:
        return la
    d2n2 = [x for x in ("E06000015", "E10000007", "E06000018", "E10000024") if x != la]
    return rng.choice(d2n2) if r < 0.9 else rng.choice(["E06000016", "E08000025", "E08000003"])


def _eighteenth(dob: date) -> date:
    return date(dob.year + 18, dob.month, 28 if (dob.month, dob.day) == (2, 29) else dob.day)


class _Placement:
    def __init__(self, rng: random.Random, day: date, la: str, home: str | None) -> None:
        valid = codes_for(collection_year(day)).place
        kind = rng.choices(_KINDS, [k[0] for k in _KINDS])[0]
        self.place = rng.choice([c for c in kind[1] if c in valid])
        self.provider = _pick(rng, kind[2])
        registered = self.place in _REGISTERED or self.provider in {"PR4", "PR5"}
        self.urn = f"SC{rng.randint(100_000, 999_999)}" if registered else "XXXXXXX"
        if self.place == "P1" and home:
            self.pl_post: str | None = home
        else:
            self.pl_post = None if rng.random() < 0.04 else _postcode(rng, _placement_la(rng, la))

    def same_carer(self, rng: random.Random, day: date) -> "_Placement":
        """T or U: another placement with the same carer (the code may change)."""
        valid = codes_for(collection_year(day)).place
        kind = next(k for k in _KINDS if self.place in k[1])
        new = _Placement.__new__(_Placement)
        new.__dict__.update(self.__dict__)
        new.place = rng.choice([c for c in kind[1] if c in valid])
        return new


def _simulate(rng: random.Random, child: str, la: str, window: tuple[date, date]) -> SyntheticChild:
    horizon = window[1]
    span = (horizon - date(window[0].year - 6, 4, 1)).days
    day = horizon - timedelta(days=int(span * rng.random() ** 1.3) + 1)
    age = rng.choices(
        [0, rng.randint(1, 4), rng.randint(5, 9), rng.randint(10, 15), rng.randint(16, 17)],
        [15, 20, 20, 35, 10],
    )[0]
    dob = day - timedelta(days=365 * age + rng.randint(0, 364))
    eighteen = _eighteenth(dob)
    episodes: list[EpisodeRow] = []
    while day < min(horizon, eighteen):
        day = _period(rng, child, la, day, eighteen, horizon, episodes)
        if day >= horizon or rng.random() > 0.15:
            break
        day += timedelta(days=rng.randint(14, 600))
    sex = 1 if rng.random() < 0.55 else 2
    return SyntheticChild(child, sex, dob, _pick(rng, _ETHNIC), tuple(episodes))


def _period(
    rng: random.Random,
    child: str,
    la: str,
    day: date,
    eighteen: date,
    horizon: date,
    out: list[EpisodeRow],
) -> date:
    """One period of care from `day`; returns the day it ended (or the horizon)."""
    home = (
        None
        if rng.random() < 0.03
        else _postcode(rng, la if rng.random() < 0.85 else _placement_la(rng, la))
    )
    ls, cin, rne = _pick(rng, _FIRST_LS), _pick(rng, _CIN), "S"
    placement = _Placement(rng, day, la, home)
    while True:
        end = day + timedelta(days=max(1, int(rng.expovariate(1 / 220))))
        row = EpisodeRow(
            child,
            day,
            rne,
            ls,
            cin,
            placement.place,
            placement.provider,
            home_post=home,
            pl_post=placement.pl_post,
            urn=placement.urn,
        )
        at_18 = end >= eighteen and eighteen <= horizon
        if end > horizon and not at_18:
            out.append(row)
            return horizon
        if at_18 or rng.random() < 0.17:
            end = min(end, eighteen)
            rec = _pick(rng, _AT_18) if at_18 else _pick(rng, _LEAVE)
            rec = "E14" if ls.startswith("J") and rng.random() < 0.5 else rec
            out.append(replace(row, dec=end, rec=rec))
            return end
        rne = _pick(rng, _NEXT_RNE)
        if rne == "L" and placement.place not in codes_for(collection_year(end)).place:
            rne = "U"  # the placement's code was retired: recoded with the same carer
        rpc = _pick(rng, _RPC) if rne != "L" else None
        out.append(replace(row, dec=end, rec="X1", reason_place_change=rpc))
        day = end
        if rne in {"L", "B", "U"}:
            ls = rng.choice(_NEXT_LS.get(ls, ("V2", "C1")))
        if rne in {"P", "B"}:
            placement = _Placement(rng, day, la, home)
        elif rne in {"T", "U"}:
            placement = placement.same_carer(rng, day)
        if rne != "L" and rng.random() < 0.02:
            home = _postcode(rng, la)
        if rng.random() < 0.02:
            cin = _pick(rng, _CIN)
