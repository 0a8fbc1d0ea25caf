"""The Batch page's view: its template file and the result table, formatted like the
Estimate page's comparison.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import polars as pl

from app_pages.estimate_view import TABLE_COLUMNS, methods_table
from app_pages.viewmodel import SCOPE_LABELS
from impact import format as fmt
from impact.estimation.ensemble import ENSEMBLE, ENSEMBLE_TITLE
from impact.report.chart_frames import currency_of

BATCH_TEMPLATE = (
    "id,country,start,end,duration_hours,scope,platforms,affected_share,affected_users,"
    "intensity,circumvention\n"
    "pak-election,PAK,2024-02-08T07:00,2024-02-08T17:00,,mobile,,,,,\n"
    "pak-x,PAK,2024-02-17,2025-01-01,,platforms,x,,,,\n"
    "ind-regional,IND,,,72,full,,0.01,,,\n"
    "irn-throttle,IRN,,,24,throttling,,,,0.7,\n"
)


#: the Batch page's result table: the scenario of each row, then the Estimate page's columns
BATCH_TABLE_COLUMNS = ("id", "country", "scope", "duration", *TABLE_COLUMNS)


#: the figures table shown first: what fits a phone's width (390 px) whole
FIGURE_COLUMNS = ("id", "method", "P50", "P5", "P95")


#: the figures table's column widths [px], in `FIGURE_COLUMNS` order: together within a
#: phone's 356 px table (390 px less padding and borders), so no column runs off screen; on
#: a wider screen the table stretches them to its width
FIGURE_WIDTHS = (54, 84, 72, 72, 72)


def short_method(title: str) -> str:
    """A method's short label: the first word of its title, up to a hyphen; the headline is
    ``Headline``.

    >>> short_method("Brookings (West 2016)"), short_method(ENSEMBLE_TITLE)
    ('Brookings', 'Headline')
    >>> short_method("COST-compatible (NetBlocks COST)"), short_method("Deloitte for GNI (2016)")
    ('COST', 'Deloitte')
    """
    if title == ENSEMBLE_TITLE:
        return "Headline"
    return re.split(r"[\s(-]", title.strip(), maxsplit=1)[0] or title


def short_methods(titles: list[str]) -> dict[str, str]:
    """Each title's `short_method` label, distinct: titles whose labels would be the same
    keep their names before the parenthesis.

    >>> list(short_methods(["Panel econometrics (ours)", "Panel data (x)", "ICRIER (2018)"])
    ...      .values())
    ['Panel econometrics', 'Panel data', 'ICRIER']
    """
    labels = {t: short_method(t) for t in titles}
    seen = Counter(labels.values())
    return {t: label if seen[label] == 1 else t.split(" (")[0] for t, label in labels.items()}


def _currencies(cells: list[str]) -> set[str]:
    return {c.split(" ")[0] for c in cells if c != fmt.MISSING}


def figures_table(table: pl.DataFrame) -> pl.DataFrame:
    """The figures of `batch_table` that fit a phone (`FIGURE_COLUMNS`): short method labels
    (`short_methods`, whole within the method column's `FIGURE_WIDTHS` px) and, when every figure is in one currency, that currency in the headers
    (``P50 (USD)``) instead of in each cell.

    >>> t = pl.DataFrame({"id": ["a"], "method": [ENSEMBLE_TITLE], "P50": ["USD 1 m"],
    ...                   "P5": ["USD 500 k"], "P95": ["–"]})
    >>> figures_table(t).row(0, named=True)
    {'id': 'a', 'method': 'Headline', 'P50 (USD)': '1 m', 'P5 (USD)': '500 k', 'P95 (USD)': '–'}
    """
    money = ("P50", "P5", "P95")
    titles = table["method"].unique().to_list()
    out = table.select(FIGURE_COLUMNS).with_columns(
        pl.col("method").replace_strict(short_methods(titles)))
    found = _currencies([c for col in money for c in out[col]])
    if len(found) != 1:
        return out
    code = found.pop()
    return out.with_columns(pl.col(c).str.strip_prefix(f"{code} ") for c in money).rename(
        {c: f"{c} ({code})" for c in money})


#: the details shown under the figures, in their own table
DETAIL_COLUMNS = ("id", "method", *(c for c in BATCH_TABLE_COLUMNS
                                    if c not in FIGURE_COLUMNS))


def headline_first(group: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One scenario's rows with the headline (ensemble) first, the methods in their order.

    >>> [r["method"] for r in headline_first([{"method": "impact"}, {"method": "ensemble"}])]
    ['ensemble', 'impact']
    """
    return sorted(group, key=lambda r: r["method"] != ENSEMBLE)


def batch_table(results: pl.DataFrame) -> pl.DataFrame:
    """The Batch page's result table (strings, for display): one row per id and method (the
    headline first: it is the figure to quote), formatted like the Estimate page's comparison (`results_table`: method
    titles, money in each scenario's output currency, shares as percentages, the formatter's
    missing mark for what is not costed), after the id, country, scope and duration.

    ``results`` is `impact.report.export.summary_frame` of the batch (an ``id`` column, then the
    summary columns)."""
    out: list[dict[str, Any]] = []
    rows = results.to_dicts()
    by_id: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_id.setdefault(r["id"], []).append(r)
    for id_, group in by_id.items():
        scenario = next((r for r in group if r["country"]), group[0])
        lead = {"id": id_, "country": scenario["country"] or scenario["iso3"] or fmt.MISSING,
                "scope": SCOPE_LABELS.get(scenario["scope"], scenario["scope"] or fmt.MISSING),
                "duration": fmt.hours(scenario["duration_hours"])}
        rows = methods_table(headline_first(group), currency_of(group)).to_dicts()
        out += [lead | row for row in rows]
    return pl.DataFrame(out, schema=dict.fromkeys(BATCH_TABLE_COLUMNS, pl.String))
