"""The Past events page's tables as displayed: money, hours, shares and counts as the text of
`impact.format` (a missing value as `impact.format.MISSING`), and their CSV downloads, which
keep the numbers.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl

from app_pages.events_view import NORMALISATIONS, value_text
from impact import format as fmt


def compare_table(compared: pl.DataFrame, labels: Mapping[str, str]) -> pl.DataFrame:
    """`impact.catalogue.events.compare` output for display: one row per event, its total,
    per day, per capita and % of annual GDP side by side (each with its rank among the
    compared events), then its hours, status and note."""
    return compared.select(
        pl.col("event_id").replace_strict(dict(labels), default=pl.col("event_id"))
        .alias("event"),
        pl.col("loss_usd_p50").alias("total (P50) [USD]"),
        pl.col("loss_usd_per_day_p50").alias("per day [USD]"),
        pl.col("rank_per_day").alias("rank per day"),
        pl.col("loss_usd_per_capita_p50").alias("per capita [USD]"),
        pl.col("rank_per_capita").alias("rank per capita"),
        (pl.col("share_of_gdp_p50") * 100).alias("% of GDP"),
        pl.col("rank_share_of_gdp").alias("rank % of GDP"),
        pl.col("costed_hours").alias("hours"),
        pl.col("status"),
        pl.col("reason").fill_null("").alias("note"),
    )


#: display names of the totals' figures (country-year and platform ledgers alike), in the
#: order shown: the money first, so that a phone shows it beside the name
_TOTAL_COLUMNS = {
    "year": "year", "loss_usd_p50": "P50 [USD]", "loss_usd_p05": "P5 [USD]",
    "loss_usd_p95": "P95 [USD]", "hours": "hours", "n_events": "events costed",
    "n_not_costed": "not costed", "note": "note",
}
#: the text of a total with no costed event (its note says why)
NOT_COSTED = "not costed"


def year_hours(year: int) -> int:
    """The hours of a calendar ``year`` [h].

    >>> year_hours(2025), year_hours(2024)
    (8760, 8784)
    """
    return 8784 if calendar.isleap(int(year)) else 8760


def not_costed_reasons(rows: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """The reasons (``;``-joined, each once) why the estimates ``rows`` of each group of
    ``keys`` were not costed: columns ``keys`` + ``reason``."""
    failed = rows.filter(pl.col("status") != "ok")
    return (failed.group_by(list(keys), maintain_order=True)
            .agg(pl.col("reason").fill_null("no reason given").str.split("; ").explode()
                 .unique(maintain_order=True).str.join("; ")))


#: why a total's hours can exceed a year's, by the key of the totals
OVERLAPS = {"iso3": "shutdowns in several regions at the same time each count",
            "platform": "blocks in several countries at the same time each count"}


def total_note(n_events: int, n_not_costed: int, hours: float | None, year: int,
               reason: str | None, overlap: str = OVERLAPS["iso3"]) -> str:
    """The note of one total: why nothing was costed, and hours beyond the year's.

    >>> total_note(0, 2, 0.0, 2024, "blocked services are not costed")
    'not costed: blocked services are not costed'
    >>> total_note(80, 0, 27_960.9, 2024, None)
    "27,961 hours, more than 2024's 8,784: the hours of 80 events are added up, and shutdowns in several regions at the same time each count"
    """
    notes = []
    if n_events == 0 and n_not_costed:
        notes.append(f"{NOT_COSTED}: {reason}" if reason else NOT_COSTED)
    elif n_not_costed:
        notes.append(f"{n_not_costed} more not costed" + (f": {reason}" if reason else ""))
    if hours is not None and hours > year_hours(year):
        notes.append(f"{hours:,.0f} hours, more than {year}'s {year_hours(year):,}: the hours "
                     f"of {n_events} events are added up, and {overlap}")
    return "; ".join(notes)


def with_notes(summary: pl.DataFrame, reasons: pl.DataFrame, key: str) -> pl.DataFrame:
    """`impact.catalogue.events.summarise` output with a ``note`` column (`total_note`), the
    reasons (`not_costed_reasons` by ``key`` and ``year``) joined in."""
    if reasons.height:
        rows = summary.join(reasons, on=[key, "year"], how="left", validate="1:1")
    else:
        rows = summary.with_columns(pl.lit(None, pl.String).alias("reason"))
    notes = [total_note(*r, overlap=OVERLAPS[key]) for r in rows.select("n_events", "n_not_costed", "hours", "year",
                                                 "reason").iter_rows()]
    return summary.with_columns(pl.Series("note", notes, dtype=pl.String))


def _totals_display(frame: pl.DataFrame, key: str, names: Mapping[str, str],
                    label: str) -> pl.DataFrame:
    return frame.select(
        pl.col(key).replace_strict(dict(names), default=pl.col(key)).alias(label),
        *[pl.col(c).alias(name) for c, name in _TOTAL_COLUMNS.items() if c in frame.columns])


def summary_table(summary: pl.DataFrame, names: Mapping[str, str]) -> pl.DataFrame:
    """`impact.catalogue.events.summarise` output (with its `with_notes` note, if any) with
    country names and display column names."""
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
    money = ["P50 [USD]", "P5 [USD]", "P95 [USD]"]
    if normalisation != "total":
        money.insert(0, NORMALISATIONS[normalisation][1])
        formats[money[0]] = functools.partial(value_text, normalisation=normalisation)
    shown = display_table(table, formats)
    if "status" in table.columns:  # a missing figure says why (the note has the reason)
        failed = pl.Series(table["status"] != "ok")
        shown = shown.with_columns(pl.when(failed).then(pl.lit(NOT_COSTED)).otherwise(pl.col(c))
                                   .alias(c) for c in money if c in shown.columns)
    return shown.select(shown_order(shown.columns, money))


#: the ranked table's columns shown right after the event's name, before the figures' details
_LEADING = ("rank", "event")
_AFTER_MONEY = ("hours", "flag")


def shown_order(columns: Sequence[str], money: Sequence[str]) -> list[str]:
    """The ranked table's columns as shown: the rank and the event, its figures (``money``:
    the ranking figure first), hours and flag, then the others in their order, so that
    a phone shows the figures beside the names.

    >>> shown_order(["rank", "event", "country", "hours", "P50 [USD]", "note"], ["P50 [USD]"])
    ['rank', 'event', 'P50 [USD]', 'hours', 'country', 'note']
    """
    first = [c for c in (*_LEADING, *money, *_AFTER_MONEY) if c in columns]
    return first + [c for c in columns if c not in first]


def compare_display(shown: pl.DataFrame) -> pl.DataFrame:
    """`compare_table` as the page shows it (its charts keep the numbers)."""
    return display_table(shown, {
        "hours": fmt.hours, "total (P50) [USD]": fmt.money, "per day [USD]": fmt.money,
        "per capita [USD]": fmt.money,
        "% of GDP": functools.partial(value_text, normalisation="share_of_gdp")})


def totals_display(frame: pl.DataFrame) -> pl.DataFrame:
    """`summary_table` or `platform_table` as the page shows it (its download keeps the
    numbers): counts, hours and money through `impact.format`; the money of a total with no
    costed event is `NOT_COSTED` (its note says why), never ``USD 0``."""
    formats: dict[str, Callable[[Any], str]] = {
        "events costed": fmt.count, "not costed": fmt.count, "hours": fmt.hours}
    money = [c for c in frame.columns if "[USD]" in c]
    shown = display_table(frame, formats | dict.fromkeys(money, fmt.money))
    if "events costed" not in frame.columns:
        return shown
    none = pl.Series(frame["events costed"].fill_null(0) == 0)
    return shown.with_columns(pl.when(none).then(pl.lit(NOT_COSTED)).otherwise(pl.col(c))
                              .alias(c) for c in money)


def table_csv(table: pl.DataFrame) -> str:
    """CSV of a display table, exactly the columns shown; text a spreadsheet would run as a
    formula is quoted (`impact.report.export.safe_frame`: a user's own events are in it)."""
    from impact.report.export import safe_frame

    return safe_frame(table).write_csv()
