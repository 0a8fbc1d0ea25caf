"""AppTest checks of the Streamlit pages: every page runs, and the Estimate page reacts to its
widgets the way a user expects (without a browser; see tests/e2e for the real one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import impact
from app_pages import viewmodel as vm
from app_pages.events_filters import default_years
from app_pages.events_search import search_events
from app_pages.viewmodel import ESTIMATE_DEFAULTS
from impact import format as fmt
from impact.bundled.regions import region_names
from impact.catalogue.events import catalogue, load_events
from impact.errors import DataError
from impact.methods import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
EVENTS = str(ROOT / "app_pages" / "events.py")
PAGES = ["app_pages/estimate.py", "app_pages/events.py", "app_pages/batch.py",
         "app_pages/methods.py", "app_pages/data.py"]
TIMEOUT = 60  # first run imports polars/numpy and fills the caches


def _estimate_page() -> AppTest:
    at = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def _values(at: AppTest) -> dict[str, str]:
    """Method title -> the headline (P50 or status) shown in its metric."""
    return {m.label: m.value for m in at.metric}


def _impact_p50(at: AppTest) -> str:
    return _values(at)[REGISTRY["impact"].title]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_through_the_router(page):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    assert at.title, f"{page} shows no title"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_its_own(page):
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert not at.error


def test_default_run_shows_five_methods_for_pakistan():
    at = _estimate_page()
    values = _values(at)
    assert list(values) == [m.title for m in REGISTRY.values()]
    assert all(v.startswith("USD ") for v in values.values()), values
    assert "Pakistan" in _scenario_line(at)
    table = _frame_with(at, "status")
    assert len(table) == len(REGISTRY)
    assert set(table["status"]) == {"ok"}
    assert not at.error


def test_country_and_duration_change_the_p50():
    at = _estimate_page()
    before = _impact_p50(at)
    at.selectbox(key="country").set_value("India")
    at.number_input(key="duration_hours").set_value(48.0)
    at.run()
    assert not at.exception and not at.error
    assert "India" in _scenario_line(at)
    assert "48 hours" in _scenario_line(at)
    assert _impact_p50(at) != before


def test_duration_alone_changes_the_p50():
    at = _estimate_page()
    before = _impact_p50(at)
    at.number_input(key="duration_hours").set_value(100.0).run()
    assert _impact_p50(at) != before


def test_platform_block_of_x_is_not_applicable_for_deloitte_and_icrier():
    at = _estimate_page()
    at.radio(key="scope").set_value("platforms").run()
    at.multiselect(key="platforms").select("x").run()
    assert not at.exception and not at.error
    values = _values(at)
    assert values[REGISTRY["deloitte2016"].title] == "not applicable"
    assert values[REGISTRY["icrier2018"].title] == "not applicable"
    for name in ("impact", "cost_compatible", "brookings2016"):
        assert values[REGISTRY[name].title].startswith("USD "), values
    reasons = " ".join(c.value for c in at.caption)
    assert "has no figure for platform blocks" in reasons


def test_platforms_scope_without_a_platform_asks_for_one():
    at = _estimate_page()
    at.radio(key="scope").set_value("platforms").run()
    at.multiselect(key="platforms").set_value([]).run()
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == [
        "Choose one or more blocked platforms in the sidebar, or another scope."]
    assert not at.metric
    at.multiselect(key="platforms").select("whatsapp").run()
    assert not at.exception and not at.error
    assert not any(i.value.startswith("Choose") for i in at.info)
    assert len(at.metric) == len(REGISTRY)


def test_throttling_shows_intensity_and_scales_the_loss():
    at = _estimate_page()
    full = _impact_p50(at)
    at.radio(key="scope").set_value("throttling").run()
    assert at.slider(key="intensity_pct").value == 50
    half = _impact_p50(at)
    at.slider(key="intensity_pct").set_value(100).run()
    assert not at.exception and not at.error
    assert len({full, half, _impact_p50(at)}) >= 2


def test_local_currency_uses_the_country_currency():
    at = _estimate_page()
    at.radio(key="currency").set_value("local").run()
    assert not at.exception and not at.error
    assert all(v.startswith("PKR ") for v in _values(at).values())


def test_start_date_and_circumvention_are_accepted():
    at = _estimate_page()
    at.toggle(key="use_start").set_value(True).run()
    at.toggle(key="use_circumvention").set_value(True).run()
    at.slider(key="circumvention_pct").set_value(50).run()
    assert not at.exception and not at.error
    assert "2024" in _scenario_line(at)
    assert len(at.metric) == len(REGISTRY)


def test_method_subset_and_empty_selection():
    at = _estimate_page()
    at.multiselect(key="methods").set_value(["impact", "icrier2018"]).run()
    assert list(_values(at)) == [REGISTRY["impact"].title, REGISTRY["icrier2018"].title]
    at.multiselect(key="methods").set_value([]).run()
    assert not at.exception
    assert not at.metric
    assert at.warning


def test_assumptions_notes_and_downloads_are_shown():
    at = _estimate_page()
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Assumptions") for label in labels)
    assert any(label.startswith("Data vintages") for label in labels)
    assumption_frames = [d.value for d in at.dataframe if "Input" in d.value.columns
                         and "Source" in d.value.columns]
    assert assumption_frames and len(assumption_frames[0]) > 10
    buttons = [b.proto.label for b in at.get("download_button")]
    assert "Download CSV" in buttons and "Download JSON" in buttons


def test_data_error_is_one_line(monkeypatch):
    def no_data(*args, **kwargs):
        raise DataError("no GDP for XYZ in any year; pick another country")

    monkeypatch.setattr(impact, "estimate", no_data)
    at = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["no GDP for XYZ in any year; pick another country"]


def test_unexpected_error_shows_a_short_message(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(impact, "estimate", broken)
    at = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "could not be estimated" in at.error[0].value


def test_inputs_survive_a_visit_to_another_page():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.selectbox(key="country").set_value("India").run()
    at.switch_page("app_pages/methods.py").run()
    at.switch_page("app_pages/estimate.py").run()
    assert not at.exception
    assert at.selectbox(key="country").value == "India"


def test_countries_without_data_are_marked_and_say_why():
    at = _estimate_page()
    box = at.selectbox(key="country")
    marked = [o for o in box.options if o.endswith("(no data)")]
    assert "North Korea (no data)" in marked and "Taiwan (no data)" in marked
    assert "Pakistan" in box.options and "Pakistan (no data)" not in marked
    assert len(marked) == len(vm.unestimable_names())
    box.set_value("North Korea").run()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == [
        ("**North Korea** cannot be estimated: no GDP (current USD) in the "
         "bundled World Bank data. Choose another country.")]
    assert not at.metric and not at.get("vega_lite_chart")
    at.selectbox(key="country").set_value("Isle of Man").run()
    assert "no internet-user share" in at.warning[0].value
    # a place the World Bank publishes nothing for is listed, and says what it would need
    at.selectbox(key="country").set_value("Taiwan").run()
    assert not at.exception and not at.error and not at.metric
    assert at.warning[0].value.startswith("**Taiwan** cannot be estimated: Taiwan has no GDP")
    assert "IMF World Economic Outlook" in at.warning[0].value
    at.selectbox(key="country").set_value("India").run()
    assert not at.warning and len(at.metric) == len(REGISTRY)


def test_country_list_uses_one_display_name_per_country():
    """The select box names countries as sentences and Past events do ("Iran", "Russia"),
    never the World Bank's inverted or formal names."""
    names = vm.country_names()
    assert {"Iran", "Russia", "Egypt", "Yemen", "South Korea", "DR Congo"} <= set(names)
    assert not [n for n in names if ", " in n or "Federation" in n or "Islamic Rep" in n]
    assert list(names) == sorted(names)


def test_log_axis_toggle_keeps_the_page_working():
    at = _estimate_page()
    at.toggle(key="log_scale").set_value(True).run()
    assert not at.exception and not at.error
    assert len(at.metric) == len(REGISTRY)


# ---- affected area on the Estimate page ---------------------------------------------------
def _money(text: str) -> float:
    """``"USD 42.7 m"`` -> 42.7e6."""
    return fmt.parse_number(text)


@pytest.mark.parametrize("country", ["Pakistan", "India", "United States", "Narnia"])
def test_sidebar_regions_are_those_of_impact_regions(country):
    from app_pages.cached import country_regions
    from impact.bundled.countries import resolve_country

    try:
        expected = region_names(resolve_country(country))
    except impact.ImpactError:
        expected = []
    assert country_regions(country) == expected


def test_area_choice_offers_regions_only_where_bundled():
    at = _estimate_page()
    assert at.radio(key="area_mode").value == "country"
    assert ("Chosen regions" in at.radio(key="area_mode").options) == bool(region_names("PAK"))
    assert "affected_share_pct" not in [s.key for s in at.slider]
    at.radio(key="area_mode").set_value("share").run()
    assert at.slider(key="affected_share_pct").value == 100
    at.slider(key="affected_share_pct").set_value(50).run()
    assert not at.exception and not at.error
    assert "50 %" in _scenario_line(at)


def test_chosen_regions_give_a_smaller_loss_and_show_the_detail():
    if "Jammu & Kashmir" not in region_names("IND"):
        pytest.skip("no admin-1 populations for India bundled")
    at = _estimate_page()
    at.selectbox(key="country").set_value("India").run()
    whole = _money(_impact_p50(at))
    at.radio(key="area_mode").set_value("regions").run()
    assert not at.exception and not at.error
    at.multiselect(key="regions").set_value(["Jammu & Kashmir"]).run()
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "Jammu & Kashmir" in captions
    assert _money(_impact_p50(at)) < whole
    # a country without bundled regions falls back to the whole country, no error
    at.selectbox(key="country").set_value("United States").run()
    assert not at.exception and not at.error
    assert at.radio(key="area_mode").value == "country"
    assert "Chosen regions" not in at.radio(key="area_mode").options
    assert at.metric


# ---- Past events page ----------------------------------------------------------------------
def _events_page() -> AppTest:
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert not at.error
    return at


def _ranked(at: AppTest):
    return at.dataframe[0].value


def _scenario_line(at: AppTest) -> str:
    """The Estimate page's scenario line (country · year · hours · scope), under the
    headline sentence."""
    return next(m.value for m in at.markdown if m.value.startswith("**") and " · " in m.value)


#: the Past events page's default years (the catalogue's last two)
PAGE_YEARS = default_years(catalogue())


def _frame_with(at: AppTest, column: str):
    """The first shown table having ``column`` (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _numbers(cells) -> list[float | None]:
    """Shown cells (text of `impact.format`) read back as numbers."""
    return [fmt.parse_number(c) for c in cells]


def test_events_page_defaults_to_pakistan_2024_with_the_x_block_and_8_feb():
    expected = load_events("PAK", PAGE_YEARS)
    if expected.height == 0:
        pytest.skip("no Pakistan 2024 events in the catalogue")
    at = _events_page()
    assert at.multiselect(key="ev_countries").value == ["PAK"]
    assert tuple(at.slider(key="ev_years").value) == PAGE_YEARS
    table = _ranked(at)
    assert len(table) == expected.height
    assert set(table["country"]) == {"Pakistan"}
    x_block = table[(table["scope"] == "platforms")
                    & table["platforms"].str.split(", ").apply(lambda p: "x" in p)]
    assert len(x_block) >= 1
    assert (x_block["status"] == "ok").all()
    assert all(h <= 8760 for h in _numbers(x_block["hours"]))  # capped at a year by default
    if expected.filter((expected["scope"] == "mobile")
                       & (expected["start"].cast(str) == "2024-02-08")).height:
        feb8 = table[(table["scope"] == "mobile")
                     & (table["start"].astype(str).str.startswith("2024-02-08"))]
        assert len(feb8) == 1 and fmt.parse_number(feb8["P50 [USD]"].iloc[0]) > 0
    assert {"share method", "affected share", "P5 [USD]", "P95 [USD]"} <= set(table.columns)
    assert "1,000" in " ".join(c.value for c in at.caption)
    # the comparison pre-selects Pakistan 2024 events, the totals have one country-year
    assert at.multiselect(key="ev_compare").value
    compared = _frame_with(at, "rank per day")
    assert {"per day [USD]", "per capita [USD]", "% of GDP"} <= set(compared.columns)
    assert len(compared) == len(at.multiselect(key="ev_compare").value)
    assert set(_frame_with(at, "events costed")["year"]) <= {str(y) for y in PAGE_YEARS}
    labels = [e.label for e in at.expander]
    assert any("associational" in label for label in labels)
    buttons = [b.proto.label for b in at.get("download_button")]
    assert "Download CSV" in buttons


def test_uncapped_variant_costs_the_full_x_block():
    at = _events_page()
    at.radio(key="ev_variant").set_value("uncapped").run()
    assert not at.exception and not at.error
    table = _ranked(at)
    x_block = table[(table["scope"] == "platforms") & (table["platforms"] == "x")]
    if len(x_block) and load_events("PAK", 2024, platform="x")["duration_hours"].max() > 8760:
        assert all(h > 8760 for h in _numbers(x_block["hours"]))


def test_search_and_open_ended_choice():
    at = _events_page()
    at.text_input(key="ev_search").set_value("mobile").run()
    assert not at.exception and not at.error
    table = _ranked(at)
    everything = load_events("PAK", PAGE_YEARS)
    found = search_events(everything, "mobile")
    assert 0 < len(table) == found.height < everything.height
    assert set(table["id"]) == set(found["event_id"])
    at.text_input(key="ev_search").set_value("no such words at all").run()
    assert at.info and "No event" in at.info[0].value
    at.text_input(key="ev_search").set_value("").run()
    at.radio(key="ev_open_ended").set_value("to_snapshot").run()
    assert not at.exception and not at.error
    assert len(_ranked(at))


@pytest.mark.parametrize(("norm", "column"), [("per_day", "per day (P50) [USD]"),
                                              ("per_capita", "per capita (P50) [USD]"),
                                              ("share_of_gdp", "% of GDP (P50)")])
def test_normalisation_changes_the_shown_column(norm, column):
    at = _events_page()
    assert column not in _ranked(at).columns
    at.selectbox(key="ev_norm").set_value(norm).run()
    assert not at.exception and not at.error
    table = _ranked(at)
    assert column in table.columns
    ok = _numbers(table[table["status"] == "ok"][column])
    assert None not in ok and ok == sorted(ok, reverse=True)  # ranked by it


def test_filters_with_no_event_show_an_info_not_an_error():
    at = _events_page()
    at.slider(key="ev_years").set_value((2010, 2010)).run()
    if load_events("PAK", 2010).height:
        pytest.skip("the catalogue has Pakistan events in 2010")
    assert not at.exception and not at.error
    assert at.info and "No event" in at.info[0].value
    assert not at.dataframe


def test_type_platform_and_election_filters():
    at = _events_page()
    at.selectbox(key="ev_platform").set_value("x").run()
    assert not at.exception and not at.error
    table = _ranked(at)
    assert len(table) and table["platforms"].str.contains("x").all()
    at.selectbox(key="ev_platform").set_value("any")
    at.multiselect(key="ev_types").set_value(["mobile"]).run()
    assert set(_ranked(at)["scope"]) == {"mobile"}
    at.toggle(key="ev_election").set_value(True).run()
    assert not at.exception and not at.error
    expected = load_events("PAK", 2024, type="mobile", election=True).height
    if expected:
        assert len(_ranked(at)) == expected
    else:
        assert at.info


def test_platform_ledger_on_past_events():
    at = _events_page()
    ledger = _frame_with(at, "events costed")
    assert ledger is not None
    tables = [d.value for d in at.dataframe if "platform" in d.value.columns]
    if load_events("PAK", 2024, type="platforms").height:
        assert tables and "X (Twitter)" in set(tables[0]["platform"])


def test_other_method_and_comparison_selection():
    at = _events_page()
    at.selectbox(key="ev_method").set_value("deloitte2016").run()
    assert not at.exception and not at.error
    table = _ranked(at)
    assert set(table[table["scope"] == "platforms"]["status"]) <= {"not_applicable",
                                                                   "unavailable"}
    chosen = list(table[table["status"] == "ok"]["id"])[:2]
    at.multiselect(key="ev_compare").set_value(chosen).run()
    assert not at.exception and not at.error
    assert len(_frame_with(at, "rank per day")) == len(chosen)


def test_risk_panel_title_says_which_year_and_why_before_it_is_opened():
    from impact.catalogue.associations import risk_year

    at = _events_page()
    year = risk_year()
    title = next(e.label for e in at.expander if e.label.startswith("Risk of a new shutdown"))
    assert title.startswith(f"Risk of a new shutdown starting in {year.year}, ")
    if year.year != year.today.year + 1:  # not the next year: the title says why
        assert f"{year.today.year + 1} cannot be predicted from the catalogue snapshot" in title
    assert not any("probability [%]" in d.value.columns for d in at.dataframe)


def test_risk_panel_is_fitted_only_when_opened():
    at = _events_page()
    assert not any("probability [%]" in d.value.columns for d in at.dataframe)
    at.session_state["ev_risk_open"] = True  # the user opens the panel
    at.run()
    assert not at.exception and not at.error
    risk = _frame_with(at, "probability [%]")
    assert list(risk.columns) == ["country", "probability [%]", "90 % interval"]
    assert any("associations in past data" in c.value for c in at.caption)
    from impact.catalogue.associations import risk_year

    year = risk_year()  # the year predicted, and why, are said
    assert any(e.label == f"Risk of a new shutdown starting in {year.short} — associational"
               for e in at.expander)
    assert any(c.value.startswith(year.why) for c in at.caption)


def test_events_error_is_a_message_not_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(impact.catalogue.events, "estimate_events", broken)
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1 and "could not be estimated" in at.error[0].value


def test_events_filters_survive_a_visit_to_another_page():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("app_pages/events.py").run()
    at.selectbox(key="ev_norm").set_value("per_capita").run()
    at.switch_page("app_pages/methods.py").run()
    at.switch_page("app_pages/events.py").run()
    assert not at.exception
    assert at.selectbox(key="ev_norm").value == "per_capita"


def test_batch_page_without_upload_explains_what_to_do():
    at = AppTest.from_file(str(ROOT / "app_pages" / "batch.py"), default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    assert any("Upload a CSV" in i.value for i in at.info)


# ---- shareable scenario links ---------------------------------------------------------------
def _linked(path: str = ESTIMATE, **params: str) -> AppTest:
    """A fresh session opened from a link with query ``params``."""
    at = AppTest.from_file(path, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    return at


def test_link_initialises_the_widgets_and_gives_the_same_p50_as_by_hand():
    linked = _linked(country="IND", duration_hours="48")
    assert not linked.error and not linked.warning
    assert linked.selectbox(key="country").value == "India"
    assert linked.number_input(key="duration_hours").value == 48.0
    by_hand = _estimate_page()
    by_hand.selectbox(key="country").set_value("India")
    by_hand.number_input(key="duration_hours").set_value(48.0).run()
    assert _values(linked) == _values(by_hand)
    assert "India" in _scenario_line(linked) and "48 hours" in _scenario_line(linked)


def test_link_with_every_field_sets_every_widget():
    at = _linked(country="IND", duration_hours="72", scope="throttling", intensity="0.75",
                 affected_share="0.4", circumvention="0.25", start="2024-02-08T07:15",
                 currency="local", methods="impact,icrier2018")
    assert not at.error and not at.warning
    assert at.radio(key="scope").value == "throttling"
    assert at.slider(key="intensity_pct").value == 75
    assert at.radio(key="area_mode").value == "share"
    assert at.slider(key="affected_share_pct").value == 40
    assert at.toggle(key="use_circumvention").value
    assert at.slider(key="circumvention_pct").value == 25
    assert at.toggle(key="use_start").value
    assert str(at.date_input(key="start_date").value) == "2024-02-08"
    assert str(at.time_input(key="start_time").value) == "07:15:00"
    assert at.radio(key="currency").value == "local"
    assert list(_values(at)) == [REGISTRY["impact"].title, REGISTRY["icrier2018"].title]
    assert all(v.startswith("INR ") for v in _values(at).values())


def test_link_with_regions_chooses_them():
    names = region_names("PAK")
    if len(names) < 2:
        pytest.skip("no admin-1 populations for Pakistan bundled")
    at = _linked(regions=f"{names[0]};{names[1]}")
    assert not at.error and not at.warning
    assert at.radio(key="area_mode").value == "regions"
    assert at.multiselect(key="regions").value == names[:2]
    assert names[0] in " ".join(c.value for c in at.caption)
    assert at.query_params["regions"] == f"{names[0]};{names[1]}"


@pytest.mark.parametrize(("params", "field"), [
    ({"country": "Narnia", "duration_hours": "48"}, "country"),
    ({"country": "IND", "affected_share": "1.5"}, "affected_share"),
    ({"country": "IND", "colour": "red"}, "colour"),
    ({"duration_hours": "100000"}, "duration_hours"),
    ({"methods": "guesswork"}, "methods"),
    ({"start": "2100-12-31T23:00", "end": "2101-01-01T01:00"}, "end"),
    ({"country": "GBR", "start": "2024-03-31T01:30", "end": "2024-03-31T03:00"}, "start"),
])
def test_bad_link_warns_and_falls_back_to_the_defaults(params, field):
    default = _values(_estimate_page())
    at = _linked(**params)
    assert not at.error
    assert len(at.warning) == 1
    text = at.warning[0].value.replace("\\", "")  # shown as written: Markdown escaped
    assert f"{field}:" in text and "accepted" in text and "default" in text
    assert at.selectbox(key="country").value == ESTIMATE_DEFAULTS["country"]
    assert at.number_input(key="duration_hours").value == ESTIMATE_DEFAULTS["duration_hours"]
    assert at.radio(key="area_mode").value == "country"
    assert _values(at) == default
    # the address now describes what is shown; the warning goes with the next change
    assert at.query_params == {"country": "PAK", "duration_hours": "10"}
    at.number_input(key="duration_hours").set_value(12.0).run()
    assert not at.warning


def test_estimate_writes_its_non_default_fields_into_the_url():
    at = _estimate_page()
    assert at.query_params == {"country": "PAK", "duration_hours": "10"}
    links = [c.value for c in at.code if not c.value.startswith("impact contributors")]
    assert links == ["/?country=PAK&duration_hours=10"]  # the citation's is its own
    assert any(c.value.startswith("Link to this scenario") for c in at.caption)
    at.selectbox(key="country").set_value("India")
    at.number_input(key="duration_hours").set_value(48.0)
    at.radio(key="scope").set_value("mobile")
    at.multiselect(key="methods").set_value(["impact", "deloitte2016"]).run()
    expected = {"country": "IND", "duration_hours": "48", "scope": "mobile",
                "methods": "impact,deloitte2016"}
    assert at.query_params == expected
    assert at.code[-1].value == ("/?country=IND&duration_hours=48&scope=mobile"
                                 "&methods=impact,deloitte2016")


def test_link_is_read_only_when_the_session_starts():
    at = _linked(country="IND", duration_hours="48")
    at.selectbox(key="country").set_value("Kenya").run()
    assert at.selectbox(key="country").value == "Kenya"
    assert at.query_params["country"] == "KEN"


def test_link_through_the_router_and_a_visit_to_another_page():
    at = _linked(APP, country="IND", duration_hours="48", scope="mobile")
    assert not at.error and not at.warning
    assert at.selectbox(key="country").value == "India"
    assert at.radio(key="scope").value == "mobile"
    at.switch_page("app_pages/methods.py").run()
    at.switch_page("app_pages/estimate.py").run()
    assert not at.exception
    assert at.selectbox(key="country").value == "India"
    assert at.number_input(key="duration_hours").value == 48.0


def test_link_text_is_shown_as_written_not_as_markdown():
    """A parameter name or value that is Markdown (a link, an image) is escaped in the
    warning: no clickable link, no image fetched."""
    at = _linked(**{"[Click here to verify](https://evil.example)": "1",
                    "country": "![p](http://evil.example/x.png)"})
    text = at.warning[0].value
    assert "[Click here to verify](https" not in text and "![p](" not in text
    assert "\\[Click here to verify\\]" in text
