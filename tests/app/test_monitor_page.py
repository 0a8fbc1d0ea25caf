"""The Monitor page: AppTest runs of the page (the example case, another method, a bad
upload, the watched file) and its view model (no streamlit needed)."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import polars as pl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages import monitor_view as mv
from impact import format as fmt
from impact.methods import REGISTRY
from impact.timeline import TimelineError

ROOT = Path(__file__).resolve().parents[2]
MONITOR = str(ROOT / "app_pages" / "monitor.py")
FIXTURES = ROOT / "tests" / "fixtures" / "monitor_page"
STILL_ON = FIXTURES / "upload_still_on.csv"
BAD = FIXTURES / "upload_bad.csv"
TIMEOUT = 60


@pytest.fixture(scope="module")
def seed_result():
    data = mv.SEED_CASE.read_bytes()
    return mv.run_monitor(data, mv.SEED_CASE.name, None, "1d,3d,7d,30d", 500)


def _page() -> AppTest:
    at = AppTest.from_file(MONITOR, default_timeout=TIMEOUT).run()
    assert not at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at: AppTest, column: str):
    """The shown table with ``column`` (AppTest finds data frames by position only)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _projection(at: AppTest):
    return _table(at, "if it lasts")


def _so_far(at: AppTest) -> str:
    return next(v for k, v in _metrics(at).items() if k.startswith("Cost so far"))


# ---- the page ------------------------------------------------------------------------------------
def test_seed_case_shows_cost_so_far_burn_and_projection():
    at = _page()
    assert not at.error
    metrics = _metrics(at)
    assert list(metrics) == [f"Cost so far ({REGISTRY['impact'].title})",
                             "Cost per additional hour", "Cost per additional day"]
    assert all(v.startswith("USD ") for v in metrics.values()), metrics
    assert all(fmt.parse_number(v.removeprefix("USD ")) > 0 for v in metrics.values())
    assert any("Pakistan" in m.value for m in at.markdown)
    assert any("Lifted" in m.value for m in at.markdown)  # an old file: lifted at its end
    assert any(c.value.startswith("P5–P95: USD") and "PKR" in c.value for c in at.caption)
    assert any(c.value.startswith("Across the 6 methods") for c in at.caption)
    projection = _projection(at)
    assert list(projection["if it lasts"]) == ["had it lasted 1 day more",
                                               "had it lasted 3 days more",
                                               "had it lasted 7 days more",
                                               "had it lasted 30 days more"]
    assert {"total P50 [USD]", "total P50 [PKR]"} <= set(projection.columns)
    rows = _table(at, "start_utc")
    assert len(rows) == len(mv.load_timeline(mv.SEED_CASE.read_bytes(), "seed").rows)
    assert len(at.get("vega_lite_chart")) == 2  # cumulative cost and intensity


def test_changing_the_method_updates_the_figures():
    at = _page()
    before = _metrics(at)
    projection = _projection(at)["total P50 [USD]"].tolist()
    at.selectbox(key="mon_method").set_value("icrier2018").run()
    assert not at.exception and not at.error
    after = _metrics(at)
    assert f"Cost so far ({REGISTRY['icrier2018'].title})" in after
    assert list(after.values()) != list(before.values())
    assert _projection(at)["total P50 [USD]"].tolist() != (
        projection)


def test_horizons_and_cut_change_the_projection_and_status():
    at = _page()
    at.multiselect(key="mon_horizons").set_value(["12h", "90d"]).run()
    assert list(_projection(at)["if it lasts"]) == [
        "had it lasted 12 hours more", "had it lasted 90 days more"]
    at.toggle(key="mon_cut").set_value(True).run()
    assert str(at.date_input(key="mon_until_date").value) == "2024-02-08"  # timeline's end
    before = _so_far(at)
    from datetime import time
    at.time_input(key="mon_until_time").set_value(time(10, 0)).run()
    assert not at.exception and not at.error
    assert _so_far(at) != before
    at.multiselect(key="mon_horizons").set_value([]).run()
    assert any("projection horizon" in i.value for i in at.info)


def test_cut_before_the_start_is_one_line_error():
    at = _page()
    at.toggle(key="mon_cut").set_value(True).run()
    from datetime import date
    at.date_input(key="mon_until_date").set_value(date(2024, 2, 1)).run()
    assert not at.exception
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert at.error[0].value.startswith("until:")


def test_upload_without_a_file_explains_what_to_do():
    at = _page()
    at.radio(key="mon_source").set_value("upload").run()
    assert not at.exception and not at.error
    assert any("start_utc, end_utc" in i.value for i in at.info)
    assert not at.metric


def test_uploaded_file_is_costed_and_a_bad_one_is_one_line_error():
    # AppTest cannot upload: the page keeps an upload in session state, set here directly
    at = _page()
    seed = _so_far(at)
    at.radio(key="mon_source").set_value("upload").run()
    at.session_state[mv.UPLOADED_KEY] = (STILL_ON.name, STILL_ON.read_bytes())
    at.run()
    assert not at.exception and not at.error
    assert _so_far(at) != seed
    assert any(STILL_ON.name in m.value for m in at.markdown)
    at.session_state[mv.UPLOADED_KEY] = (BAD.name, BAD.read_bytes())
    at.run()
    assert not at.exception and not at.metric
    assert len(at.error) == 1
    message = at.error[0].value
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"{BAD.name} line 2: intensity:")


def test_watch_mode_is_a_timed_fragment_that_follows_the_file(tmp_path, monkeypatch):
    calls = []
    fragment = st.fragment

    def recording(func=None, *, run_every=None):
        calls.append(run_every)
        return fragment(func, run_every=run_every)

    monkeypatch.setattr(st, "fragment", recording)
    monkeypatch.setattr(mv, "WATCH_ROOT", tmp_path)
    watched = tmp_path / "live.csv"
    watched.write_bytes(mv.SEED_CASE.read_bytes())
    at = _page()
    assert mv.WATCH_SECONDS in calls  # the watch fragment reruns itself every 30 s
    at.radio(key="mon_source").set_value("watch").run()
    assert any("re-read every" in i.value for i in at.info)
    at.text_input(key="mon_watch_path").input("live.csv").run()
    assert not at.exception and not at.error
    assert any("Watching `live.csv`" in c.value for c in at.caption)
    first = _so_far(at)
    watched.write_bytes(STILL_ON.read_bytes())  # the monitor appended / replaced rows
    at.run()
    assert not at.exception and not at.error
    assert _so_far(at) != first
    at.text_input(key="mon_watch_path").input("../outside.csv").run()
    assert len(at.error) == 1 and "working directory" in at.error[0].value
    at.text_input(key="mon_watch_path").input("missing.csv").run()
    assert len(at.error) == 1 and at.error[0].value.startswith("path: 'missing.csv'")


def test_hourly_csv_download_and_brief_when_installed():
    at = _page()
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("mon_hourly_csv" in k for k in keys)
    pytest.importorskip("impact.brief")
    assert any("mon_brief_html" in k for k in keys)
    assert any("mon_brief_pdf" in k for k in keys)


def test_page_is_in_the_navigation_and_keeps_its_choices():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    import app_pages.monitor as page_module

    assert callable(page_module.main)  # the router's page: imported once, not re-run
    text = (ROOT / "app.py").read_text()
    assert 'title="Monitor"' in text and "MONITOR_KEYS" in text
    assert "mon_method" in mv.MONITOR_KEYS and "mon_file" not in mv.MONITOR_KEYS


# ---- the view model ------------------------------------------------------------------------------
def test_view_model_doctests():
    failed, tried = doctest.testmod(mv, optionflags=doctest.ELLIPSIS)
    assert tried and not failed


def test_view_of_the_seed_case(seed_result):
    view = mv.monitor_view(seed_result, "impact")
    assert not view.current and view.status_word == "Lifted"  # an old file
    assert view.status.startswith("at 08 Feb 2024 20:00 PKT") and "before the cut" not in \
        view.status
    assert "PKT" in view.status
    so = seed_result.so_far.filter(pl.col("method") == "impact").row(0, named=True)
    assert view.so_far == fmt.money(so["loss_usd_p50"])
    assert view.so_far_range.startswith("P5–P95: USD ")
    assert view.projection.height == 4
    assert view.methods_table.height == len(REGISTRY)
    cum = view.cumulative
    assert cum.height == seed_result.hourly["hour_utc"].n_unique()
    assert cum["p50"].is_sorted() and (cum["p05"] <= cum["p50"]).all()
    assert (cum["p50"] <= cum["p95"]).all()
    assert cum["p50"][-1] == pytest.approx(so["loss_usd_p50"], rel=0.05)
    assert set(view.intensity["kind"]) == {"mobile data, nationwide"}
    assert view.intensity["lost"].max() <= 1
    for spec in (mv.cumulative_chart_spec(seed_result.zone, "impact"),
                 mv.intensity_chart_spec(seed_result.zone)):
        json.dumps(spec)  # a plain Vega-Lite dict
    assert view.stem == "impact_monitor_PAK_20240208T1500Z"


def test_lifted_restriction_says_what_it_would_have_cost():
    data = mv.SEED_CASE.read_bytes()
    result = mv.run_monitor(data, "seed.csv", "2024-02-12T00:00Z", "1d,7d", 300)
    view = mv.monitor_view(result, "impact")
    assert not view.current and view.status_word == "Lifted"
    assert fmt.parse_number(view.per_day.removeprefix("USD ")) > 0
    assert "had it lasted" in view.per_day_range
    assert all(t.startswith("had it lasted") for t in view.projection["if it lasts"])
    still = mv.monitor_view(mv.run_monitor(data, "seed.csv", "2024-02-08T10:00Z", "1d,7d",
                                           300), "impact")
    assert still.current and still.status_word == "Still on"
    assert list(still.projection["if it lasts"]) == ["1 day more", "7 days more"]


def test_method_that_does_not_cost_the_timeline():
    result = mv.run_monitor(STILL_ON.read_bytes(), STILL_ON.name, "2024-02-19T00:00Z",
                            "1d", 300)
    view = mv.monitor_view(result, "deloitte2016")
    assert view.so_far == "not applicable" and view.projection.height == 0
    assert view.cumulative.height == 0
    assert view.so_far_range  # the method's reason


def test_hourly_csv_has_every_method(seed_result):
    header = mv.hourly_csv(seed_result).splitlines()[0].split(",")
    assert header[:2] == ["hour_utc", "hour_local"]
    assert all(f"{m}_cum_usd_p50" in header for m in REGISTRY)


def test_bad_files_are_one_line_errors():
    with pytest.raises(TimelineError) as err:
        mv.load_timeline(BAD.read_bytes(), BAD.name)
    assert str(err.value).count("\n") == 0 and "line 2" in str(err.value)
    with pytest.raises(TimelineError):
        mv.load_timeline(b"", "empty.csv")
    with pytest.raises(TimelineError):
        mv.load_timeline(b"{not json", "broken.json")


def test_brief_is_built_from_the_result(seed_result):
    pytest.importorskip("impact.brief")
    html = mv.brief_file("html", seed_result, "impact")
    assert isinstance(html, str) and "Pakistan" in html
    pdf = mv.brief_file("pdf", seed_result, "impact")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
