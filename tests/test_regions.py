"""Tests for ``impact.bundled.regions``: admin-1 names and the share of a choice of regions."""

from __future__ import annotations

import pytest

from impact.bundled import regions as rg
from impact.errors import InputError


def test_region_names_and_share() -> None:
    assert rg.region_names("PAK") == [
        "Balochistan", "Federal Capital Territory", "Khyber Pakhtunkhwa", "Punjab", "Sindh",
    ]  # fmt: skip
    r = rg.region_share("PAK", ["punjab", "Islamabad"], 2017)
    assert r.matched == ("Punjab", "Federal Capital Territory")
    assert 0.5 < r.share < 0.6 and r.low < r.share < r.high


def test_region_share_error_lists_accepted_names() -> None:
    with pytest.raises(InputError) as err:
        rg.region_share("PAK", ["Punjabb", "Gilgit"], 2024)
    msg = str(err.value)
    assert err.value.field == "regions" and err.value.value == "Punjabb"
    assert "Balochistan" in msg and "Sindh" in msg and "closest: Punjab" in msg
