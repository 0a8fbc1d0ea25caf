"""The app's view model behind the pages (no streamlit needed)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, time

import polars as pl
import pytest

from app_pages.estimate_exports import DOWNLOADS, export_file
from app_pages.estimate_query import query_url, scenario_query, state_from_query
from app_pages.estimate_view import estimate_view, method_cards, results_table
from app_pages.viewmodel import ESTIMATE_DEFAULTS, country_names, scenario_input
from impact import estimate, parse_scenario
from impact import format as fmt
from impact.methods import REGISTRY
from impact.vocab import parameter_label


@pytest.fixture(scope="module")
def platform_estimate():
    scenario = parse_scenario(scenario_input(country="Pakistan", duration_hours=10,
                                             scope="platforms", platforms=["x"]))
    return estimate(scenario, draws=1000)


def test_defaults_are_a_valid_scenario():
    assert "Pakistan" in country_names()
    d = ESTIMATE_DEFAULTS
    data = scenario_input(country=d["country"], duration_hours=d["duration_hours"],
                          scope=d["scope"], platforms=d["platforms"],
                          affected_share=d["affected_share"], currency=d["currency"])
    scenario = parse_scenario(data)
    assert scenario.iso3 == "PAK" and scenario.hours == 10
    assert d["methods"] == list(REGISTRY)


def test_scenario_input_passes_only_fields_that_apply():
    data = scenario_input(country="India", duration_hours=5, scope="full", platforms=["x"],
                          intensity=0.3, start_date=date(2024, 2, 8), start_time=time(7, 30))
    assert "platforms" not in data and "intensity" not in data
    assert data["start"] == "2024-02-08T07:30:00"
    assert parse_scenario(data).event_year == 2024
    throttled = scenario_input(country="India", duration_hours=5, scope="throttling",
                               intensity=0.3)
    assert parse_scenario(throttled).effective_intensity == 0.3


def test_cards_and_table_mark_not_applicable(platform_estimate):
    cards = {c["method"]: c for c in method_cards(platform_estimate.summary)}
    assert cards["deloitte2016"]["value"] == "not applicable"
    assert cards["impact"]["value"].startswith("USD ")
    assert cards["impact"]["range"].startswith("P5–P95: USD ")
    table = results_table(platform_estimate.summary)
    assert table.height == len(REGISTRY)
    ok = platform_estimate.summary.filter(pl.col("status") == "ok").height
    assert ok == 4  # impact, cost_compatible, brookings2016, panel; not deloitte/icrier
    ranges = estimate_view(platform_estimate).ranges
    assert ranges["method"].to_list() == ["ensemble", *platform_estimate.summary.filter(
        pl.col("status") == "ok")["method"]]  # the ensemble first, then the costed methods


def test_downloads_have_a_row_per_method(platform_estimate):
    text = export_file("csv", platform_estimate)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["method"] for r in rows] == [*REGISTRY, "ensemble"]  # the methods, the headline
    assert "ensemble" not in platform_estimate.summary["method"]  # the page's rows: methods
    payload = json.dumps(json.loads(export_file("json", platform_estimate)))
    assert all(f'"{name}"' in payload for name in REGISTRY)
    assert '"platforms"' in payload
    assert export_file("xlsx", platform_estimate)[:2] == b"PK"  # a zip container
    assert export_file("markdown", platform_estimate).startswith("# ")
    assert [d[0] for d in DOWNLOADS] == ["download_csv", "download_assumptions_csv",
                                         "download_json", "download_xlsx",
                                         "download_report", "download_brief_pdf",
                                         "download_brief_html"]
    assert export_file("brief_pdf", platform_estimate).startswith(b"%PDF")
    assert "<img" in export_file("brief_html", platform_estimate)


def test_estimate_view_has_everything_the_page_shows(platform_estimate):
    view = estimate_view(platform_estimate)
    assert "Pakistan" in view.headline and "10 hours" in view.headline
    assert view.area.startswith("Affected area: ")
    assert len(view.cards) == view.table.height == len(REGISTRY)
    assert view.ranges.height == 5  # the ensemble and the four costed methods
    assert view.assumptions.columns == ["Method", "Input", "Value", "Range (P5 to P95)",
                                        "Unit", "Source", "Notes"]
    assert view.assumptions.height == platform_estimate.assumptions.height
    assert view.components.columns == ["Method", "Part", "Amount [USD]"]
    assert view.components["Part"].to_list() == ["Direct loss", "Indirect (spillover)",
                                                 "Recovered later"]
    assert set(view.components["Method"]) == {meth.title for meth in REGISTRY.values()
                                              if meth.components is not None}
    assert all(v.startswith("USD ") for v in view.components["Amount [USD]"])
    assert view.stem == "impact_PAK_platforms_10h"


def test_detail_tables_speak_in_words_and_in_the_output_currency():
    """GDP reads as money in the chosen currency, shares as percentages, inputs by name;
    no raw parameter name, no scientific notation, in any table."""
    sc = parse_scenario({"country": "Pakistan", "duration_hours": 10, "currency": "local"})
    est = estimate(sc, draws=500)
    view = estimate_view(est)
    gdp = view.assumptions.filter((pl.col("Method") == REGISTRY["impact"].title)
                                  & (pl.col("Input") == parameter_label("gdp_usd")))
    factor = est.conversion.factor
    gdp_usd = est.assumptions.filter((pl.col("method") == "impact")
                                     & (pl.col("parameter") == "gdp_usd"))["value"][0]
    assert gdp["Value"][0] == fmt.money(gdp_usd * factor, "PKR")
    assert gdp["Unit"][0] == "per year"
    share = view.assumptions.filter(pl.col("Input") == parameter_label("digital_share"))
    assert share["Value"][0].endswith(" %")
    assert view.sensitivity.columns[2:] == ["Loss with the input at P5 [PKR]",
                                            "Loss with the input at P95 [PKR]", "Swing [PKR]"]
    assert view.components.columns[-1] == "Amount [PKR]"
    for table in (view.assumptions, view.sensitivity, view.components, view.table):
        for col in table.columns:
            for cell in table[col].cast(pl.String).drop_nulls():
                assert not re.search(r"\de[+-]\d", cell), (col, cell)
        for col in ("Input", "Method"):
            if col in table.columns:
                assert not any("_" in c for c in table[col]), table[col].to_list()
    # the drivers in words, on the cards and in the comparison
    assert not any("_" in d for d in view.table["main driver"]), view.table["main driver"]
    assert "digital-economy share of GDP" in view.table["main driver"].to_list()
    assert not any("_" in card["lines"] for card in view.cards)
    money = [c for t in (view.sensitivity, view.components) for col in t.columns[2:]
             for c in t[col]]
    assert money and all(c.startswith("PKR ") for c in money)


@pytest.mark.parametrize("log", [False, True])
def test_range_chart_shows_the_ensemble_and_each_method(platform_estimate, log):
    from impact.report.charts import range_chart

    ranges = estimate_view(platform_estimate).ranges
    spec = range_chart(ranges, currency="PKR", log=log)
    json.dumps(spec)  # plain data
    assert "data" not in spec  # the rows in a layer, where Streamlit leaves them in the spec
    [inner] = spec["layer"]
    bars, dots, names = inner["layer"]
    assert bars["encoding"]["x"]["field"] == "p05" and bars["encoding"]["x2"]["field"] == "p95"
    assert dots["encoding"]["x"]["field"] == "p50"
    assert "PKR" in bars["encoding"]["x"]["axis"]["title"]
    assert bars["encoding"]["x"]["scale"] == ({"type": "log"} if log else {"zero": True})
    rows = inner["data"]["values"]  # one set of rows for the bars, dots and names
    assert names["encoding"]["text"]["field"] == "label"
    assert [r["kind"] for r in rows] == ["ensemble"] + ["method"] * (len(rows) - 1)
    assert rows[0]["label"].startswith(rows[0]["p50_label"]) and "Headline" in rows[0]["label"]
    assert spec["height"] == 40 * len(rows)
    if log:  # a log axis cannot show 0
        assert min(r["p05"] for r in rows) >= max(r["p95"] for r in rows) / 1000


def test_scenario_input_with_regions_drops_the_share():
    data = scenario_input(country="India", duration_hours=5, scope="full", affected_share=0.5,
                          regions=["Jammu & Kashmir"])
    assert data["regions"] == ["Jammu & Kashmir"] and data["affected_share"] is None
    assert parse_scenario(data).regions == ("Jammu & Kashmir",)


def test_display_text_follows_impact_format(platform_estimate):
    """Cards, the comparison table and the chart labels use one formatter."""
    summary = platform_estimate.summary
    impact_row = summary.filter(pl.col("method") == "impact").row(0, named=True)
    card = next(c for c in method_cards(summary) if c["method"] == "impact")
    assert card["value"] == fmt.money(impact_row["loss_p50"])
    assert card["range"] == "P5–P95: " + fmt.money_range(impact_row["loss_p05"],
                                                         impact_row["loss_p95"])
    assert f"share of annual GDP: {fmt.percent(impact_row['share_of_gdp_p50'])}" in card["lines"]
    table = results_table(summary).to_dicts()
    deloitte = next(r for r in table if r["method"] == REGISTRY["deloitte2016"].title)
    assert deloitte["P50"] == deloitte["per day (P50)"] == fmt.MISSING
    labels = estimate_view(platform_estimate).ranges["p50_label"].to_list()
    assert fmt.money(impact_row["loss_p50"]) in labels


def test_uploaded_batch_template_runs_and_bad_files_are_rejected():
    from app_pages.batch_view import BATCH_TEMPLATE
    from app_pages.viewmodel import run_uploaded_batch
    from impact import InputError

    results, estimates, errors = run_uploaded_batch(BATCH_TEMPLATE.encode(), "t.csv",
                                                    ["impact"], 200)
    assert sorted(estimates) == ["ind-regional", "irn-throttle", "pak-election", "pak-x"]
    assert errors == [] and results.height == 4 * 2  # impact and the ensemble, per id
    assert results["method"].to_list() == ["impact", "ensemble"] * 4
    bad = BATCH_TEMPLATE.replace("ind-regional,IND,,,72,full,,0.01", "ind-regional,IND,,,72,"
                                 "full,,1.5").encode()
    _, estimates, errors = run_uploaded_batch(bad, "t.csv", ["impact"], 200)
    assert len(estimates) == 3 and len(errors) == 1
    assert str(errors[0]).startswith("row 3 (id=ind-regional): affected_share")
    for data, words in [(b"", "empty"), (b"\x00\xff\x00garbage", "NUL byte"),
                        (b"id,colour\n1,red\n", "known columns")]:
        with pytest.raises(InputError, match=words):
            run_uploaded_batch(data, "t.csv", ["impact"], 200)


# ---- shareable scenario links ----------------------------------------------------------------
def _state_to_query(state: dict) -> dict[str, str]:
    """What the Estimate page writes for widget values ``state`` (defaults filled in)."""
    s = ESTIMATE_DEFAULTS | state
    mode = s["area_mode"]
    data = scenario_input(
        country=s["country"], duration_hours=s["duration_hours"], scope=s["scope"],
        platforms=s["platforms"],
        affected_share=s["affected_share"] if mode == "share" else None,
        regions=s["regions"] if mode == "regions" else (), intensity=s["intensity"],
        circumvention=s["circumvention"] if s["use_circumvention"] else None,
        start_date=s["start_date"] if s["use_start"] else None,
        start_time=s["start_time"] if s["use_start"] else None, currency=s["currency"])
    return scenario_query(parse_scenario(data), s["methods"])


def test_default_link_has_only_country_and_duration():
    assert _state_to_query({}) == {"country": "PAK", "duration_hours": "10"}
    assert query_url(_state_to_query({})) == "/?country=PAK&duration_hours=10"


@pytest.mark.parametrize("state", [
    {"country": "India", "duration_hours": 48.0, "scope": "mobile"},
    {"scope": "platforms", "platforms": ["x", "youtube"], "currency": "local"},
    {"scope": "throttling", "intensity": 0.75, "area_mode": "share", "affected_share": 0.3},
    {"use_start": True, "start_date": date(2024, 2, 8), "start_time": time(7, 15),
     "use_circumvention": True, "circumvention": 0.25, "methods": ["impact", "icrier2018"]},
    {"area_mode": "regions", "regions": ["Punjab", "Sindh"], "duration_hours": 2.5},
])
def test_link_round_trips_the_widget_values(state):
    params = _state_to_query(state)
    restored, problems = state_from_query(params)
    assert problems == []
    for key, value in state.items():
        assert restored[key] == value, key
    assert _state_to_query(restored) == params


def test_link_is_compact_and_readable():
    params = _state_to_query({"area_mode": "regions", "regions": ["Punjab", "Sindh"],
                              "use_start": True, "methods": ["impact"]})
    assert params == {"country": "PAK", "duration_hours": "10", "regions": "Punjab;Sindh",
                      "start": "2024-02-08T08:00", "methods": "impact"}
    assert query_url(params) == ("/?country=PAK&duration_hours=10&regions=Punjab;Sindh"
                                 "&start=2024-02-08T08:00&methods=impact")


def test_link_accepts_names_aliases_and_fills_defaults():
    state, problems = state_from_query({"country": "pakistan", "scope": "platforms",
                                        "platforms": "twitter,fb", "methods": "impact;icrier2018"})
    assert problems == []
    assert state["country"] == "Pakistan" and state["duration_hours"] == 10.0
    assert state["platforms"] == ["x", "facebook"]
    assert state["methods"] == ["impact", "icrier2018"]
    assert state_from_query({}) == ({}, [])


@pytest.mark.parametrize(("params", "field", "accepted"), [
    ({"country": "Narnia"}, "country", "ISO 3166 alpha-3"),
    ({"country": "IND", "affected_share": "1.5"}, "affected_share", "between 0 and 1"),
    ({"country": "IND", "colour": "red"}, "colour", "accepted parameters are country"),
    ({"duration_hours": "10000"}, "duration_hours", "1 to 8760"),
    ({"duration_hours": "-3"}, "duration_hours", "> 0"),
    ({"scope": "everything"}, "scope", "full, mobile, platforms, throttling"),
    ({"scope": "platforms"}, "platforms", "at least one platform"),
    ({"intensity": "0.3"}, "intensity", "scope=throttling"),
    ({"methods": "impact,guesswork"}, "methods", "impact"),
    ({"regions": "Atlantis"}, "regions", ""),
    ({"start": "yesterday"}, "start", "ISO date-time"),
])
def test_bad_link_gives_no_state_and_names_the_parameter(params, field, accepted):
    state, problems = state_from_query(params)
    assert state == {}
    assert problems and problems[-1].startswith(f"{field}:"), problems
    assert accepted in problems[-1]
