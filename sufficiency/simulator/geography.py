"""Places on the OS National Grid: towns, postcode districts, distances.

Coordinates are approximate town centres (metres); a point's LA is that of
the nearest town in the list, which is close enough for a demonstration.
Postcodes are synthetic: a real district of the town plus a random sector
and unit, so they look right and identify nobody.
"""

import math
import random
from dataclasses import dataclass

from sufficiency.simulator.calibration import DERBY, DERBYSHIRE, NOTTINGHAM, NOTTINGHAMSHIRE

METRES_PER_MILE = 1609.3
NEAR_MILES = 20.0
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # Royal Mail: no C, I, K, M, O, V in the unit


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    la: str
    easting: int
    northing: int
    weight: float  # relative population
    districts: tuple[str, ...]
    spread: float = 1800.0  # metres, standard deviation of homes around the centre


@dataclass(frozen=True, slots=True)
class Place:
    easting: int
    northing: int
    postcode: str
    la: str

    def grid(self) -> dict[str, int]:
        return {"easting": self.easting, "northing": self.northing}


def _t(
    name: str, la: str, e: int, n: int, w: float, *districts: str, spread: float = 1800.0
) -> Town:
    return Town(name, la, e, n, w, districts, spread)


TOWNS: tuple[Town, ...] = (
    _t(
        "Derby",
        DERBY,
        435_000,
        336_000,
        260,
        "DE1",
        "DE3",
        "DE21",
        "DE22",
        "DE23",
        "DE24",
        spread=3000.0,
    ),
    _t(
        "Nottingham",
        NOTTINGHAM,
        457_000,
        340_000,
        330,
        "NG1",
        "NG3",
        "NG5",
        "NG6",
        "NG7",
        "NG8",
        "NG11",
        spread=3000.0,
    ),
    # Derbyshire
    _t("Chesterfield", DERBYSHIRE, 438_500, 371_000, 88, "S40", "S41"),
    _t("Staveley", DERBYSHIRE, 443_500, 374_800, 18, "S43"),
    _t("Dronfield", DERBYSHIRE, 435_200, 378_400, 21, "S18"),
    _t("Bolsover", DERBYSHIRE, 447_500, 370_300, 12, "S44"),
    _t("Shirebrook", DERBYSHIRE, 452_600, 367_700, 13, "NG20"),
    _t("Clay Cross", DERBYSHIRE, 439_300, 363_600, 12, "S45"),
    _t("Alfreton", DERBYSHIRE, 441_400, 355_800, 26, "DE55"),
    _t("Ripley", DERBYSHIRE, 439_700, 350_600, 20, "DE5"),
    _t("Heanor", DERBYSHIRE, 443_400, 346_700, 22, "DE75"),
    _t("Ilkeston", DERBYSHIRE, 446_500, 341_900, 38, "DE7"),
    _t("Long Eaton", DERBYSHIRE, 449_000, 333_500, 38, "NG10"),
    _t("Belper", DERBYSHIRE, 434_700, 347_700, 21, "DE56"),
    _t("Matlock", DERBYSHIRE, 430_000, 360_300, 20, "DE4"),
    _t("Bakewell", DERBYSHIRE, 421_800, 368_500, 4, "DE45"),
    _t("Buxton", DERBYSHIRE, 405_800, 373_500, 22, "SK17"),
    _t("Glossop", DERBYSHIRE, 403_400, 393_900, 33, "SK13"),
    _t("New Mills", DERBYSHIRE, 400_200, 385_400, 12, "SK22"),
    _t("Chapel-en-le-Frith", DERBYSHIRE, 405_600, 380_700, 9, "SK23"),
    _t("Ashbourne", DERBYSHIRE, 417_800, 346_600, 9, "DE6"),
    _t("Swadlincote", DERBYSHIRE, 430_000, 319_500, 40, "DE11"),
    _t("Melbourne", DERBYSHIRE, 438_800, 325_100, 5, "DE73"),
    _t("Hilton", DERBYSHIRE, 424_700, 330_900, 9, "DE65"),
    # Nottinghamshire
    _t("Mansfield", NOTTINGHAMSHIRE, 453_700, 361_000, 80, "NG18", "NG19"),
    _t("Sutton-in-Ashfield", NOTTINGHAMSHIRE, 449_500, 359_000, 45, "NG17"),
    _t("Kirkby-in-Ashfield", NOTTINGHAMSHIRE, 449_800, 356_200, 26, "NG17"),
    _t("Hucknall", NOTTINGHAMSHIRE, 453_300, 349_100, 32, "NG15"),
    _t("Arnold", NOTTINGHAMSHIRE, 458_700, 345_600, 38, "NG5"),
    _t("Carlton", NOTTINGHAMSHIRE, 461_300, 341_400, 48, "NG4"),
    _t("West Bridgford", NOTTINGHAMSHIRE, 458_600, 337_200, 38, "NG2"),
    _t("Beeston", NOTTINGHAMSHIRE, 452_600, 336_600, 37, "NG9"),
    _t("Eastwood", NOTTINGHAMSHIRE, 446_600, 346_800, 18, "NG16"),
    _t("Worksop", NOTTINGHAMSHIRE, 458_500, 379_000, 44, "S80", "S81"),
    _t("Retford", NOTTINGHAMSHIRE, 470_600, 381_000, 22, "DN22"),
    _t("Newark", NOTTINGHAMSHIRE, 480_000, 353_800, 30, "NG24"),
    _t("Southwell", NOTTINGHAMSHIRE, 470_200, 353_800, 7, "NG25"),
    _t("Ollerton", NOTTINGHAMSHIRE, 465_600, 367_600, 10, "NG22"),
    _t("Bingham", NOTTINGHAMSHIRE, 470_400, 339_800, 10, "NG13"),
    _t("Keyworth", NOTTINGHAMSHIRE, 461_300, 330_900, 7, "NG12"),
    _t("Warsop", NOTTINGHAMSHIRE, 456_800, 368_000, 12, "NG20"),
    _t("Harworth", NOTTINGHAMSHIRE, 461_300, 391_400, 8, "DN11"),
    # Beyond D2N2 (where far placements are)
    _t(
        "Leicester",
        "E06000016",
        458_600,
        304_500,
        120,
        "LE1",
        "LE2",
        "LE3",
        "LE4",
        "LE5",
        spread=3000.0,
    ),
    _t("Loughborough", "E10000018", 453_800, 319_700, 30, "LE11"),
    _t("Coalville", "E10000018", 442_400, 313_900, 20, "LE67"),
    _t("Hinckley", "E10000018", 442_800, 293_900, 20, "LE10"),
    _t("Melton Mowbray", "E10000018", 475_300, 318_900, 15, "LE13"),
    _t("Burton upon Trent", "E10000028", 424_600, 323_100, 40, "DE13", "DE14"),
    _t("Uttoxeter", "E10000028", 409_300, 333_500, 10, "ST14"),
    _t("Stafford", "E10000028", 392_200, 323_000, 30, "ST16", "ST17"),
    _t("Leek", "E10000028", 398_500, 356_400, 12, "ST13"),
    _t("Tamworth", "E10000028", 420_700, 304_100, 30, "B77", "B79"),
    _t("Stoke-on-Trent", "E06000021", 388_000, 346_500, 100, "ST1", "ST3", "ST4", spread=3000.0),
    _t("Sheffield", "E08000039", 435_200, 387_200, 150, "S2", "S5", "S8", "S9", spread=3500.0),
    _t("Rotherham", "E08000018", 442_800, 392_600, 50, "S60", "S65"),
    _t("Barnsley", "E08000016", 434_400, 406_400, 50, "S70", "S71"),
    _t("Doncaster", "E08000017", 457_600, 403_100, 60, "DN1", "DN4"),
    _t("Lincoln", "E10000019", 497_600, 371_500, 50, "LN1", "LN2", "LN6"),
    _t("Gainsborough", "E10000019", 481_500, 389_900, 12, "DN21"),
    _t("Grantham", "E10000019", 491_400, 335_900, 25, "NG31"),
    _t("Boston", "E10000019", 532_800, 343_800, 20, "PE21"),
    _t("Stockport", "E08000007", 389_800, 390_200, 60, "SK1", "SK2", "SK3"),
    _t("Manchester", "E08000003", 384_000, 398_000, 120, "M9", "M11", "M13", "M14", spread=3500.0),
    _t("Macclesfield", "E06000049", 391_700, 373_700, 25, "SK10", "SK11"),
    _t("Birmingham", "E08000025", 407_000, 287_000, 150, "B10", "B11", "B23", spread=4000.0),
    _t("Coventry", "E08000026", 433_500, 279_200, 70, "CV1", "CV2", "CV6"),
    _t("Wolverhampton", "E08000031", 391_500, 298_700, 50, "WV1", "WV2", "WV4"),
    _t("Telford", "E06000020", 369_800, 309_500, 30, "TF1", "TF3"),
    _t("Leeds", "E08000035", 430_000, 433_500, 100, "LS8", "LS9", "LS11", spread=3500.0),
    _t("Wakefield", "E08000036", 433_500, 420_800, 40, "WF1", "WF2"),
    _t("Huddersfield", "E08000034", 414_400, 416_600, 40, "HD1", "HD2", "HD3"),
    _t("Bradford", "E08000032", 416_500, 433_000, 60, "BD3", "BD5", "BD8"),
    _t("Northampton", "E06000062", 475_500, 260_500, 50, "NN1", "NN3", "NN5"),
    _t("Kettering", "E06000061", 486_700, 278_500, 20, "NN15", "NN16"),
    _t("Peterborough", "E06000031", 519_000, 298_500, 50, "PE1", "PE2", "PE4"),
)

TOWNS_BY_LA: dict[str, tuple[Town, ...]] = {}
for _town in TOWNS:
    TOWNS_BY_LA[_town.la] = (*TOWNS_BY_LA.get(_town.la, ()), _town)


def miles(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Straight-line miles, rounded half-up to 0.1 mile (INDICATORS.md)."""
    raw = math.dist(a, b) / METRES_PER_MILE
    return math.floor(raw * 10 + 0.5) / 10


def is_near(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return miles(a, b) <= NEAR_MILES


def la_of(easting: float, northing: float) -> str:
    """The LA of the nearest listed town."""
    best = min(TOWNS, key=lambda t: (t.easting - easting) ** 2 + (t.northing - northing) ** 2)
    return best.la


def postcode(rng: random.Random, town: Town) -> str:
    district = rng.choice(town.districts)
    unit = rng.choice(_UNIT_LETTERS) + rng.choice(_UNIT_LETTERS)
    return f"{district} {rng.randint(1, 9)}{unit}"


def _nearest_town(easting: float, northing: float) -> Town:
    return min(TOWNS, key=lambda t: (t.easting - easting) ** 2 + (t.northing - northing) ** 2)


def place_in_town(rng: random.Random, town: Town, keep_la: bool = True) -> Place:
    """A point around a town centre (inside the town's LA when `keep_la`)."""
    for _ in range(20):
        e = town.easting + rng.gauss(0, town.spread)
        n = town.northing + rng.gauss(0, town.spread)
        if not keep_la or la_of(e, n) == town.la:
            break
    else:
        e, n = town.easting, town.northing
    near = _nearest_town(e, n)
    return Place(int(e), int(n), postcode(rng, near), near.la)


def place_in_la(rng: random.Random, la: str) -> Place:
    """A home inside an LA, towns weighted by population."""
    towns = TOWNS_BY_LA[la]
    town = rng.choices(towns, weights=[t.weight for t in towns])[0]
    return place_in_town(rng, town)


def place_by_distance(
    rng: random.Random, origin: tuple[int, int], near: bool, prefer_la: str | None = None
) -> Place:
    """A point within 20 miles of `origin` (near) or beyond it (far)."""
    towns = [
        t
        for t in TOWNS
        if (math.dist(origin, (t.easting, t.northing)) / METRES_PER_MILE <= 17.0) == near
    ]
    if near and prefer_la is not None:
        preferred = [t for t in towns if t.la == prefer_la]
        if preferred and rng.random() < 0.6:
            towns = preferred
    if not near:
        # most far placements are in the neighbouring counties, not across England
        weights = [
            t.weight / max(1.0, math.dist(origin, (t.easting, t.northing)) / 30_000) ** 2
            for t in towns
        ]
    else:
        weights = [t.weight for t in towns]
    for _ in range(10):
        town = rng.choices(towns, weights=weights)[0]
        p = place_in_town(rng, town, keep_la=False)
        if is_near(origin, (p.easting, p.northing)) == near:
            return p
    # fall back to a point on a ring round the origin
    radius = (rng.uniform(2, 15) if near else rng.uniform(24, 45)) * METRES_PER_MILE
    angle = rng.uniform(0, 2 * math.pi)
    e, n = origin[0] + radius * math.cos(angle), origin[1] + radius * math.sin(angle)
    town = _nearest_town(e, n)
    return Place(int(e), int(n), postcode(rng, town), town.la)
