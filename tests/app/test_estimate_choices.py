"""AppTest checks of the Estimate page's choices around the scenario: the headline figure
(the ensemble rule, or one method alone), presets from the catalogue, a scenario given by
its start and end, the copy-link button, and the output currency through every table."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

import impact
from app_pages import viewmodel as vm
from impact import format as fmt
from impact.catalogue.events import load_events
from impact.estimation.ensemble import ENSEMBLE_TITLE, ensemble, headline
from impact.methods import REGISTRY
from tests.app.markdown_tables import shown_tables

ROOT = Path(__file__).resolve().parents[2]
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
TIMEOUT = 60
DRAWS = 10_000  # the page's draws (the sentence is compared with the API's)


def _page(**params: str) -> AppTest:
    at = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    return at


def _sentence(at: AppTest) -> str:
    return next(m.value.removeprefix("#### ") for m in at.markdown
                if m.value.startswith("#### "))


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def _scenario_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**") and " · " in m.value)


# ---- the headline ----------------------------------------------------------------------------
def test_the_headline_is_the_ensemble_of_the_methods_that_apply():
    at = _page()
    est = impact.estimate(impact.parse_scenario({"country": "Pakistan", "duration_hours": 10}),
                          draws=DRAWS)
    assert _sentence(at) == headline(est)
    assert at.selectbox(key="headline_method").value == "ensemble"
    assert at.selectbox(key="headline_method").options[0] == ENSEMBLE_TITLE
    ens = ensemble(est)
    # ICRIER's elasticities come from India: out of domain for Pakistan, and said so
    assert "icrier2018" not in ens.members and "icrier2018" in ens.excluded
    note = _captions(at)
    left = f"Not in it: {REGISTRY['icrier2018'].title}, outside its domain"
    assert left in note and "How the headline is chosen:" in note and "docs/" not in note
    assert not re.search(r"\b[a-z]+_[a-z]+\b|\w+20\d\d\b", note), note  # titles, no codes


def test_inside_its_domain_icrier_joins_the_ensemble():
    at = _page(country="IND", duration_hours="48")
    note = next(c.value for c in at.caption if c.value.startswith("Headline: "))
    assert REGISTRY["icrier2018"].title in note
    assert f"Not in it: {REGISTRY['icrier2018'].title}, outside" not in note


def test_one_method_can_be_the_headline_instead():
    at = _page()
    at.selectbox(key="headline_method").set_value("panel").run()
    assert not at.exception and not at.error
    sentence = _sentence(at)
    assert sentence.endswith(".") and f"by {REGISTRY['panel'].title}" in sentence
    assert f"{REGISTRY['panel'].title} alone" in _captions(at)
    assert at.query_params["headline"] == "panel"
    # a link with the choice sets it; dropping the method from the list resets it
    linked = _page(headline="panel")
    assert linked.selectbox(key="headline_method").value == "panel"
    assert _sentence(linked) == sentence
    at.multiselect(key="methods").set_value(["impact", "brookings2016"]).run()
    assert at.selectbox(key="headline_method").value == "ensemble"
    assert "headline" not in at.query_params


def test_a_link_naming_an_unknown_headline_warns():
    at = _page(headline="guesswork")
    assert len(at.warning) == 1 and "headline:" in at.warning[0].value.replace("\\", "")
    assert at.selectbox(key="headline_method").value == "ensemble"


# ---- presets ---------------------------------------------------------------------------------
@pytest.mark.parametrize("preset", vm.PRESETS, ids=lambda p: p.key)
def test_every_preset_sets_its_catalogue_event_and_estimates(preset):
    at = _page()
    at.button_group(key="preset").set_value(preset.key).run()
    assert not at.exception and not at.error
    event = load_events().filter(pl.col("event_id") == preset.event_id).row(0, named=True)
    assert at.radio(key="scope").value == event["scope"]
    assert at.toggle(key="use_start").value
    assert at.date_input(key="start_date").value == event["start"]
    hours = min(event["duration_hours"], vm.APP_HOURS[1])
    assert at.number_input(key="duration_hours").value == hours
    note = next(i.value for i in at.info if "From the catalogue" in i.value)
    assert preset.event_id in note and event["title"] in note
    assert len(at.metric) == len(REGISTRY)
    assert fmt.hours(hours) in _scenario_line(at)


def test_the_election_day_preset_starts_when_the_source_says():
    at = _page()
    at.button_group(key="preset").set_value("pak-2024-election").run()
    assert str(at.time_input(key="start_time").value) == "07:00:00"
    assert at.radio(key="scope").value == "mobile"
    assert "13 hours" in _scenario_line(at)
    note = next(i.value for i in at.info if "From the catalogue" in i.value)
    assert "02:00 UTC" in note and "accessnow.org" in note
    # the note goes once the scenario is no longer the preset's
    at.number_input(key="duration_hours").set_value(5.0).run()
    assert not any("From the catalogue" in i.value for i in at.info)


def test_the_x_block_preset_keeps_the_first_year_and_says_so():
    at = _page()
    at.button_group(key="preset").set_value("pak-2024-x").run()
    assert at.multiselect(key="platforms").value == ["x"]
    note = next(i.value for i in at.info if "From the catalogue" in i.value)
    assert "the first year of 10,680 hours" in note


# ---- start and end ---------------------------------------------------------------------------
def test_a_start_and_an_end_give_the_duration():
    at = _page()
    at.toggle(key="use_start").set_value(True).run()
    at.toggle(key="use_end").set_value(True).run()
    assert not at.exception
    assert not [n for n in at.number_input if n.key == "duration_hours"]  # no duration box
    at.time_input(key="start_time").set_value(time(7, 0))
    at.date_input(key="end_date").set_value(date(2024, 2, 8))
    at.time_input(key="end_time").set_value(time(20, 0)).run()
    assert not at.exception and not at.error
    assert "13 hours" in _scenario_line(at)
    assert at.query_params["start"] == "2024-02-08T07:00"
    assert at.query_params["end"] == "2024-02-08T20:00"
    assert "duration_hours" not in at.query_params
    same = _page(start="2024-02-08T07:00", duration_hours="13")
    assert _sentence(same) == _sentence(at)


def test_a_link_with_an_end_sets_the_end_widgets():
    at = _page(country="IND", start="2024-02-08T07:00", end="2024-02-10T07:00")
    assert not at.error and not at.warning
    assert at.toggle(key="use_end").value
    assert str(at.date_input(key="end_date").value) == "2024-02-10"
    assert "48 hours" in _scenario_line(at)


def test_an_end_before_the_start_is_one_line_not_a_traceback():
    at = _page()
    at.toggle(key="use_start").set_value(True).run()
    at.toggle(key="use_end").set_value(True).run()
    at.date_input(key="end_date").set_value(date(2024, 2, 7)).run()
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.replace("\\", "").startswith("end:")
    assert "after start" in at.error[0].value.replace("\\", "")


# ---- the link --------------------------------------------------------------------------------
def test_the_copy_link_button_carries_the_scenario_link():
    at = _page()
    html = [h.proto.body for h in at.get("html") if "data-link=" in h.proto.body]
    assert len(html) == 1
    assert 'data-link="/?country=PAK&amp;duration_hours=10"' in html[0]
    assert "navigator.clipboard.writeText" in html[0]


# ---- the currency through every table --------------------------------------------------------
def test_local_currency_reaches_every_table_and_figure():
    at = _page()
    at.radio(key="currency").set_value("local").run()
    assert not at.exception and not at.error
    assert " PKR " in f" {_sentence(at)} "
    assert all(m.value.startswith("PKR ") or m.value in ("not applicable", "unavailable")
               for m in at.metric)
    tables = {tuple(d.value.columns): d.value for d in at.dataframe}
    money = 0
    for columns, frame in tables.items():
        for col in columns:
            cells = [str(c) for c in frame[col].tolist() if c is not None]
            assert not any(c.startswith("USD ") for c in cells), (col, cells[:3])
            assert not any(re.search(r"\de[+-]\d", c) for c in cells), (col, cells[:3])
            money += sum(c.startswith("PKR ") for c in cells)
    headers = " ".join(c for cols in tables for c in cols)
    assert "[PKR]" in headers and "[USD]" not in headers
    assert money > 20  # the comparison, assumptions, sensitivity and components tables


# ---- beyond the loss -------------------------------------------------------------------------
def _in_order(node) -> list:
    """Every element under ``node`` in the order the page draws them."""
    out = []
    for child in getattr(node, "children", {}).values():
        out += [child] if not getattr(child, "children", None) else _in_order(child)
    return out


def test_risk_is_shown_beside_the_estimate_with_its_year_and_why():
    from impact.catalogue.associations import risk_year

    at = _page()
    shown = _in_order(at.main)
    texts = [getattr(e, "value", None) for e in shown]
    sentence = next(i for i, t in enumerate(texts) if isinstance(t, str)
                    and t.startswith("#### "))
    risk = next(i for i, t in enumerate(texts) if isinstance(t, str)
                and t.startswith("Risk that a new shutdown"))
    first_card = next(i for i, e in enumerate(shown) if e.type == "metric")
    assert sentence < risk < first_card  # under the headline, before the method cards
    year = risk_year()
    assert f"Pakistan in {year.year}: " in texts[risk]
    assert texts[risk + 1] == year.why  # which year is predicted, and why, right under it
    assert year.why.startswith(f"{year.year} is predicted from the {year.year - 1} covariates")
    assert "not a forecast" in texts[risk + 2]


def test_associations_are_shown_after_the_ranges():
    at = _page()
    titles = [h.value for h in at.subheader]
    assert "Beyond the loss: associations" in titles
    assert titles.index("Beyond the loss: associations") < titles.index("Comparison")
    effects = next(t for t in shown_tables(at) if "Reading" in t.columns)
    assert any("not distinguishable from zero" in r for r in effects["Reading"])
    assert sum(m.value.startswith("Risk that a new shutdown") for m in at.markdown) == 1
