"""Sub-national regions: which share of a country's people a choice of regions holds.

``data/regions.csv`` lists sub-national units with a population (``iso3, name, kind, parent,
population, reference_year, source``; kinds ``admin1``, ``state``, ``district``,
``township``, ``city``). It is written at build time by `impact.build.areas.regions_table`
from the raw snapshot; at run time it is read through `impact.bundled.io.read_bundled`.

Run time needs only the index over that table (`RegionIndex`, `default_index`), the
admin-1 names of a country (`region_names`) and the population share of a user's choice of
regions (`region_share`). Matching free-text Access Now area names to units is build-time
work (`impact.build.areas`).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from impact.bundled.indicators import lookup
from impact.bundled.io import read_bundled
from impact.errors import BundledDataError, DataError, InputError
from impact.text import normalise

REGION_COLUMNS = ("iso3", "name", "kind", "parent", "population", "reference_year", "source")
ADMIN1_KINDS = ("admin1", "state")
KIND_RANK = {"admin1": 0, "state": 0, "district": 1, "township": 1, "city": 2}

#: words that name the kind of unit, not the unit (dropped before matching)
GENERIC_WORDS = frozenset(
    [
        "district",
        "districts",
        "state",
        "states",
        "province",
        "provinces",
        "region",
        "regions",
        "division",
        "divisions",
        "city",
        "cities",
        "county",
        "counties",
        "governorate",
        "governorates",
        "oblast",
        "krai",
        "republic",
        "township",
        "townships",
        "tehsil",
        "tehsils",
        "zone",
        "zones",
        "municipality",
        "municipalities",
        "prefecture",
        "department",
        "departments",
        "territory",
        "union",
        "capital",
        "of",
        "the",
        "in",
        "parts",
        "part",
        "some",
        "areas",
        "area",
        "town",
        "towns",
        "village",
        "villages",
        "sub",
        "subdivision",
        "subdivisions",
        "metropolitan",
        "metropolis",
        "municipal",
        "neighbourhood",
        "neighborhood",
    ]
)

#: hand aliases: iso3 -> {alias: canonical unit name} (names as in regions.csv)
ALIASES: dict[str, dict[str, str]] = {
    "PAK": {
        "Islamabad": "Federal Capital Territory",
        "Islamabad Capital Territory": "Federal Capital Territory",
        "ICT": "Federal Capital Territory",
        "KP": "Khyber Pakhtunkhwa",
        "KPK": "Khyber Pakhtunkhwa",
        "Baluchistan": "Balochistan",
    },
    "IND": {
        "J&K": "Jammu & Kashmir",
        "Jammu and Kashmir": "Jammu & Kashmir",
        "Orissa": "Odisha",
        "New Delhi": "Delhi",
        "NCT of Delhi": "Delhi",
        # 2011 census district spellings
        "Budgam": "Badgam",
        "Poonch": "Punch",
        "Shopian": "Shupiyan",
        "Baramulla": "Baramula",
        "Bandipora": "Bandipore",
    },
    "MMR": {
        "Naypyidaw": "Nay Pyi Taw",
        "Naypyitaw": "Nay Pyi Taw",
        "Rakhaing": "Rakhine",
        "Kalay": "Kale",
    },
    "RUS": {"St Petersburg": "Saint Petersburg", "Saint-Petersburg": "Saint Petersburg"},
}



# ----------------------------------------------------------------------------- text helpers
def name_key(text: str) -> str:
    """`normalise` then drop generic words and numbers (the lookup key of a place name).

    Examples
    --------
    >>> name_key("Rakhine State")
    'rakhine'
    >>> name_key("District of Pulwama")
    'pulwama'
    """
    words = [w for w in normalise(text).split() if w not in GENERIC_WORDS and not w.isdigit()]
    return " ".join(words)



# ----------------------------------------------------------------------------- the index
@dataclass(frozen=True)
class Unit:
    """One sub-national unit of ``regions.csv``."""

    iso3: str
    name: str
    kind: str
    parent: str | None
    population: float
    reference_year: int | None
    source: str

    @property
    def label(self) -> str:
        year = self.reference_year if self.reference_year is not None else "n.d."
        return f"{self.name} ({self.kind} {year})"



class RegionIndex:
    """The units of ``regions.csv`` by country plus a national-population function; a
    country's units are built the first time they are asked for.

    Parameters
    ----------
    regions : pl.DataFrame
        ``REGION_COLUMNS``.
    national_population : callable
        ``(iso3, year) -> population or None`` [persons].
    """

    def __init__(
        self,
        regions: pl.DataFrame,
        national_population: Callable[[str, int], float | None],
    ) -> None:
        self._pop = national_population
        self._rows = {key[0]: frame for key, frame in regions.select(REGION_COLUMNS)
                      .partition_by("iso3", as_dict=True, maintain_order=True).items()}
        self._units: dict[str, list[Unit]] = {}

    def countries(self) -> list[str]:
        """ISO3 codes with units, sorted."""
        return sorted(self._rows)

    def units(self, iso3: str) -> list[Unit]:
        if iso3 not in self._units:
            rows = self._rows.get(iso3)
            self._units[iso3] = [] if rows is None else [
                Unit(r["iso3"], r["name"], r["kind"], r["parent"], float(r["population"]),
                     r["reference_year"], r["source"])
                for r in rows.iter_rows(named=True)]
        return list(self._units[iso3])

    def national_population(self, iso3: str, year: int) -> float | None:
        return self._pop(iso3, year)

    def unit_share(self, unit: Unit, year: int) -> float | None:
        """Population of ``unit`` over the national population of its reference year
        (``year`` for units without one) [0-1]; None without a national figure."""
        pop = self._pop(unit.iso3, unit.reference_year or year)
        return None if not pop else unit.population / pop


def bundled_population(iso3: str, year: int) -> float | None:
    """WDI population [persons] of ``year`` (nearest year as `impact.bundled.indicators.lookup`),
    None when the country has none."""
    try:
        return lookup(iso3, "population", year).value
    except BundledDataError:  # a broken bundled file, not a missing value
        raise
    except DataError:
        return None


@functools.cache
def default_index() -> RegionIndex:
    """The index over the bundled ``regions.csv`` and WDI population (cached)."""
    return RegionIndex(read_bundled("regions"), bundled_population)


# ----------------------------------------------------------------------------- public API
@dataclass(frozen=True)
class RegionShare:
    """A user's choice of regions as a share of the national population [0-1]."""

    share: float
    low: float
    high: float
    detail: str
    matched: tuple[str, ...]
    unmatched: tuple[str, ...]


def region_names(iso3: str, *, index: RegionIndex | None = None) -> list[str]:
    """Admin-1 / state names of a country, sorted (empty if none are bundled)."""
    idx = index or default_index()
    return sorted(u.name for u in idx.units(iso3) if u.kind in ADMIN1_KINDS)


def admin1_keys(iso3: str, *, index: RegionIndex | None = None) -> dict[str, str]:
    """The admin-1 names of ``iso3`` and their `ALIASES`, by `name_key`: key -> the bundled
    name. The one table every admin-1 name is matched against."""
    accepted = region_names(iso3, index=index)
    keys = {name_key(n): n for n in accepted}
    for alias, canonical in ALIASES.get(iso3, {}).items():
        if canonical in accepted:
            keys.setdefault(name_key(alias), canonical)
    return keys


#: pieces of a free text that may each name a region ("Gwadar, Balochistan")
_PIECES = re.compile(r"[,;/()]|\band\b|&")


def find_admin1(iso3: str, text: str, *, cutoff: float = 0.88,
                index: RegionIndex | None = None) -> list[str]:
    """The admin-1 regions a free ``text`` names, in the country's order: the whole text, or
    else each of its pieces (split at , ; / ( ) "and" &), matched by `admin1_keys` exactly or
    as a close spelling (difflib ratio ≥ ``cutoff``). "Gwadar, Balochistan" -> Balochistan: a
    place inside a region names the region. Empty when it names none."""
    keys = admin1_keys(iso3, index=index)
    found: set[str] = set()
    for piece in [text, *_PIECES.split(text)]:
        key = name_key(piece)
        if not key:
            continue
        hit = keys.get(key)
        if hit is None:
            close = difflib.get_close_matches(key, list(keys), n=1, cutoff=cutoff)
            hit = keys[close[0]] if close else None
        if hit is not None:
            found.add(hit)
            if piece is text:
                break
    return [n for n in region_names(iso3, index=index) if n in found]


def region_share(
    iso3: str, names: list[str] | tuple[str, ...] | str, year: int,
    *, index: RegionIndex | None = None,
) -> RegionShare:  # fmt: skip
    """Share of the national population living in the chosen admin-1 regions.

    Names are matched exactly (case/space-insensitive) or through `ALIASES`; an unknown name
    raises `InputError` listing the accepted names and the closest ones. The range is
    [0.8 x share, min(1, 1.25 x share)] (reference-year and boundary allowance).
    """
    idx = index or default_index()
    if isinstance(names, str):
        names = [n for n in names.split(";") if n.strip()]
    accepted = region_names(iso3, index=idx)
    if not accepted:
        raise InputError("regions", iso3, "a country with bundled admin-1 populations")
    by_key = admin1_keys(iso3, index=idx)
    units = {u.name: u for u in idx.units(iso3) if u.kind in ADMIN1_KINDS}
    chosen: list[Unit] = []
    for name in names:
        canonical = by_key.get(name_key(name))
        if canonical is None:
            close = difflib.get_close_matches(name, accepted, n=3, cutoff=0.5)
            hint = f" (closest: {', '.join(close)})" if close else ""
            raise InputError("regions", name, f"one of {', '.join(accepted)}{hint}")
        if units[canonical] not in chosen:
            chosen.append(units[canonical])
    share = 0.0
    parts = []
    for u in chosen:
        s = idx.unit_share(u, year) or 0.0
        share += s
        parts.append(f"{u.name} {u.population:,.0f} ({u.reference_year}) = {s:.2%}")
    share = min(share, 1.0)
    return RegionShare(
        share, 0.8 * share, min(1.0, 1.25 * share), "; ".join(parts),
        tuple(u.name for u in chosen), (),
    )  # fmt: skip

