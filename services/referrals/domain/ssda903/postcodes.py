"""Postcodes to OS grid coordinates, through the operator's ONS Postcode Directory.

The directory is the ONS Postcode Directory (ONSPD) CSV, or any file with its
columns `pcds` (postcode with one space; `pcd` is accepted instead), `oseast1m`,
`osnrth1m` (OS National Grid metres) and `oslaua` (the local authority the
postcode lies in; the pseudo-codes ending 99999999 read as not known). Rows
without a usable grid reference are skipped. A full
ONSPD has about 2.7 million rows: pass `only` (the postcodes of the file being
imported) to keep just those in memory.
"""

import re
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from shared.events.common import GridRef

_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")
_LA_CODE = re.compile(r"^[EW]\d{8}$")
_MAX_EASTING = 800_000
_MAX_NORTHING = 1_400_000


def normalise_postcode(text: str | None) -> str | None:
    """'de221aa', ' DE22  1AA ' -> 'DE22 1AA'; None when it is not a full UK postcode."""
    if not text:
        return None
    compact = "".join(text.split()).upper()
    if not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


@dataclass(frozen=True, eq=False)
class PostcodeDirectory:
    """Normalised postcode -> (easting, northing, LA code or None)."""

    entries: Mapping[str, tuple[int, int, str | None]]
    _grid: dict[str, GridRef] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, str | None]], only: Collection[str] | None = None
    ) -> "PostcodeDirectory":
        wanted = None if only is None else {p for p in map(normalise_postcode, only) if p}
        entries: dict[str, tuple[int, int, str | None]] = {}
        for row in rows:
            postcode = normalise_postcode(row.get("pcds") or row.get("pcd"))
            if postcode is None or (wanted is not None and postcode not in wanted):
                continue
            grid = _grid_ref(row.get("oseast1m"), row.get("osnrth1m"))
            if grid is None:
                continue
            la = (row.get("oslaua") or "").strip().upper()
            known = _LA_CODE.match(la) and not la.endswith("99999999")  # ONS pseudo-codes: no LA
            entries[postcode] = (*grid, sys.intern(la) if known else None)
        return cls(entries)

    def lookup(self, postcode: str | None) -> tuple[GridRef, str | None] | None:
        """The postcode's grid reference and LA, or None when not in the directory."""
        key = normalise_postcode(postcode)
        entry = self.entries.get(key) if key else None
        if key is None or entry is None:
            return None
        grid = self._grid.get(key)
        if grid is None:
            grid = self._grid[key] = GridRef(easting=entry[0], northing=entry[1])
        return grid, entry[2]

    def __len__(self) -> int:
        return len(self.entries)


def _grid_ref(east: str | None, north: str | None) -> tuple[int, int] | None:
    try:
        e, n = int((east or "").strip()), int((north or "").strip())
    except ValueError:
        return None
    if not (0 < e <= _MAX_EASTING and 0 < n <= _MAX_NORTHING):
        return None
    return e, n
