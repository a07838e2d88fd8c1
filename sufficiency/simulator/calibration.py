"""Every figure the simulator is calibrated to, per LA, with where it comes from.

Seeds are the plain-text strategy documents in `shared/seeds/` (README.md):

- seed 000: Derby City sufficiency strategy 2025-28, Appendix 1 (31 March 2024)
- seed 001: Derbyshire sufficiency strategy 2025 (DfE 2023-24 figures and charts)
- seed 002: Derby City accommodation strategy update (2022)
- seed 003: Derbyshire sufficiency strategy 2017-21 (historical series, unit costs)
- seed 004: D2N2 market position statement (supply table at 31/03/2019)

Where a seed has no figure for an LA the value is an assumption, marked
ASSUMPTION with its reasoning; most are England averages quoted in seed 001.
Where a seed's printed figure disagrees with its own numerator and denominator
the figure is computed from them and the disagreement is noted (seeds README).

Shares are of children in care (CiC) at 31 March unless stated; a year in a
`*_by_year` mapping is the year of the 31 March (2024 = at 31/03/2024, or the
12 months to it).
"""

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

DERBY = "E06000015"
DERBYSHIRE = "E10000007"
NOTTINGHAM = "E06000018"
NOTTINGHAMSHIRE = "E10000024"
D2N2 = (DERBY, DERBYSHIRE, NOTTINGHAM, NOTTINGHAMSHIRE)

AGE_BANDS = ("under 1", "1-4", "5-9", "10-15", "16+")

# ---------------------------------------------------------------- England ---
# seed 001 App.1 charts, England at 31/03/2024 (DfE CLA 2023-24).
ENGLAND_AGE_STOCK = (0.044601, 0.129379, 0.179601, 0.375942, 0.270477)
ENGLAND_FOSTER = 0.674280  # "Foster placements" 67.4%
ENGLAND_OTHER = 0.045319  # "Other placements" 4.5%
ENGLAND_ADOPTION = 0.022839  # "Placed for adoption" 2.3%
ENGLAND_PARENTS = 0.063374  # "Placed with parents or other person with PR" 6.3%
ENGLAND_RESIDENTIAL = 0.103312  # "Secure homes and children's homes" 10.3%
ENGLAND_SUPPORTED = 0.074734  # "Independent and semi-independent / supported" 7.5%
ENGLAND_OWN_PROVISION = 0.429631  # provider chart: own provision 43.0%
ENGLAND_PRIVATE = 0.374387  # provider chart: private provision 37.4%
ENGLAND_WITHIN_20_MILES = 0.690781  # distance chart: placed 20 miles or less 69.1%
ENGLAND_UASC = 0.088246  # UASC share of CiC 2024: 8.8%
ENGLAND_UASC_ADMISSIONS = 0.219970  # UASC share of admissions 2024: 22.0%
ENGLAND_THREE_PLUS = 0.10  # seeds 000 and 001: national 10%
ENGLAND_MALE = 0.57  # seed 000 App.1 1.1.2: national 57% male
# seed 001 App.1 ethnicity chart: white, mixed, asian, black, other, refused
ENGLAND_ETHNIC = (0.709554, 0.106660, 0.052852, 0.074495, 0.046754, 0.009566)
# seed 001 App.1 chart: primary need of children starting care 2023-24 (England)
ENGLAND_NEED = {
    "N1": 0.560061,
    "N2": 0.017852,
    "N3": 0.021785,
    "N4": 0.073222,
    "N5": 0.095310,
    "N6": 0.016641,
    "N7": 0.0,
    "N8": 0.214523,
}
# seed 000 App.1 1.2.3 and 1.1.1: national starts 28 and CiC 71 per 10,000 aged 0-17.
ENGLAND_STARTS_PER_CIC = 28 / 71
# seed 001 App.1 chart "CiC at 31 March as a share of total population of children".
ENGLAND_CIC_SHARE_2019 = 0.0065
ENGLAND_CIC_SHARE_2024 = 0.0069699531

# ------------------------------------------------------------- assumptions ---
# ASSUMPTION: share of fostered children placed with relatives or friends
# (U1-U3, own LA kinship carers). Not in the seeds; England's published share
# is about a fifth. Seed 001 notes 71% of Derbyshire's 2023-24 approvals were
# kinship carers, so kinship matters, but gives no stock share.
KINSHIP_SHARE_OF_FOSTERING = 0.18
# ASSUMPTION: age of UASC at admission (seed 003: "for the most part, they are
# older and predominantly male"): 16-17 three in four, 14-15 one in four.
UASC_AGE_16_PLUS = 0.75
UASC_MALE = 0.92
# seed 003 2.3, Derbyshire 2016/17 discharges by duration of stay (of 263):
# <3m 72, 3-6m 31, 6m-1y 30, 1-3y 74, 3-5y 24, 5y+ 32. Used as the shape of
# the duration distribution (scaled per LA so that starts x mean stay = CiC).
DURATION_BANDS_YEARS = ((0.0, 0.25), (0.25, 0.5), (0.5, 1.0), (1.0, 3.0), (3.0, 5.0), (5.0, 14.0))
DURATION_WEIGHTS = (72, 31, 30, 74, 24, 32)
# seed 003 3.5 (A1 indicator): days from entering care to moving in with the
# adoptive family, 3-year average 530-611 days; DfE target 426.
ADOPTION_PLACEMENT_DAYS = (420, 640)
# seed 001 Initiative 2: share of externally commissioned placements made via
# the D2N2 framework (Derbyshire, December 2024); used for every LA.
FRAMEWORK_SHARE_EXTERNAL_FOSTER = 0.80
FRAMEWORK_SHARE_EXTERNAL_RESIDENTIAL = 0.35
# ASSUMPTION: share of external supported accommodation bought through the
# D2N2 supported accommodation framework (seed 000 5.4: Derby led it).
FRAMEWORK_SHARE_EXTERNAL_SUPPORTED = 0.5


@dataclass(frozen=True)
class WeeklyCosts:
    """GBP per week by provision. seed 001 Executive Summary (Derbyshire,
    March 2025); used for every D2N2 LA (ASSUMPTION: the other seeds give no
    weekly costs, and the four buy through one framework)."""

    external_residential: float = 7326.0  # seed 001: external residential £7,326
    own_residential: float = 3770.0  # seed 001: internal mainstream residential £3,770
    external_fostering: float = 974.0  # seed 001: external (IFA) fostering £974
    own_fostering: float = 634.0  # seed 001: internal fostering £634
    # seed 003 4: 2016/17 supported accommodation: spot purchase (mainly under
    # 18) £56,000 a year, block SAFE flats under 18 £24,913 a year, uplifted by
    # the seeds' own agency fostering change £44,000/yr (2016/17, seed 003) ->
    # £974/wk (2025, seed 001) = x1.154.
    external_supported: float = round(56_000 / 52 * 974 / (44_000 / 52), 0)
    own_supported: float = round(24_913 / 52 * 974 / (44_000 / 52), 0)
    # ASSUMPTION: kinship carers are paid like internal foster carers.
    kinship: float = 634.0
    # ASSUMPTION: a secure children's home at the external residential rate.
    secure: float = 7326.0
    # ASSUMPTION: a parent-and-child unit (R3) at the internal residential rate.
    parent_and_child: float = 3770.0


COSTS = WeeklyCosts()


@dataclass(frozen=True)
class SlotMix:
    """Shares of CiC by placement slot (category x own/external). The
    simulator normalises them to sum to 1."""

    foster_kin: float  # U1-U3, own LA kinship carers (PR1)
    foster_own: float  # U4-U6 with the LA's own foster carers (PR1)
    foster_ext: float  # U4-U6 with independent fostering agencies (PR4/PR5)
    res_own: float  # K2 in the LA's own children's homes (PR1)
    res_ext: float  # K2, S1, K1, R1 bought in (PR4, PR2 for secure)
    supp_own: float  # H5/P2, K3 from 2025-26, own provision
    supp_ext: float  # H5/P2, K3 from 2025-26, bought in
    adoption: float  # A3-A6
    parents: float  # P1 (PR0)
    other: float  # R2, R3, R5

    def normalised(self) -> dict[str, float]:
        raw = {k: float(getattr(self, k)) for k in self.__dataclass_fields__}
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()}


@dataclass(frozen=True)
class Supply2019:
    """seed 004 "Current Supply", placements at 31/03/2019 by provision."""

    internal_foster: int
    independent_foster: int
    internal_homes: int
    block_homes: int
    independent_homes: int


@dataclass(frozen=True)
class OwnSupply:
    """The LA's own homes (foster households and children's homes)."""

    foster_places_per_household: float
    foster_occupancy: float
    homes: int | None  # own children's homes; None = derive from the mix
    home_places: int | None
    home_occupancy: float
    disability_homes: int = 0


@dataclass(frozen=True)
class LaCalibration:
    code: str
    name: str
    centre: tuple[int, int]  # OS grid, for display and UASC placements
    population_0_17: int
    reference_year: int  # year of the 31 March the shares describe
    cic_by_year: Mapping[int, int]
    starts_by_year: Mapping[int, int]
    age_stock: tuple[float, ...]  # AGE_BANDS shares at 31 March
    age_admissions: tuple[float, ...]
    male: float
    ethnic: tuple[float, ...]  # white, mixed, asian, black, other, refused
    need: Mapping[str, float]  # CIN at admission
    uasc: float
    uasc_admissions: float  # starting point; the share of CiC is the target
    within_20_miles: float
    three_plus: float
    mix: SlotMix
    own_provision: float  # published, for the check table
    private_provision: float
    ifa_voluntary: float  # share of IFA placements with voluntary agencies
    block_share_ext_residential: float
    own_supply: OwnSupply
    supply_2019: Supply2019
    # seed 001 App.1 (Derbyshire 2023-24 admissions): s20 318 of 485, interim
    # care orders 155 of 485; the rest police protection, EPO or remand.
    # ASSUMPTION: the same for the other three LAs (no figure in the seeds).
    ls_admissions: Mapping[str, float] = field(
        default_factory=lambda: {
            "V2": 318 / 485,
            "C1": 155 / 485,
            "L1": 0.010,
            "L2": 0.007,
            "J2": 0.005,
            "C2": 0.002,
        }
    )
    notes: tuple[str, ...] = ()

    def cic_target(self, year: float) -> float:
        return _interpolate(self.cic_by_year, year)

    def starts_target(self, year: float) -> float:
        return _interpolate(self.starts_by_year, year)

    @property
    def cic(self) -> int:
        return self.cic_by_year[self.reference_year]

    @property
    def starts(self) -> int:
        return self.starts_by_year[self.reference_year]

    def published(self, year: int, series: Mapping[int, int]) -> tuple[float, str]:
        """A series value and whether it was published or carried/interpolated."""
        if year in series:
            return float(series[year]), "published"
        return _interpolate(series, year), "interpolated"


def _interpolate(series: Mapping[int, int], year: float) -> float:
    years = sorted(series)
    if year <= years[0]:
        return float(series[years[0]])
    if year >= years[-1]:
        return float(series[years[-1]])
    for lo, hi in itertools.pairwise(years):
        if lo <= year <= hi:
            frac = (year - lo) / (hi - lo)
            return series[lo] + frac * (series[hi] - series[lo])
    raise AssertionError(year)


def _age_shares(*counts: float) -> tuple[float, ...]:
    total = sum(counts)
    return tuple(c / total for c in counts)


# Derbyshire admissions by age 2023-24, derived from seed 001 App.1 chart "5 year
# % change in numbers of admissions by age group (2019-2024)": -7/81, -10/83,
# +11/75, +55/79, +61/57 are the only small-integer fits, and 81+83+75+79+57 =
# 375 (+29.33% -> 485, the total the chart prints). Hence 2024: 74, 73, 86, 134,
# 118; the text confirms 118 admissions aged 16+ and 241 abuse/neglect = 49.69%.
# ASSUMPTION: the other three LAs share this profile (no figure in the seeds).
ADMISSIONS_AGE = _age_shares(74, 73, 86, 134, 118)


def _ethnic_with_england_tail(white: float, mixed: float, asian: float) -> tuple[float, ...]:
    """The remainder after the printed groups, split as England's black/other/refused."""
    rest = 1.0 - white - mixed - asian
    tail = ENGLAND_ETHNIC[3:]
    return (white, mixed, asian, *(rest * t / sum(tail) for t in tail))


# ------------------------------------------------------------------ Derby ---
_DBY_CIC = 598  # seed 000 2.2 / App.1: 598 CiC at 31/03/2024
_DBY_FOSTER = 426 / 598  # seed 000 App.1 1.2: 426 in foster placements (71.2%)
_DBY_RES_SUPP = 0.177  # seed 000 App.1 1.2: secure units, children's homes and hostels 17.7%
# seed 002 4.7-4.8: Sept 2022, 57 in residential homes (16 internal, 41
# external) of about 623 CiC: residential 9.15%; the rest of the 17.7% is
# semi-independent / supported accommodation.
_DBY_RES = 57 / 623
_DBY_OWN = 176 / 598  # seed 000 App.1 1.2.1: 176 own provision (29.4%)
_DBY_IFA = 0.629  # seed 000 App.1: 62.9% of foster placements with IFAs
_DBY_RES_OWN = 0.279  # seed 000 App.1: 27.9% of residential is Derby's own
_dby_kin = KINSHIP_SHARE_OF_FOSTERING * _DBY_FOSTER
_dby_supp_own = _DBY_OWN - _DBY_FOSTER * (1 - _DBY_IFA) - _DBY_RES * _DBY_RES_OWN

DERBY_CAL = LaCalibration(
    code=DERBY,
    name="Derby",
    centre=(435_000, 336_000),
    # seed 000 2: 60,100 children and young people under 18 (ONS 2023). Note:
    # 598 / 60,100 = 99.5 per 10,000 where the seed prints 101.
    population_0_17=60_100,
    reference_year=2024,
    # 2024 seed 000; 2023 = 598 + 22 (seed 000 2.2: "a reduction of 22
    # children ... 3.5%"); 2021 = rate 108 per 10,000 in 2020-21 (seed 000
    # App.1 1.1.1) x 60,100 (2023 population, ASSUMPTION for 2021).
    cic_by_year={2021: 649, 2023: 620, 2024: _DBY_CIC},
    # seed 000 App.1 1.2.3: 226 started in 2023-24, "an increase of seven".
    starts_by_year={2023: 219, 2024: 226},
    # seed 000 App.1 1.1.3: 32 under 1, 91 aged 1-4, 106 aged 5-9, 219 aged 10-15, 150 aged 16+.
    age_stock=_age_shares(32, 91, 106, 219, 150),
    age_admissions=ADMISSIONS_AGE,
    male=330 / 598,  # seed 000 App.1 1.1.2: 330 male, 268 female
    # seed 000 App.1 1.1.4: white 65.6%, mixed 18.1%, Asian 7.9%; remainder split as England.
    ethnic=_ethnic_with_england_tail(0.656, 0.181, 0.079),
    need=ENGLAND_NEED,  # ASSUMPTION: England (no Derby figure in the seeds)
    uasc=48 / 598,  # seed 000 App.1 1.2.3: 48 UASC in care at 31/03/2024
    uasc_admissions=ENGLAND_UASC_ADMISSIONS,  # starting point only (England)
    # seed 000 App.1 1.2.1: "382 children were placed within 20 miles (60.4%)";
    # 382 / 598 = 63.9%, which is used (the seed's percentage disagrees).
    within_20_miles=382 / 598,
    three_plus=57 / 598,  # seed 000 App.1 1.2.2: 57 had three or more placements (9.5%)
    mix=SlotMix(
        foster_kin=_dby_kin,
        foster_own=_DBY_FOSTER * (1 - _DBY_IFA) - _dby_kin,
        foster_ext=_DBY_FOSTER * _DBY_IFA,
        res_own=_DBY_RES * _DBY_RES_OWN,
        res_ext=_DBY_RES * (1 - _DBY_RES_OWN),
        supp_own=_dby_supp_own,  # own provision not in foster or residential
        supp_ext=_DBY_RES_SUPP - _DBY_RES - _dby_supp_own,
        adoption=0.027,  # seed 000 App.1 1.2.1: 2.7% placed for adoption
        parents=0.037,  # seed 000 App.1 1.2.1: 3.7% placed with parents
        other=1 - _DBY_FOSTER - _DBY_RES_SUPP - 0.027 - 0.037,
    ),
    own_provision=_DBY_OWN,
    private_provision=0.533,  # seed 000 App.1 1.2.1: private provision 53.3%
    # private 53.3% against 59.5% bought in: the rest voluntary IFAs (derived).
    ifa_voluntary=0.138,
    block_share_ext_residential=0.0,  # seed 004: Derby block-contract homes N/A
    own_supply=OwnSupply(
        foster_places_per_household=1.3,  # ASSUMPTION (seed 001 Derbyshire: 1.24)
        foster_occupancy=0.80,  # seeds 000/002 aim: maximise occupancy, 80%
        homes=None,
        home_places=None,
        home_occupancy=0.80,
    ),
    supply_2019=Supply2019(108, 290, 22, 0, 28),  # seed 004 Derby City row
    notes=(
        "within 20 miles: 382/598 = 63.9% used; seed 000 prints 60.4%",
        "rate per 10,000: 598/60,100 = 99.5; seed 000 prints 101",
    ),
)

# ------------------------------------------------------------- Derbyshire ---
_DCC_FOSTER = 0.623463  # seed 001 App.1 chart: foster placements 62.3% (659 children)
# seed 001 App.1 chart "CiC at 31 March as a share of total population of
# children", 2024: 0.006841955 -> population = 1057 / 0.006841955 = 154,488.
_DCC_POP = 154_490
DERBYSHIRE_CAL = LaCalibration(
    code=DERBYSHIRE,
    name="Derbyshire",
    centre=(435_000, 360_000),
    population_0_17=_DCC_POP,
    reference_year=2024,
    # seed 001: 802 (2019), 995 (2023), 1057 (2024), 1024 (2025 provisional);
    # 2020-2022 = chart shares 0.0055813, 0.0058091, 0.0059968 x 154,490.
    cic_by_year={2019: 802, 2020: 862, 2021: 897, 2022: 926, 2023: 995, 2024: 1057, 2025: 1024},
    # 2024: 485 and 2019: 375 (derived, see ADMISSIONS_AGE); 2017: 307 (seed 003 2.3).
    starts_by_year={2017: 307, 2019: 375, 2024: 485},
    # seed 001 App.1 chart "children in care by age group", 2024.
    age_stock=(0.056764, 0.121097, 0.180700, 0.381268, 0.260170),
    age_admissions=ADMISSIONS_AGE,
    male=0.57,  # seed 001 App.1: 57% male
    # seed 001 App.1 chart: white 83.3%, mixed 5.3%, Asian 4.8%, black 3.5%;
    # "other" and "refused" suppressed: the remaining 3.0% put in "other".
    ethnic=(0.833491, 0.052980, 0.048250, 0.035005, 0.030274, 0.0),
    # seed 001 App.1 chart: primary need of children starting 2023-24.
    need={
        "N1": 0.496907,
        "N2": 0.051546,
        "N3": 0.086598,
        "N4": 0.105155,
        "N5": 0.078351,
        "N6": 0.018557,
        "N7": 0.0,
        "N8": 0.162887,
    },
    uasc=0.087985,  # seed 001 App.1 chart: UASC 8.8% of CiC, 2024
    uasc_admissions=0.158763,  # seed 001 App.1 chart: 15.9% of admissions, 2024
    within_20_miles=0.614002,  # seed 001 App.1 chart: 61.4% (29.8% further, 8.8% not known)
    three_plus=0.09,  # seed 001 stability table: 9% in 2024
    mix=SlotMix(
        # seed 001 App.1 charts, 2024: DCC fostering 36.7%, agency fostering
        # 25.6%, DCC residential 3.2%, agency residential 12.3%, supported
        # accommodation 8.3%, adoption 2.2%, with parents 6.4%, other 4.7%.
        foster_kin=KINSHIP_SHARE_OF_FOSTERING * _DCC_FOSTER,
        foster_own=0.367077 - KINSHIP_SHARE_OF_FOSTERING * _DCC_FOSTER,
        foster_ext=0.256386,
        res_own=0.032167,
        res_ext=0.122990,
        supp_own=0.0,  # own provision 39.9% = DCC fostering + DCC residential
        supp_ext=0.083254,
        adoption=0.021760,
        parents=0.064333,
        other=0.047304,
    ),
    own_provision=0.399243,  # seed 001 provider chart: own provision 39.9%
    private_provision=0.405866,  # seed 001 provider chart: private 40.6%
    # voluntary 5.8% (provider chart) of agency fostering 25.6%.
    ifa_voluntary=0.057711 / 0.256386,
    block_share_ext_residential=0.0,  # seed 004: Derbyshire block-contract homes N/A
    own_supply=OwnSupply(
        # seed 001: 230 carers supporting 308 children (April 2024); 262
        # fostering households (2024); utilisation 95% (March 2025) -> 324
        # places in 262 households = 1.24 each.
        foster_places_per_household=324 / 262,
        foster_occupancy=0.95,
        # seed 001: 12 internal children's homes, 4 for disabled children,
        # "support up to 47 children at any one time".
        homes=12,
        home_places=47,
        home_occupancy=0.80,
        disability_homes=4,
    ),
    supply_2019=Supply2019(379, 216, 34, 0, 78),  # seed 004 Derbyshire row
    notes=("placement mix normalised: the seed's shares sum to 99.5%",),
)

# ------------------------------------------------- Nottingham, Nottinghamshire
# Neither has a 2024 figure in the seeds. ASSUMPTION, derived from seeds 001
# and 004: D2N2 had 2,877 CiC at 31/03/2019 (seed 004), Derbyshire 802 (seed
# 001); the other 2,075 are split as seed 004's supply table totals (Derby 448,
# Nottingham 541, Nottinghamshire 770): Nottingham 638, Nottinghamshire 908 in
# 2019; then grown to 2024 as England's CiC share of children grew (seed 001
# chart: 0.0065 -> 0.00697, x1.0723): Nottingham 684, Nottinghamshire 974.
_GROWTH_2019_2024 = ENGLAND_CIC_SHARE_2024 / ENGLAND_CIC_SHARE_2019
_NTM_2019 = round((2877 - 802) * 541 / (448 + 541 + 770))
_NTS_2019 = round((2877 - 802) * 770 / (448 + 541 + 770))
_NTM_2024 = round(_NTM_2019 * _GROWTH_2019_2024)
_NTS_2024 = round(_NTS_2019 * _GROWTH_2019_2024)


def _england_mix(own_foster: float, own_res: float, own_supp: float) -> SlotMix:
    """England's 2024 placement mix (seed 001) split own/external as given."""
    kin = KINSHIP_SHARE_OF_FOSTERING * ENGLAND_FOSTER
    return SlotMix(
        foster_kin=kin,
        foster_own=ENGLAND_FOSTER * own_foster - kin,
        foster_ext=ENGLAND_FOSTER * (1 - own_foster),
        res_own=ENGLAND_RESIDENTIAL * own_res,
        res_ext=ENGLAND_RESIDENTIAL * (1 - own_res),
        supp_own=ENGLAND_SUPPORTED * own_supp,
        supp_ext=ENGLAND_SUPPORTED * (1 - own_supp),
        adoption=ENGLAND_ADOPTION,
        parents=ENGLAND_PARENTS,
        other=ENGLAND_OTHER,
    )


# ASSUMPTION: a quarter of supported accommodation is the LA's own (no figure).
_OWN_SUPPORTED = 0.25
_ENGLAND_NOTE = (
    "CiC derived from seed 004 (2019) grown at England's rate; starts = "
    "CiC x England starts/CiC (28/71, seed 000); shares are England "
    "averages (seed 001) except own/external splits (seed 004)"
)


def _england_shaped(
    code: str,
    name: str,
    centre: tuple[int, int],
    population_0_17: int,
    cic_by_year: dict[int, int],
    supply: Supply2019,
) -> LaCalibration:
    """An LA with no published profile of its own (seed 004 gives only its CiC
    and its 2019 places): England's shares, its own/external splits from
    `supply` (internal foster vs independent; internal homes vs block and
    independent)."""
    cic_2024 = cic_by_year[2024]
    external_residential = supply.block_homes + supply.independent_homes
    return LaCalibration(
        code=code,
        name=name,
        centre=centre,
        population_0_17=population_0_17,
        reference_year=2024,
        cic_by_year=cic_by_year,
        starts_by_year={2024: round(cic_2024 * ENGLAND_STARTS_PER_CIC)},
        age_stock=ENGLAND_AGE_STOCK,
        age_admissions=ADMISSIONS_AGE,
        male=ENGLAND_MALE,
        ethnic=ENGLAND_ETHNIC,
        need=ENGLAND_NEED,
        uasc=ENGLAND_UASC,
        uasc_admissions=ENGLAND_UASC_ADMISSIONS,
        within_20_miles=ENGLAND_WITHIN_20_MILES,
        three_plus=ENGLAND_THREE_PLUS,
        mix=_england_mix(
            supply.internal_foster / (supply.internal_foster + supply.independent_foster),
            supply.internal_homes / (supply.internal_homes + external_residential),
            _OWN_SUPPORTED,
        ),
        own_provision=ENGLAND_OWN_PROVISION,
        private_provision=ENGLAND_PRIVATE,
        ifa_voluntary=0.20,  # ASSUMPTION: England voluntary 7.5% of CiC, about a fifth of IFA
        block_share_ext_residential=supply.block_homes / external_residential,  # seed 004
        own_supply=OwnSupply(
            foster_places_per_household=1.3,
            foster_occupancy=0.85,
            homes=None,
            home_places=None,
            home_occupancy=0.80,
        ),
        supply_2019=supply,
        notes=(_ENGLAND_NOTE,),
    )


# ASSUMPTION: populations are ONS mid-year estimates, approximately.
# seed 004 Nottingham City: internal foster 237 vs independent 217;
# internal homes 30 vs block 12 + independent 48.
NOTTINGHAM_CAL = _england_shaped(
    NOTTINGHAM,
    "Nottingham",
    (457_000, 340_000),
    67_000,
    {2019: _NTM_2019, 2024: _NTM_2024},
    Supply2019(237, 217, 30, 12, 48),
)
# seed 004 Nottinghamshire: internal foster 404 vs independent 254;
# internal homes 17 vs block 28 + independent 67.
NOTTINGHAMSHIRE_CAL = _england_shaped(
    NOTTINGHAMSHIRE,
    "Nottinghamshire",
    (462_000, 358_000),
    172_000,
    {2019: _NTS_2019, 2024: _NTS_2024},
    Supply2019(404, 254, 17, 28, 67),
)

CALIBRATIONS: dict[str, LaCalibration] = {
    c.code: c for c in (DERBY_CAL, DERBYSHIRE_CAL, NOTTINGHAM_CAL, NOTTINGHAMSHIRE_CAL)
}
