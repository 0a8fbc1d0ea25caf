"""The decision brief (`impact.report.brief`) and its charts (`impact.report.charts`): the figures are the
result's, written by `impact.format`; timeline text is escaped; no external asset; the PDF is
one A4 page; lifted and not-applicable cases are said, not failed; the heavy chart stack is
not imported by `impact.monitor.costing`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from impact.errors import InputError
from impact.format import money, money_range
from impact.monitor.costing import monitor
from impact.monitor.timeline import make_timeline, parse_row
from impact.report.brief import brief_content, brief_html, brief_pdf, render_pdf

REPO = Path(__file__).resolve().parents[1]
HOSTILE = "<script>alert('x')</script>"
LINK = "https://www.accessnow.org/keepiton-pakistan"
PRODUCED = datetime(2024, 2, 8, 16, 5, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _pakistan(source2: str = "Access Now"):
    return make_timeline([
        parse_row({"start_utc": "2024-02-08T01:45Z", "end_utc": "2024-02-08T02:30Z",
                   "country": "PAK", "scope": "mobile", "intensity": 0.5,
                   "source": "Cloudflare Radar"}),
        parse_row({"start_utc": "2024-02-08T02:30Z", "end_utc": "2024-02-08T15:00Z",
                   "country": "PAK", "scope": "mobile", "source": source2}),
    ], "pakistan")


@pytest.fixture(scope="module")
def current():
    return monitor(_pakistan(), until="2024-02-08T15:00Z", draws=300)


@pytest.fixture(scope="module")
def current_html(current):
    return brief_html(current, produced=PRODUCED)


@pytest.fixture(scope="module")
def lifted():
    return monitor(_pakistan(), until="2024-02-08T20:00Z", draws=300)


@pytest.fixture(scope="module")
def platforms():
    t = make_timeline([parse_row({
        "start_utc": "2024-02-08T01:45Z", "end_utc": "2024-02-08T15:00Z", "country": "PAK",
        "scope": "platforms", "platforms": "x;youtube", "source": "NetBlocks 源 😀 – ≈"})], "p")
    return monitor(t, methods="deloitte2016,impact", draws=300)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


# ---- HTML -----------------------------------------------------------------------------------
def test_html_shows_the_result_figures_formatted(current, current_html) -> None:
    own = current.so_far.filter(current.so_far["method"] == "impact").row(0, named=True)
    assert money(own["loss_usd_p50"]) in current_html
    assert money_range(own["loss_usd_p05"], own["loss_usd_p95"]) in current_html
    assert money(own["loss_local_p50"], current.currency) in current_html
    day = current.burn.filter((current.burn["method"] == "impact")
                              & (current.burn["rate"] == "per_day")).row(0, named=True)
    assert money(day["loss_usd_p50"]) in current_html
    proj = current.projection.filter(current.projection["method"] == "impact")
    assert proj["more_days"].to_list() == [1.0, 3.0, 7.0, 30.0]
    for row in proj.iter_rows(named=True):
        assert money(row["loss_usd_p50"]) in current_html
        assert money_range(row["loss_usd_p05"], row["loss_usd_p95"]) in current_html
    ok = current.so_far.filter(current.so_far["status"] == "ok")["loss_usd_p50"]
    assert money_range(ok.min(), ok.max()) in current_html  # the spread of methods


def test_html_says_what_where_when_and_who(current, current_html) -> None:
    assert "Pakistan" in current_html and "mobile" in current_html
    assert "nationwide" in current_html and "still on" in current_html
    assert "06:45 PKT" in current_html and "01:45 UTC" in current_html  # since: local and UTC
    assert "Cloudflare Radar" in current_html and "Access Now" in current_html
    assert "2024-02-08 16:05 UTC" in current_html
    assert current.impact_version in current_html and current.data_version in current_html
    assert f"seed {current.seed}" in current_html
    assert "P5–P95" in current_html  # the caveat and the ranges
    from impact.methods import REGISTRY
    assert current.methods[0] == "ensemble" and "Headline (methods that apply)" in current_html
    for m in current.methods[1:]:
        assert REGISTRY[m].title in current_html


def test_html_escapes_timeline_text() -> None:
    r = monitor(_pakistan(HOSTILE), draws=200, methods="impact")
    text = brief_html(r, produced=PRODUCED)
    assert "<script" not in text.lower()
    assert "&lt;script&gt;" in text


def test_html_has_no_external_reference_but_source_links() -> None:
    r = monitor(_pakistan(LINK), draws=200, methods="impact,brookings2016")
    text = brief_html(r, produced=PRODUCED)
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", text, flags=re.IGNORECASE)
    assert refs, "the source link and the chart images"
    for ref in refs:
        assert ref.startswith("data:image/png;base64,") or ref == LINK, ref
    assert f'href="{LINK}"' in text
    assert "url(" not in text and "@import" not in text and "<link" not in text
    # every http(s) address in the page is the source's (as link target and as its text)
    assert set(re.findall(r"https?://[^\s\"'<>]+", text)) == {LINK}


# ---- PDF ------------------------------------------------------------------------------------
def test_pdf_is_one_a4_page(current) -> None:
    pdf = brief_pdf(current, produced=PRODUCED)
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) == 1
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf  # A4 portrait


def test_lifted_timeline_says_what_it_would_have_cost(lifted) -> None:
    assert not lifted.current
    day = lifted.burn.filter((lifted.burn["method"] == "impact")
                             & (lifted.burn["rate"] == "per_day"))["loss_usd_p50"][0]
    assert day > 0
    text = brief_html(lifted, produced=PRODUCED)
    assert "lifted at" in text and "20:00 PKT" in text  # lifted at 15:00 UTC
    assert "Each additional day (had it lasted)" in text and "Had it lasted" in text
    so_far = lifted.so_far.filter(lifted.so_far["method"] == "impact")["loss_usd_p50"][0]
    proj = lifted.projection.filter(lifted.projection["method"] == "impact")
    assert (proj["loss_usd_p50"] > so_far).all()
    for value in proj["loss_usd_p50"]:
        assert f'<span class="money">{money(value)}</span></td>' in text
    pdf = brief_pdf(lifted, produced=PRODUCED)
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1


def test_not_applicable_method_is_said(platforms) -> None:
    text = brief_html(platforms, "deloitte2016", produced=PRODUCED)
    assert "does not cost this timeline" in text
    assert "no projection" in text
    own = platforms.so_far.filter(platforms.so_far["method"] == "impact")
    assert money(own["loss_usd_p50"][0]) in text  # the other method is still shown
    pdf = brief_pdf(platforms, "deloitte2016", produced=PRODUCED)
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1


def test_pdf_without_unicode_font_is_latin1_safe(platforms) -> None:
    brief = brief_content(platforms, "impact", produced=PRODUCED, charts=False)
    pdf = render_pdf(brief, unicode_font=False)
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1


def test_unknown_method_is_an_input_error(current) -> None:
    with pytest.raises(InputError):
        brief_html(current, "nonsense")


# ---- charts ---------------------------------------------------------------------------------
def test_charts_render_offline(current) -> None:
    from impact.report import charts

    image = charts.png(charts.cumulative_chart(current, "impact"))
    assert image.startswith(PNG_SIGNATURE)
    assert charts.png(charts.intensity_chart(current), scale=1).startswith(PNG_SIGNATURE)
    assert charts.svg(charts.intensity_chart(current)).lstrip().startswith("<svg")
    spec = charts.cumulative_chart(current, "impact").to_dict()
    assert "url" not in spec.get("data", {}) and "datasets" not in spec  # inline values only


def test_cumulative_curve_ends_at_the_cost_so_far(current) -> None:
    from impact.report.charts import cumulative_points, intensity_points

    points = cumulative_points(current, "impact")
    own = current.so_far.filter(current.so_far["method"] == "impact").row(0, named=True)
    assert points[0]["p50"] == 0
    assert points[-1]["p50"] == pytest.approx(own["loss_usd_p50"])
    assert points[-1]["p95"] == pytest.approx(own["loss_usd_p95"])
    levels = [p["intensity"] for p in intensity_points(current)]
    assert min(levels) >= 0 and max(levels) <= 1


def test_cumulative_chart_of_a_method_without_curve(platforms) -> None:
    from impact.report.charts import cumulative_chart

    with pytest.raises(InputError):
        cumulative_chart(platforms, "deloitte2016")


def test_monitor_does_not_import_the_chart_stack() -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    code = ("import sys, impact.monitor.costing, impact.report.brief, impact.report.charts; "
            "heavy = [m for m in ('altair', 'vl_convert', 'fpdf') if m in sys.modules]; "
            "assert not heavy, heavy")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
