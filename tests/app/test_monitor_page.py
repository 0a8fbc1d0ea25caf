"""The Monitor page: AppTest runs of the page (the example case, another method, a bad
upload, the watched file) and its view model (no streamlit needed)."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import polars as pl
import pytest
import streamlit as st
from loopback import Recorded
from streamlit.testing.v1 import AppTest

from app_pages import monitor_charts as mch
from app_pages import monitor_choices as mc
from app_pages import monitor_exports as mx
from app_pages import monitor_read as mr
from app_pages import monitor_sources as ms
from app_pages import monitor_view as mv
from impact import format as fmt
from impact.errors import InputError, TimelineError
from impact.estimation.ensemble import ENSEMBLE, ENSEMBLE_TITLE
from impact.methods import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
MONITOR = str(ROOT / "app_pages" / "monitor.py")
FIXTURES = ROOT / "tests" / "fixtures" / "monitor_page"
STILL_ON = FIXTURES / "upload_still_on.csv"
BAD = FIXTURES / "upload_bad.csv"
TIMEOUT = 60


@pytest.fixture(scope="module")
def seed_result():
    data = mc.SEED_CASE.read_bytes()
    return mr.run_monitor(data, mc.SEED_CASE.name, None, "1d,3d,7d,30d", 500)


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


def _shown(text: str) -> str:
    """Markdown text as the reader sees it (the page escapes what a file wrote)."""
    return re.sub(r"\\(.)", r"\1", text)


# ---- the page ------------------------------------------------------------------------------------
def test_seed_case_shows_cost_so_far_burn_and_projection():
    at = _page()
    assert not at.error
    metrics = _metrics(at)
    assert list(metrics) == ["Cost so far (headline)",  # the headline leads, as on Estimate
                             "Cost per additional hour", "Cost per additional day"]
    assert all(v.startswith("USD ") for v in metrics.values()), metrics
    assert all(fmt.parse_number(v.removeprefix("USD ")) > 0 for v in metrics.values())
    assert any("Pakistan" in m.value for m in at.markdown)
    assert any("Lifted" in m.value for m in at.markdown)  # an old file: lifted at its end
    assert any(c.value.startswith("P5–P95: USD") and "PKR" in c.value for c in at.caption)
    assert any(c.value.startswith("Across the 6 methods") for c in at.caption)
    members = next(_shown(c.value) for c in at.caption
                   if _shown(c.value).startswith("Headline:"))
    assert "Not in it" in members and REGISTRY["impact"].title in members
    projection = _projection(at)
    assert list(projection["if it lasts"]) == ["had it lasted 1 day more",
                                               "had it lasted 3 days more",
                                               "had it lasted 7 days more",
                                               "had it lasted 30 days more"]
    assert {"total P50 [USD]", "total P50 [PKR]"} <= set(projection.columns)
    rows = _table(at, "Start")
    assert len(rows) == len(mr.load_timeline(mc.SEED_CASE.read_bytes(), "seed").rows)
    assert len(at.get("vega_lite_chart")) == 2  # cumulative cost and intensity


def test_the_picker_offers_the_headline_first_and_selects_it():
    at = _page()
    picker = at.selectbox(key="mon_method")
    assert picker.value == ENSEMBLE and picker.options[0] == ENSEMBLE_TITLE
    assert picker.options[1:] == [REGISTRY[m].title for m in REGISTRY]
    headline = _so_far(at)
    picker.set_value("impact").run()
    assert f"Cost so far ({REGISTRY['impact'].title})" in _metrics(at)
    assert not any(_shown(c.value).startswith("Headline:") for c in at.caption)
    at.selectbox(key="mon_method").set_value(ENSEMBLE).run()
    assert _metrics(at)["Cost so far (headline)"] == headline


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
    at.radio(key="mon_until_mode").set_value("at").run()
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
    at.radio(key="mon_until_mode").set_value("at").run()
    from datetime import date
    at.date_input(key="mon_until_date").set_value(date(2024, 2, 1)).run()
    assert not at.exception
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert _shown(at.error[0].value).startswith("until:")


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
    at.session_state[mc.UPLOADED_KEY] = (STILL_ON.name, STILL_ON.read_bytes())
    at.run()
    assert not at.exception and not at.error
    assert _so_far(at) != seed
    assert any(STILL_ON.name in _shown(m.value) for m in at.markdown)
    at.session_state[mc.UPLOADED_KEY] = (BAD.name, BAD.read_bytes())
    at.run()
    assert not at.exception and not at.metric
    assert len(at.error) == 1
    message = _shown(at.error[0].value)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"{BAD.name} line 2: intensity:")


def test_watch_mode_is_a_timed_fragment_that_follows_the_file(tmp_path, monkeypatch):
    calls = []
    fragment = st.fragment

    def recording(func=None, *, run_every=None):
        calls.append(run_every)
        return fragment(func, run_every=run_every)

    monkeypatch.setattr(st, "fragment", recording)
    monkeypatch.setenv(mc.WATCH_ENV, str(tmp_path))
    watched = tmp_path / "live.csv"
    watched.write_bytes(mc.SEED_CASE.read_bytes())
    at = _page()
    assert mc.WATCH_SECONDS in calls  # the watch fragment reruns itself every 30 s
    at.radio(key="mon_source").set_value("watch").run()
    assert any("re-read every" in i.value for i in at.info)
    at.text_input(key="mon_watch_path").input("live.csv").run()
    assert not at.exception and not at.error
    assert any("Watching live.csv" in _shown(c.value) for c in at.caption)
    first = _so_far(at)
    watched.write_bytes(STILL_ON.read_bytes())  # the monitor appended / replaced rows
    at.run()
    assert not at.exception and not at.error
    assert _so_far(at) != first
    at.text_input(key="mon_watch_path").input("../outside.csv").run()
    assert len(at.error) == 1 and "operator allowed" in _shown(at.error[0].value)
    assert str(tmp_path) not in _shown(at.error[0].value)  # no server path in messages
    at.text_input(key="mon_watch_path").input("missing.csv").run()
    assert len(at.error) == 1 and _shown(at.error[0].value).startswith("path: 'missing.csv'")


def test_hourly_csv_download_and_brief_when_installed():
    at = _page()
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("mon_hourly_csv" in k for k in keys)
    pytest.importorskip("impact.report.brief")
    assert any("mon_brief_html" in k for k in keys)
    assert any("mon_brief_pdf" in k for k in keys)


def test_page_is_in_the_navigation_and_keeps_its_choices():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    import app_pages.monitor as page_module

    assert callable(page_module.main)  # the router's page: imported once, not re-run
    text = (ROOT / "app.py").read_text()
    assert 'title="Monitor"' in text and "MONITOR_KEYS" in text
    assert "mon_method" in mc.MONITOR_KEYS and "mon_file" not in mc.MONITOR_KEYS


# ---- the view model ------------------------------------------------------------------------------
def test_view_model_doctests():
    tried = 0
    for module in (mc, mch, mr, ms, mv, mx):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert not result.failed, module.__name__
        tried += result.attempted
    assert tried


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
    assert view.methods_table.height == len(REGISTRY) + 1  # the headline's row first
    assert view.methods_table["method"][0] == ENSEMBLE_TITLE and view.members == ""
    cum = view.cumulative
    assert cum.height == seed_result.hourly["hour_utc"].n_unique()
    assert cum["p50"].is_sorted() and (cum["p05"] <= cum["p50"]).all()
    assert (cum["p50"] <= cum["p95"]).all()
    assert cum["p50"][-1] == pytest.approx(so["loss_usd_p50"], rel=0.05)
    assert set(view.intensity["kind"]) == {"mobile data, nationwide"}
    assert view.intensity["lost"].max() <= 1
    for spec in (mch.cumulative_chart_spec(cum, seed_result.zone, "impact"),
                 mch.intensity_chart_spec(view.intensity, seed_result.zone)):
        json.dumps(spec)  # a plain Vega-Lite dict
    assert view.stem == "impact_monitor_PAK_20240208T1500Z"


def test_view_of_the_headline(seed_result):
    """The cards, table, curve and members line of the headline: its own row's figures."""
    view = mv.monitor_view(seed_result, ENSEMBLE)
    so = seed_result.so_far.row(0, named=True)
    assert so["method"] == ENSEMBLE and so["status"] == "ok"
    members = seed_result.headline.members
    assert len(members) >= 2 and all(m in so["reason"] for m in members)
    assert view.so_far == fmt.money(so["loss_usd_p50"]) and view.so_far_range.startswith(
        "P5–P95: USD ")
    day = seed_result.burn.filter((pl.col("method") == ENSEMBLE)
                                  & (pl.col("rate") == "per_day")).row(0, named=True)
    assert view.per_day == fmt.money(day["loss_usd_p50"])
    p50s = [seed_result.so_far.filter(pl.col("method") == m)["loss_usd_p50"][0]
            for m in members]
    assert min(p50s) <= so["loss_usd_p50"] <= max(p50s)
    assert view.projection.height == 4
    assert view.cumulative.height == seed_result.hourly["hour_utc"].n_unique()
    assert view.cumulative["p50"][-1] == pytest.approx(so["loss_usd_p50"], rel=1e-9)
    assert view.members.startswith("Headline: ") and "Not in it: " in view.members
    for m in members:
        assert REGISTRY[m].title in view.members
    assert set(seed_result.headline.excluded) <= set(REGISTRY)
    spec = mch.cumulative_chart_spec(view.cumulative, seed_result.zone,
                                    mc.method_title(ENSEMBLE))
    assert spec["title"]["text"] == f"Cost so far, {ENSEMBLE_TITLE}"


def test_lifted_restriction_says_what_it_would_have_cost():
    data = mc.SEED_CASE.read_bytes()
    result = mr.run_monitor(data, "seed.csv", "2024-02-12T00:00Z", "1d,7d", 300)
    view = mv.monitor_view(result, "impact")
    assert not view.current and view.status_word == "Lifted"
    assert fmt.parse_number(view.per_day.removeprefix("USD ")) > 0
    assert "had it lasted" in view.per_day_range
    assert all(t.startswith("had it lasted") for t in view.projection["if it lasts"])
    still = mv.monitor_view(mr.run_monitor(data, "seed.csv", "2024-02-08T10:00Z", "1d,7d",
                                           300), "impact")
    assert still.current and still.status_word == "Still on"
    assert list(still.projection["if it lasts"]) == ["1 day more", "7 days more"]


def test_method_that_does_not_cost_the_timeline():
    result = mr.run_monitor(STILL_ON.read_bytes(), STILL_ON.name, "2024-02-19T00:00Z",
                            "1d", 300)
    view = mv.monitor_view(result, "deloitte2016")
    assert view.so_far == "not applicable" and view.projection.height == 0
    assert view.cumulative.height == 0
    assert view.so_far_range  # the method's reason


def test_hourly_csv_has_every_method(seed_result):
    header = mx.hourly_csv(seed_result).splitlines()[0].split(",")
    assert header[:2] == ["hour_utc", "hour_local"]
    assert all(f"{m}_cum_usd_p50" in header for m in (ENSEMBLE, *REGISTRY))
    assert header.index(f"{ENSEMBLE}_cum_usd_p05") < header.index("impact_cum_usd_p05")


def test_bad_files_are_one_line_errors():
    with pytest.raises(TimelineError) as err:
        mr.load_timeline(BAD.read_bytes(), BAD.name)
    assert str(err.value).count("\n") == 0 and "line 2" in str(err.value)
    with pytest.raises(TimelineError):
        mr.load_timeline(b"", "empty.csv")
    with pytest.raises(TimelineError):
        mr.load_timeline(b"{not json", "broken.json")


def test_brief_is_built_from_the_result(seed_result):
    pytest.importorskip("impact.report.brief")
    html = mx.brief_file("html", seed_result, "impact")
    assert isinstance(html, str) and "Pakistan" in html
    pdf = mx.brief_file("pdf", seed_result, "impact")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    html = mx.brief_file("html", seed_result, ENSEMBLE)  # the page's default
    head = seed_result.so_far.row(0, named=True)
    assert fmt.money(head["loss_usd_p50"]) in html and "headline: " in html
    assert f"Projection ({ENSEMBLE_TITLE})" in html
    assert mx.brief_file("pdf", seed_result, ENSEMBLE).startswith(b"%PDF")


# ---- reading options, rows still on, refused records, fetching -----------------------------------
IODA = ROOT / "tests" / "fixtures" / "monitor" / "ioda_signals" / "ioda_signals_pak_2024-02-08.json"
TWO = FIXTURES / "two_countries.csv"


def _upload(at: AppTest, path_or_bytes, name: str | None = None) -> AppTest:
    """Show a file as if uploaded (AppTest cannot upload; the page keeps uploads in state)."""
    at.radio(key="mon_source").set_value("upload").run()
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    at.session_state[mc.UPLOADED_KEY] = (name or path_or_bytes.name, data)
    return at.run()


def _live_file(hours_ago: int = 5) -> bytes:
    """A timeline whose first row began ``hours_ago`` hours ago and is still on (no end),
    with a finished row and a bad one."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    t = [(now - timedelta(hours=h)).strftime("%Y-%m-%dT%H:%MZ") for h in (hours_ago, 2, 1)]
    return ("start_utc,end_utc,country,region,asn,scope,platforms,intensity,source\n"
            f"{t[0]},,PAK,,,mobile,,1,still on\n"
            f"{t[1]},{t[2]},PAK,,,full,,1,finished\n"
            f"{t[1]},{t[2]},PAK,,,full,,**lots**,bad row\n").encode()


def test_country_option_reaches_the_reader():
    at = _upload(_page(), TWO)
    assert len(at.error) == 1 and "country" in _shown(at.error[0].value).lower()
    at.text_input(key="mon_country").input("Bangladesh").run()
    assert not at.exception and not at.error
    assert any("Bangladesh" in m.value for m in at.markdown)
    assert any("1 of other countries skipped" in _shown(c.value) for c in at.caption)
    at.text_input(key="mon_country").input("PAK").run()
    assert any("Pakistan" in m.value for m in at.markdown)


def test_format_options_are_offered_and_passed(monkeypatch):
    at = _upload(_page(), IODA)
    assert not at.exception and not at.error
    assert any("Read as ioda_signals" in _shown(c.value) for c in at.sidebar.caption)
    keys = {t.key for t in at.sidebar.text_input}
    assert "mon_datasource" in keys and "mon_platform" not in keys and "mon_causes" not in keys
    before = _so_far(at)
    at.text_input(key="mon_datasource").input("bgp").run()  # a 10 % BGP drop, not 80 %
    assert not at.exception and not at.error
    assert _so_far(at) != before
    at.text_input(key="mon_datasource").input("no-such-signal").run()
    assert len(at.error) == 1 and "\n" not in at.error[0].value


def test_options_reach_read_any(monkeypatch):
    from impact.monitor import importers

    seen = {}
    real = importers.read_any

    def spy(source, fmt="auto", **kw):
        seen.update(kw)
        return real(source, fmt, **kw)

    monkeypatch.setattr(importers, "read_any", spy)
    accepted = ("datasource", "platform", "causes", "sheet", "until")
    options = mr.read_options({"country": "PAK", "datasource": "bgp", "platform": "whatsapp",
                               "causes": "all", "sheet": "2024"}, accepted)
    mr.load_timeline(IODA.read_bytes(), IODA.name,
                     tuple((k, v) for k, v in options if k in ("country", "datasource")))
    assert seen == {"name": IODA.name, "country": "PAK", "datasource": "bgp"}
    assert dict(options) == {"country": "PAK", "datasource": "bgp", "platform": "whatsapp",
                             "causes": "all", "sheet": "2024"}
    assert mr.read_options({"platform": "x", "country": " "}, ("until",)) == ()


def test_rows_still_on_are_refused_at_the_end_and_costed_to_now():
    at = _upload(_page(), _live_file(), "live.csv")
    assert not at.exception and not at.error
    # the file's last moment: the row still on is refused, and the page says what to do
    assert any("Figures as" in w.value for w in at.warning)
    refused = next(e for e in at.expander if e.label.startswith("Refused records"))
    lines = refused.code[0].value.splitlines()
    assert len(lines) == 2 and any("still on" in x for x in lines)
    assert any("**lots**" in x for x in lines)  # shown as written, not as markup
    at.radio(key="mon_until_mode").set_value("now").run()
    assert not at.exception and not at.error
    assert any(i.value.startswith("1 row still on: costed to") for i in at.info)
    assert any("Still on" in m.value for m in at.markdown)
    assert any("1 still on, costed to" in _shown(c.value) for c in at.caption)
    refused = next(e for e in at.expander if e.label.startswith("Refused records"))
    assert len(refused.code[0].value.splitlines()) == 1  # the bad row only
    assert not at.warning


def test_uploader_takes_workbooks():
    assert {"csv", "json", "xlsx"} <= set(mc.UPLOAD_TYPES)
    at = _page()
    at.radio(key="mon_source").set_value("upload").run()
    assert not at.exception


def _fetch(at: AppTest, source: str, country: str) -> AppTest:
    at.radio(key="mon_source").set_value("fetch").run()
    at.selectbox(key="mon_fetch_source").set_value(source)
    at.text_input(key="mon_fetch_country").input(country)
    at.button(key="mon_fetch_go").click()
    return at.run()


def test_fetch_from_a_loopback_server(monkeypatch):
    server = Recorded(IODA.read_bytes())
    try:
        monkeypatch.setenv("IMPACT_FETCH_BASE_IODA", server.url)
        at = _page()
        at.radio(key="mon_source").set_value("fetch").run()
        assert any("Fetch" in i.value for i in at.info) and not at.metric
        at = _fetch(at, "ioda", "Pakistan")
        assert not at.exception and not at.error
        assert len(server.paths) == 1
        assert server.paths[0].startswith("/v2/signals/raw/country/PK?from=")
        assert any("ioda_PAK_" in _shown(c.value) for c in at.caption)
        assert _so_far(at).startswith("USD ")
        assert any("IODA signal" == t.label for t in at.sidebar.text_input)
    finally:
        server.close()


def test_fetch_offline_or_without_a_token_is_one_line(monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on: as if offline
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setenv("IMPACT_FETCH_BASE_OONI", f"http://127.0.0.1:{closed}")
    at = _fetch(_page(), "ooni", "PAK")
    assert not at.exception and len(at.error) == 1
    message = _shown(at.error[0].value)
    assert message.startswith("fetch: 'ooni'") and "offline?" in message and "\n" not in message
    assert not at.metric
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    at = _fetch(at, "cloudflare", "PAK")
    assert len(at.error) == 1 and "CLOUDFLARE_API_TOKEN" in _shown(at.error[0].value)
    assert any("CLOUDFLARE_API_TOKEN: not set" in c.value for c in at.caption)


def test_fetch_base_url_from_the_environment(monkeypatch):
    from datetime import UTC, datetime

    from impact.monitor import fetch

    t0, t1 = datetime(2024, 2, 8, tzinfo=UTC), datetime(2024, 2, 9, tzinfo=UTC)
    monkeypatch.setenv("IMPACT_FETCH_BASE_IODA", "http://127.0.0.1:9/")
    url, _ = fetch.request("ioda", "PAK", t0, t1)
    assert url.startswith("http://127.0.0.1:9/v2/signals/raw/country/PK?from=")
    monkeypatch.delenv("IMPACT_FETCH_BASE_IODA")
    assert fetch.request("ioda", "PAK", t0, t1)[0].startswith("https://api.ioda")


def test_chart_specs_carry_their_rows_and_fit_the_width(seed_result):
    view = mv.monitor_view(seed_result, "impact")
    for spec, frame in ((mch.cumulative_chart_spec(view.cumulative, "Asia/Karachi", "x"),
                         view.cumulative),
                        (mch.intensity_chart_spec(view.intensity, "Asia/Karachi"),
                         view.intensity)):
        assert spec["autosize"]["type"] == "fit-x" and spec["title"]["text"]
        values = spec["layer"][0]["data"]["values"]
        assert len(values) == frame.height > 0
        assert all(v["hour_local"].endswith(":00Z") for v in values)  # parsed the same
        assert "data" not in spec  # a top-level table would be sent apart and drawn late
    first = view.intensity.row(0, named=True)
    assert first["hour_label"] == "08 Feb 06:00"  # 01:45 UTC is 06:45 PKT
    assert first["hour_local"] == "2024-02-08T06:00:00Z"


def test_watching_server_files_is_off_unless_the_operator_allows_it(tmp_path, monkeypatch):
    monkeypatch.delenv(mc.WATCH_ENV, raising=False)
    at = _page()
    assert "Watch a file on this server" not in at.radio(key="mon_source").options
    with pytest.raises(InputError, match="watching files on this server is off"):
        ms.read_watched(".env")
    monkeypatch.setenv(mc.WATCH_ENV, str(tmp_path))
    assert "Watch a file on this server" in _page().radio(key="mon_source").options
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (mc.WATCH_MAX_BYTES + 1))
    with pytest.raises(InputError, match="at most 20 MB"):
        ms.read_watched("big.csv")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(InputError, match="path: 'loop'"):
        ms.read_watched("loop")
    (tmp_path / "out").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match="operator allowed"):
        ms.read_watched("out")
