"""The command line's arguments read as numbers, seeds, overrides and method lists (one line
naming the flag on a bad value)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from impact import format as fmt
from impact.errors import InputError
from impact.model.montecarlo import DEFAULT_DRAWS
from impact.vocab import DEFAULT_SEED


def whole_number(field: str, text: str | None, default: int, lo: int, hi: int, accepted: str) -> int:
    if text is None:
        return default
    try:
        value = fmt.plain_number(text)  # refuses digit separators; reads 1e3
        if math.isfinite(value) and value == int(value):
            value = int(text) if text.strip().lstrip("+-").isdigit() else int(value)
    except ValueError:  # exact for whole numbers: float() would round 2**60 + 1
        raise InputError(field, text, accepted) from None
    if not math.isfinite(value) or value != int(value) or not lo <= value <= hi:
        raise InputError(field, text, accepted)
    return int(value)


def draws_arg(text: str | None) -> int:
    return whole_number("draws", text, DEFAULT_DRAWS, 100, 1_000_000,
                "a whole number from 100 to 1,000,000")


def seed_arg(text: str | None) -> int:
    return whole_number("seed", text, DEFAULT_SEED, 0, 2**63 - 1, "a whole number >= 0")


def overrides_arg(items: Sequence[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        try:
            number = fmt.plain_number(value)
        except ValueError:
            number = math.nan
        if not sep or not name.strip() or not math.isfinite(number):
            raise InputError("set", item, "NAME=VALUE with a finite plain number (no digit "
                             "separators), e.g. --set indirect_multiplier=0.8 or "
                             "--set impact.recovery_share=0.1")
        out[name.strip()] = number
    return out


def methods_arg(text: str) -> str | list[str]:
    """``all`` or the names of ``--method``; no name at all (``--method ,``) is given back as
    typed, for `impact.methods.get_methods` to refuse with the text in its message."""
    if text.strip() == "all":
        return "all"
    return [m.strip() for m in text.split(",") if m.strip()] or text


def price_year_arg(text: str | None) -> int | None:
    if text is None:
        return None
    return whole_number("price_year", text, 0, 2010, 2100, "a year from 2010 to the latest US "
                "deflator year")
