"""Pakistan's admin-1 regions: Azad Jammu & Kashmir and Gilgit-Baltistan are missing from
``data/regions.csv`` because the raw admin-1 population table (OCHA COD-PS, Pakistan's 2017
census) has no row for them, and a region needs a population to give a share. GeoNames
names both (PK.06 Azad Kashmir, PK.07 Gilgit-Baltistan) but gives no population; their
cities are kept under them. The build takes them as soon as the raw table has them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from impact.build import default_raw_dir
from impact.build.tables import SUBNATIONAL, read_raw
from impact.bundled import areas as rg

REPO = Path(__file__).resolve().parents[2]
RAW = default_raw_dir()
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason=f"raw data snapshot not found at {RAW}")
MISSING = ("Azad Kashmir", "Gilgit-Baltistan")


def _raw(key: str) -> pl.DataFrame:
    return read_raw(RAW / "subnational" / SUBNATIONAL[key])


def test_the_bundled_admin1_units_are_the_census_five_and_the_cities_keep_their_region():
    regions = pl.read_csv(REPO / "data" / "regions.csv", infer_schema_length=None)
    pak = regions.filter(pl.col("iso3") == "PAK")
    assert sorted(pak.filter(pl.col("kind") == "admin1")["name"]) == [
        "Balochistan", "Federal Capital Territory", "Khyber Pakhtunkhwa", "Punjab", "Sindh"]
    parents = set(pak.filter(pl.col("kind") == "city")["parent"].drop_nulls())
    assert set(MISSING) <= parents  # e.g. Muzaffarabad, Gilgit, Skardu


@needs_raw
def test_the_raw_population_table_has_no_row_for_them():
    cod = _raw("cod").filter(pl.col("iso3") == "PAK")
    assert cod.height == 5
    assert not cod["adm1_name"].str.contains("(?i)kashmir|gilgit").any()


@needs_raw
def test_the_build_lists_them_once_the_raw_table_has_their_population():
    cod = _raw("cod")
    extra = pl.DataFrame({"iso3": ["PAK", "PAK"], "country": ["Pakistan", "Pakistan"],
                          "adm1_pcode": ["PK9", "PK10"], "adm1_name": list(MISSING),
                          "population": [4_000_000, 1_500_000], "reference_year": [2017, 2017],
                          "source": ["test", "test"], "contributor": ["test", "test"]},
                         schema=cod.schema)
    frames = {k: _raw(k) for k in SUBNATIONAL if k != "cod"}
    table = rg.regions_table(cod=pl.concat([cod, extra]), **frames, iso3_keep=["PAK"])
    admin1 = table.filter(pl.col("kind") == "admin1")
    assert set(MISSING) <= set(admin1["name"])
    gilgit = table.filter((pl.col("kind") == "city") & (pl.col("name") == "Gilgit"))
    assert gilgit["parent"].to_list() == ["Gilgit-Baltistan"]
