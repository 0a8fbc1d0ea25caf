"""The Estimate page's view of an `Estimate`: the headline and captions, one card per method,
the methods' comparison table and the tables of inputs (`EstimateView`), as display-ready
text and frames.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from app_pages.estimate_exports import file_stem
from app_pages.estimate_tables import (
    assumptions_table,
    components_table,
    sensitivity_table,
    title_of,
)
from app_pages.estimate_words import (
    beside_words,
    data_words,
    how_made,
    members_words,
    range_words,
    reason_words,
    role_words,
)
from app_pages.viewmodel import SCOPE_LABELS
from impact import format as fmt
from impact.report.chart_frames import currency_of
from impact.vocab import PLATFORM_LABELS, parameter_label

STATUS_LABELS = {"ok": "ok", "not_applicable": "not applicable", "unavailable": "unavailable"}


def output_currency(summary: pl.DataFrame) -> str:
    return currency_of(summary.to_dicts())


def method_cards(summary: pl.DataFrame) -> list[dict[str, str]]:
    """One display card per method: title, headline P50, P5-P95 range and secondary lines."""
    rows = summary.to_dicts()
    return _cards(rows, currency_of(rows))


def _reason(r: dict[str, Any]) -> str:
    """A summary row's note in words (`app_pages.estimate_words.reason_words`)."""
    return reason_words(r["method"], r["status"], r["reason"], r["scope"])


def _cards(rows: list[dict[str, Any]], currency: str) -> list[dict[str, str]]:
    cards = []
    for r in rows:
        if r["status"] != "ok":
            cards.append({"method": r["method"], "title": r["title"],
                          "status": STATUS_LABELS.get(r["status"], r["status"]),
                          "value": STATUS_LABELS.get(r["status"], r["status"]),
                          "range": "", "reason": _reason(r), "lines": ""})
            continue
        lines = [
            f"per day: {fmt.money(r['loss_per_day_p50'], currency)}",
            f"share of annual GDP: {fmt.percent(r['share_of_gdp_p50'])}",
            f"per person: {fmt.money(r['loss_per_capita_p50'], currency)}",
            f"main driver: {_driver(r['main_driver'])}",
        ]
        cards.append({
            "method": r["method"], "title": r["title"], "status": "ok",
            "value": fmt.money(r["loss_p50"], currency),
            "range": "P5–P95: " + fmt.money_range(r["loss_p05"], r["loss_p95"], currency),
            "reason": _reason(r), "lines": "  \n".join(lines),
        })
    return cards


def results_table(summary: pl.DataFrame) -> pl.DataFrame:
    """Human-readable comparison table, one row per method (strings, for display)."""
    rows = summary.to_dicts()
    return methods_table(rows, currency_of(rows))


def _driver(name: str | None) -> str:
    """The input that drives a method's range most, in words (lower case in a sentence)."""
    if not name:
        return fmt.MISSING
    label = parameter_label(name)
    return label[0].lower() + label[1:] if not label[:2].isupper() else label


TABLE_COLUMNS = ("method", "status", "P5", "P50", "P95", "per day (P50)", "% of GDP (P50)",
                  "per capita (P50)", "main driver", "note / reason")


def methods_table(rows: list[dict[str, Any]], currency: str,
           ens: Any = None) -> pl.DataFrame:
    """The methods' table; with ``ens`` (`impact.estimation.ensemble.Ensemble`) each note starts with
    the method's part in the headline."""
    out = []
    for r in rows:
        ok = r["status"] == "ok"
        note = _reason(r)
        if ens is not None:
            note = role_words(ens, r["method"], r["scope"]) + (f"; {note}" if note else "")
        out.append({
            "method": r["title"],
            "status": STATUS_LABELS.get(r["status"], r["status"]),
            "P5": fmt.money(r["loss_p05"], currency) if ok else fmt.MISSING,
            "P50": fmt.money(r["loss_p50"], currency) if ok else fmt.MISSING,
            "P95": fmt.money(r["loss_p95"], currency) if ok else fmt.MISSING,
            "per day (P50)": (fmt.money(r["loss_per_day_p50"], currency)
                              if ok else fmt.MISSING),
            "% of GDP (P50)": fmt.percent(r["share_of_gdp_p50"]) if ok else fmt.MISSING,
            "per capita (P50)": (fmt.money(r["loss_per_capita_p50"], currency)
                                 if ok else fmt.MISSING),
            "main driver": _driver(r["main_driver"]) if ok else fmt.MISSING,
            "note / reason": note,
        })
    return pl.DataFrame(out, schema=dict.fromkeys(TABLE_COLUMNS, pl.String))


#: the comparison's short table (four columns, readable on a 390 px phone)
SHORT_COLUMNS = ("Method", "P50", "90 % range (P5 – P95)", "Part in the headline")


def short_table(table: pl.DataFrame) -> pl.DataFrame:
    """The methods' table (`methods_table`) in four columns: the method, its P50, its
    P5 – P95 range (each figure unbroken, the range may wrap at its dash) and its part in the
    headline (or why it has no figure).

    >>> t = methods_table([{"method": "impact", "title": "impact (this project)", "status": "ok",
    ...     "reason": "", "scope": "full", "loss_p05": 1e6, "loss_p50": 2e6, "loss_p95": 5e6,
    ...     "loss_per_day_p50": 2e6, "share_of_gdp_p50": 1e-4, "loss_per_capita_p50": 0.01,
    ...     "main_driver": None}], "USD")
    >>> short_table(t).row(0)[1:3] == ("USD\u00a02\u00a0m", "USD\u00a01\u00a0m – USD\u00a05\u00a0m")
    True
    """
    rows = []
    for r in table.iter_rows(named=True):
        ok = r["status"] == "ok"
        rows.append((r["method"], fmt.unbroken(r["P50"]) if ok else r["status"],
                     f"{fmt.unbroken(r['P5'])} – {fmt.unbroken(r['P95'])}" if ok else fmt.MISSING,
                     r["note / reason"].split("; ")[0] if ok
                     else r["note / reason"].split("; ", 1)[-1]))
    return pl.DataFrame(rows, schema=dict.fromkeys(SHORT_COLUMNS, pl.String), orient="row")


@dataclass(frozen=True)
class EstimateView:
    """Everything the Estimate page shows for one estimate, as display-ready text and frames
    (built once per scenario and cached by the page)."""

    headline: str  #: markdown: country, year, hours, scope, affected users
    sentence: str  #: the headline sentence to quote (`impact.estimation.ensemble.headline`)
    why: str  #: why the methods differ, one line (`impact.estimation.ensemble.why_they_differ`)
    ensemble_note: str  #: who is in the ensemble and who was left out, and why
    area: str  #: caption: the affected area and its range
    data_line: str  #: caption: GDP, population, users and hour weighting used
    cards: tuple[dict[str, str], ...]  #: one per method, see `method_cards`
    table: pl.DataFrame  #: `results_table`
    ranges: pl.DataFrame  #: the ensemble's and every costed method's P5/P50/P95
    #: (`impact.report.chart_frames.methods_range_frame`; empty when no method costs the scenario)
    notes: tuple[str, ...]
    assumptions: pl.DataFrame
    sensitivity: pl.DataFrame
    components: pl.DataFrame  #: parts of each method's loss that has them, as text
    vintages: pl.DataFrame
    stem: str  #: file name stem of the downloads
    how: str = ""  #: how the figure is made, in words (`app_pages.estimate_words.how_made`)
    flags: tuple[str, ...] = ()  #: plausibility flags in words
    #: (`impact.estimation.plausibility.estimate_flags`)


def headline_text(ctx: Any) -> tuple[str, str, str]:
    """(headline markdown, affected-area caption, data caption) of an estimate's context."""
    scope = SCOPE_LABELS[ctx.scope].lower()
    if ctx.platforms:
        scope += ": " + ", ".join(PLATFORM_LABELS[p] for p in ctx.platforms)
    affected = ctx.users.value * ctx.affected_share
    headline = (f"**{ctx.country}**, {ctx.year} · {fmt.hours(ctx.hours)} · {scope} · "
                f"{fmt.count(affected)} internet users affected "
                f"({fmt.percent(ctx.affected_share)} of {fmt.count(ctx.users.value)})")
    share_range = ""
    if ctx.affected_share_low != ctx.affected_share_high:
        share_range = (f" (range {fmt.percent(ctx.affected_share_low)} – "
                       f"{fmt.percent(ctx.affected_share_high)})")
    area = f"Affected area: {ctx.affected_detail}{share_range}"
    return headline, area, data_words(ctx)


def estimate_view(est: Any) -> EstimateView:
    """The Estimate page's display of ``est`` (pure; the page caches it per scenario)."""
    headline, area, data_line = headline_text(est.context)
    rows = est.summary.to_dicts()
    currency, factor = est.conversion.currency, est.conversion.factor
    from impact.estimation.ensemble import ensemble, ensemble_row, why_they_differ
    from impact.estimation.ensemble import headline as sentence
    from impact.estimation.plausibility import estimate_flags
    from impact.report.chart_frames import methods_range_frame

    ens = ensemble(est)
    ensemble_note = members_words(ens, est.scenario.scope, title_of)
    why = " ".join(x for x in (range_words(est, ens), beside_words(est, ens),
                               why_they_differ(est)) if x)
    return EstimateView(
        headline=headline, sentence=sentence(est), why=why,
        ensemble_note=ensemble_note, area=area, data_line=data_line,
        cards=tuple(_cards(rows, currency)), table=methods_table(rows, currency, ens),
        ranges=methods_range_frame(est.summary, ensemble_row(est)), notes=tuple(est.notes),
        assumptions=assumptions_table(est.assumptions, currency, factor),
        sensitivity=sensitivity_table(est.sensitivity, currency, factor),
        components=components_table(est.components, currency, factor), vintages=est.vintages,
        stem=file_stem(est), how=how_made(est, ens),
        flags=tuple(f.text for f in estimate_flags(est)))
