"""A one-page decision brief of a monitored restriction, for a regulator, an operator or a
journalist: `brief_html` (self-contained HTML) and `brief_pdf` (A4, fpdf2).

Both render the same content (`brief_content`): what is cut, where and since when (local time
and UTC); the measured intensity now and at its peak; whether it is still on; the cost so far
of the chosen method with its P5–P95 and the spread of every costed method; the cost of each
additional hour and day; what it will have cost after 1, 3, 7 and 30 more days; local currency
beside USD; the timeline's sources, the methods' citations, the data version, draws and seed;
when it was produced and by which version; and a one-line caveat on uncertainty.

Every figure is written by `impact.format`. Every text from the timeline is escaped (HTML) or
written as plain text (PDF): nothing in a brief is a formula or a script. The charts
(`impact.charts`) are embedded as PNG; when they cannot be rendered the brief says so and
goes on.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from impact.errors import InputError
from impact.format import MISSING, hours, money, money_range, percent

if TYPE_CHECKING:  # pragma: no cover
    from impact.monitor import MonitorResult

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
    method: str = "impact"
    method_ok: bool = True
    charts: list[bytes] = field(default_factory=list)  #: PNG images
    chart_note: str = ""


# ---- the content ------------------------------------------------------------------------------
def _when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%d %b %Y %H:%M} {local.tzname()} ({moment.astimezone(UTC):%d %b %Y %H:%M} UTC)"


def _what(result: MonitorResult) -> tuple[str, str]:
    from impact.vocab import PLATFORM_LABELS, SCOPE_LABELS

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
    from impact.countries import country_name

    try:
        return country_name(iso3)
    except Exception:  # noqa: BLE001 - a brief names the code rather than fail
        return iso3


def _title(name: str) -> str:
    from impact.methods import REGISTRY

    return REGISTRY[name].title if name in REGISTRY else name


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


def _short(text: str | None, n: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def brief_content(result: MonitorResult, method: str = "impact", *,
                  produced: datetime | None = None, charts: bool = True) -> Brief:
    """The text (and chart images) of the brief of ``result`` for ``method``."""
    from impact.methods import REGISTRY
    from impact.monitor import lifted_at, now_utc

    if method not in REGISTRY:
        raise InputError("method", method, f"one of {', '.join(REGISTRY)}")
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
    by = f"method: {_title(method)}"
    if own is None:
        facts.append(("Cost so far", f"{by} was not run for this brief"))
    elif not method_ok:
        why = _short(own["reason"], 200) or "no reason given"
        kind = own["status"].replace("_", " ")
        facts.append(("Cost so far", f"{by} does not cost this timeline ({kind}): {why}"))
    else:
        facts.append(("Cost so far", f"{_est(own, result.currency)} — {by}"))
    ok_rows = [r for r in result.so_far.iter_rows(named=True)
               if r["status"] == "ok" and r["loss_usd_p50"] is not None]
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
        if r["status"] != "ok":
            methods_rows.append((_title(name), r["status"].replace("_", " "),
                                 _short(r["reason"], 70), ""))
            continue
        day = _row(result.burn, method=name, rate="per_day")
        methods_rows.append((_title(name), money(r["loss_usd_p50"]),
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
        *[_short(n, 200) for n in result.notes],
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
    from impact import charts

    try:
        if brief.method_ok:
            brief.charts.append(charts.png(charts.cumulative_chart(result, method)))
        brief.charts.append(charts.png(charts.intensity_chart(result)))
    except Exception as exc:  # noqa: BLE001 - a brief without charts beats no brief
        brief.chart_note = f"Charts could not be rendered ({type(exc).__name__})."


# ---- HTML -----------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;font-size:14px;line-height:1.4}
h1{font-size:1.35rem;margin:0 0 .6rem}h2{font-size:1rem;margin:1.1rem 0 .3rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts img{max-width:48%;height:auto}
.caveat{background:#fff4e5;border-left:4px solid #e69500;padding:.4rem .7rem;margin:.8rem 0}
.small{font-size:12px;color:#444}footer{margin-top:1rem;font-size:12px;color:#555}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _source_html(source: str) -> str:
    if _URL.match(source):
        return f'<a href="{_e(source)}" rel="noopener noreferrer">{_e(source)}</a>'
    return _e(source)


def render_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page (inline CSS, charts as data: PNG)."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(brief.title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_e(brief.title)}</h1>", "<dl>"]
    for label, value in brief.facts:
        parts.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    parts.append("</dl>")
    parts.append(f'<p class="caveat">{_e(brief.caveat)}</p>')
    if brief.charts:
        parts.append('<div class="charts">')
        for i, image in enumerate(brief.charts):
            alt = "cumulative cost so far" if (i == 0 and brief.method_ok) else \
                "measured intensity"
            parts.append(f'<img alt="{_e(alt)}" src="data:image/png;base64,'
                         f'{base64.b64encode(image).decode("ascii")}">')
        parts.append("</div>")
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


def brief_html(result: MonitorResult, method: str = "impact", *,
               produced: datetime | None = None) -> str:
    """A one-page, self-contained HTML brief of ``result`` for ``method`` (see the module
    docstring); ``produced`` defaults to now [UTC]."""
    return render_html(brief_content(result, method, produced=produced))


# ---- PDF ------------------------------------------------------------------------------------
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/share/fonts/TTF", "/usr/local/share/fonts", "/Library/Fonts",
              "C:/Windows/Fonts")
_LATIN1 = str.maketrans({"–": "-", "—": "-", "×": "x", "≈": "~", "…": "...", "’": "'",
                         "‘": "'", "“": '"', "”": '"', "≤": "<=", "≥": ">=", "·": "|",
                         "−": "-", "\u00a0": " ", "\u202f": " "})


def _dejavu() -> tuple[Path, Path] | None:
    for d in _FONT_DIRS:
        regular, bold = Path(d) / "DejaVuSans.ttf", Path(d) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Writer:
    """fpdf2 with a Unicode font when the system has DejaVu Sans, else Helvetica over
    Latin-1-safe text."""

    def __init__(self, unicode_font: bool = True) -> None:
        from fpdf import FPDF

        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(12, 11, 12)
        pdf.set_auto_page_break(True, margin=11)
        pdf.add_page()
        self.family = "Helvetica"
        self.unicode = False
        fonts = _dejavu() if unicode_font else None
        if fonts:
            with contextlib.suppress(Exception):  # an unreadable font: Helvetica
                pdf.add_font("DejaVu", "", str(fonts[0]))
                pdf.add_font("DejaVu", "B", str(fonts[1]))
                self.family, self.unicode = "DejaVu", True
        self.pdf = pdf

    def text(self, value: object) -> str:
        s = str(value)
        if self.unicode:
            return s
        return s.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def para(self, value: object, size: float = 8, bold: bool = False, h: float = 3.6) -> None:
        self.font(size, bold)
        self.pdf.multi_cell(0, h, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def heading(self, value: str) -> None:
        self.pdf.ln(1.2)
        self.para(value, size=9.5, bold=True, h=4.6)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        pdf = self.pdf
        width = pdf.w - pdf.l_margin - pdf.r_margin
        for label, value in rows:
            self.font(8.5, True)
            pdf.cell(40, 4.2, self.text(label))
            self.font(8.5)
            pdf.multi_cell(width - 40, 4.2, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def table(self, head: tuple[str, ...], rows: list[tuple[str, ...]],
              widths: tuple[float, ...]) -> None:
        pdf = self.pdf
        total = pdf.w - pdf.l_margin - pdf.r_margin
        cols = [w * total for w in widths]
        self.font(7.5, True)
        for w, h in zip(cols, head, strict=True):
            pdf.cell(w, 4, self.text(h), border="B")
        pdf.ln(4)
        self.font(7.5)
        for row in rows:
            texts = [self.text(c) for c in row]
            height = 3.5 * max(_lines(pdf, t, w) for t, w in zip(texts, cols, strict=True))
            if pdf.will_page_break(height):
                pdf.add_page()
            y, x = pdf.get_y(), pdf.l_margin
            for w, t in zip(cols, texts, strict=True):
                pdf.set_xy(x, y)
                pdf.multi_cell(w, 3.5, t, new_x="RIGHT", new_y="TOP")
                x += w
            pdf.set_xy(pdf.l_margin, y + height)
        pdf.ln(0.8)


def _lines(pdf, text: str, width: float) -> int:
    try:
        return max(1, len(pdf.multi_cell(width, 3.5, text, dry_run=True, output="LINES")))
    except Exception:  # noqa: BLE001 - an estimate is enough for the row height
        return 1


def render_pdf(brief: Brief, unicode_font: bool = True) -> bytes:
    """The brief as an A4 portrait PDF (one page for a typical timeline)."""
    return bytes(_layout(brief, unicode_font).output())


def _layout(brief: Brief, unicode_font: bool = True):
    """The laid-out `fpdf.FPDF` document of ``brief``."""
    w = _Writer(unicode_font)
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
    for t, c in brief.citations:
        w.para(f"{t}: {c}", size=6.5, h=3.0)
    pdf.ln(1)
    w.para(brief.footer, size=7, h=3.2)
    return pdf


def brief_pdf(result: MonitorResult, method: str = "impact", *,
              produced: datetime | None = None) -> bytes:
    """A one-page A4 PDF brief of ``result`` for ``method`` (see the module docstring).

    Uses DejaVu Sans when the system has it, else Helvetica over Latin-1-safe text; if the
    Unicode font fails on the text, the Latin-1 version is written instead."""
    brief = brief_content(result, method, produced=produced)
    try:
        return render_pdf(brief, unicode_font=True)
    except Exception:  # noqa: BLE001 - a glyph or font problem: the Latin-1 version
        return render_pdf(brief, unicode_font=False)
