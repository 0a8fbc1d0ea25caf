"""Shared links fuzzed over every page: whatever a link's query parameters carry, the page
runs (no exception element), shows at most one warning (the Estimate page's "this link's
scenario could not be used"), and never renders a link, an image or HTML that came from the
link (text from a link reaches Markdown only through `impact.format.md_text`).

Hypothesis draws the links: the Estimate page's parameters (`q.QUERY_FIELDS`) and unknown
ones, with hostile values — numbers huge, negative, NaN, infinite, in other scripts' digits;
dates far in the past and future (a start of 2100-12-31T23:00 with an end in 2101); empty and
10,000-character strings; Markdown and HTML; control and bidirectional characters; a
parameter repeated. Only the Estimate page reads a link (`app_pages/estimate.py`); the
others are opened through the router with the same links, which they must ignore.
Bounded: a few dozen links per page, about a minute in all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from app_pages import estimate_query as q

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
TIMEOUT = 120
#: pages opened through the router with a link (the Estimate page is fuzzed on its own too)
ROUTED = ["app_pages/estimate.py", "app_pages/events.py", "app_pages/batch.py",
          "app_pages/methods.py", "app_pages/data.py", "monitor"]
#: what a link may inject; none of it may reach the page unescaped
INJECTIONS = ("[x](http://e)", "<img src=x>", "<script>alert(1)</script>",
              "![i](http://e/i.png)", "<a href=http://e>a</a>", "javascript:alert(1)")
_INJECTED = re.compile(r"\[x\]\(http://e\)|<img src=x>|<script>alert|!\[i\]\(http://e/i\.png\)"
                       r"|<a href=http://e>|\]\(javascript:")

NUMBERS = ["0", "-0", "-1", "1e308", "1e309", "-1e309", "nan", "NaN", "inf", "-inf",
           "Infinity", "1e-320", "8760", "8760.0000001", "8761", "0.999999", "1.0000001",
           "1_000", "0x10", " 10 ", "10e", "١٠", "１０", "1,5", "10h", "+5"]
DATES = ["2100-12-31T23:00", "2101-01-01", "2101-01-01T00:00", "2009-12-31T23:59",
         "2010-01-01", "0001-01-01", "9999-12-31T23:59", "2024-02-30", "2024-02-08T24:00",
         "2024-02-08T07:00+14:00", "2024-02-08T07:00-12:00", "1700000000", "-1", "now",
         "2024-02-08T07:00:00.123456", "2024-W06", "2024-02-08 07:00"]
WORDS = ["", " ", "PAK", "pak", "IND", "Pakistan", "PRK", "x", "twitter", "x;x;x", ";;", ",",
         "impact", "ensemble", "impact,impact", "full", "mobile", "platforms", "throttling",
         "local", "USD", "Punjab", "Punjab;Punjab", "Jammu & Kashmir", "Пакистан", "🇵🇰",
         "\u202ePAK", "PAK\x00", "PAK\n# heading", "**bold**", "$x^2$", "`code`", "a" * 10_000,
         *INJECTIONS]

value = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(DATES), st.sampled_from(WORDS),
                  st.text(max_size=40),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(min_value=-(10**30), max_value=10**30).map(str),
                  st.sampled_from(INJECTIONS).map(lambda s: s * 3))
known = st.sampled_from(q.QUERY_FIELDS)
unknown = st.sampled_from(["colour", "page", "embed", "x" * 500, "<b>k</b>", "[k](http://e)",
                           "Country", "duration", ""])
links = st.dictionaries(st.one_of(known, known, known, unknown),
                        st.one_of(value, value, value, st.lists(value, min_size=2, max_size=3)),
                        min_size=1, max_size=6)
#: links the page accepts, each then given one hostile value (to reach the widgets' limits)
VALID = [{"country": "IND", "duration_hours": "48", "scope": "mobile"},
         {"country": "PAK", "start": "2024-02-08T07:00", "end": "2024-02-08T20:00",
          "scope": "throttling", "intensity": "0.7"},
         {"country": "PAK", "regions": "Punjab;Sindh", "scope": "platforms",
          "platforms": "x;whatsapp", "circumvention": "0.3", "currency": "local"},
         {"country": "IND", "affected_share": "0.25", "methods": "impact,deloitte2016",
          "headline": "impact", "start": "2019-08-05"},
         {"country": "PAK", "scope": "platforms", "platforms": "facebook", "intensity": "0.4",
          "affected_share": "0.35", "circumvention": "0.25"}]
near = st.builds(lambda base, key, v: base | {key: v}, st.sampled_from(VALID), known, value)
#: values at (or just inside) the widgets' limits, which the page may accept
LIMITS = {"duration_hours": ["1", "8760", "1.0000001", "8759.99", "0.5", "8760.5", "1e-9"],
          "affected_share": ["0", "1", "1e-12", "0.999999", "0.005"],
          "intensity": ["0", "1", "0.01", "0.999"],
          "circumvention": ["0", "1", "0.013"],
          "start": ["2010-01-01", "2010-01-01T00:00", "2100-12-31", "2100-12-31T23:59",
                    "2024-02-08T07:07", "2024-03-31T02:30"],
          "end": ["2100-12-31T23:59", "2101-01-01", "2024-02-08T07:08", "2025-02-08T07:00"],
          "scope": ["throttling", "platforms", "full"], "currency": ["local"],
          "regions": ["Punjab", "Sindh;Punjab;Balochistan"], "platforms": ["x", "signal"]}
at_limits = st.builds(lambda base, extra: base | extra, st.sampled_from(VALID),
                      st.dictionaries(st.sampled_from(sorted(LIMITS)), st.just(None),
                                      min_size=1, max_size=3)
                      .flatmap(lambda keys: st.fixed_dictionaries(
                          {k: st.sampled_from(LIMITS[k]) for k in keys})))
#: hostile dates on purpose: start and end at the page's limits and beyond
edges = st.fixed_dictionaries({"start": st.sampled_from(DATES), "end": st.sampled_from(DATES)},
                              optional={"country": st.sampled_from(["PAK", "IND", "x"]),
                                        "duration_hours": st.sampled_from(NUMBERS)})

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])


def _texts(at: AppTest) -> list[tuple[str, str]]:
    """(kind, text) of every element that renders Markdown or HTML."""
    out = []
    for kind in ("markdown", "caption", "warning", "error", "info", "success", "title",
                 "header", "subheader", "latex", "toast"):
        for el in getattr(at, kind, []):
            out.append((kind, str(getattr(el, "value", "") or "")))
    for el in at.get("html"):
        out.append(("html", str(el.proto.body)))
    for el in at.metric:
        out.append(("metric", f"{el.label} {el.value} {el.proto.help}"))
    return out


def _check(at: AppTest, link: dict) -> None:
    shown = repr(link)[:300]
    assert not at.exception, (shown, [e.value for e in at.exception])
    assert len(at.warning) <= 1, (shown, [w.value[:200] for w in at.warning])
    for kind, text in _texts(at):
        found = _INJECTED.search(text)
        assert found is None, (shown, kind, text[max(0, found.start() - 80):found.end() + 80])


def _open(script: str, link: dict) -> AppTest:
    at = AppTest.from_file(script, default_timeout=TIMEOUT)
    at.query_params.update(link)
    return at


@FUZZ
@given(link=st.one_of(links, near, edges))
def test_a_link_never_breaks_the_estimate_page(link):
    at = _open(ESTIMATE, link)
    at.run()
    _check(at, link)


@settings(FUZZ, max_examples=25)
@given(link=at_limits)
def test_a_link_at_the_widgets_limits(link):
    """Accepted links whose values sit at a widget's limit are shown, not refused by the
    widget (e.g. a number above its maximum)."""
    at = _open(ESTIMATE, link)
    at.run()
    _check(at, link)


@settings(FUZZ, max_examples=12)
@given(link=links)
def test_a_link_never_breaks_the_router(link):
    at = _open(APP, link)
    at.run()
    _check(at, link)


@pytest.mark.parametrize("page", ROUTED[1:])
@settings(FUZZ, max_examples=6)
@given(link=links)
def test_other_pages_ignore_a_link(page, link):
    """The other pages read no link: the same links leave them as they are."""
    if page == "monitor":  # a callable page of the router: run on its own
        at = _open(str(ROOT / "app_pages" / "monitor.py"), link)
    else:
        at = _open(APP, link)
        at.run()
        at.switch_page(page)
    at.run()
    _check(at, link)
    assert not at.error, (repr(link)[:300], [e.value[:200] for e in at.error])


EDGE_CASES = [
    {"start": "2100-12-31T23:00", "end": "2101-01-01"},
    {"start": "2100-12-31T23:00", "duration_hours": "8760"},
    {"start": "2009-12-31T23:00", "duration_hours": "10"},
    {"duration_hours": "8760.0000001"},
    {"duration_hours": "1e309"},
    {"affected_share": "nan"},
    {"intensity": "-0", "scope": "throttling"},
    {"circumvention": "1"},
    {"intensity": "0.013", "scope": "platforms", "platforms": "x"},
    {"intensity": "0.5", "scope": "mobile"},
    {"country": "[x](http://e)", "regions": "<img src=x>"},
    {"methods": "<img src=x>", "headline": "[x](http://e)"},
    {"country": "a" * 10_000},
    {"start": "2024-02-08T07:07", "duration_hours": "5"},
    {"country": "PRK"},
    *VALID,
    {"[k](http://e)": "<img src=x>"},
]


@pytest.mark.parametrize("link", EDGE_CASES, ids=lambda d: ",".join(d)[:40])
def test_edge_links(link):
    """The values the fuzz found or that sit at a widget's limit, always run."""
    at = _open(ESTIMATE, link)
    at.run()
    _check(at, link)
    assert at.metric or at.warning, "neither figures nor a warning"


@pytest.mark.parametrize(("link", "named"), [
    ({"start": "0001-01-01", "end": "2024-01-01"}, "start: '0001-01-01"),
    ({"start": "2024-01-01", "end": "0001-01-01T00:00"}, "end: '0001-01-01T00:00"),
    ({"start": "9999-12-31T23:59", "duration_hours": "1"}, "start: '9999-12-31T23:59"),
    ({"start": "2024-02-08T07:00", "end": "2024-02-08T07:08"}, "end: '2024-02-08T07:08'"),
    ({"start": "2024-02-08T07:00", "end": "2025-02-08T07:00"}, "(here 8784 hours)"),
])
def test_a_refused_date_names_itself(link, named):
    """Dates at the calendar's ends (no local time exists for them) and a start-to-end span
    outside the page's 1 to 8,760 hours are refused naming the parameter, not as an
    unreadable link or as a missing duration."""
    state, problems = q.state_from_query(link)
    assert state == {}
    assert len(problems) == 1 and named in problems[0], problems
    assert "None" not in problems[0]
