"""Country lookup: ISO3 codes, names and aliases, case-insensitive, with suggestions; the one
display name of each country in sentences (`country_name`); the places that cannot be costed
(`uncostable_reason`) and the regions typed as a country (`region_hint`)."""

from __future__ import annotations

import difflib
import functools

from impact.bundled.io import read_bundled
from impact.bundled.regions import find_admin1, name_key, region_names
from impact.errors import InputError
from impact.text import normalise


def name_keys(countries) -> dict[str, str]:
    """Folded name, alias or code -> iso3, for the rows of a ``countries`` table (the first
    row that claims a name keeps it)."""
    keys: dict[str, str] = {}
    for row in countries.iter_rows(named=True):
        candidates = [row["iso3"], row.get("iso2"), row["name"], row.get("name_short"),
                      row.get("official_name")]
        candidates += (row.get("aliases") or "").split(";")
        for c in candidates:
            if c and c.strip():
                keys.setdefault(normalise(c), row["iso3"])
    return keys


#: display names where the World Bank's name is inverted ("Iran, Islamic Rep."), formal
#: ("Russian Federation") or unusual in English ("Naoero"): the common short name, as ISO 3166
#: and the press write it; every other country keeps the World Bank name (`country_name`)
DISPLAY_NAMES = {
    "BHS": "Bahamas", "BRN": "Brunei", "COD": "DR Congo", "COG": "Congo",
    "EGY": "Egypt", "FSM": "Micronesia", "GMB": "Gambia", "HKG": "Hong Kong",
    "IRN": "Iran", "KGZ": "Kyrgyzstan", "KOR": "South Korea", "LAO": "Laos",
    "MAC": "Macao", "MAF": "Saint Martin (French part)", "NRU": "Nauru",
    "PRI": "Puerto Rico", "PRK": "North Korea", "PSE": "Palestine", "RUS": "Russia",
    "SOM": "Somalia", "SVK": "Slovakia", "SXM": "Sint Maarten", "SYR": "Syria",
    "VEN": "Venezuela", "VIR": "US Virgin Islands", "VNM": "Vietnam", "YEM": "Yemen",
    "KNA": "Saint Kitts and Nevis", "LCA": "Saint Lucia",
    "VCT": "Saint Vincent and the Grenadines",
}

#: places people ask for that the bundled World Bank data cannot cost: the names and codes
#: they are typed as, and why (one sentence, the same on every surface)
UNCOSTABLE = {
    "TWN": ("Taiwan has no GDP or internet-user figures from the World Bank (it publishes "
            "no indicators for Taiwan), so it cannot be costed from the bundled data; "
            "costing it would need GDP from the IMF World Economic Outlook or Taiwan's "
            "DGBAS national accounts and internet users from TWNIC"),
}
_UNCOSTABLE_NAMES = {"TWN": ("twn", "tw", "taiwan", "taiwan province of china",
                             "republic of china", "chinese taipei", "taipei")}


@functools.cache
def _lookup() -> tuple[dict[str, str], dict[str, str]]:
    """(folded name or code -> iso3, iso3 -> display name)."""
    countries = read_bundled("countries")
    names = dict(countries.select("iso3", "name").iter_rows())
    return name_keys(countries), {i: DISPLAY_NAMES.get(i, n) for i, n in names.items()}


def uncostable_reason(value: str) -> str | None:
    """Why the place ``value`` (a name or code, any case) cannot be costed from the bundled
    data, as one sentence (`UNCOSTABLE`), or None for any other value.

    >>> uncostable_reason("Taiwan")[:53]
    'Taiwan has no GDP or internet-user figures from the W'
    >>> uncostable_reason("Pakistan") is None
    True
    """
    folded = normalise(value) if isinstance(value, str) else ""
    for iso3, names in _UNCOSTABLE_NAMES.items():
        if folded in {normalise(n) for n in names}:
            return UNCOSTABLE[iso3]
    return None


@functools.cache
def region_hint(value: str) -> list[tuple[str, str]]:
    """``(iso3, admin-1 name)`` of the bundled regions that ``value`` names (the whole name,
    a close spelling, or a word of a region's name such as "Kashmir" in "Jammu & Kashmir"),
    in the order of the countries' codes; empty when it names none.

    >>> region_hint("Kashmir")
    [('IND', 'Jammu & Kashmir')]
    """
    key = name_key(value) if isinstance(value, str) else ""
    if len(key) < 4:
        return []
    words = set(key.split())
    hits = []
    for iso3 in sorted(_lookup()[1]):
        names = region_names(iso3)
        if not names:
            continue
        found = find_admin1(iso3, value) or [n for n in names if words <= set(name_key(n).split())]
        hits += [(iso3, n) for n in found]
    return hits


def resolve_country(value: str) -> str:
    """Return the ISO 3166-1 alpha-3 code for a code, name or alias.

    Examples
    --------
    >>> resolve_country("pakistan")
    'PAK'
    >>> resolve_country("PAK")
    'PAK'
    """
    if not isinstance(value, str) or not value.strip():
        raise InputError("country", value, "give an ISO 3166 alpha-3 code such as PAK, "
                         "or a name such as Pakistan")
    keys, names = _lookup()
    folded = normalise(value)
    if folded in keys:
        return keys[folded]
    reason = uncostable_reason(value)
    if reason is not None:
        raise InputError("country", value, reason)
    regions = region_hint(value)
    if regions:
        uses = " or ".join(f'--country {iso3} --regions "{name}"' for iso3, name in regions[:3])
        raise InputError("country", value, f"{value.strip()} is a region, not a country: "
                         f"use {uses} (batch columns country and regions)")
    close = difflib.get_close_matches(folded, list(keys), n=8, cutoff=0.6)
    suggestions: list[str] = []
    for key in close:
        label = f"{names[keys[key]]} ({keys[key]})"
        if label not in suggestions:
            suggestions.append(label)
    hint = f"did you mean {', '.join(suggestions[:3])}? " if suggestions else ""
    raise InputError(
        "country", value,
        f"{hint}use an ISO 3166 alpha-3 code such as PAK, or a name such as Pakistan "
        "(`impact countries` lists all)",
    )


def country_name(iso3: str) -> str:
    """The display name of an ISO3 code in sentences, tables and files: the World Bank's
    name, or its common short form where that is inverted or formal (`DISPLAY_NAMES`).

    >>> country_name("IRN"), country_name("RUS"), country_name("PAK")
    ('Iran', 'Russia', 'Pakistan')
    """
    return _lookup()[1][iso3]


def world_bank_name(iso3: str) -> str:
    """The World Bank's name of an ISO3 code (``Iran, Islamic Rep.``), as in its tables.

    >>> world_bank_name("IRN")
    'Iran, Islamic Rep.'
    """
    return _world_bank_names()[iso3]


@functools.cache
def _world_bank_names() -> dict[str, str]:
    return dict(read_bundled("countries").select("iso3", "name").iter_rows())


@functools.cache
def _currency_codes() -> dict[str, str]:
    countries = read_bundled("countries")
    return {i: (c or "LCU") for i, c in zip(countries["iso3"].to_list(),
                                             countries["currency_code"].to_list(), strict=True)}


def currency_code(iso3: str) -> str:
    """ISO 4217 code of a country's currency (``LCU`` when unknown)."""
    return _currency_codes().get(iso3, "LCU")


@functools.cache
def _iso2_codes() -> dict[str, str]:
    frame = read_bundled("countries")
    return dict(frame.select("iso3", "iso2").drop_nulls().iter_rows())


def iso2_code(iso3: str) -> str | None:
    """ISO 3166 alpha-2 code of ``iso3`` (None when the table has none)."""
    return _iso2_codes().get(iso3)
