"""`impact data status` on the bundled data: where the data are, their version, how old each
source is on a given day, and each indicator's latest year."""

from __future__ import annotations

from datetime import date

import polars as pl

from impact.bundled.data_status import status, status_text, vintage_date
from impact.bundled.io import data_version, read_bundled
from impact.cli import main

TODAY = date(2026, 12, 2)


def test_status_of_the_bundled_data():
    st = status(TODAY)
    assert st.bundled and st.version == data_version()
    assert st.sources.height == read_bundled("vintages").height
    events = st.sources.filter(pl.col("table") == "events").row(0, named=True)
    assert events["age_days"] == (TODAY - vintage_date(events["vintage"])).days
    fitted = st.sources.filter(pl.col("vintage") == "fitted at build time")
    assert fitted.height and fitted["age_days"].null_count() == fitted.height
    ind = read_bundled("indicators")
    gdp = st.indicators.filter(pl.col("indicator") == "gdp_usd").row(0, named=True)
    assert gdp["latest_year"] == ind.filter(pl.col("indicator") == "gdp_usd")["year"].max()
    assert gdp["countries"] == ind.filter((pl.col("indicator") == "gdp_usd")
                                          & (pl.col("year") == gdp["latest_year"])).height
    assert st.last_event is not None and st.last_event <= TODAY


def test_ages_follow_the_day_asked_for():
    later = status(date(2027, 12, 2)).sources["age_days"].drop_nulls()
    now = status(TODAY).sources["age_days"].drop_nulls()
    assert (later - now).to_list() == [365] * len(now)


def test_the_command_prints_the_status(capsys):
    assert main(["data", "status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"data {data_version()} in ") and "(the bundled data)" in out
    assert "gdp_usd" in out and "days old" in out and "event catalogue: last event" in out
    assert status_text(status(TODAY), TODAY).splitlines()[0].endswith("today 2026-12-02")
