"""AppTest checks of the Estimate page's context: the shutdown risk beside the estimate
(`render_risk`) and the "Beyond the loss" section (`render_context`), drawn by a tiny script
for a few scenarios."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.estimate_context import FAILED, RISK_FAILED
from tests.app.markdown_tables import shown_tables

TIMEOUT = 60


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _script(fields: dict, with_estimate: bool = True) -> None:
    import impact
    from app_pages.estimate_context import render_context, render_risk

    scenario = impact.parse_scenario(fields)
    est = impact.estimate(scenario, ["panel"], draws=200) if with_estimate else None
    render_risk(scenario)
    render_context(scenario, est)


def _run(fields: dict, with_estimate: bool = True) -> AppTest:
    at = AppTest.from_function(_script, args=(fields, with_estimate), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def _table(at: AppTest):
    """The effects table (outcomes as its index) with the outcome as a column again."""
    return shown_tables(at)[0].reset_index()


def _texts(at: AppTest) -> list[str]:
    table = _table(at) if shown_tables(at) else None
    cells = [str(c) for c in table.to_numpy().ravel()] + list(table.columns) if table is not \
        None else []
    return ([m.value for m in at.markdown] + [c.value for c in at.caption]
            + [h.value for h in at.subheader] + cells)


def _check_clean(texts: list[str]) -> None:
    for text in texts:
        assert not re.search(r"\d[eE][+-]?\d", text), text  # no scientific notation
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # no raw column names


def test_pakistan_10_hours_full():
    at = _run({"country": "Pakistan", "duration_hours": 10, "scope": "full"})
    assert [h.value for h in at.subheader] == ["Beyond the loss: associations"]
    table = _table(at)
    assert list(table.columns) == ["Outcome", "Effect of this scenario (90 % interval)",
                                   "Reading"]
    assert list(table["Outcome"]) == [
        "GDP growth (percentage points of annual growth)",
        "FDI net inflows (percentage points of GDP)",
        "Unemployment rate (percentage points of the labour force)"]
    # -0.0103, -0.00725 and -0.00138 to two significant figures, with a true minus
    assert [e.split(" (")[0] for e in table["Effect of this scenario (90 % interval)"]] == [
        "\u22120.01 pp", "\u22120.0072 pp", "\u22120.0014 pp"]
    assert all(r.startswith("not distinguishable from zero") for r in table["Reading"])
    assert "the panel method turns this effect into its loss" in table["Reading"][0]
    assert [r.rsplit("(p = ", 1)[1] for r in table["Reading"]] == ["0.56)", "0.3)", "0.69)"]
    samples = next(c.value for c in at.caption if c.value.startswith("Fitted on "))
    assert "GDP growth: 1,873 country-years, 211 countries, 2016–2024" in samples
    risk = [m.value for m in at.markdown if m.value.startswith("Risk that")]
    assert risk and " in 2026: " in risk[0] and "rank 5 of 171 countries" in risk[0]
    assert any("2026 is predicted from the 2025 covariates" in c.value for c in at.caption)
    assert any("0.417 national-equivalent days" in c.value for c in at.caption)
    _check_clean(_texts(at))


def test_india_48_hours_mobile():
    at = _run({"country": "India", "duration_hours": 48, "scope": "mobile"})
    table = _table(at)
    assert all(r.startswith("not distinguishable from zero") for r in table["Reading"])
    assert any(m.value.startswith("Risk that a new shutdown starts in India in 2026")
               for m in at.markdown)
    _check_clean(_texts(at))


def test_platform_block_gdp_is_an_association():
    at = _run({"country": "Pakistan", "duration_hours": 240, "scope": "platforms",
               "platforms": "x"})
    table = _table(at)
    assert table["Reading"][0].startswith("an association, not a measured cause: "
                                          "country-years with more platform-block")
    assert table["Reading"][2].startswith("not distinguishable from zero")
    assert any("platform-block coefficient" in c.value for c in at.caption)
    _check_clean(_texts(at))


def test_country_outside_the_sample():
    at = _run({"country": "Eritrea", "duration_hours": 24}, with_estimate=False)
    table = _table(at)
    assert "Eritrea is outside this fit's estimation sample" in table["Reading"][0]
    assert table["Effect of this scenario (90 % interval)"][0] == "–"
    assert any(m.value.startswith("No risk estimate for Eritrea in 2026") for m in at.markdown)
    _check_clean(_texts(at))


def test_a_failure_is_a_caption_not_an_exception(monkeypatch):
    import impact.catalogue.associations

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(impact.catalogue.associations, "scenario_effects", broken)
    at = _run({"country": "Pakistan", "duration_hours": 10})
    assert not at.error
    assert any(c.value == FAILED for c in at.caption)
    assert any(m.value.startswith("Risk that") for m in at.markdown)  # the risk is still shown


def test_a_risk_failure_is_a_caption_and_the_effects_are_still_shown(monkeypatch):
    import impact.catalogue.associations

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(impact.catalogue.associations, "risk_outlook", broken)
    at = _run({"country": "Pakistan", "duration_hours": 10})
    assert not at.error
    assert any(c.value == RISK_FAILED for c in at.caption)
    assert shown_tables(at)  # the effects


@pytest.mark.parametrize(("today", "year", "phrase"), [
    ("2026-12-02", 2026, "2026 is already under way (today is 2 December 2026)"),
    ("2025-06-01", 2026, "2026 is the next calendar year"),
])
def test_the_risk_says_which_year_is_predicted_and_why(today, year, phrase):
    from app_pages.estimate_context import risk_view

    view = risk_view("PAK", today)
    assert view.risk.startswith(f"Risk that a new shutdown starts in Pakistan in {year}: ")
    assert view.why.startswith(f"{year} is predicted from the {year - 1} covariates")
    assert phrase in view.why
