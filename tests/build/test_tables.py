"""Tests for ``impact.build.tables`` and the committed tables in ``data/``."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from impact.build import default_raw_dir
from impact.build import tables as build

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
RAW = default_raw_dir()  # $IMPACT_RAW_DATA or <repo>/../shared/data
needs_raw = pytest.mark.skipif(
    not RAW.is_dir(), reason=f"raw data snapshot not found at {RAW} (needed to rebuild)"
)


def read(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / f"{name}.csv", infer_schema_length=None)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build.build_all(RAW, tmp_path_factory.mktemp("data"))


TABLES = (
    "countries", "indicators", "digital_share_anchors", "digital_share", "vintages",
    "regions", "events", "politics_panel", "econometrics_fit", "econometrics_sample",
    "risk_features",
)


@needs_raw
@pytest.mark.slow
@pytest.mark.parametrize("table", TABLES)
def test_rebuild_is_byte_identical(rebuilt: dict[str, Path], table: str) -> None:
    assert set(rebuilt) == set(TABLES), "a table the build writes is not checked here"
    produced = rebuilt[table]
    assert produced.name == f"{table}.csv"
    assert produced.read_bytes() == (DATA / produced.name).read_bytes(), (
        f"data/{produced.name} is stale: run `python scripts/build_data.py`"
    )


@needs_raw
def test_anchor_share_is_share_pct_over_100() -> None:
    raw = pl.read_csv(RAW / "digital_economy" / "anchors.csv", infer_schema_length=None)
    supplementary = pl.DataFrame(build.SUPPLEMENTARY_ANCHORS)
    got_all = read("digital_share_anchors")
    assert got_all.height == raw.height + supplementary.height
    got = got_all.join(supplementary.select("iso3", "year", "definition"),
                       on=["iso3", "year", "definition"], how="anti")
    expected = (
        raw.with_columns(share=pl.col("share_pct") / 100)
        .select(build.ANCHOR_COLUMNS)
        .sort(build.ANCHOR_COLUMNS)
    )
    assert got.drop("share").equals(expected.drop("share"))
    assert (got["share"] - expected["share"]).abs().max() < 1e-12
    # West (2016)'s Indonesia value, missing from the raw file, is added with its citation
    idn = got_all.filter((pl.col("iso3") == "IDN") & (pl.col("year") == 2016)
                         & (pl.col("definition") == "internet_economy_bcg"))
    assert idn["share"].to_list() == [0.014]


def test_countries_table() -> None:
    df = read("countries")
    assert list(df.columns) == list(build.COUNTRY_COLUMNS)
    assert df.height == 217
    assert df["iso3"].n_unique() == 217
    assert {"PAK", "IND", "IRN", "ETH", "MMR", "USA"} <= set(df["iso3"])
    for col in ("iso3", "iso2", "name", "name_short", "official_name", "region", "income_group"):
        assert df[col].null_count() == 0, col
        assert (df[col].str.strip_chars() != "").all(), col
    aliases = dict(zip(df["iso3"], df["aliases"].fill_null(""), strict=True))
    assert "Iran" in aliases["IRN"].split(";")
    assert "Turkey" in aliases["TUR"].split(";")
    assert "Burma" in aliases["MMR"].split(";")
    assert "DRC" in aliases["COD"].split(";")


def test_indicators_table() -> None:
    df = read("indicators")
    assert list(df.columns) == list(build.INDICATOR_COLUMNS)
    assert df.null_count().sum_horizontal().item() == 0
    assert df["year"].min() >= 2010
    assert set(df["iso3"]) <= set(read("countries")["iso3"])
    assert not {"WLD", "SAS", "LMC", "EUU", "SSF"} & set(df["iso3"])
    assert set(df["indicator"]) == {ind.name for ind in build.INDICATORS}
    assert not df.select(pl.struct("indicator", "iso3", "year").is_duplicated().any()).item()
    assert df.equals(df.sort("indicator", "iso3", "year"))
    assert (DATA / "indicators.csv").stat().st_size < 5_000_000


def test_pakistan_gdp_2023_matches_readme() -> None:
    df = read("indicators").filter(
        pl.col("iso3") == "PAK", pl.col("indicator") == "gdp_usd", pl.col("year") == 2023
    )
    assert df["value"].item() == pytest.approx(336.7e9, rel=0.005)
    assert df["source"].item() == "WDI NY.GDP.MKTP.CD"


def test_digital_share_table() -> None:
    df = read("digital_share")
    assert list(df.columns) == [
        "iso3", "year", "share_central", "share_low", "share_high",
        "basis", "definition", "n_anchors",
    ]  # fmt: skip
    assert df.null_count().sum_horizontal().item() == 0
    for col in ("share_central", "share_low", "share_high"):
        assert df[col].is_between(0.001, 0.5).all(), col
    assert (df["share_low"] <= df["share_central"]).all()
    assert (df["share_central"] <= df["share_high"]).all()
    assert set(df["basis"]) == {"published", "imputed_anchored", "imputed"}
    assert not df.select(pl.struct("iso3", "year").is_duplicated().any()).item()
    assert set(df["iso3"]) <= set(read("countries")["iso3"])
    assert df["year"].min() == 2010
    last_gdp = read("indicators").filter(pl.col("indicator") == "gdp_usd")["year"].max()
    assert df["year"].max() == last_gdp
    for iso3 in ("PAK", "IND", "IRN", "ETH", "MMR", "USA"):
        assert df.filter(pl.col("iso3") == iso3, pl.col("year") == 2024).height == 1, iso3


def test_anchor_table_known_row() -> None:
    df = read("digital_share_anchors")
    assert list(df.columns) == list(build.ANCHOR_COLUMNS)
    assert "notes" not in df.columns
    row = df.filter(
        pl.col("iso3") == "GBR",
        pl.col("year") == 2016,
        pl.col("definition") == "internet_economy_bcg",
    )
    assert row.height == 1
    assert row["share"].item() == pytest.approx(0.124)
    assert row["is_projection"].item() is True
    assert df["share"].is_between(0, 1).all()


def test_vintages_cover_every_table() -> None:
    df = read("vintages")
    assert list(df.columns) == list(build.VINTAGE_COLUMNS)
    assert df.null_count().sum_horizontal().item() == 0
    tables = {"countries", "indicators", "digital_share_anchors", "digital_share",
              "econometrics_fit", "econometrics_sample", "risk_features"}
    assert tables <= set(df["table"])
    wdi = df.filter(pl.col("table") == "indicators", pl.col("source").str.contains("source A"))
    assert wdi["vintage"].item() == "2026-07-01"


def test_sources_md_lists_every_table() -> None:
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for name in (
        "countries", "indicators", "digital_share_anchors", "digital_share", "vintages",
        "regions", "events", "politics_panel", "econometrics_fit", "econometrics_sample",
        "risk_features", "cost_compatible_fit",
    ):
        assert f"data/{name}.csv" in text, name
    assert "python scripts/build_data.py" in text
