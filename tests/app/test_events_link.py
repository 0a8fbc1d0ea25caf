"""The Past events page's shareable link: the filters go into the address bar, a link's
filters come back as the same view, and a bad link says why in one line and keeps the
defaults (AppTest sees the query parameters a page writes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.events_filters import events_defaults, filters_from_state
from app_pages.events_query import filters_query, state_from_query, view_url
from impact.catalogue.events import catalogue

ROOT = Path(__file__).resolve().parents[2]
EVENTS = str(ROOT / "app_pages" / "events.py")
TIMEOUT = 120
DEFAULTS = events_defaults(catalogue())
NAMES = {"IRN": "Iran", "PAK": "Pakistan", "IND": "India"}
SPAN = (2009, 2025)


def _page(**params: str) -> AppTest:
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.error
    return at


def test_the_default_view_writes_no_parameters():
    assert filters_query(DEFAULTS, DEFAULTS) == {}
    assert view_url({}) == "/events"


def test_every_choice_round_trips_through_the_query():
    state = DEFAULTS | {"ev_countries": ["IRN", "PAK"], "ev_years": (2019, 2025),
                        "ev_search": "X Kashmir", "ev_types": ["full", "platforms"],
                        "ev_platform": "x", "ev_election": True, "ev_method": "impact",
                        "ev_norm": "per_day", "ev_variant": "uncapped",
                        "ev_open_ended": "to_snapshot"}
    params = filters_query(state, DEFAULTS)
    assert params == {"countries": "IRN,PAK", "years": "2019-2025", "search": "X Kashmir",
                      "types": "full,platforms", "platform": "x", "election": "yes",
                      "method": "impact", "norm": "per_day", "cap": "uncapped",
                      "open_ended": "to_snapshot"}
    back, problem = state_from_query(params, NAMES, SPAN)
    assert problem is None
    assert filters_from_state(DEFAULTS | back) == filters_from_state(state)


@pytest.mark.parametrize(("params", "named"), [
    ({"years": "2030"}, "years '2030'"),
    ({"years": "2025-2019"}, "years '2025-2019'"),
    ({"countries": "PAK,XYZ"}, "countries 'PAK,XYZ'"),
    ({"method": "magic"}, "method 'magic'"),
    ({"election": "maybe"}, "election 'maybe'"),
    ({"colour": "red"}, "colour is not a parameter"),
])
def test_a_bad_value_is_named_in_one_line_and_nothing_is_used(params, named):
    state, problem = state_from_query(params | {"search": "X"}, NAMES, SPAN)
    assert state == {}
    assert named in problem and "\n" not in problem
    assert problem.endswith("showing the default view.")


def test_the_page_writes_its_filters_into_the_address():
    at = _page()
    assert dict(at.query_params) == {}
    at.text_input(key="ev_search").set_value("Twitter").run()
    at.slider(key="ev_years").set_value((2019, DEFAULTS["ev_years"][1])).run()
    written = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert written == {"years": f"2019-{DEFAULTS['ev_years'][1]}", "search": "Twitter"}
    shown = [c.value for c in at.code]
    assert any(c.endswith(f"/events?years=2019-{DEFAULTS['ev_years'][1]}&search=Twitter")
               for c in shown), shown


def test_a_link_opens_the_same_view():
    at = _page(countries="irn,PAK", years="2019-2025", search="Twitter", norm="per_day")
    assert at.multiselect(key="ev_countries").value == ["IRN", "PAK"]
    assert tuple(at.slider(key="ev_years").value) == (2019, 2025)
    assert at.text_input(key="ev_search").value == "Twitter"
    assert at.selectbox(key="ev_norm").value == "per_day"
    assert not at.warning


def test_a_bad_link_says_why_in_one_line_and_shows_the_defaults():
    at = _page(years="1990", method="<b>x</b>", search="X")
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "years" in text and "method" in text and "\n" not in text
    assert "<b>" not in text  # the link's text is shown as text, never as markup
    assert tuple(at.slider(key="ev_years").value) == DEFAULTS["ev_years"]
    assert at.text_input(key="ev_search").value == ""  # nothing of a bad link is used
    at.run()  # said once
    assert not at.warning
