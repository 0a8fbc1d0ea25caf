"""impact.catalogue.events and `impact events ...`: filters, per-event estimates, the 365-day cap,
summaries and comparisons. A small synthetic catalogue keeps these tests fast and independent
of the bundled one; one test checks the bundled catalogue when it is present."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import polars as pl
import pytest

from impact import format as fmt
from impact.bundled.io import data_dir
from impact.catalogue import events as ev
from impact.cli import main
from impact.errors import InputError
from impact.methods import REGISTRY

DRAWS = 300


def _catalogue() -> pl.DataFrame:
    rows = [
        # id, iso3, country, start, end, scope, platforms, other, hours, share, low, high, election
        ("PAK-2024-01", "PAK", "Pakistan", "2024-02-08", "2024-02-08", "mobile", None, None,
         24.0, 1.0, None, None, True),
        ("IND-2019-01", "IND", "India", "2019-08-05", "2020-03-04", "full", None, None,
         5064.0, 0.01, 0.005, 0.02, False),
        ("IND-2019-02", "IND", "India", "2019-12-20", "2019-12-21", "throttling", None, None,
         24.0, 0.05, None, None, False),
        ("IRN-2022-01", "IRN", "Iran", "2022-09-21", "2024-12-24", "platforms",
         "instagram;whatsapp", None, 19008.0, 1.0, None, None, False),
        ("ETH-2020-01", "ETH", "Ethiopia", "2020-11-04", "2020-11-30", "platforms_other", None,
         "zoom", 624.0, None, None, None, None),
        ("PAK-2024-02", "PAK", "Pakistan", "2024-02-17", "2024-05-20", "platforms", "x", None,
         2232.0, 1.0, None, None, True),
    ]
    cols = ["event_id", "iso3", "country", "start", "end", "scope", "platforms",
            "other_services", "duration_hours", "affected_share", "affected_share_low",
            "affected_share_high", "election"]
    frame = pl.DataFrame(rows, schema=cols, orient="row")
    return frame.with_columns(
        pl.col("start").str.slice(0, 4).cast(pl.Int64).alias("year"),
        pl.col("election").cast(pl.String))


@pytest.fixture
def catalogue(monkeypatch):
    fake = _catalogue()

    def read(name):
        if name == "events":
            return fake
        from impact.bundled.io import read_bundled

        return read_bundled(name)

    monkeypatch.setattr(ev, "read_bundled", read)
    return fake


@pytest.fixture
def estimates(catalogue):
    return ev.estimate_events(ev.load_events(), draws=DRAWS, cap_platform_days="both",
                              keep_draws=True)


# ---- filters ----------------------------------------------------------------------------------
def test_filters(catalogue):
    assert ev.load_events().height == catalogue.height
    assert set(ev.load_events(country="Pakistan")["iso3"]) == {"PAK"}
    assert ev.load_events(country=["IND", "Iran"]).height == 3
    assert ev.load_events(years=2019).height == 2
    assert ev.load_events(years=range(2019, 2021)).height == 3
    assert ev.load_events(years=(2022, 2024)).height == 3
    assert ev.load_events(years="2019-2020").height == 3
    assert set(ev.load_events(type="platforms")["scope"]) == {"platforms", "platforms_other"}
    assert ev.load_events(type="throttling")["event_id"].to_list() == ["IND-2019-02"]
    assert ev.load_events(platform="twitter")["event_id"].to_list() == ["PAK-2024-02"]
    assert ev.load_events(platform="whatsapp")["event_id"].to_list() == ["IRN-2022-01"]
    assert ev.load_events(election=True).height == 2
    assert ev.load_events(election=False).height == 3
    assert ev.load_events(country="PAK", election=True, type="mobile").height == 1


@pytest.mark.parametrize("kwargs, field, words", [
    ({"country": "Pakistn"}, "country", "did you mean Pakistan"),
    ({"years": 2012}, "years", "from 2019 to 2024"),
    ({"years": (2018, 2020)}, "years", "the catalogue's range"),
    ({"years": "2021-2019"}, "years", "e.g. 2021, 2019-2022"),
    ({"years": "soon"}, "years", "a year or a range"),
    ({"type": "partial"}, "type", "one of full, mobile, throttling, platforms"),
    ({"platform": "myspace"}, "platform", "one of x, facebook"),
    ({"election": "yes"}, "election", "true or false"),
])
def test_bad_filters(catalogue, kwargs, field, words):
    with pytest.raises(InputError) as info:
        ev.load_events(**kwargs)
    assert info.value.field == field
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_event_scenario(catalogue):
    row = ev.get_event("IND-2019-01")
    s = ev.event_scenario(row)
    assert s.iso3 == "IND" and s.event_year == 2019 and s.scope == "full"
    assert s.hours == 5064 and not s.time_weighting and s.label == "IND-2019-01"
    assert (s.affected_share_low, s.affected_share, s.affected_share_high) == (0.005, 0.01, 0.02)
    assert ev.event_scenario(row, hours=100).hours == 100
    assert ev.event_scenario(ev.get_event("IRN-2022-01")).platforms == ("instagram", "whatsapp")
    assert ev.event_scenario(ev.get_event("IND-2019-02")).effective_intensity == 0.5
    with pytest.raises(InputError, match="not among the costed platforms: zoom"):
        ev.event_scenario(ev.get_event("ETH-2020-01"))
    with pytest.raises(InputError, match="did you mean"):
        ev.get_event("IND-2019-03")


# ---- estimates --------------------------------------------------------------------------------
def test_every_event_gets_every_method(catalogue, estimates):
    assert estimates.columns[:len(ev.ESTIMATE_COLUMNS)] == ev.ESTIMATE_COLUMNS
    for eid in catalogue["event_id"]:
        rows = estimates.filter(pl.col("event_id") == eid)
        for (variant, year), sub in rows.group_by("variant", "year"):
            assert sorted(sub["method"]) == sorted(REGISTRY), (eid, variant, year)
    ok = estimates.filter(pl.col("status") == "ok")
    assert ok.height > 0
    assert (ok["loss_usd_p05"] <= ok["loss_usd_p50"]).all()
    assert (ok["loss_usd_p50"] <= ok["loss_usd_p95"]).all()
    assert ok["loss_const_usd_p50"].is_not_null().all()
    assert ok["currency"].is_not_null().all()
    bad = estimates.filter(pl.col("status") != "ok")
    assert set(bad["status"]) <= {"not_applicable", "unavailable"}
    assert bad["reason"].str.len_chars().min() > 10
    other = estimates.filter(pl.col("event_id") == "ETH-2020-01")
    assert set(other["status"]) == {"not_applicable"}
    assert set(other["reason"]) == {"blocked services are not among the costed platforms: zoom"}
    irn = estimates.filter(pl.col("iso3") == "IRN", pl.col("status") == "ok")
    assert irn["fx_note"].str.contains("market rate").all()  # unreliable official rate flagged


def _hours(frame: pl.DataFrame, event_id: str, variant: str = "capped") -> dict[int, float]:
    rows = frame.filter(pl.col("event_id") == event_id, pl.col("variant") == variant,
                        pl.col("method") == "impact")
    return dict(zip(rows["year"].to_list(), rows["costed_hours"].to_list(), strict=True))


def test_an_event_is_split_over_calendar_years(estimates):
    # 5 Aug 2019 – 4 Mar 2020: 149 days in 2019, 62 in 2020 (24 h each)
    assert _hours(estimates, "IND-2019-01") == {2019: 149 * 24.0, 2020: 62 * 24.0}
    rows = estimates.filter(pl.col("event_id") == "IND-2019-01", pl.col("method") == "impact",
                            pl.col("variant") == "capped")
    assert rows["part_start"].cast(pl.String).to_list() == ["2019-08-05", "2020-01-01"]
    # each year costed with its own year's indicators: the same hours cost more in the
    # year with the larger GDP, and the parts add up to the event
    totals = ev.event_totals(estimates)
    ind = totals.filter(pl.col("event_id") == "IND-2019-01", pl.col("variant") == "capped",
                        pl.col("method") == "impact").row(0, named=True)
    assert ind["costed_hours"] == 211 * 24.0 and ind["years"] == "2019;2020"
    assert ind["loss_usd_p50"] == pytest.approx(rows["loss_usd_p50"].sum(), rel=1e-12)


def test_platform_block_longer_than_a_year_gets_both_variants(estimates):
    # 21 Sep 2022 – 24 Dec 2024 = 792 days; capped: the first 365 days
    assert _hours(estimates, "IRN-2022-01", "capped") == {2022: 102 * 24.0, 2023: 263 * 24.0}
    assert _hours(estimates, "IRN-2022-01", "uncapped") == {
        2022: 102 * 24.0, 2023: 365 * 24.0, 2024: 325 * 24.0}
    irn = estimates.filter(pl.col("event_id") == "IRN-2022-01", pl.col("method") == "impact")
    assert (irn["duration_hours"] == 19008).all()
    assert set(irn.filter(pl.col("variant") == "capped")["event_hours"]) == {8760}
    capped = irn.filter(pl.col("variant") == "capped")
    assert capped["reason"].str.contains("first 365 days").all()
    # shorter events are the same in both variants
    short = estimates.filter(pl.col("event_id") == "PAK-2024-02", pl.col("method") == "impact")
    assert set(short["variant"]) == {"capped", "uncapped"}
    assert short["loss_usd_p50"].n_unique() == 1


def test_cap_and_open_ended_choices(catalogue):
    one = ev.load_events(country="IRN")
    capped = ev.estimate_events(one, "impact", draws=DRAWS, cap_platform_days=True)
    uncapped = ev.estimate_events(one, "impact", draws=DRAWS, cap_platform_days=False)
    assert set(capped["variant"]) == {"capped"}
    assert set(uncapped["variant"]) == {"uncapped"}
    both = ev.estimate_events(one, "impact", draws=DRAWS, cap_platform_days="both",
                              open_ended="both")
    assert set(both["variant"]) == set(ev.VARIANTS)
    with pytest.raises(InputError, match="cap_platform_days"):
        ev.estimate_events(one, "impact", draws=DRAWS, cap_platform_days="sometimes")
    with pytest.raises(InputError, match="open_ended"):
        ev.estimate_events(one, "impact", draws=DRAWS, open_ended="forever")
    with pytest.raises(InputError, match="price_year"):
        ev.estimate_events(one, "impact", draws=DRAWS, price_year=1999)


def test_estimates_are_reproducible(catalogue):
    one = ev.load_events(country="PAK")
    a = ev.estimate_events(one, "impact", draws=DRAWS)
    b = ev.estimate_events(["PAK-2024-01", "PAK-2024-02"], "impact", draws=DRAWS)
    assert a.equals(b)


def test_duplicate_reports_are_counted_once(monkeypatch):
    """Two reports of one nationwide mobile shutdown on the same two days, and a third
    that overlaps them by one day: the country has 3 days of exposure, not 5."""
    rows = [("A", "2024-02-08", 48.0), ("B", "2024-02-08", 48.0), ("C", "2024-02-09", 48.0)]
    fake = pl.DataFrame({
        "event_id": [r[0] for r in rows], "iso3": ["PAK"] * 3, "country": ["Pakistan"] * 3,
        "start": [r[1] for r in rows], "end": [None] * 3, "scope": ["mobile"] * 3,
        "duration_hours": [r[2] for r in rows], "affected_share": [1.0] * 3,
        "area_names": ["Nationwide"] * 3, "nationwide": [True] * 3})

    def read(name):
        from impact.bundled.io import read_bundled
        return fake if name == "events" else read_bundled(name)

    monkeypatch.setattr(ev, "read_bundled", read)
    out = ev.estimate_events(ev.load_events(), "impact", draws=DRAWS)
    assert out["costed_hours"].sum() == pytest.approx(72.0)
    # 8 Feb: A and B (half each); 9 Feb: A, B and C (a third each); 10 Feb: C alone
    assert dict(zip(out["event_id"], out["costed_hours"], strict=True)) == pytest.approx(
        {"A": 12 + 8, "B": 12 + 8, "C": 8 + 24})
    # asking for one event does not change its exposure: the catalogue is the context
    alone = ev.estimate_events(["C"], "impact", draws=DRAWS)
    assert alone["costed_hours"][0] == pytest.approx(32.0)
    assert "overlap other reports" in alone["reason"][0]


def test_search(catalogue):
    assert ev.load_events(search="pakistan")["event_id"].to_list() == ["PAK-2024-01",
                                                                      "PAK-2024-02"]
    assert ev.load_events(search="IRN instagram")["event_id"].to_list() == ["IRN-2022-01"]
    assert ev.load_events(search="no such words").height == 0
    with pytest.raises(InputError, match="search"):
        ev.load_events(search="  ")


# ---- summaries and comparisons ----------------------------------------------------------------
@pytest.mark.parametrize("by", ["country-year", "country", "year"])
def test_summary_totals_equal_the_sum_of_events(estimates, by):
    summary = ev.summarise(estimates, by=by, method="impact")
    assert summary.columns[:7] == ev.SUMMARY_COLUMNS
    rows = estimates.filter(pl.col("method") == "impact", pl.col("status") == "ok",
                            pl.col("variant") == "capped")
    assert summary["loss_usd_p50"].sum() == pytest.approx(math.fsum(rows["loss_usd_p50"]),
                                                          rel=1e-12)
    # without draws, P5/P95 are the sums of the events' P5/P95 (the fully dependent range)
    plain = ev.summarise(estimates.drop("draws_usd"), by=by, method="impact")
    for q in ("p05", "p50", "p95"):
        assert plain[f"loss_usd_{q}"].sum() == pytest.approx(
            math.fsum(rows[f"loss_usd_{q}"]), rel=1e-12)
    ind = ev.summarise(estimates, by="country-year", method="impact").filter(
        pl.col("iso3") == "IND", pl.col("year") == 2019).row(0, named=True)
    ind_rows = rows.filter(pl.col("iso3") == "IND", pl.col("year") == 2019)
    assert ind["n_events"] == 2
    assert ind["loss_usd_p50"] == math.fsum(ind_rows["loss_usd_p50"])  # exactly
    assert ind["hours"] == 149 * 24 + 24  # only the 2019 part of the Aug 2019 – Mar 2020 event
    # with draws, P5/P95 are the quantiles of the summed draws, around the summed P50
    summed = np.sum(np.array(ind_rows["draws_usd"].to_list()), axis=0)
    lo, hi = np.quantile(summed, [0.05, 0.95])
    assert (ind["loss_usd_p05"], ind["loss_usd_p95"]) == (pytest.approx(lo, rel=1e-9),
                                                          pytest.approx(hi, rel=1e-9))
    assert ind["loss_usd_p05_agg"] == ind["loss_usd_p05"] < ind["loss_usd_p50"] \
        < ind["loss_usd_p95"] == ind["loss_usd_p95_agg"]


def test_summary_variant_and_method(estimates):
    capped = ev.summarise(estimates, method="impact", variant="capped", by="country")
    uncapped = ev.summarise(estimates, method="impact", variant="uncapped", by="country")
    irn = pl.col("iso3") == "IRN"
    assert capped.filter(irn)["hours"][0] == 8760
    assert uncapped.filter(irn)["hours"][0] == 19008
    with pytest.raises(InputError, match="one of the estimated methods"):
        ev.summarise(estimates)
    with pytest.raises(InputError, match="by"):
        ev.summarise(estimates, by="region", method="impact")
    with pytest.raises(InputError, match="estimated variants"):
        ev.summarise(estimates, method="impact", variant="to_snapshot_capped")


def test_platform_ledger(estimates):
    ledger = ev.summarise(estimates, by="platform", method="impact")
    assert ledger.columns[0] == "platform"
    by = {r["platform"]: r for r in ledger.iter_rows(named=True)}
    assert set(by) == {"instagram", "whatsapp", "x", ev.OTHER_SERVICES}
    irn = estimates.filter(pl.col("event_id") == "IRN-2022-01", pl.col("method") == "impact",
                           pl.col("variant") == "capped")
    # a block of two platforms counts under each of them
    assert by["instagram"]["loss_usd_p50"] == pytest.approx(irn["loss_usd_p50"].sum())
    assert by["whatsapp"]["loss_usd_p50"] == by["instagram"]["loss_usd_p50"]
    assert by["x"]["n_events"] == 1 and by[ev.OTHER_SERVICES]["n_not_costed"] == 1
    years = ev.summarise(estimates, by="platform-year", method="impact")
    assert set(years.filter(pl.col("platform") == "instagram")["year"]) == {2022, 2023}


def test_compare(catalogue):
    out = ev.compare(["PAK-2024-01", "IND-2019-01"], "impact,deloitte2016", draws=DRAWS)
    assert out.columns == ev.COMPARE_COLUMNS
    assert out.height == 4  # one row per event and method: the years added up
    assert set(out.filter(pl.col("event_id") == "IND-2019-01")["years"]) == {"2019;2020"}
    for m in ("impact", "deloitte2016"):
        ranks = out.filter(pl.col("method") == m)["rank_per_day"].sort().to_list()
        assert ranks == [1, 2]


def test_compare_keeps_the_order_given_and_counts_an_id_once(catalogue):
    out = ev.compare(["PAK-2024-01", "IND-2019-02", "IND-2019-01", "PAK-2024-01"],
                     "impact,deloitte2016", draws=DRAWS)
    assert out["event_id"].to_list() == ["PAK-2024-01"] * 2 + ["IND-2019-02"] * 2 + [
        "IND-2019-01"] * 2
    assert out["method"].to_list() == ["impact", "deloitte2016"] * 3
    once = ev.compare(["PAK-2024-01"], "impact", draws=DRAWS).row(0, named=True)
    again = out.filter(pl.col("method") == "impact").row(0, named=True)
    assert again["loss_usd_p50"] == once["loss_usd_p50"]
    assert again["costed_hours"] == once["costed_hours"] == 24.0
    ok = out.filter(pl.col("status") == "ok")
    assert (ok["loss_usd_p05"] <= ok["loss_usd_p50"]).all()
    assert (ok["loss_usd_p50"] <= ok["loss_usd_p95"]).all()


# ---- command line -----------------------------------------------------------------------------
def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_summary_csv_header(catalogue, capsys):
    code, out, err = run(capsys, "events", "summary", "--by", "country-year", "--method",
                         "impact", "--format", "csv", "--draws", str(DRAWS))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "iso3,year,n_events,hours,loss_usd_p05,loss_usd_p50,loss_usd_p95"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["iso3"], r["year"]) for r in rows} >= {("PAK", "2024"), ("IND", "2019")}


def test_cli_summary_table_shows_only_the_keys_of_its_grouping(catalogue, capsys):
    """The printed table shows only its grouping's keys (--by country: no year column);
    files keep every column."""
    for by, key, other in (("country", "iso3", "year"), ("year", "year", "iso3"),
                           ("platform", "platform", "year")):
        code, out, err = run(capsys, "events", "summary", "--by", by, "--method", "impact",
                             "--draws", str(DRAWS))
        assert code == 0, err
        header = out.splitlines()[0].split()
        assert header[0] == key and other not in header
    code, out, _ = run(capsys, "events", "summary", "--by", "country", "--method", "impact",
                       "--format", "csv", "--draws", str(DRAWS))
    assert out.splitlines()[0].startswith("iso3,year,n_events")


def test_cli_summary_leaves_out_rows_without_a_costed_event(catalogue, capsys):
    """ETH 2020 has only a block of services that are not costed platforms: no row. PAK
    2024 adds up a 24 h mobile cut and a 93-day X block, 24 + 93 x 24 = 2,256 h; IND 2019
    a full cut from 5 August (149 days in 2019, 3,576 h) and a 24 h throttling."""
    code, out, err = run(capsys, "events", "summary", "--method", "impact", "--format",
                         "csv", "--draws", str(DRAWS))
    assert code == 0, err
    rows = {(r["iso3"], r["year"]): r for r in csv.DictReader(io.StringIO(out))}
    assert ("ETH", "2020") not in rows
    assert all(int(r["n_events"]) > 0 for r in rows.values())
    assert (rows["PAK", "2024"]["n_events"], float(rows["PAK", "2024"]["hours"])) == ("2", 2256)
    assert (rows["IND", "2019"]["n_events"], float(rows["IND", "2019"]["hours"])) == ("2", 3600)
    assert "1 country-year rows with no costed event left out" in err
    code, out, err = run(capsys, "events", "summary", "--by", "platform", "--format", "csv",
                         "--draws", str(DRAWS))
    assert code == 0, err
    platforms = [r["platform"] for r in csv.DictReader(io.StringIO(out))]
    assert platforms == ["instagram", "whatsapp", "x"]  # no "other services" row of 0 events
    # the API keeps the group, so that it can count the uncosted event
    estimates = ev.estimate_events(ev.load_events(country="ETH"), ["impact"], draws=DRAWS)
    eth = ev.summarise(estimates).row(0, named=True)
    assert (eth["n_events"], eth["n_not_costed"]) == (0, 1)


def test_cli_compare_names_the_events_in_order_with_ranges_and_a_total(catalogue, capsys):
    """Three events given out of id order: named in that order, each loss with its P5–P95,
    and a total row: 24 + 24 + 5,064 = 5,112 hours and the sum of the three losses."""
    ids = ["PAK-2024-01", "IND-2019-02", "IND-2019-01"]
    code, out, err = run(capsys, "events", "compare", *ids, "--method", "impact", "--draws",
                         str(DRAWS))
    assert code == 0, err
    lines = out.splitlines()
    named = [line.split()[0] for line in lines[1:4]]
    assert lines[0] == "events, in the order given:" and named == ids
    assert "Pakistan" in lines[1] and "India" in lines[2]
    table = lines[lines.index(next(x for x in lines if x.startswith("---"))) + 1:]
    assert [line.split()[0] for line in table] == [*ids, "total"]
    frame = ev.compare(ids, "impact", draws=DRAWS)
    for line, r in zip(table, frame.iter_rows(named=True), strict=False):
        rng = fmt.money_range(r["loss_usd_p05"], r["loss_usd_p95"], "")
        assert f"{fmt.money(r['loss_usd_p50'])} ({rng})" in line
    total = table[-1]
    assert "5,112" in total and "3 events" in total
    p50 = math.fsum(frame["loss_usd_p50"].to_list())
    assert fmt.money(p50) in total
    assert "total" in err and "P5" in err


def test_cli_list_estimate_compare(catalogue, capsys):
    code, out, err = run(capsys, "events", "list", "--country", "Pakistan", "--format", "csv")
    assert code == 0, err
    assert len(out.splitlines()) == 3
    code, out, err = run(capsys, "events", "estimate", "--years", "2022", "--method", "impact",
                         "--draws", str(DRAWS), "--variant", "both")
    assert code == 0, err
    assert "capped" in out and "uncapped" in out
    code, out, err = run(capsys, "events", "compare", "PAK-2024-01", "IND-2019-02",
                         "--method", "impact", "--draws", str(DRAWS))
    assert code == 0, err
    assert "PAK-2024-01" in out and "per capita" in out
    code, out, err = run(capsys, "events", "show", "PAK-2024-01")
    assert code == 0 and "Pakistan" in out
    code, out, err = run(capsys, "events", "list", "--search", "instagram", "--format", "csv")
    assert code == 0, err
    assert [r["event_id"] for r in csv.DictReader(io.StringIO(out))] == ["IRN-2022-01"]
    code, out, err = run(capsys, "events", "summary", "--country", "IRN", "--draws",
                         str(DRAWS), "--format", "csv", "--open-ended", "to-snapshot")
    assert code == 0, err
    assert {r["year"] for r in csv.DictReader(io.StringIO(out))} == {"2022", "2023"}


@pytest.mark.parametrize("argv, words", [
    (["events", "show", "NOPE-1"], "event_id: 'NOPE-1' is not accepted"),
    (["events", "list", "--country", "Atlantis"], "country: 'Atlantis'"),
    (["events", "list", "--years", "1990-1995"], "years: '1990-1995'"),
    (["events", "list", "--type", "dns"], "type: 'dns'"),
    (["events", "list", "--platform", "myspace"], "platform: 'myspace'"),
    (["events", "summary", "--method", "impact,deloitte2016"], "exactly one method"),
    (["events", "estimate", "--method", "nope"], "method: 'nope'"),
    (["events", "list", "--out", "x.xlsx"], "out: 'x.xlsx'"),
    (["events", "list", "--search", " "], "search: ' '"),
])
def test_cli_bad_input_exits_2_with_one_line(catalogue, capsys, argv, words):
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("error: ") and words in err
    assert len(err.strip().splitlines()) == 1


# ---- the bundled catalogue --------------------------------------------------------------------
@pytest.mark.skipif(not (data_dir() / "events.csv").is_file(),
                    reason="data/events.csv not bundled yet")
def test_bundled_catalogue_sample():
    events = ev.load_events()
    assert events.height > 100
    assert events["event_id"].n_unique() == events.height
    sample = pl.concat([events.filter(pl.col("scope") == s).head(1)
                        for s in events["scope"].unique().sort()])
    out = ev.estimate_events(sample, draws=DRAWS)
    assert out.filter(pl.col("status") == "ok").height > 0
    assert out.filter(pl.col("status") != "ok")["reason"].str.len_chars().min() > 10


@pytest.mark.skipif(not (data_dir() / "events.csv").is_file(),
                    reason="data/events.csv not bundled yet")
def test_cli_show_gives_the_year_the_event_started(capsys):
    """Pakistan's X block started 2024-02-17 and Access Now lists it in 2024 and 2025: it is
    a 2024 event, and the count years are a fact of their own."""
    code, out, err = run(capsys, "events", "show", "AN-9677a4227a")
    assert code == 0, err
    lines = dict(line.split(None, 1) for line in out.splitlines() if " " in line.strip())
    assert lines["start"] == "2024-02-17" and lines["year"] == "2024"
    assert lines["listed_years"].startswith("2024, 2025 (")
    assert "Access Now" in lines["listed_years"]
    assert ev.get_event("AN-9677a4227a")["year"] == 2024


def test_country_year_range_is_the_quantiles_of_summed_draws():
    """Two hand-made events of one country-year: P5/P95 come from the draws added draw by
    draw, not from adding their P5 and P95; P50 is the sum of the events' P50."""
    a = [float(x) for x in range(100)]            # 0 … 99
    b = [float(99 - x) for x in range(100)]       # 99 … 0: a + b = 99 in every draw
    rows = []
    for eid, draws in (("e1", a), ("e2", b)):
        q = np.quantile(draws, [0.05, 0.5, 0.95])
        rows.append({"event_id": eid, "iso3": "IND", "year": 2020, "variant": "capped",
                     "method": "impact", "status": "ok", "scope": "full",
                     "costed_hours": 10.0, "loss_usd_p05": q[0], "loss_usd_p50": q[1],
                     "loss_usd_p95": q[2], "draws_usd": draws})
    est = pl.DataFrame(rows)
    row = ev.summarise(est).row(0, named=True)
    assert row["loss_usd_p50"] == 99.0                       # 49.5 + 49.5
    # the summed draws are all 99: no spread at all (the summed quantiles would say 9.9–188.1)
    assert row["loss_usd_p05"] == row["loss_usd_p95"] == 99.0
    assert row["loss_usd_p05_agg"] == row["loss_usd_p95_agg"] == 99.0
    plain = ev.summarise(est.drop("draws_usd")).row(0, named=True)
    assert (plain["loss_usd_p05"], plain["loss_usd_p95"]) == (pytest.approx(9.9),
                                                              pytest.approx(188.1))
    assert plain["loss_usd_p05_agg"] is None


def test_flags_name_why_an_event_is_large():
    totals = pl.DataFrame({
        "status": ["ok", "ok", "ok", "ok", "not_applicable"],
        "share_of_gdp_p50": [0.008, 0.001, 0.0001, 0.0049, None],
        "costed_hours": [24.0, 2500.0, 100.0, 2000.0, 9000.0],
        "hours_high": [8712.0, 2500.0, 100.0, 2000.0, 9000.0],
        "hours_basis": ["open_ended_first_day", "dates_whole_days", "times_stated",
                        "hours_stated", "dates_whole_days"],
        "scope": ["full", "mobile", "full", "full", "platforms_other"],
        "reason": [None] * 5})
    flags = ev.event_flags(totals)
    assert flags[0] == "0.8 % of GDP: open-ended blackout, hours drawn up to 8,712 hours"
    assert flags[1].startswith("2,500 hours costed: mobile data cut of whole days")
    assert flags[2:] == [None, None, None]  # below both, at the thresholds, not costed


def test_cli_list_with_flags_names_the_large_events(catalogue, capsys):
    code, out, err = run(capsys, "events", "list", "--flags", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and "flag" in rows[0]
    totals = ev.event_totals(ev.estimate_events(ev.load_events(), ["cost_compatible"],
                                                draws=1_000))
    expected = {r["event_id"]: r["flag"] or "" for r in totals.iter_rows(named=True)}
    assert {r["event_id"]: r["flag"] for r in rows} == expected
    assert any(expected.values())  # the Iranian multi-year platform block, at least


def test_cli_summary_of_the_headline_and_a_wrong_method(catalogue, capsys):
    """--method ensemble totals each event's headline (`add_headline`): PAK 2024's P50 is
    the sum of its event-years' headline P50s. A wrong name says ensemble is accepted too."""
    from impact.catalogue.events import add_headline, estimate_events, load_events

    code, out, err = run(capsys, "events", "summary", "--country", "PAK", "--years", "2024",
                         "--method", "ensemble", "--format", "csv", "--draws", str(DRAWS))
    assert code == 0, err
    row = next(csv.DictReader(io.StringIO(out)))
    parts = add_headline(estimate_events(load_events("PAK", 2024), "all", draws=DRAWS))
    mine = parts.filter((pl.col("method") == "ensemble") & (pl.col("variant") == "capped")
                        & (pl.col("year") == 2024) & (pl.col("status") == "ok"))
    assert (row["iso3"], row["year"]) == ("PAK", "2024")
    assert float(row["loss_usd_p50"]) == pytest.approx(mine["loss_usd_p50"].sum(), rel=1e-9)
    code, out, err = run(capsys, "events", "summary", "--method", "ensembl")
    assert code == 2 and "or ensemble for each event's headline" in err


def test_country_takes_a_comma_separated_list_and_names_with_commas(capsys):
    """``--country ETH,MMR`` is ``--country ETH --country MMR``; a name with a comma of its own
    ("Iran, Islamic Rep.") stays one country; a bad part is one line naming it."""
    base = ["events", "summary", "--years", "2021", "--draws", "200", "--format", "csv"]
    assert main([*base, "--country", "ETH,MMR"]) == 0
    listed = capsys.readouterr().out
    assert main([*base, "--country", "ETH", "--country", "MMR"]) == 0
    assert capsys.readouterr().out == listed
    assert {r["iso3"] for r in csv.DictReader(io.StringIO(listed))} == {"ETH", "MMR"}
    assert main(["events", "list", "--country", "Iran, Islamic Rep.", "--years", "2019"]) == 0
    capsys.readouterr()
    assert main([*base, "--country", "ETH,XXX"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: country: 'XXX'")
