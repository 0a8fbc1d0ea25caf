"""AppTest checks of the Streamlit pages: every page runs, and the Estimate page reacts to its
widgets the way a user expects (without a browser; see tests/e2e for the real one)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import impact
from impact.errors import DataError
from impact.methods import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
PAGES = ["app_pages/estimate.py", "app_pages/methods.py", "app_pages/data.py"]
TIMEOUT = 60  # first run imports polars/numpy and fills the caches


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


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
    assert "Pakistan" in at.markdown[0].value
    table = at.dataframe[0].value
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
    assert "India" in at.markdown[0].value
    assert "48 hours" in at.markdown[0].value
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
    assert "does not cost platforms scenarios" in reasons


def test_platforms_scope_without_a_platform_is_an_error_not_a_traceback():
    at = _estimate_page()
    at.radio(key="scope").set_value("platforms").run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("platforms:")
    assert not at.metric


def test_throttling_shows_intensity_and_scales_the_loss():
    at = _estimate_page()
    full = _impact_p50(at)
    at.radio(key="scope").set_value("throttling").run()
    assert at.slider(key="intensity").value == 0.5
    half = _impact_p50(at)
    at.slider(key="intensity").set_value(1.0).run()
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
    at.slider(key="circumvention").set_value(0.5).run()
    assert not at.exception and not at.error
    assert "2024" in at.markdown[0].value
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
    assumption_frames = [d.value for d in at.dataframe if "parameter" in d.value.columns
                         and "source" in d.value.columns]
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


def test_country_without_data_shows_the_data_error():
    at = _estimate_page()
    at.selectbox(key="country").set_value("Korea, Dem. People's Rep.").run()
    assert not at.exception
    assert len(at.error) == 1
    assert "no GDP" in at.error[0].value
    assert not at.metric


def test_log_axis_toggle_keeps_the_page_working():
    at = _estimate_page()
    at.toggle(key="log_scale").set_value(True).run()
    assert not at.exception and not at.error
    assert len(at.metric) == len(REGISTRY)
