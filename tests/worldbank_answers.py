"""Answers in the World Bank API v2's recorded format, for the refresh tests (no network).

``tests/fixtures/worldbank/`` holds a recorded page (``NY.GDP.MKTP.CD_PAK_page1.json``: the
envelope ``[metadata, records]`` with an aggregate row and a null value, as the API sends
them) and a recorded error (``error_invalid_value.json``). `WorldBankAnswers` answers every
indicator URL of `impact.build.worldbank.indicator_url` in exactly that format, with the
records of the bundled ``indicators.csv`` (so a refresh changes only what a test adds):
``new_year`` adds a year of GDP, population and GDP per capita for ``new_year_countries``
(+4 % a year), ``revised`` replaces given values. Paging follows the ``per_page`` of the URL.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from pathlib import Path

import polars as pl

from impact.build.refresh import API_INDICATORS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "worldbank"
RECORDED_PAGE = FIXTURES / "NY.GDP.MKTP.CD_PAK_page1.json"
RECORDED_ERROR = FIXTURES / "error_invalid_value.json"
DATA = Path(__file__).resolve().parents[1] / "data"


def recorded_page() -> list:
    return json.loads(RECORDED_PAGE.read_text(encoding="utf-8"))


class WorldBankAnswers:
    """A getter (URL -> body) for `impact.build.refresh`; ``calls`` lists the URLs asked."""

    def __init__(self, new_year: int | None = 2026, new_year_countries: tuple[str, ...] = (
            "PAK", "IND", "USA", "ETH"), revised: dict | None = None,
            last_updated: str = "2026-11-20"):
        meta, records = recorded_page()
        self.meta_template = {**meta, "lastupdated": last_updated}
        self.record_template = records[-1]
        ind = pl.read_csv(DATA / "indicators.csv", schema_overrides={"value": pl.Float64})
        names = {i.name: i.code for i in API_INDICATORS}
        ind = ind.filter(pl.col("indicator").is_in(list(names)))
        if new_year is not None:
            grow = ["gdp_usd", "population", "gdp_per_capita_usd"]
            last = (ind.filter(pl.col("indicator").is_in(grow),
                               pl.col("iso3").is_in(list(new_year_countries)))
                    .sort("year").group_by("indicator", "iso3").last())
            ind = pl.concat([ind, last.with_columns(
                value=pl.col("value") * 1.04 ** (new_year - pl.col("year")),
                year=pl.lit(new_year, dtype=pl.Int64)).select(ind.columns)])
        for (iso3, name, year), value in (revised or {}).items():
            ind = ind.with_columns(value=pl.when(
                (pl.col("iso3") == iso3) & (pl.col("indicator") == name)
                & (pl.col("year") == year)).then(pl.lit(value)).otherwise(pl.col("value")))
        self.by_code: dict[str, list] = {}
        for name, code in names.items():
            part = ind.filter(pl.col("indicator") == name).sort("iso3", "year",
                                                                descending=[False, True])
            recs = [self.record(code, i, y, v) for i, y, v in
                    part.select("iso3", "year", "value").iter_rows()]
            # as the API does: aggregates and empty years are among the records
            recs.insert(0, self.record(code, "WLD", 2025, 1.0))
            recs.append(self.record(code, "PAK", 2011, None))
            self.by_code[code] = recs
        self.calls: list[str] = []

    def record(self, code: str, iso3: str, year: int, value: float | None) -> dict:
        r = copy.deepcopy(self.record_template)
        r["indicator"]["id"] = code
        r["countryiso3code"], r["date"], r["value"] = iso3, str(year), value
        return r

    def page(self, url: str) -> tuple[str, list]:
        """(code, [metadata, records]) answering ``url``."""
        parts = urllib.parse.urlsplit(url)
        code = parts.path.rstrip("/").split("/")[-1]
        query = dict(urllib.parse.parse_qsl(parts.query))
        per_page, page = int(query["per_page"]), int(query.get("page", 1))
        recs = self.by_code[code]
        pages = max(1, -(-len(recs) // per_page))
        meta = {**self.meta_template, "page": page, "pages": pages, "per_page": per_page,
                "total": len(recs)}
        return code, [meta, recs[(page - 1) * per_page:page * per_page]]

    def body(self, url: str) -> bytes:
        return json.dumps(self.page(url)[1], separators=(",", ":")).encode()

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        return self.body(url)
