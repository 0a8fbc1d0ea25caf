"""The briefs as rendered: the estimate brief's four charts share one size, each range bar is
drawn under its own method's label, no label or cell is cut, no two texts of a PDF page
overprint, negative money takes a true minus, and every chart says in words what it shows
(`impact.report.brief`, `impact.report.charts`)."""

from __future__ import annotations

import re
import struct
from datetime import UTC, datetime

import polars as pl
import pytest

from impact import estimate, parse_scenario
from impact.estimation.ensemble import ensemble_row
from impact.format import MINUS, money
from impact.methods import REGISTRY
from impact.monitor.costing import monitor
from impact.monitor.timeline import make_timeline, parse_row
from impact.report import brief as brief_mod
from impact.report import chart_frames as cf
from impact.report import charts

PRODUCED = datetime(2024, 2, 9, 9, 30, tzinfo=UTC)
SCALE = 2  # `charts.png`'s default pixel ratio


@pytest.fixture(scope="module")
def india():
    """A 2-day shutdown in India: every method costs it, ICRIER inside its domain."""
    return estimate(parse_scenario({"country": "IND", "duration_hours": 48, "scope": "full"}),
                    draws=500)


@pytest.fixture(scope="module")
def india_brief(india):
    return brief_mod.estimate_brief_content(india, produced=PRODUCED)


@pytest.fixture(scope="module")
def india_specs(india):
    specs, missing = brief_mod.estimate_chart_specs(india)
    assert not missing
    return specs


@pytest.fixture(scope="module")
def lifted():
    """A restriction lifted before the brief: its facts say "(had it lasted)"."""
    t = make_timeline([
        parse_row({"start_utc": "2024-02-08T01:45Z", "end_utc": "2024-02-08T02:30Z",
                   "country": "PAK", "scope": "mobile", "intensity": 0.5,
                   "source": "Cloudflare Radar"}),
        parse_row({"start_utc": "2024-02-08T02:30Z", "end_utc": "2024-02-08T15:00Z",
                   "country": "PAK", "scope": "mobile", "source": "Access Now"})], "pakistan")
    return monitor(t, until="2024-02-08T20:00Z", draws=300)


# ---- SVG of a chart: texts and bars ----------------------------------------------------------
_TEXT = re.compile(r'<text aria-label="([^"]*)"[^>]*transform="translate\(([-\d.e]+),([-\d.e]+)'
                   r'\)"[^>]*font-size="([\d.]+)px"[^>]*>(.*?)</text>', re.DOTALL)
_BAR = re.compile(r'<path aria-label="([^"]*)"[^>]*aria-roledescription="bar"[^>]*d="([^"]+)"')


def _title_of(aria: str) -> str:
    return re.search(r"title: (.*?); (?:label|p95|kind|p05):", aria + "; label:").group(1)


def _label_rows(svg: str) -> dict[str, tuple[float, float]]:
    """Each range row's label: title -> (baseline y, font size) [px]."""
    return {_title_of(a): (float(y), float(size)) for a, _, y, size, _ in _TEXT.findall(svg)
            if a.startswith("title: ")}


def _bar_rows(svg: str) -> dict[str, tuple[float, float]]:
    """Each range row's bar: title -> (top, bottom) [px]."""
    out = {}
    for aria, path in _BAR.findall(svg):
        ys = [float(v) for v in re.findall(r"[-\d.]+,([-\d.]+)", path)]
        out[_title_of(aria)] = (min(ys), max(ys))
    return out


def _range_frame(est) -> pl.DataFrame:
    return cf.methods_range_frame(est.summary, ensemble_row(est))


@pytest.mark.parametrize("row_px", [19, 32, 40])
def test_each_range_bar_sits_under_its_own_label(india, row_px):
    """At 19 px a row (the brief's old height) each bar was drawn over the next method's
    label; at any row height a bar lies below its own label and above the next one."""
    frame = _range_frame(india)
    svg = charts.svg(charts.range_chart(frame, width=430, height=row_px * frame.height))
    labels, bars = _label_rows(svg), _bar_rows(svg)
    titles = frame["title"].to_list()
    assert set(labels) == set(bars) == set(titles)
    order = sorted(titles, key=lambda t: labels[t][0])
    assert order == titles  # rows in the frame's order, top down
    for this, below in zip(order, [*order[1:], None], strict=True):
        top, bottom = bars[this]
        baseline, _ = labels[this]
        assert top >= baseline, (this, top, baseline)  # under its own label ...
        if below is not None:  # ... and above the next label's letters (cap height 0.75 em)
            next_baseline, size = labels[below]
            assert bottom <= next_baseline - 0.75 * size, (this, bottom, below)
        nearest = min((t for t in titles if labels[t][0] <= top), key=lambda t: top - labels[t][0])
        assert nearest == this


def test_the_apps_range_rows_keep_their_size(india):
    """At the app's 40 px a row, the label, bar and dot have the layout's sizes."""
    frame = _range_frame(india)
    svg = charts.svg(charts.range_chart(frame, width=600))
    assert {size for _, (_, size) in _label_rows(svg).items()} == {11.0}
    assert {round(b - t) for t, b in _bar_rows(svg).values()} == {12}


# ---- one size for the brief's four charts ----------------------------------------------------
def test_the_four_brief_charts_have_one_size(india_brief):
    sizes = [struct.unpack(">II", png[16:24]) for _, png in india_brief.charts]
    assert len(sizes) == 4
    assert set(sizes) == {(brief_mod.CHART_WIDTH * SCALE, brief_mod.CHART_HEIGHT * SCALE)}


def test_the_brief_draws_its_charts_one_size_on_paper(india_brief):
    from impact.report.pdf import fit_image

    drawn = {fit_image(png, 91.0, 45.0) for _, png in india_brief.charts}
    assert len(drawn) == 1


# ---- nothing cut -----------------------------------------------------------------------------
def test_no_text_in_the_brief_charts_is_cut(india, india_specs):
    """Vega ends a text cut at its limit with "…": none in the brief's charts, and every
    method's name is whole in the range chart and in the duration legend."""
    svgs = [charts.svg(spec) for spec in india_specs]
    for svg in svgs:
        texts = [re.sub(r"<[^>]+>", "", t[-1]) for t in _TEXT.findall(svg)]
        texts += re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
        texts += re.findall(r'<text(?![^>]*aria-label)[^>]*>([^<]*)</text>', svg)
        assert not [t for t in texts if "…" in t]
    titles = india.summary["title"].to_list()
    for svg in svgs[:2]:  # methods as ranges, loss by duration
        shown = svg.replace("&amp;", "&")
        assert all(f">{t}<" in shown or f" · {t}<" in shown for t in titles), titles


def test_the_pdf_holds_every_name_and_reason_whole(india, india_brief):
    """The table's notes once read "India's telec…": the PDF now writes each reason whole
    (in numbered notes under the table) and every method's name."""
    import io

    from pypdf import PdfReader

    pdf = brief_mod.estimate_brief_pdf(india, produced=PRODUCED)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "…" not in text
    for r in india.summary.iter_rows(named=True):
        assert r["title"] in text
    assert india_brief.method_notes
    for note in india_brief.method_notes:
        assert " ".join(note.split()) in text
    from impact.estimation.ensemble import BESIDE, ensemble

    excluded = ensemble(india).excluded
    assert excluded
    for reason in excluded.values():
        assert " ".join(reason.removeprefix(BESIDE).split()) in text


def test_the_monitor_brief_writes_reasons_whole(lifted):
    brief = brief_mod.brief_content(lifted, produced=PRODUCED, charts=False)
    for r in lifted.so_far.iter_rows(named=True):
        if r["status"] != "ok" and r["reason"]:
            assert any(" ".join(r["reason"].split()) in " ".join(row)
                       for row in brief.methods_rows)
    assert not [c for row in brief.methods_rows for c in row if "…" in c]


# ---- no text overprinted on a PDF page -------------------------------------------------------
def _text_boxes(pdf: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """Every text run of ``pdf`` as (page, left, right, bottom, top, text) [pt]: from the
    text operators, the font's widths and size (pypdf's layout-mode reader)."""
    import io

    from pypdf import PdfReader
    from pypdf._text_extraction._layout_mode import _fixed_width_page as layout
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    boxes = []
    for n, page in enumerate(reader.pages):
        ops = iter(ContentStream(page["/Contents"].get_object(), reader, "bytes").operations)
        for g in layout.text_show_operations(ops, page._layout_mode_fonts(), True, None):
            if g["text"].strip():
                size = g["font_height"]
                boxes.append((n, g["tx"], g["displaced_tx"], g["ty"] - 0.2 * size,
                              g["ty"] + 0.75 * size, g["text"]))
    return boxes


def _overlaps(boxes) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a[0] == b[0] and min(a[2], b[2]) - max(a[1], b[1]) > 0.5
                    and min(a[4], b[4]) - max(a[3], b[3]) > 0.5):
                out.append((a[5], b[5]))
    return out


def test_the_overlap_check_sees_an_overprinted_label():
    """The check itself: a label longer than its column, printed as the monitor brief's
    facts were (a fixed 40 mm cell), is found."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=8.5)
    pdf.cell(40, 4.2, "Each additional hour (had it lasted)")
    pdf.multi_cell(0, 4.2, "USD 2.14 m (P5-P95 USD 904 k - 4.54 m)")
    assert _overlaps(_text_boxes(bytes(pdf.output())))


def test_no_text_overprints_in_the_monitor_pdf(lifted):
    """"Each additional hour/day (had it lasted)" was printed over the figures."""
    pdf = brief_mod.brief_pdf(lifted, produced=PRODUCED)
    boxes = _text_boxes(pdf)
    assert any(b[5].startswith("Each additional hour") for b in boxes)
    assert _overlaps(boxes) == []


def test_no_text_overprints_in_the_estimate_pdf(india):
    boxes = _text_boxes(brief_mod.estimate_brief_pdf(india, produced=PRODUCED))
    assert len(boxes) > 50 and _overlaps(boxes) == []


def test_table_cells_are_left_aligned_not_stretched(lifted):
    """A justified cell stretched "Panel econometrics (ours, NetLoss-style)" over its
    column: each table line now starts at its column's left edge with single spaces."""
    from impact.report.pdf import PdfWriter

    w = PdfWriter()
    w.table(("Method", "P50"), [(REGISTRY["panel"].title + " " * 3, "USD 1 m"),
                                (REGISTRY["cost_compatible"].title, "USD 2 m")], (0.2, 0.8))
    boxes = _text_boxes(bytes(w.pdf.output()))
    names = [b for b in boxes if b[5].startswith(("Panel", "COST", "(ours", "Top10VPN"))]
    assert names and len({round(b[1], 1) for b in names}) == 1
    for b in names:  # as wide as the words at the font's size, not the column
        assert b[2] - b[1] < 0.2 * (w.pdf.w - 24) * 72 / 25.4


# ---- negative money, scales, descriptions -----------------------------------------------------
def test_the_waterfall_writes_a_true_minus(india, india_specs):
    fall = cf.waterfall_frame(india.components["impact"], india.conversion)
    recovered = fall.filter(pl.col("kind") == "recovered").row(0, named=True)
    assert recovered["amount"] < 0
    assert recovered["amount_label"] == money(recovered["amount"])
    assert recovered["amount_label"].startswith(f"USD {MINUS}")
    svg = charts.svg(india_specs[3])
    assert f"USD {MINUS}" in svg and "USD -" not in svg


def test_a_year_long_block_is_drawn_to_a_little_past_it():
    """The X block of 8,760 hours was drawn to 35,040 hours: the axis now follows the
    scenario, to 90 days past it, and spans exactly the durations computed."""
    hours = 8760.0
    grid = cf.duration_grid(hours)
    frame = pl.DataFrame({"method": ["impact"] * len(grid), "title": ["impact"] * len(grid),
                          "hours": list(grid), "p05": [1.0] * len(grid),
                          "p50": [2.0] * len(grid), "p95": [3.0] * len(grid)}).with_columns(
        **{f"{q}_label": pl.lit("USD 1") for q in ("p05", "p50", "p95")},
        hours_label=pl.lit("h"))
    spec = charts.duration_chart(frame, hours)
    for layer in charts.layers(spec):
        x = layer.get("encoding", {}).get("x", {})
        assert "domain" not in x.get("scale", {})  # the data's extent
    drawn = [r["hours"] for layer in charts.layers(spec) for r in layer["data"]["values"]]
    assert max(drawn) == grid[-1] == hours + cf.DURATION_REACH_HOURS < 11_000
    text = next(layer for layer in charts.layers(spec) if layer["mark"]["type"] == "text")
    assert text["mark"]["align"] == "right"  # the scenario's label stays inside the plot


def test_the_duration_legend_shows_whole_names_on_a_phone(india):
    """The Estimate page's legend cut "COST-compatible (NetBlocks COST / Top10V…": under the
    plot, right of the y axis, its labels take the container's width less the axis's and the
    symbol's, and on a phone a long name goes on two lines (split at a space past its
    middle, as `charts.LEGEND_WRAP` does) so that each line fits whole."""
    curve = cf.duration_curve(india.scenario.model_dump_json(), tuple(REGISTRY))
    spec = charts.duration_chart(curve, 48)
    legend = charts.layers(spec)[1]["encoding"]["color"]["legend"]
    assert legend["orient"] == "bottom" and legend.get("columns", 1) == 1
    limit = legend["labelLimit"]["expr"]
    match = re.search(r"clamp\(containerSize\(\)\[0\] \* 1.0 - (\d+), (\d+), (\d+)\)", limit)
    less, _, most = map(int, match.groups())
    assert legend["labelExpr"] == charts.LEGEND_WRAP

    def lines(title: str) -> list[str]:  # the wrap rule of `charts.LEGEND_WRAP`, in Python
        if len(title) <= charts.LEGEND_WRAP_CHARS:
            return [title]
        at = title.find(" ", len(title) // 2 - 4)
        return [title[:at], title[at + 1:]] if at > 0 else [title]

    longest = max(len(line) for m in REGISTRY.values() for line in lines(m.title))
    # Vega's 10 px legend labels: about 0.55 em a character in its sans-serif font
    needed = 0.6 * 10 * longest
    phone = 390 - 2 * 16  # a phone's width less the page's side padding [px]
    assert phone < charts.LEGEND_WRAP_BELOW  # a phone wraps
    assert min(phone - less, most) >= needed
    assert "…" not in charts.svg(spec)


def test_every_estimate_chart_says_what_it_shows(india, india_specs):
    """Screen readers read the description instead of "Vega visualization"; the brief uses
    it as the image's alternative text. Each holds its chart's headline figure."""
    rng, duration, tornado, fall = india_specs
    head = _range_frame(india).row(0, named=True)
    assert rng["description"].startswith("Every method's range")
    assert f"{head['title']} {head['p50_label']}" in rng["description"]
    own = india.summary.filter(pl.col("method") == "impact").row(0, named=True)
    assert money(own["loss_p50"]) in tornado["description"]
    assert "this scenario's 48 hours" in duration["description"]
    net = cf.waterfall_frame(india.components["impact"], india.conversion)["amount_label"][-1]
    assert f"Net loss {net}" in fall["description"]
    for spec in india_specs:
        assert len(spec["description"]) > 40


def test_the_html_brief_uses_the_descriptions_as_alt_text(india_brief):
    html_text = brief_mod.render_estimate_html(india_brief)
    for alt, _ in india_brief.charts:
        assert f'alt="{brief_mod._attr(alt)}"' in html_text


def test_the_monitor_charts_say_what_they_show(lifted):
    cum = charts.cumulative_chart(lifted, "impact").to_dict()
    last = charts.cumulative_points(lifted, "impact")[-1]
    assert money(last["p50"]) in cum["description"]
    inten = charts.intensity_chart(lifted).to_dict()
    assert "mobile peaks at 100 %" in inten["description"]
    brief = brief_mod.brief_content(lifted, produced=PRODUCED)
    assert brief.chart_alts == [cum["description"], inten["description"]]
