"""Build time: ``data/regions.csv`` from the raw snapshot, and area-name matching.

Regional and city scope of a catalogued shutdown: which share of a country's people it
reached. `regions_table` writes ``data/regions.csv`` (``iso3, name, kind, parent,
population, reference_year, source``; kinds ``admin1``, ``state``, ``district``,
``township``, ``city``) from the raw subnational files; `event_share` gives the affected
share of each catalogue event (`impact.build.catalogue`). The run-time side (the index over
``regions.csv`` and a user's choice of regions) is `impact.bundled.regions`.

Matching an Access Now ``area_name`` (`match_areas`)
--------------------------------------------------
1. The text is whitespace-normalised; ``"X's Y"`` (``"Kachin's Hpakant"``) is read as
   ``"Y, X"``; it is split on commas, ``;``, ``/``, parentheses, ``" in "`` and
   ``" including "``.
2. Each piece is first tried whole (so ``"Jammu and Kashmir"`` stays one piece), then split
   on ``" and "`` / ``"&"``.
3. A piece is normalised (ASCII, lower case, ``&`` -> ``and``, punctuation dropped) and
   generic words are stripped (district, state, province, region, division, city, county,
   governorate, oblast, krai, republic, township, tehsil, zone, "of", "the" ... see
   `GENERIC_WORDS`).
4. The piece is looked up among the country's units: exact normalised name (or a hand alias
   in `ALIASES`) first, then `difflib` close match with cutoff `FUZZY_CUTOFF` (0.88).
   Within either step the coarser kind wins: admin-1/state, then district/township, then
   city. Where one name fits several units of that kind (two districts called Aurangabad),
   the one whose parent is also named in the text wins, else the most populous.
5. No double counting. A matched admin-1 unit that *contains* another matched unit (same
   ``parent``) is read as a qualifier when it comes after that unit in the text
   (``"Rohtak, Sonipat and Jhajjar (Haryana)"``, ``"Pulwama, Jammu and Kashmir"``): the
   smaller units count and the admin-1 unit does not. If it comes first (``"Punjab,
   including Lahore"``) the admin-1 unit counts and the units inside it are not added.
   A unit matched twice counts once.
6. share = sum over counted units of population / national population (WDI
   ``population`` of the unit's reference year, nearest earlier year if missing; for a
   GeoNames city, whose figure has no recorded year, the year asked for).

Ranges (`event_share`)
----------------------
- nationwide text: 1 [1, 1], method ``nationwide``.
- every piece matched: ``share`` [0.8 x share, min(1, 1.25 x share)], method
  ``regions_matched`` (any admin-1/state/district/township counted) or ``cities_matched``.
  The +-20/25 % is an assumed allowance for population growth since the reference year and
  for boundaries that do not coincide with the area actually cut off.
- some pieces matched, some not: as above but high = min(1, max(1.25 x share,
  share + the geo_scope category's central share)), since the unmatched places add an
  unknown amount (the category's central value, not its high: "five mandals, Asifabad
  District" or "all districts but two" are not a sixth of India).
- nothing matched: the geo_scope category value and range of `GEO_SCOPE_SHARES`
  (method ``geo_scope_category``, or ``unknown_scope_default`` when geo_scope is unknown).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl

from impact.bundled.io import read_bundled
from impact.bundled.regions import (
    ADMIN1_KINDS,
    ALIASES,
    KIND_RANK,
    REGION_COLUMNS,
    RegionIndex,
    Unit,
    bundled_population,
    name_key,
)
from impact.text import normalise

FUZZY_CUTOFF = 0.88
#: a kind word in a piece of area text -> the kinds it asks for
KIND_HINTS: dict[str, tuple[str, ...]] = {
    "city": ("city",), "town": ("city",), "district": ("district",),
    "township": ("township",), "state": ADMIN1_KINDS, "province": ADMIN1_KINDS,
    "region": ADMIN1_KINDS, "division": ADMIN1_KINDS, "oblast": ADMIN1_KINDS,
    "governorate": ADMIN1_KINDS,
}  # fmt: skip


@dataclass(frozen=True)
class ScopeShare:
    """Assumed share of the national population reached, by Access Now ``geo_scope``."""

    share: float
    low: float
    high: float
    rationale: str


#: Fallback shares [0-1] when no named area can be matched. Tuned on the matched events of
#: the catalogue (build printout, median matched share by geo_scope: one city 0.10 %,
#: several cities of one region 0.27 %, several regions 8 %; India's small districts
#: dominate those medians, so the central values sit above them and the ranges are wide).
GEO_SCOPE_SHARES: dict[str, ScopeShare] = {
    "one_city": ScopeShare(
        0.005, 0.0005, 0.05, "one city/county/village; matched one-city events median 0.10 %"
    ),
    "cities_one_region": ScopeShare(
        0.015, 0.002, 0.15, "several cities of one region; matched median 0.27 %, up to a region"
    ),
    "several_regions": ScopeShare(
        0.12, 0.03, 0.6, "several states/regions; matched median 8 %, wide tail"
    ),
    "unknown": ScopeShare(0.1, 0.001, 1.0, "scope not reported: anything from a village to all"),
}

#: ISO 3166-2:RU code -> English name (Rosstat lists subjects in Russian only)
RUS_NAMES: dict[str, str] = {
    "RU-AD": "Adygea", "RU-AL": "Altai Republic", "RU-ALT": "Altai Krai",
    "RU-AMU": "Amur Oblast", "RU-ARK": "Arkhangelsk Oblast", "RU-AST": "Astrakhan Oblast",
    "RU-BA": "Bashkortostan", "RU-BEL": "Belgorod Oblast", "RU-BRY": "Bryansk Oblast",
    "RU-BU": "Buryatia", "RU-CE": "Chechnya", "RU-CHE": "Chelyabinsk Oblast",
    "RU-CHU": "Chukotka", "RU-CU": "Chuvashia", "RU-DA": "Dagestan",
    "RU-IN": "Ingushetia", "RU-IRK": "Irkutsk Oblast", "RU-IVA": "Ivanovo Oblast",
    "RU-KAM": "Kamchatka Krai", "RU-KB": "Kabardino-Balkaria", "RU-KC": "Karachay-Cherkessia",
    "RU-KDA": "Krasnodar Krai", "RU-KEM": "Kemerovo Oblast",
    "RU-KGD": "Kaliningrad Oblast", "RU-KGN": "Kurgan Oblast", "RU-KHA": "Khabarovsk Krai",
    "RU-KHM": "Khanty-Mansi Autonomous Okrug", "RU-KIR": "Kirov Oblast",
    "RU-KK": "Khakassia", "RU-KL": "Kalmykia", "RU-KLU": "Kaluga Oblast",
    "RU-KO": "Komi Republic", "RU-KOS": "Kostroma Oblast", "RU-KR": "Karelia",
    "RU-KRS": "Kursk Oblast", "RU-KYA": "Krasnoyarsk Krai", "RU-LEN": "Leningrad Oblast",
    "RU-LIP": "Lipetsk Oblast", "RU-MAG": "Magadan Oblast", "RU-ME": "Mari El",
    "RU-MO": "Mordovia", "RU-MOS": "Moscow Oblast", "RU-MOW": "Moscow",
    "RU-MUR": "Murmansk Oblast", "RU-NEN": "Nenets Autonomous Okrug",
    "RU-NGR": "Novgorod Oblast", "RU-NIZ": "Nizhny Novgorod Oblast",
    "RU-NVS": "Novosibirsk Oblast", "RU-OMS": "Omsk Oblast", "RU-ORE": "Orenburg Oblast",
    "RU-ORL": "Oryol Oblast", "RU-PER": "Perm Krai", "RU-PNZ": "Penza Oblast",
    "RU-PRI": "Primorsky Krai", "RU-PSK": "Pskov Oblast", "RU-ROS": "Rostov Oblast",
    "RU-RYA": "Ryazan Oblast", "RU-SA": "Sakha (Yakutia)", "RU-SAK": "Sakhalin Oblast",
    "RU-SAM": "Samara Oblast", "RU-SAR": "Saratov Oblast", "RU-SE": "North Ossetia-Alania",
    "RU-SMO": "Smolensk Oblast", "RU-SPE": "Saint Petersburg", "RU-STA": "Stavropol Krai",
    "RU-SVE": "Sverdlovsk Oblast", "RU-TA": "Tatarstan", "RU-TAM": "Tambov Oblast",
    "RU-TOM": "Tomsk Oblast", "RU-TUL": "Tula Oblast", "RU-TVE": "Tver Oblast",
    "RU-TY": "Tuva (Tyva)", "RU-TYU": "Tyumen Oblast", "RU-UD": "Udmurtia",
    "RU-ULY": "Ulyanovsk Oblast", "RU-VGG": "Volgograd Oblast", "RU-VLA": "Vladimir Oblast",
    "RU-VLG": "Vologda Oblast", "RU-VOR": "Voronezh Oblast", "RU-YAN": "Yamalo-Nenets Autonomous Okrug",
    "RU-YAR": "Yaroslavl Oblast", "RU-YEV": "Jewish Autonomous Oblast", "RU-ZAB": "Zabaykalsky Krai",
}  # fmt: skip
#: Rosstat rows without an ISO helper (annexed Ukrainian territory, listed as Rosstat does)
RUS_NAMES_RU: dict[str, str] = {"Республика Крым": "Crimea", "Севастополь": "Sevastopol"}

SRC_COD = "OCHA/HDX COD-PS admin-1"
SRC_IND_PROJ = "NCP MoHFW, Population Projections 2011-2036 (2024 value)"
SRC_IND_CENSUS = "Census of India 2011, Table A-1"
SRC_MMR = "Department of Population, Myanmar 2014 Census (provisional), via MIMU"
SRC_RUS = "Rosstat, resident population 1 Jan 2020"
SRC_GEONAMES = "GeoNames cities15000"
IND_PROJECTION_YEAR = 2024



_NATIONWIDE = re.compile(
    r"\b(nation\s*-?\s*wide|national|whole\s+(of\s+the\s+)?country|country\s*-?\s*wide|"
    r"entire\s+country)\b",
    re.IGNORECASE,
)


def is_nationwide(text: str | None) -> bool:
    """True when the area text says nationwide / national / whole country / countrywide.

    Examples
    --------
    >>> is_nationwide("Nationwide except for HK SAR"), is_nationwide("Pulwama")
    (True, False)
    """
    return bool(text) and bool(_NATIONWIDE.search(text))


def split_area(text: str) -> list[list[str]]:
    """Split an area text into pieces; each piece is a list of alternatives to try in order:
    the whole piece first, then its parts split on ``and`` / ``&``.

    Examples
    --------
    >>> split_area("Rohtak, Sonipat and Jhajjar (Haryana)")
    [['Rohtak'], ['Sonipat and Jhajjar', 'Sonipat', 'Jhajjar'], ['Haryana']]
    >>> split_area("Kachin's Hpakant")
    [['Hpakant'], ['Kachin']]
    """
    text = " ".join(text.split())
    text = re.sub(r"(\w+)['\u2019]s\s+([^,;/()]+)", r"\2, \1", text)
    parts = re.split(r"[,;/()]|\bin\b|\bincluding\b|\bexcept\b", text)
    out = []
    for part in parts:
        part = re.sub(r"^\s*(and|&)\s+", "", part.strip()).strip(" .-:")
        if not part:
            continue
        subs = [s.strip(" .") for s in re.split(r"\s+and\s+|\s*&\s*", part)]
        subs = [s for s in subs if s]
        out.append([part] + subs if len(subs) > 1 else [part])
    return out



# ----------------------------------------------------------------------------- the index
@dataclass(frozen=True)
class AreaMatch:
    """Result of `match_areas`: units counted, units read as qualifiers, pieces not found,
    and the share [0-1] of the national population in the counted units."""

    iso3: str
    text: str
    units: tuple[Unit, ...]
    qualifiers: tuple[Unit, ...]
    unmatched: tuple[str, ...]
    share: float
    notes: tuple[str, ...] = field(default=())

    @property
    def matched_labels(self) -> str:
        return ";".join(u.label for u in self.units)


class AreaIndex(RegionIndex):
    """`RegionIndex` plus name lookup (normalised names, `ALIASES`, fuzzy matches).

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
        super().__init__(regions, national_population)
        self._keys: dict[str, dict[str, list[Unit]]] = {}
        for iso3 in self.countries():
            units = self.units(iso3)
            keys: dict[str, list[Unit]] = {}
            for u in units:
                keys.setdefault(name_key(u.name), []).append(u)
            by_name: dict[str, Unit] = {}
            for u in sorted(units, key=lambda u: (KIND_RANK[u.kind], -u.population)):
                by_name.setdefault(u.name, u)
            for alias, canonical in ALIASES.get(iso3, {}).items():
                if canonical in by_name:
                    keys.setdefault(name_key(alias), []).append(by_name[canonical])
            keys.pop("", None)
            self._keys[iso3] = keys

    def _candidates(self, iso3: str, key: str) -> list[Unit]:
        keys = self._keys.get(iso3, {})
        if key in keys:
            return keys[key]
        close = difflib.get_close_matches(key, list(keys), n=5, cutoff=FUZZY_CUTOFF)
        if not close:
            return []
        best_rank = min(KIND_RANK[u.kind] for c in close for u in keys[c])
        for c in close:  # best ratio first
            units = [u for u in keys[c] if KIND_RANK[u.kind] == best_rank]
            if units:
                return units
        return []

    def lookup(self, iso3: str, piece: str, context: str = "") -> Unit | None:
        """Best unit for one piece of area text (None if nothing fits).

        A kind word in the piece (``city``/``town``, ``district``, ``township``,
        ``state``/``province``/``region``/``division``) picks that kind when such a unit
        has the name; otherwise the coarsest kind wins.
        """
        key = name_key(piece)
        if not key:
            return None
        units = self._candidates(iso3, key)
        if not units:
            return None
        words = set(normalise(piece).split())
        for hint, kinds in KIND_HINTS.items():
            if hint in words and any(u.kind in kinds for u in units):
                units = [u for u in units if u.kind in kinds]
                break
        rank = min(KIND_RANK[u.kind] for u in units)
        units = [u for u in units if KIND_RANK[u.kind] == rank]
        if len(units) > 1:
            ctx = normalise(context)
            in_ctx = [u for u in units if u.parent and name_key(u.parent) in ctx]
            units = in_ctx or units
        return max(units, key=lambda u: (u.population, u.name))

    def match(self, iso3: str, text: str | None, year: int) -> AreaMatch:
        """See `match_areas`."""
        text = " ".join((text or "").split())
        found: list[tuple[int, Unit]] = []  # (position in text, unit)
        unmatched: list[str] = []
        unmatched_pos: set[int] = set()
        pieces = split_area(text)
        for pos, alternatives in enumerate(pieces):
            unit = self.lookup(iso3, alternatives[0], text)
            if unit is not None:
                found.append((pos, unit))
                continue
            if len(alternatives) == 1:
                if name_key(alternatives[0]):
                    unmatched.append(alternatives[0])
                    unmatched_pos.add(pos)
                continue
            for sub in alternatives[1:]:
                unit = self.lookup(iso3, sub, text)
                if unit is not None:
                    found.append((pos, unit))
                elif name_key(sub):
                    unmatched.append(sub)
                    unmatched_pos.add(pos)
        first_pos: dict[Unit, int] = {}
        for pos, unit in found:
            first_pos.setdefault(unit, pos)
        units = list(first_pos)
        admin1_pos = {p for p, u in found if u.kind in ADMIN1_KINDS}
        other_pos = sorted({p for p, _ in enumerate(pieces)} - admin1_pos)
        qualifiers = [
            u for u in units
            if u.kind in ADMIN1_KINDS
            and (
                any(
                    v.kind not in ADMIN1_KINDS and v.parent == u.name
                    and first_pos[v] <= first_pos[u]
                    for v in units
                )
                # "Sopore, Jammu and Kashmir": a region after an unmatched place names where
                # the place is, it is not the area cut off
                or any(p < first_pos[u] for p in other_pos if p in unmatched_pos)
            )
        ]  # fmt: skip
        kept_admin1 = {u.name for u in units if u.kind in ADMIN1_KINDS and u not in qualifiers}
        counted = [
            u for u in units
            if u not in qualifiers
            and (u.kind in ADMIN1_KINDS or (u.parent or "") not in kept_admin1)
        ]  # fmt: skip
        # a city inside a counted district of the same name is the same place
        districts = {(u.parent, name_key(u.name)) for u in counted if u.kind == "district"}
        counted = [
            u for u in counted
            if not (u.kind == "city" and (u.parent, name_key(u.name)) in districts)
        ]  # fmt: skip
        share = 0.0
        notes = []
        for u in counted:
            s = self.unit_share(u, year)
            if s is None:
                notes.append(f"no national population for {iso3}")
                continue
            share += s
        return AreaMatch(
            iso3, text, tuple(counted), tuple(qualifiers), tuple(unmatched),
            min(share, 1.0), tuple(notes),
        )  # fmt: skip


def population_lookup(indicators: pl.DataFrame) -> Callable[[str, int], float | None]:
    """``(iso3, year) -> WDI population`` of that year, else the nearest earlier, else the
    nearest later year (as `impact.bundled.indicators.lookup`), from an ``indicators`` frame."""
    pop = indicators.filter(pl.col("indicator") == "population").sort("iso3", "year")
    series: dict[str, list[tuple[int, float]]] = {}
    for iso3, year, value in pop.select("iso3", "year", "value").iter_rows():
        series.setdefault(iso3, []).append((int(year), float(value)))

    def lookup(iso3: str, year: int) -> float | None:
        s = series.get(iso3)
        if not s:
            return None
        earlier = [v for y, v in s if y <= year]
        return earlier[-1] if earlier else s[0][1]

    return lookup


@functools.cache
def default_index() -> AreaIndex:
    """The matching index over the bundled ``regions.csv`` and WDI population (cached)."""
    return AreaIndex(read_bundled("regions"), bundled_population)


# ----------------------------------------------------------------------------- public API
def match_areas(
    iso3: str, text: str | None, year: int = 2024, *, index: AreaIndex | None = None
) -> AreaMatch:
    """Match an Access Now ``area_name`` to sub-national units (see the module docstring).

    Parameters
    ----------
    iso3 : str
        Country code.
    text : str
        Area text, e.g. ``"Rohtak, Sonipat and Jhajjar (Haryana)"``.
    year : int
        Year for the national population of units without a reference year (cities).
    index : AreaIndex, optional
        Defaults to the bundled tables.
    """
    return (index or default_index()).match(iso3, text, year)


def event_share(
    iso3: str,
    area_names: str | None,
    geo_scope: str | None,
    nationwide: bool,
    year: int,
    *,
    index: AreaIndex | None = None,
) -> tuple[float, float, float, str, str, str]:
    """Affected share of the national population for one event.

    Returns
    -------
    tuple
        ``(share, low, high, method, matched, unmatched)``; shares [0-1]; ``matched`` is the
        ``;``-joined labels ``name (kind reference_year)`` of the units counted,
        ``unmatched`` the ``;``-joined pieces not found. See the module docstring.
    """
    if nationwide:
        return 1.0, 1.0, 1.0, "nationwide", "", ""
    scope = geo_scope if geo_scope in GEO_SCOPE_SHARES else "unknown"
    cat = GEO_SCOPE_SHARES[scope]
    m = match_areas(iso3, area_names, year, index=index)
    unmatched = ";".join(m.unmatched)
    if m.units and m.share > 0:
        s = m.share
        high = min(1.0, 1.25 * s)
        if m.unmatched:
            # the unmatched pieces add at most the category's central share (its high, up
            # to 60 % of a country, made a place or two worth a fifth of India)
            high = min(1.0, max(high, s + cat.share))
        method = "cities_matched" if all(u.kind == "city" for u in m.units) else "regions_matched"
        return s, 0.8 * s, high, method, m.matched_labels, unmatched
    method = "unknown_scope_default" if scope == "unknown" else "geo_scope_category"
    idx = index or default_index()
    cap = sum(idx.unit_share(u, year) or 0.0 for u in m.qualifiers) or 1.0
    within = ";".join(f"within {u.label}" for u in m.qualifiers)
    return (min(cat.share, cap), min(cat.low, cap), min(cat.high, cap), method, within, unmatched)


def unit_key(unit: Unit) -> str:
    """``kind/name_key(name)/name_key(parent)`` (empty parent for admin-1 units): a key of
    the unit that holds no ``|`` or ``=`` (`name_key` keeps only ``a-z``, ``0-9`` and spaces).

    >>> unit_key(Unit("IND", "Pulwama", "district", "Jammu & Kashmir", 5.6e5, 2011, "x"))
    'district/pulwama/jammu and kashmir'
    """
    return f"{unit.kind}/{name_key(unit.name)}/{name_key(unit.parent or '')}"


def event_units(
    iso3: str, area_names: str | None, year: int, *, index: AreaIndex | None = None
) -> str:
    """The units counted in an event's matched share as ``|``-joined ``unit_key=share``
    items (share of the national population, 6 significant figures; units without a
    national population are left out, as in the share). Empty when nothing matched."""
    idx = index or default_index()
    m = idx.match(iso3, area_names, year)
    items = []
    for u in m.units:
        s = idx.unit_share(u, year)
        if s is not None:
            items.append(f"{unit_key(u)}={float(f'{s:.6g}')!r}")
    return "|".join(items)


# ----------------------------------------------------------------------------- build
def _title(name: str) -> str:
    return name.title() if name.isupper() else name


def regions_table(
    cod: pl.DataFrame,
    ind_projection: pl.DataFrame,
    ind_census: pl.DataFrame,
    mmr_states: pl.DataFrame,
    mmr_townships: pl.DataFrame,
    rus: pl.DataFrame,
    cities: pl.DataFrame,
    iso3_keep: list[str] | None = None,
) -> pl.DataFrame:
    """Build ``regions.csv`` from the raw subnational files (see ``data/SOURCES.md``).

    Quirks handled: MDV's atoll rows are summed per P-code; NIC's two ``Las Minas`` rows get
    their P-code appended; TJK's blank P-codes are kept (names are the key); Myanmar states
    use the total including the non-enumerated estimate, townships and sub-townships are
    separate additive units; Russia keeps ``subject`` and ``subject_excl_autonomous_okrugs``
    rows (which sum to the national total); GeoNames city parents are mapped to the admin-1
    names used here where they match.
    """
    rows: list[dict] = []
    # COD-PS admin-1
    c = cod.with_columns(pl.col("adm1_pcode").fill_null(""))
    dup = c.group_by("iso3", "adm1_name").agg(pl.col("adm1_pcode").n_unique().alias("n"))
    c = c.join(dup, on=["iso3", "adm1_name"], how="left").with_columns(
        name=pl.when(pl.col("n") > 1)
        .then(pl.col("adm1_name") + " (" + pl.col("adm1_pcode") + ")")
        .otherwise(pl.col("adm1_name"))
    )
    c = c.group_by("iso3", "name", "adm1_pcode", "reference_year", "source").agg(
        pl.col("population").sum()
    )
    for r in c.iter_rows(named=True):
        rows.append({"iso3": r["iso3"], "name": r["name"], "kind": "admin1", "parent": None,
                         "population": r["population"], "reference_year": r["reference_year"],
                         "source": f"{SRC_COD}; {' '.join(r['source'].split())}"})  # fmt: skip
    # India states (projection) and districts (census 2011)
    proj = ind_projection.filter(pl.col("year") == IND_PROJECTION_YEAR, pl.col("state") != "India")
    states = proj["state"].to_list()
    for r in proj.iter_rows(named=True):
        rows.append({"iso3": "IND", "name": r["state"], "kind": "state", "parent": None,
                         "population": r["population"], "reference_year": IND_PROJECTION_YEAR,
                         "source": SRC_IND_PROJ})  # fmt: skip
    state_by_key = {name_key(s): s for s in states}
    state_by_key["nct delhi"] = "Delhi"
    dist = ind_census.filter(pl.col("level") == "district", pl.col("residence") == "Total")
    for r in dist.iter_rows(named=True):
        parent = state_by_key.get(name_key(r["state_name"]), _title(r["state_name"]))
        rows.append({"iso3": "IND", "name": _title(r["name"]), "kind": "district", "parent": parent,
                         "population": r["population"], "reference_year": 2011,
                         "source": SRC_IND_CENSUS})  # fmt: skip
    # Myanmar
    st = mmr_states.with_columns(
        name=pl.col("state_region").str.replace(r"\s*\(Total\)$", "").str.strip_chars("* ")
    )
    totals = st.filter(pl.col("row_type") == "total_incl_not_enumerated_estimate")
    enum = st.filter(
        pl.col("row_type") == "enumerated", ~pl.col("name").is_in(totals["name"].implode())
    )
    mmr_names = {}
    for r in pl.concat([totals, enum]).iter_rows(named=True):
        mmr_names[name_key(r["name"])] = r["name"]
        rows.append(
            {
                "iso3": "MMR",
                "name": r["name"],
                "kind": "state",
                "parent": None,
                "population": r["pop_total"],
                "reference_year": 2014,
                "source": SRC_MMR,
            }
        )
    for r in mmr_townships.filter(pl.col("unit_type") != "other").iter_rows(named=True):
        parent = mmr_names.get(name_key(r["state_region"]), _title(r["state_region"]))
        rows.append({"iso3": "MMR", "name": r["township"].strip("* "), "kind": "township",
                         "parent": parent, "population": r["pop_total"], "reference_year": 2014,
                         "source": SRC_MMR})  # fmt: skip
    # Russia
    subj = rus.filter(pl.col("row_type").is_in(["subject", "subject_excl_autonomous_okrugs"]))
    for r in subj.iter_rows(named=True):
        code = r["iso_3166_2_helper"]
        name = RUS_NAMES.get(code) if code else RUS_NAMES_RU.get(r["name_ru"])
        if name is None:
            raise ValueError(f"no English name for Rosstat row {r['name_ru']!r}")
        rows.append(
            {
                "iso3": "RUS",
                "name": name,
                "kind": "admin1",
                "parent": None,
                "population": r["population"],
                "reference_year": 2020,
                "source": SRC_RUS,
            }
        )
    admin1 = pl.DataFrame(rows, schema=_schema())
    # GeoNames cities, parent mapped to our admin-1 names where possible
    idx = AreaIndex(admin1.filter(pl.col("kind").is_in(ADMIN1_KINDS)), lambda *_: None)
    cities = cities.filter(pl.col("iso3_helper").is_not_null())
    if iso3_keep is not None:
        cities = cities.filter(pl.col("iso3_helper").is_in(iso3_keep))
    parent_map: dict[tuple[str, str], str] = {}
    for iso3, helper in cities.select("iso3_helper", "admin1_name_helper").unique().iter_rows():
        if helper is None:
            continue
        u = idx.lookup(iso3, helper)
        parent_map[(iso3, helper)] = u.name if u is not None else helper
    city_rows = [
        {"iso3": r["iso3_helper"], "name": r["name"], "kind": "city",
             "parent": parent_map.get((r["iso3_helper"], r["admin1_name_helper"])),
             "population": r["population"], "reference_year": None, "source": SRC_GEONAMES}
        for r in cities.iter_rows(named=True)
        if r["population"]
    ]  # fmt: skip
    out = pl.concat([admin1, pl.DataFrame(city_rows, schema=_schema())])
    if iso3_keep is not None:
        out = out.filter(pl.col("iso3").is_in(iso3_keep))
    out = out.with_columns(pl.col("name").str.strip_chars())
    return out.unique(maintain_order=True).sort(
        "iso3", pl.col("kind").replace_strict(KIND_RANK, return_dtype=pl.Int8), "name",
        "parent", "population", nulls_last=True,
    ).select(REGION_COLUMNS)  # fmt: skip


def _schema() -> Mapping[str, pl.DataType]:
    return {
        "iso3": pl.String, "name": pl.String, "kind": pl.String, "parent": pl.String,
        "population": pl.Int64, "reference_year": pl.Int64, "source": pl.String,
    }  # fmt: skip
