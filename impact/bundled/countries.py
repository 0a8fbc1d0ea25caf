"""Country lookup: ISO3 codes, names and aliases, case-insensitive, with suggestions."""

from __future__ import annotations

import difflib
import functools

from impact.bundled.io import read_bundled
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


@functools.cache
def _lookup() -> tuple[dict[str, str], dict[str, str]]:
    """(folded name or code -> iso3, iso3 -> display name)."""
    countries = read_bundled("countries")
    return name_keys(countries), dict(countries.select("iso3", "name").iter_rows())


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
    """World Bank display name of an ISO3 code."""
    return _lookup()[1][iso3]


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
