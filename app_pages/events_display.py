"""The Past events page's tables as displayed: money, hours, shares and counts as the text of
`impact.format` (a missing value as `impact.format.MISSING`), and their CSV downloads, which
keep the numbers.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl

from app_pages.events_view import NORMALISATIONS, value_text
from impact import format as fmt


def compare_table(compared: pl.DataFrame, labels: Mapping[str, str]) -> pl.DataFrame:
    """`impact.catalogue.events.compare` output for display: one row per event, per day, per capita
    and % of annual GDP side by side, each with its rank among the compared events."""
    return compared.select(
        pl.col("event_id").replace_strict(dict(labels), default=pl.col("event_id"))
        .alias("event"),
        pl.col("costed_hours").alias("hours"),
        pl.col("status"),
        pl.col("loss_usd_p50").alias("total (P50) [USD]"),
        pl.col("loss_usd_per_day_p50").alias("per day [USD]"),
        pl.col("rank_per_day").alias("rank per day"),
        pl.col("loss_usd_per_capita_p50").alias("per capita [USD]"),
        pl.col("rank_per_capita").alias("rank per capita"),
        (pl.col("share_of_gdp_p50") * 100).alias("% of GDP"),
        pl.col("rank_share_of_gdp").alias("rank % of GDP"),
        pl.col("reason").fill_null("").alias("note"),
    )


#: display names of the totals' figures (country-year and platform ledgers alike)
_TOTAL_COLUMNS = {
    "year": "year", "n_events": "events costed", "n_not_costed": "not costed",
    "hours": "hours", "loss_usd_p50": "P50 [USD]", "loss_usd_p05": "P5 [USD]",
    "loss_usd_p95": "P95 [USD]",
}


def _totals_display(frame: pl.DataFrame, key: str, names: Mapping[str, str],
                    label: str) -> pl.DataFrame:
    return frame.select(
        pl.col(key).replace_strict(dict(names), default=pl.col(key)).alias(label),
        *[pl.col(c).alias(name) for c, name in _TOTAL_COLUMNS.items()])


def summary_table(summary: pl.DataFrame, names: Mapping[str, str]) -> pl.DataFrame:
    """`impact.catalogue.events.summarise` output with country names and display column names."""
    return _totals_display(summary, "iso3", names, "country")


def platform_table(ledger: pl.DataFrame) -> pl.DataFrame:
    """`impact.catalogue.events.summarise` by platform and year with display names: a block of several
    platforms counts under each, so the rows do not add up to all blocks."""
    from impact.vocab import PLATFORM_LABELS

    return _totals_display(ledger, "platform", PLATFORM_LABELS, "platform")


def risk_rows(risk: pl.DataFrame, iso3s: Sequence[str], names: Mapping[str, str],
              top: int = 10) -> pl.DataFrame:
    """`impact.bundled.econometrics.risk_table` rows of the chosen countries (the ``top`` highest when
    none are chosen), as percentages with the 90 % interval."""
    rows = risk.filter(pl.col("iso3").is_in(list(iso3s))) if iso3s else risk.head(top)
    return rows.select(
        pl.col("iso3").replace_strict(dict(names), default=pl.col("iso3")).alias("country"),
        (pl.col("probability") * 100).alias("probability [%]"),
        pl.format("{} – {} %", (pl.col("low") * 100).round(0).cast(pl.Int64),
                  (pl.col("high") * 100).round(0).cast(pl.Int64)).alias("90 % interval"),
    )


# ---- the tables as displayed: text through `impact.format` ------------------------------------
def _text(value: Any) -> str:
    """A value as written (dates ISO, whole numbers plain), `fmt.MISSING` when missing."""
    return fmt.MISSING if fmt.is_missing(value) else str(value)


def _share_range(text: str | None) -> str:
    """``events_table``'s ``"0.2–0.5"`` as percentages: ``"20 % – 50 %"``."""
    if not text:
        return fmt.MISSING
    return " – ".join(fmt.percent(float(x)) for x in text.split("–"))


def display_table(frame: pl.DataFrame,
                  formats: Mapping[str, Callable[[Any], str]]) -> pl.DataFrame:
    """``frame`` as text for display (the order of its rows and columns kept): a column of
    ``formats`` through its `impact.format` function, any other as written (dates ISO), and
    a missing value as `fmt.MISSING`, never ``None``. Downloads keep the numbers."""
    return pl.DataFrame({c: [formats.get(c, _text)(v) for v in frame[c].to_list()]
                         for c in frame.columns},
                        schema=dict.fromkeys(frame.columns, pl.String))


def events_display(table: pl.DataFrame, normalisation: str = "total") -> pl.DataFrame:
    """`events_table` as the page shows it: money, hours and shares through `impact.format`,
    the ranking kept (its ``rank`` column and order), a missing link empty (a link column
    has no text of its own)."""
    formats: dict[str, Callable[[Any], str]] = {
        "hours": fmt.hours, "hours from": fmt.hours, "hours to": fmt.hours,
        "P50 [USD]": fmt.money, "P5 [USD]": fmt.money,
        "P95 [USD]": fmt.money, "affected share": fmt.percent, "share range": _share_range,
        "source": lambda link: link or ""}
    if normalisation != "total":
        formats[NORMALISATIONS[normalisation][1]] = functools.partial(
            value_text, normalisation=normalisation)
    return display_table(table, formats)


def compare_display(shown: pl.DataFrame) -> pl.DataFrame:
    """`compare_table` as the page shows it (its charts keep the numbers)."""
    return display_table(shown, {
        "hours": fmt.hours, "total (P50) [USD]": fmt.money, "per day [USD]": fmt.money,
        "per capita [USD]": fmt.money,
        "% of GDP": functools.partial(value_text, normalisation="share_of_gdp")})


def totals_display(frame: pl.DataFrame) -> pl.DataFrame:
    """`summary_table` or `platform_table` as the page shows it (its download keeps the
    numbers): counts, hours and money through `impact.format`."""
    formats: dict[str, Callable[[Any], str]] = {
        "events costed": fmt.count, "not costed": fmt.count, "hours": fmt.hours}
    return display_table(frame, formats | {c: fmt.money for c in frame.columns
                                           if "[USD]" in c})


def table_csv(table: pl.DataFrame) -> str:
    """CSV of a display table, exactly the columns shown; text a spreadsheet would run as a
    formula is quoted (`impact.report.export.safe_frame`: a user's own events are in it)."""
    from impact.report.export import safe_frame

    return safe_frame(table).write_csv()
