"""Tests for ``impact.build.areas`` (area-name matching) and the committed ``data/regions.csv``."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from impact.build import areas as rg

DATA = Path(__file__).resolve().parents[2] / "data"


def names(m: rg.AreaMatch) -> list[str]:
    return [u.name for u in m.units]


def test_islamabad_and_rawalpindi_no_double_counting() -> None:
    m = rg.match_areas("PAK", "Islamabad and Rawalpindi", 2024)
    assert names(m) == ["Federal Capital Territory", "Rawalpindi"]
    assert [u.kind for u in m.units] == ["admin1", "city"]
    assert m.unmatched == ()
    ict, rwp = m.units
    # Islamabad city is not added on top of the capital territory
    idx = rg.default_index()
    expected = idx.unit_share(ict, 2024) + idx.unit_share(rwp, 2024)
    assert m.share == pytest.approx(expected)
    assert 0.01 < m.share < 0.04


def test_jammu_and_kashmir_is_one_state() -> None:
    m = rg.match_areas("IND", "Jammu and Kashmir", 2024)
    assert names(m) == ["Jammu & Kashmir"] and m.units[0].kind == "state"
    assert 0.009 <= m.share <= 0.010
    assert names(rg.match_areas("IND", "Jammu & Kashmir", 2024)) == ["Jammu & Kashmir"]


def test_districts_with_state_qualifier_do_not_count_the_state() -> None:
    m = rg.match_areas("IND", "Rohtak, Sonipat and Jhajjar (Haryana)", 2024)
    assert names(m) == ["Rohtak", "Sonipat", "Jhajjar"]
    assert {u.kind for u in m.units} == {"district"}
    assert [u.name for u in m.qualifiers] == ["Haryana"]
    haryana = rg.match_areas("IND", "Haryana", 2024).share
    assert 0 < m.share < 0.5 * haryana


def test_state_after_unmatched_place_is_a_qualifier() -> None:
    share, low, high, method, matched, unmatched = rg.event_share(
        "IND", "Sopore, Jammu and Kashmir", "one_city", False, 2024
    )
    j_and_k = rg.match_areas("IND", "Jammu and Kashmir", 2024).share
    assert method == "geo_scope_category"
    assert unmatched == "Sopore" and "Jammu & Kashmir" in matched
    assert high <= j_and_k + 1e-12 and low <= share <= high


def test_myanmar_rakhine_state() -> None:
    m = rg.match_areas("MMR", "Rakhine", 2024)
    assert names(m) == ["Rakhine"] and m.units[0].kind == "state"
    assert m.units[0].population == 3_188_963  # total incl. the non-enumerated estimate
    assert 0.05 < m.share < 0.07


def test_myanmar_possessive_and_township() -> None:
    m = rg.match_areas("MMR", "Myawaddy township, Kayin State", 2024)
    assert names(m) == ["Myawaddy"] and m.units[0].kind == "township"
    assert [u.name for u in m.qualifiers] == ["Kayin"]


def test_ethiopia_oromia_about_a_third() -> None:
    m = rg.match_areas("ETH", "Oromia", 2024)
    assert names(m) == ["Oromia"]
    assert 0.28 < m.share < 0.40


def test_russia_english_names() -> None:
    m = rg.match_areas("RUS", "Dagestan and Ingushetia", 2024)
    assert names(m) == ["Dagestan", "Ingushetia"]
    assert names(rg.match_areas("RUS", "Ulyanovsk Oblast", 2024)) == ["Ulyanovsk Oblast"]


def test_kind_word_picks_the_city() -> None:
    m = rg.match_areas("IND", "Jaipur city, Rajasthan state", 2024)
    assert [(u.name, u.kind) for u in m.units] == [("Jaipur", "city")]


def test_nationwide() -> None:
    assert rg.event_share("PAK", "Nationwide", "several_regions", True, 2024)[:4] == (
        1.0, 1.0, 1.0, "nationwide",
    )  # fmt: skip
    assert rg.is_nationwide("National except Kurdish region")
    assert not rg.is_nationwide("International airport")


@pytest.mark.parametrize("scope", ["one_city", "cities_one_region", "several_regions"])
def test_unknown_area_falls_back_to_geo_scope(scope: str) -> None:
    got = rg.event_share("PAK", "Xyzzy Plugh", scope, False, 2024)
    cat = rg.GEO_SCOPE_SHARES[scope]
    assert got == (cat.share, cat.low, cat.high, "geo_scope_category", "", "Xyzzy Plugh")
    assert rg.event_share("PAK", "Xyzzy", None, False, 2024)[3] == "unknown_scope_default"


def test_matched_range_rules() -> None:
    share, low, high, method, matched, _unmatched = rg.event_share(
        "ETH", "Oromia", "several_regions", False, 2024
    )
    assert method == "regions_matched" and matched == "Oromia (admin1 2022)"
    assert low == pytest.approx(0.8 * share) and high == pytest.approx(1.25 * share)
    share, low, high, method, *_ = rg.event_share(
        "PAK", "Rawalpindi, Xyzzy", "cities_one_region", False, 2024
    )
    assert method == "cities_matched"
    assert high == pytest.approx(share + rg.GEO_SCOPE_SHARES["cities_one_region"].share)


def test_split_area_keeps_whole_piece_first() -> None:
    assert rg.split_area("Jammu and Kashmir") == [["Jammu and Kashmir", "Jammu", "Kashmir"]]


def test_regions_table() -> None:
    df = pl.read_csv(DATA / "regions.csv", infer_schema_length=None)
    assert tuple(df.columns) == rg.REGION_COLUMNS
    assert set(df["kind"]) == {"admin1", "state", "district", "township", "city"}
    assert (df["population"] >= 0).all()  # KIR Phoenix Islands: 0 in COD-PS
    assert df.filter(pl.col("kind") != "city")["reference_year"].null_count() == 0
    # MDV atoll rows summed per P-code: 5 regions adding up to the 2022 census total
    mdv = df.filter(pl.col("iso3") == "MDV", pl.col("kind") == "admin1")
    assert mdv.height == 5 and 510_000 < mdv["population"].sum() < 520_000
    # Russia: subjects sum to Rosstat's national total
    rus = df.filter(pl.col("iso3") == "RUS", pl.col("kind") == "admin1")
    assert rus["population"].sum() == 146_745_098
    # India: 2024 projection states, 640 districts of 2011
    ind = df.filter(pl.col("iso3") == "IND")
    assert ind.filter(pl.col("kind") == "district").height == 640
    jk = ind.filter(pl.col("name") == "Jammu & Kashmir")
    assert jk["population"].item() == 13_701_000 and jk["reference_year"].item() == 2024
