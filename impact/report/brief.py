"""A one-page decision brief of a monitored restriction, for a regulator, an operator or a
journalist: `brief_html` (self-contained HTML) and `brief_pdf` (A4, fpdf2).

Both render the same content (`brief_content`): what is cut, where and since when (local time
and UTC); the measured intensity now and at its peak; whether it is still on; the cost so far
of the chosen method (or of the headline, `impact.estimation.ensemble`: the methods that apply, combined)
with its P5–P95 and the spread of every costed method; the cost of each
additional hour and day; what it will have cost after 1, 3, 7 and 30 more days; local currency
beside USD; the timeline's sources, the methods' citations, the data version, draws and seed;
when it was produced and by which version; and a one-line caveat on uncertainty.

Every figure is written by `impact.format`. Every text from the timeline is escaped (HTML) or
written as plain text (PDF): nothing in a brief is a formula or a script. The PDF draws the
scripts of the countries costed with the system's DejaVu and Noto fonts; a character that no
font on the system draws is printed as '?' and its script named in the brief's notes. The charts
(`impact.report.charts`) are embedded as PNG; when they cannot be rendered the brief says so and
goes on.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from impact.bundled.countries import country_name
from impact.errors import InputError
from impact.estimation.ensemble import (
    BESIDE,
    ENSEMBLE,
    ENSEMBLE_TITLE,
    ensemble,
    ensemble_row,
    headline,
    why_they_differ,
)
from impact.format import MISSING, hours, money, money_range, number, percent
from impact.methods import OWN_METHOD, REGISTRY, lead_method
from impact.monitor.costing import lifted_at, now_utc
from impact.report import charts, export
from impact.report.chart_frames import (
    duration_curve,
    methods_range_frame,
    tornado_frame,
    waterfall_frame,
)
from impact.report.pdf import PdfWriter, brief_text, pdf_bytes
from impact.vocab import PLATFORM_LABELS, SCOPE_LABELS, parameter_label

if TYPE_CHECKING:  # pragma: no cover
    from impact.monitor.costing import MonitorResult

CAVEAT = ("These are model estimates, not measurements: P5–P95 holds 90 % of the simulated "
          "draws of one method, and the methods disagree by more than that; read the order "
          "of magnitude, not the last digit.")
_URL = re.compile(r"^https?://[^\s<>\"']+$")


@dataclass
class Brief:
    """What a brief says, as plain text (rendered by `brief_html` and `brief_pdf`)."""

    title: str
    facts: list[tuple[str, str]]  #: (label, value) lines under the title
    methods_head: tuple[str, ...]
    methods_rows: list[tuple[str, ...]]
    projection_head: tuple[str, ...]
    projection_rows: list[tuple[str, ...]]
    projection_note: str
    sources: list[str]
    citations: list[tuple[str, str]]  #: (method title, citation)
    assumptions: list[str]
    footer: str
    caveat: str = CAVEAT
    method: str = OWN_METHOD
    method_ok: bool = True
    charts: list[bytes] = field(default_factory=list)  #: PNG images
    chart_alts: list[str] = field(default_factory=list)  #: each chart in words
    chart_note: str = ""


# ---- the content ------------------------------------------------------------------------------
def _when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%d %b %Y %H:%M} {local.tzname()} ({moment.astimezone(UTC):%d %b %Y %H:%M} UTC)"


def _what(result: MonitorResult) -> tuple[str, str]:
    kinds: list[str] = []
    for r in result.timeline.rows:
        label = SCOPE_LABELS.get(r.scope, r.scope)
        if r.platforms:
            label += " of " + ", ".join(PLATFORM_LABELS.get(p, p) for p in r.platforms)
        if label not in kinds:
            kinds.append(label)
    regions = {r.region for r in result.timeline.rows}
    if None in regions or not regions:
        where = "nationwide"
    else:
        where = "in " + ", ".join(sorted(x for x in regions if x))
    asns = sorted({r.asn for r in result.timeline.rows if r.asn is not None})
    if asns:
        where += " on " + ", ".join(f"AS{a}" for a in asns)
    return "; ".join(kinds), where


def _country(iso3: str) -> str:
    try:
        return country_name(iso3)
    except Exception:  # noqa: BLE001 - a brief names the code rather than fail
        return iso3


def _title(name: str) -> str:
    if name == ENSEMBLE:
        return ENSEMBLE_TITLE
    return REGISTRY[name].title if name in REGISTRY else name


def _by(result: MonitorResult, method: str) -> str:
    """Whose figure the brief leads with: ``method: …``, or the headline and its members."""
    head = result.headline
    if method != ENSEMBLE or head is None or not head.members:
        return f"method: {_title(method)}"
    return ("headline: " + "; ".join(_title(m) for m in head.members)
            + ", combined quantile by quantile")


def _row(frame, **match) -> dict | None:
    for row in frame.iter_rows(named=True):
        if all(row.get(k) == v for k, v in match.items()):
            return row
    return None


def _est(row: dict | None, currency: str, local: bool = True) -> str:
    """``USD 31.9 m (P5–P95 USD 13.8 m – 78 m) · PKR 8.87 bn``."""
    if row is None or row.get("loss_usd_p50") is None:
        return MISSING
    text = (f"{money(row['loss_usd_p50'])} (P5–P95 "
            f"{money_range(row['loss_usd_p05'], row['loss_usd_p95'])})")
    if local and row.get("loss_local_p50") is not None:
        text += f" · {money(row['loss_local_p50'], currency)}"
    return text


def _words(text: str | None) -> str:
    """``text`` on one line, whole: a brief wraps its texts, it never cuts them."""
    return " ".join((text or "").split())


def brief_content(result: MonitorResult, method: str = OWN_METHOD, *,
                  produced: datetime | None = None, charts: bool = True) -> Brief:
    """The text (and chart images) of the brief of ``result`` for ``method`` (a method's
    name, or ``ensemble``: the headline, the methods that apply combined)."""
    if method not in REGISTRY and method != ENSEMBLE:
        raise InputError("method", method, f"{ENSEMBLE} (the headline) or one of "
                         f"{', '.join(REGISTRY)}")
    zone = ZoneInfo(result.zone)
    tl = result.timeline
    country = _country(tl.iso3)
    what, where = _what(result)
    title = f"{country}: {what}, {where}, since {_when(tl.start, zone)}"
    facts: list[tuple[str, str]] = []

    # status and duration
    if result.current:
        status = f"still on at {_when(result.until, zone)}"
        stop = result.until
    else:
        lifted = lifted_at(tl, result.until) or result.until
        status = f"lifted at {_when(lifted, zone)}"
        stop = lifted
    span = (stop - tl.start).total_seconds() / 3600
    facts.append(("Status", f"{status}; {hours(span)} since it began"))

    # intensity now and peak
    frame = result.hourly
    if frame.height:
        peak_i = float(frame["intensity"].max())
        peak_at = frame.filter(frame["intensity"] == peak_i)["hour_utc"][0]
        peak = f"peak {percent(peak_i)} in the hour from {_when(peak_at, zone)}"
        if result.current:
            last = frame.filter(frame["hour_utc"] == frame["hour_utc"].max())
            now = ", ".join(f"{s} {percent(i)}" for s, i in zip(
                last["scope"].to_list(), last["intensity"].to_list(), strict=True))
        else:
            now = "0 % (lifted)"
        facts.append(("Measured intensity", f"now {now}; {peak}; 100 % = service fully lost"))

    # cost so far
    own = _row(result.so_far, method=method)
    method_ok = own is not None and own["status"] == "ok"
    by = _by(result, method)
    if own is None:
        facts.append(("Cost so far", f"{by} was not run for this brief"))
    elif not method_ok:
        why = _words(own["reason"]) or "no reason given"
        kind = own["status"].replace("_", " ")
        facts.append(("Cost so far", f"{by} does not cost this timeline ({kind}): {why}"))
    else:
        facts.append(("Cost so far", f"{_est(own, result.currency)} — {by}"))
    ok_rows = [r for r in result.so_far.iter_rows(named=True) if r["method"] != ENSEMBLE
               and r["status"] == "ok" and r["loss_usd_p50"] is not None]
    if ok_rows:
        p50s = [r["loss_usd_p50"] for r in ok_rows]
        plural = "s" if len(ok_rows) != 1 else ""
        spread = money_range(min(p50s), max(p50s))
        n_ok = len(ok_rows)
        facts.append(("Spread of methods", f"{spread} (P50 of {n_ok} costed method{plural})"))
    else:
        facts.append(("Spread of methods", "no method costs this timeline"))

    # burn rate
    tail = "" if result.current else " (had it lasted)"
    for rate, label in (("per_hour", "Each additional hour"), ("per_day", "Each additional day")):
        row = _row(result.burn, method=method, rate=rate)
        value = _est(row, result.currency) if method_ok else MISSING
        facts.append((label + tail, value))
    if result.fx is None:
        facts.append(("Local currency", f"{result.currency}: no official exchange rate"))
    else:
        facts.append(("Local currency",
                      f"{result.currency} at {money(result.fx, '')} per USD (official rate)"))

    # methods table
    methods_head = ("Method", "Cost so far P50", "P5–P95", "Per day P50")
    methods_rows = []
    for r in result.so_far.iter_rows(named=True):
        name = r["method"]
        label = "Headline (methods that apply)" if name == ENSEMBLE else _title(name)
        if r["status"] != "ok" or r["loss_usd_p50"] is None:
            methods_rows.append((label, r["status"].replace("_", " "),
                                 _words(r["reason"]), ""))
            continue
        day = _row(result.burn, method=name, rate="per_day")
        methods_rows.append((label, money(r["loss_usd_p50"]),
                             money_range(r["loss_usd_p05"], r["loss_usd_p95"]),
                             money(day["loss_usd_p50"] if day else None)))

    # projection
    projection_head = ("If it lasts" if result.current else "Had it lasted", "Total P50",
                       "P5–P95", f"Total P50 ({result.currency})")
    projection_rows = []
    proj = result.projection.filter(result.projection["method"] == method).sort("more_days")
    for r in proj.iter_rows(named=True):
        d = r["more_days"]
        projection_rows.append((f"{d:g} more day{'s' if d != 1 else ''}",
                                money(r["loss_usd_p50"]),
                                money_range(r["loss_usd_p05"], r["loss_usd_p95"]),
                                money(r["loss_local_p50"], result.currency)))
    if not method_ok:
        projection_note = f"{_title(method)} does not cost this timeline: no projection."
    elif result.current:
        projection_note = ("The kinds restricted in the last hour continue at their "
                           "intensity.")
    else:
        projection_note = ("Lifted: what it would have cost had the last hour's restriction "
                           "lasted longer, from when it ended.")

    sources = list(dict.fromkeys(r.source for r in tl.rows if r.source))
    citations = [(_title(m), REGISTRY[m].citation) for m in result.methods if m in REGISTRY]
    assumptions = [
        ("Time is cut into UTC clock hours; overlapping reports of one outage count once "
         "(the highest intensity); hour-of-day and weekday weights are local "
         f"({result.zone})."),
        "Money is USD at current prices of the year; local currency at the official rate.",
        (f"Monte Carlo: {result.draws:,} draws, seed {result.seed}; data version "
         f"{result.data_version}."),
        *[_words(n) for n in result.notes],
    ]
    produced = produced or now_utc()
    footer = (f"Produced {produced.astimezone(UTC):%Y-%m-%d %H:%M} UTC by impact "
              f"{result.impact_version} (data {result.data_version}; {result.draws:,} draws, "
              f"seed {result.seed}).")
    brief = Brief(title=title, facts=facts, methods_head=methods_head,
                  methods_rows=methods_rows, projection_head=projection_head,
                  projection_rows=projection_rows, projection_note=projection_note,
                  sources=sources, citations=citations, assumptions=assumptions,
                  footer=footer, method=method, method_ok=method_ok)
    if charts:
        _add_charts(brief, result, method)
    return brief


def _add_charts(brief: Brief, result: MonitorResult, method: str) -> None:
    try:
        made = []
        if brief.method_ok:
            chart = charts.cumulative_chart(result, method)
            if method not in REGISTRY:  # the headline: the chart's title says so
                import altair as alt

                chart = chart.properties(title=alt.Title(
                    f"Cost so far: {_title(method)}", subtitle="line P50, band P5–P95",
                    anchor="start", fontSize=12, subtitleFontSize=10),
                    description=charts.cumulative_description(
                        charts.cumulative_points(result, method), _title(method)))
            made.append(chart.to_dict())
        made.append(charts.intensity_chart(result).to_dict())
        for spec in made:
            brief.charts.append(charts.png(spec))
            brief.chart_alts.append(spec["description"])
    except Exception as exc:  # noqa: BLE001 - a brief without charts beats no brief
        brief.chart_note = f"Charts could not be rendered ({type(exc).__name__})."


# ---- HTML -----------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;font-size:14px;line-height:1.4;
overflow-wrap:anywhere}
h1{font-size:1.35rem;margin:0 0 .6rem}h2{font-size:1rem;margin:1.1rem 0 .3rem}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.15rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,22rem),1fr));
gap:1rem;margin:.8rem 0}.charts img{display:block;width:100%;max-width:100%;height:auto}
img{max-width:100%;height:auto}pre{white-space:pre-wrap;overflow-wrap:anywhere}
.money{white-space:nowrap}
.caveat{background:#fff4e5;border-left:4px solid #e69500;padding:.4rem .7rem;margin:.8rem 0}
.small{font-size:12px;color:#444}footer{margin-top:1rem;font-size:12px;color:#555}
@media (max-width:40rem){body{margin:1rem auto;padding:0 .75rem}
dl{grid-template-columns:1fr}dd{margin:0 0 .35rem}
table,tbody,tr,td{display:block;width:auto}thead{display:none}
tr{border-bottom:1px solid #ddd;padding:.3rem 0}td{border:0;padding:.05rem 0}
td[data-label]::before{content:attr(data-label) ": ";font-weight:600}td:empty{display:none}}
"""
#: money as `impact.format` writes it — a currency code, a figure and its unit, and the
#: upper end of a range — kept on one line in the HTML brief
_MONEY = re.compile(r"\b[A-Z]{3} [−-]?\d[\d.,]*(?: (?:k|m|bn|tn)\b)?"
                    r"(?: – [−-]?\d[\d.,]*(?: (?:k|m|bn|tn)\b)?)?")


def _e(text: object) -> str:
    """``text`` escaped for HTML, its money figures kept whole on one line (`_MONEY`)."""
    out, at = [], 0
    text = str(text)
    for m in _MONEY.finditer(text):
        out += [html.escape(text[at:m.start()], quote=True),
                f'<span class="money">{html.escape(m.group(), quote=True)}</span>']
        at = m.end()
    return "".join(out) + html.escape(text[at:], quote=True)


def _attr(text: object) -> str:
    """``text`` escaped for an HTML attribute's value."""
    return html.escape(str(text), quote=True)


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f'<td data-label="{_attr(h)}">{_e(c)}</td>'
                                    for h, c in zip(head, row, strict=True)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _source_html(source: str) -> str:
    if _URL.match(source):
        return f'<a href="{_attr(source)}" rel="noopener noreferrer">{_e(source)}</a>'
    return _e(source)


def _page_start(title: str) -> list[str]:
    """The head of a self-contained brief page and its title heading."""
    return ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_attr(title)}</title><style>{_CSS}</style></head><body>",
            f"<h1>{_e(title)}</h1>"]


def _facts_html(facts: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts) + "</dl>"


def _charts_html(images: list[tuple[str, bytes]]) -> str:
    """(alt text, PNG) images as inline data: URIs in a two-column block."""
    if not images:
        return ""
    return ('<div class="charts">' + "".join(
        f'<img alt="{_attr(alt)}" src="data:image/png;base64,'
        f'{base64.b64encode(image).decode("ascii")}">' for alt, image in images) + "</div>")


def render_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page (inline CSS, charts as data: PNG)."""
    parts = _page_start(brief.title)
    parts.append(_facts_html(brief.facts))
    parts.append(f'<p class="caveat">{_e(brief.caveat)}</p>')
    if brief.charts:
        parts.append(_charts_html(list(zip(brief.chart_alts, brief.charts, strict=False))))
    if brief.chart_note:
        parts.append(f'<p class="small">{_e(brief.chart_note)}</p>')
    parts.append(f"<h2>Projection ({_e(_title(brief.method))})</h2>")
    parts.append(_table(brief.projection_head, brief.projection_rows))
    parts.append(f'<p class="small">{_e(brief.projection_note)}</p>')
    parts.append("<h2>Every method</h2>")
    parts.append(_table(brief.methods_head, brief.methods_rows))
    parts.append("<h2>Sources and assumptions</h2>")
    if brief.sources:
        parts.append('<p class="small">Timeline: ' + "; ".join(
            _source_html(s) for s in brief.sources) + "</p>")
    else:
        parts.append('<p class="small">Timeline: no source given in the rows.</p>')
    parts.append('<ul class="small">' + "".join(f"<li>{_e(a)}</li>" for a in brief.assumptions)
                 + "</ul>")
    parts.append('<ul class="small">' + "".join(
        f"<li><b>{_e(t)}</b>: {_e(c)}</li>" for t, c in brief.citations) + "</ul>")
    parts.append(f"<footer>{_e(brief.footer)}</footer></body></html>")
    return "\n".join(parts)


def brief_html(result: MonitorResult, method: str = OWN_METHOD, *,
               produced: datetime | None = None) -> str:
    """A one-page, self-contained HTML brief of ``result`` for ``method`` (see the module
    docstring); ``produced`` defaults to now [UTC]."""
    return render_html(brief_content(result, method, produced=produced))


# ---- PDF ------------------------------------------------------------------------------------
def render_pdf(brief: Brief, unicode_font: bool = True) -> bytes:
    """The brief as an A4 portrait PDF (one page for a typical timeline)."""
    return bytes(_layout(brief, unicode_font).output())


def _layout(brief: Brief, unicode_font: bool = True):
    """The laid-out `fpdf.FPDF` document of ``brief``."""
    w = PdfWriter(unicode_font, brief_text(brief))
    pdf = w.pdf
    w.para(brief.title, size=13, bold=True, h=5.6)
    pdf.ln(1)
    w.facts(brief.facts)
    pdf.ln(0.8)
    pdf.set_fill_color(255, 244, 229)
    w.font(7.5)
    pdf.multi_cell(0, 3.6, w.text(brief.caveat), fill=True, new_x="LMARGIN", new_y="NEXT")
    if brief.charts:
        pdf.ln(1.5)
        gap = 4
        width = (pdf.w - pdf.l_margin - pdf.r_margin - gap) / 2
        y = pdf.get_y()
        tallest = 0.0
        for i, image in enumerate(brief.charts[:2]):
            info = pdf.image(io.BytesIO(image), x=pdf.l_margin + i * (width + gap), y=y,
                             w=width)
            tallest = max(tallest, float(getattr(info, "rendered_height", 0) or width / 2))
        pdf.set_y(y + tallest + 1)
    if brief.chart_note:
        w.para(brief.chart_note, size=7.5)
    w.heading(f"Projection ({_title(brief.method)})")
    w.table(brief.projection_head, brief.projection_rows, (0.22, 0.2, 0.33, 0.25))
    w.para(brief.projection_note, size=7.5)
    w.heading("Every method")
    w.table(brief.methods_head, brief.methods_rows, (0.3, 0.17, 0.35, 0.18))
    w.heading("Sources and assumptions")
    w.para("Timeline: " + ("; ".join(brief.sources) if brief.sources
                           else "no source given in the rows."), size=7)
    for a in brief.assumptions:
        w.para(f"- {a}", size=7, h=3.2)
    if w.note:
        w.para(f"- {w.note}", size=7, h=3.2)
    for t, c in brief.citations:
        w.para(f"{t}: {c}", size=6.5, h=3.0)
    pdf.ln(1)
    w.para(brief.footer, size=7, h=3.2)
    return pdf


def brief_pdf(result: MonitorResult, method: str = OWN_METHOD, *,
              produced: datetime | None = None) -> bytes:
    """A one-page A4 PDF brief of ``result`` for ``method`` (see the module docstring).

    Uses DejaVu Sans and, for the scripts it lacks, the Noto fonts the system has (Debian
    fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji), with right-to-left and complex
    scripts shaped by HarfBuzz; what no font draws is printed as '?' and named in the notes.
    Without a Unicode font: Helvetica over Latin-1-safe text, likewise."""
    brief = brief_content(result, method, produced=produced)
    return pdf_bytes(lambda unicode_font: _layout(brief, unicode_font))


# ---- the brief of one estimate -----------------------------------------------------------------
ESTIMATE_CAVEAT = ("These are model estimates, not measurements: each range holds 90 % of a "
                   "method's simulated draws, the ensemble's range holds the disagreement "
                   "between methods too; read the order of magnitude, not the last digit.")
#: uncertain inputs per method named in the assumptions, largest swing first
KEY_INPUTS = 3


@dataclass
class EstimateBrief:
    """What the brief of one `impact.estimation.results.Estimate` says, as plain text and PNG charts
    (rendered by `estimate_brief_html` and `estimate_brief_pdf`)."""

    title: str
    headline: str  #: the sentence to quote (`impact.estimation.ensemble.headline`)
    why: str  #: why the methods differ (`impact.estimation.ensemble.why_they_differ`)
    ensemble_note: str  #: who is in the ensemble, who was left out and why
    facts: list[tuple[str, str]]
    methods_head: tuple[str, ...]
    methods_rows: list[tuple[str, ...]]
    #: the whole reasons behind the table's notes, numbered in order ("note 1" first)
    method_notes: list[str]
    assumptions: list[str]
    citations: list[tuple[str, str]]  #: (method title, citation)
    vintages: list[str]
    notes: list[str]
    command: str  #: the ``impact estimate`` command that reproduces it
    footer: str
    caveat: str = ESTIMATE_CAVEAT
    charts: list[tuple[str, bytes]] = field(default_factory=list)  #: (alt text, PNG)
    chart_note: str = ""


def _value(x: float | None, unit: str | None) -> str:
    """An input's value in words by its unit: a share as a percentage, USD as money."""
    u = (unit or "").lower()
    if x is None:
        return MISSING
    if u.startswith("share"):
        return percent(x)
    if u.startswith("usd") and not u.startswith("usd per usd"):
        return money(x)
    if u == "hours":
        return hours(x)

    return number(x)


def _key_assumptions(est) -> list[str]:
    """The scenario's own assumptions and, per costed method, its inputs that move the loss
    most (`KEY_INPUTS`, by the one-at-a-time swing), in words with their ranges."""
    import polars as pl

    ctx = est.context
    out = [f"Affected: {ctx.affected_detail}.", f"Hours: {ctx.hour_weight_detail}."]
    if est.scenario.circumvention is not None:
        out.append(f"Activity continuing via VPN: {percent(est.scenario.circumvention)}.")
    for key, value in est.overrides.items():
        out.append(f"Set by the user: {parameter_label(key.split('.')[-1])} = {value:g}.")
    for r in est.summary.iter_rows(named=True):
        if r["status"] != "ok":
            continue
        m = r["method"]
        sens = est.sensitivity.filter(pl.col("method") == m).sort("rank").head(KEY_INPUTS)
        specs = {a["parameter"]: a for a in
                 est.assumptions.filter(pl.col("method") == m).iter_rows(named=True)}
        parts = []
        for name in sens["parameter"].to_list():
            a = specs.get(name)
            if a is None:
                continue
            spread = "" if a["low"] == a["high"] else (
                f" ({_value(a['low'], a['unit'])} – {_value(a['high'], a['unit'])})")
            parts.append(f"{parameter_label(name)} {_value(a['value'], a['unit'])}{spread}")
        if parts:
            out.append(f"{_title(m)}: " + "; ".join(parts) + ".")
    return out


def _headline_method(est) -> str | None:
    """The method whose inputs the tornado shows: our own model (`OWN_METHOD`) when it costs
    the scenario, else the first costed member of the ensemble (else of the methods)."""
    ok = [r["method"] for r in est.summary.iter_rows(named=True) if r["status"] == "ok"]
    if OWN_METHOD in ok:
        return OWN_METHOD
    members = [m for m in ensemble(est).members if m in ok]
    return (members or ok or [None])[0]


#: the outer size of every chart of an estimate's brief [px], title, axes and legend
#: included (`impact.report.charts.fixed_size`): four charts of one size
CHART_WIDTH, CHART_HEIGHT = 430, 300


def estimate_chart_specs(est) -> tuple[list[dict], list[str]]:
    """The Vega-Lite specs of an estimate brief's charts — methods as ranges, loss by
    duration, the tornado of the headline method and the waterfall of the impact model
    (those that the estimate has) —, each `CHART_WIDTH` × `CHART_HEIGHT` px with its
    labels whole (`impact.report.charts.wrap_labels`); and the charts not shown, in words."""
    currency = est.conversion.currency
    specs, missing = [], []
    frame = methods_range_frame(est.summary, ensemble_row(est))
    if frame.height:
        specs.append(charts.range_chart(frame, currency=currency))
    ok = tuple(r["method"] for r in est.summary.iter_rows(named=True) if r["status"] == "ok")
    if ok:
        curve = duration_curve(est.scenario.model_dump_json(), ok)
        specs.append(charts.duration_chart(curve, est.context.hours,
                                           band_method=lead_method(ok), currency=currency))
    method = _headline_method(est)
    torn, centre = tornado_frame(est.sensitivity, est.summary, est.conversion, method or "")
    if torn.height:
        specs.append(charts.wrap_labels(charts.tornado_chart(
            torn, centre, currency=currency, title=_title(method))))
    else:
        missing.append("tornado")
    fall = waterfall_frame(est.components.get(OWN_METHOD, {}), est.conversion)
    if fall.height:
        specs.append(charts.wrap_labels(charts.waterfall_chart(fall, currency=currency)))
    else:
        missing.append("waterfall (the impact model does not cost this scenario)")
    return [charts.fixed_size(s, CHART_WIDTH, CHART_HEIGHT) for s in specs], missing


def _estimate_charts(brief: EstimateBrief, est) -> None:
    """The charts (`estimate_chart_specs`) as PNG rendered offline, each with its
    description as alternative text."""
    try:
        specs, missing = estimate_chart_specs(est)
        brief.charts.extend((spec["description"], charts.png(spec)) for spec in specs)
    except Exception as exc:  # noqa: BLE001 - a brief without charts beats no brief
        brief.chart_note = f"Charts could not be rendered ({type(exc).__name__})."
        return
    if missing:
        brief.chart_note = "Not shown: " + "; ".join(missing) + "."


def estimate_brief_content(est, *, produced: datetime | None = None,
                           charts: bool = True) -> EstimateBrief:
    """The text (and chart images) of the one-page brief of an estimate ``est``: the headline
    sentence and why the methods differ, every method's P50 and 90 % range in the output
    currency (`impact.format`), the charts, the key assumptions in words, the methods'
    citations, the data vintages and the command that reproduces it."""
    ctx = est.context
    ens = ensemble(est)
    currency = est.conversion.currency
    left = ", ".join(_title(m) for m in ens.excluded)
    ensemble_note = (f"Headline: {', '.join(_title(m) for m in ens.members) or 'no method'}, "
                     "combined quantile by quantile (geometric means of their P5s, P50s and "
                     "P95s)." + (f" Not in it: {left} (why: in the table)."
                                                  if left else ""))
    conv = est.conversion
    basis = (f"{conv.currency} at {conv.price_basis} prices"
             + (f" of {conv.price_year}" if conv.price_basis == "constant" else
                f" of {ctx.year}"))
    facts = [("Scenario", export.scenario_words(est)),
             ("Money", basis + ("" if conv.currency == "USD" else
                                f"; {money(conv.factor, '')} {conv.currency} per USD"))]
    head = ("Method", f"P50 ({currency})", "90 % range (P5–P95)", "Status / note")
    rows: list[tuple[str, ...]] = []
    method_notes: list[str] = []

    def noted(status: str, name: str, why: str) -> str:
        """``status`` and the number of its whole reason in the notes under the table."""
        if not why:
            return status
        method_notes.append(why if why.startswith(name) else f"{name}: {why}")
        return f"{status} (note {len(method_notes)})"

    for r in [ensemble_row(est).row(0, named=True), *est.summary.iter_rows(named=True)]:
        name = "Headline (methods that apply)" if r["method"] == ENSEMBLE else r["title"]
        if r["status"] != "ok":
            rows.append((name, MISSING, MISSING, noted(r["status"].replace("_", " "), name,
                                                       _words(r["reason"]))))
            continue
        note = ""
        method = REGISTRY.get(r["method"])
        if r["method"] == ENSEMBLE:
            note = f"{len(ens.members)} methods combined"
        elif r["method"] in ens.beside:
            note = noted("beside the headline", name,
                         _words(ens.excluded[r["method"]].removeprefix(BESIDE)))
        elif r["method"] not in ens.members:
            note = noted("not in the headline", name, _words(ens.excluded.get(r["method"])))
        elif method is not None and method.domain_note:
            note = noted("in the headline", name, _words(method.domain_note))
        rows.append((name, money(r["loss_p50"], currency),
                     money_range(r["loss_p05"], r["loss_p95"], currency), note))
    citations = [(_title(m), REGISTRY[m].citation) for m in est.summary["method"]
                 if m in REGISTRY]
    by_table: dict[str, dict[str, list[str]]] = {}  # table -> publisher -> vintages
    for r in est.vintages.iter_rows(named=True):
        seen = by_table.setdefault(r["table"].replace("_", " "), {}).setdefault(
            r["publisher"], [])
        if r["vintage"] not in seen:
            seen.append(r["vintage"])
    vintages = [f"{table}: " + "; ".join(f"{p} {', '.join(v)}" for p, v in pubs.items())
                for table, pubs in by_table.items()]
    draws = est.summary["draws"].drop_nulls()
    seeds = est.summary["seed"].drop_nulls()
    produced = produced or datetime.now(UTC)
    footer = (f"Produced {produced.astimezone(UTC):%Y-%m-%d %H:%M} UTC by impact "
              f"{export.impact_version()} (data {export.data_version()}"
              + (f"; {draws[0]:,} draws, seed {seeds[0]}" if draws.len() else "") + ").")
    brief = EstimateBrief(
        title=f"Economic cost of {export._scenario_short(est)}",
        headline=headline(est), why=why_they_differ(est), ensemble_note=ensemble_note,
        facts=facts, methods_head=head, methods_rows=rows, method_notes=method_notes,
        assumptions=_key_assumptions(est), citations=citations, vintages=vintages,
        notes=[_words(n) for n in est.notes], command=export.cli_command(est),
        footer=footer)
    if charts:
        _estimate_charts(brief, est)
    return brief


def render_estimate_html(brief: EstimateBrief) -> str:
    """An estimate's brief as one self-contained HTML page (inline CSS, charts as data: PNG)."""
    parts = _page_start(brief.title)
    parts.append(f'<p class="headline"><b>{_e(brief.headline)}</b></p>')
    if brief.why:
        parts.append(f"<p>{_e(brief.why)}</p>")
    parts.append(f'<p class="small">{_e(brief.ensemble_note)}</p>')
    parts.append(_facts_html(brief.facts))
    parts.append(f'<p class="caveat">{_e(brief.caveat)}</p>')
    parts.append("<h2>Every method</h2>")
    parts.append(_table(brief.methods_head, brief.methods_rows))
    if brief.method_notes:
        parts.append('<ol class="small notes">' + "".join(
            f"<li>{_e(n)}</li>" for n in brief.method_notes) + "</ol>")
    parts.append(_charts_html(brief.charts))
    if brief.chart_note:
        parts.append(f'<p class="small">{_e(brief.chart_note)}</p>')
    parts.append("<h2>Key assumptions</h2>")
    parts.append('<ul class="small">' + "".join(f"<li>{_e(a)}</li>" for a in brief.assumptions)
                 + "".join(f"<li>Data note: {_e(n)}</li>" for n in brief.notes) + "</ul>")
    parts.append("<h2>Sources</h2>")
    parts.append('<ul class="small">' + "".join(
        f"<li><b>{_e(t)}</b>: {_e(c)}</li>" for t, c in brief.citations) + "</ul>")
    parts.append('<p class="small">Data vintages: ' + _e("; ".join(brief.vintages)) + "</p>")
    parts.append("<h2>Reproduce</h2>")
    parts.append(f"<pre><code>{_attr(brief.command)}</code></pre>")
    parts.append(f"<footer>{_e(brief.footer)}</footer></body></html>")
    return "\n".join(parts)


#: the largest height of a chart on the PDF page [mm], tried in order until it fits one page
_CHART_HEIGHTS = (56.0, 50.0, 45.0, 40.0, 35.0, 30.0)


def _estimate_layout(brief: EstimateBrief, unicode_font: bool = True,
                     chart_height: float = _CHART_HEIGHTS[0]):
    """The laid-out `fpdf.FPDF` document of an estimate's ``brief``."""
    w = PdfWriter(unicode_font, brief_text(brief))
    pdf = w.pdf
    w.para(brief.title, size=12.5, bold=True, h=5.4)
    pdf.ln(0.6)
    w.para(brief.headline, size=9, bold=True, h=4.2)
    if brief.why:
        w.para(brief.why, size=8, h=3.6)
    w.para(brief.ensemble_note, size=7, h=3.2)
    pdf.ln(0.6)
    w.facts(brief.facts)
    w.heading("Every method")
    w.table(brief.methods_head, brief.methods_rows, (0.4, 0.13, 0.2, 0.27))
    for i, note in enumerate(brief.method_notes, start=1):
        w.para(f"Note {i}. {note}", size=6.5, h=2.9)
    if brief.charts:
        w.charts([image for _, image in brief.charts], max_height=chart_height)
    if brief.chart_note:
        w.para(brief.chart_note, size=7)
    w.heading("Key assumptions")
    for a in brief.assumptions:
        w.para(f"- {a}", size=6.5, h=2.9)
    for n in brief.notes:
        w.para(f"- Data note: {n}", size=6.5, h=2.9)
    if w.note:
        w.para(f"- {w.note}", size=6.5, h=2.9)
    w.heading("Sources and data vintages")
    for t, c in brief.citations:
        w.para(f"{t}: {c}", size=6.2, h=2.7)
    w.para("Data vintages: " + "; ".join(brief.vintages), size=6.2, h=2.7)
    pdf.set_fill_color(255, 244, 229)
    w.font(6.8)
    pdf.ln(0.8)
    pdf.multi_cell(0, 3.0, w.text(brief.caveat), fill=True, new_x="LMARGIN", new_y="NEXT")
    w.heading("Reproduce")
    w.para(brief.command, size=6.8, h=3.0)
    pdf.ln(0.6)
    w.para(brief.footer, size=6.5, h=3.0)
    return pdf


def _estimate_pdf_layout(brief: EstimateBrief, unicode_font: bool):
    """The layout with the tallest charts (`_CHART_HEIGHTS`) that fits one page, else the
    one with the smallest: the tallest and the smallest are tried first, then a bisection
    (fewer charts shrink the page monotonically), so at most 4 layouts instead of 6."""
    first = _estimate_layout(brief, unicode_font, _CHART_HEIGHTS[0])
    if first.pages_count == 1:
        return first
    last = _estimate_layout(brief, unicode_font, _CHART_HEIGHTS[-1])
    if last.pages_count > 1:
        return last
    lo, hi, best = 1, len(_CHART_HEIGHTS) - 2, last  # best: the tallest known to fit
    while lo <= hi:
        mid = (lo + hi) // 2
        pdf = _estimate_layout(brief, unicode_font, _CHART_HEIGHTS[mid])
        if pdf.pages_count == 1:
            best, hi = pdf, mid - 1
        else:
            lo = mid + 1
    return best


def estimate_brief_html(est, *, produced: datetime | None = None) -> str:
    """A one-page, self-contained HTML brief of an estimate (`estimate_brief_content`);
    ``produced`` defaults to now [UTC]."""
    return render_estimate_html(estimate_brief_content(est, produced=produced))


def estimate_brief_pdf(est, *, produced: datetime | None = None) -> bytes:
    """A one-page A4 PDF brief of an estimate (`estimate_brief_content`), in the fonts of
    `brief_pdf`."""
    brief = estimate_brief_content(est, produced=produced)
    return pdf_bytes(lambda unicode_font: _estimate_pdf_layout(brief, unicode_font))
