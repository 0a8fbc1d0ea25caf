"""Build time: ``data/events.csv`` from Access Now's #KeepItOn STOP data.

Credit: "Access Now, #KeepItOn STOP data". The row rules (dates, hours, scope, platforms,
deduplication, affected shares, networks, flags, titles) are `impact.catalogue.rules.rows`,
shared with run-time code that costs a user's own event list; `events_table` applies them
to the whole snapshot and counts what each rule did. Every name of the rules stays
importable from here.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from impact.bundled import areas as rg
from impact.bundled.countries import DISPLAY_NAMES
from impact.catalogue.rules import facts as fx
from impact.catalogue.rules import networks as nw
from impact.catalogue.rules.rows import (
    CREDIT,
    DEDUP_KEY,
    EVENT_COLUMNS,
    EVENT_ID_FIELDS,
    EXAM_DAILY_HOURS,
    EXTENT,
    FLAG_COLUMNS,
    FLAG_HOURS,
    GEO_SCOPE,
    HOURS_BASES,
    NARRATIVE_COLUMNS,
    OPEN_ENDED_REGIONAL_MAX_DAYS,
    PLATFORM_KEYWORDS,
    PLATFORMS,
    SERVICE_KEYWORDS,
    SERVICE_LABELS,
    SHUTDOWN_TYPE,
    SNAPSHOT_DATE,
    add_hours,
    add_hours_flags,
    add_network_shares,
    add_shares,
    add_texts,
    deduplicate,
    event_id,
    extend_by_listed_years,
    flag_reason,
    hours_rule,
    map_other_affected,
    parse_rows,
)

__all__ = [
    "CREDIT", "DEDUP_KEY", "EVENT_COLUMNS", "EVENT_ID_FIELDS", "EXAM_DAILY_HOURS", "EXTENT",
    "FLAG_COLUMNS", "FLAG_HOURS", "GEO_SCOPE", "HOURS_BASES", "NARRATIVE_COLUMNS",
    "OPEN_ENDED_REGIONAL_MAX_DAYS", "PLATFORMS", "PLATFORM_KEYWORDS", "SERVICE_KEYWORDS",
    "SERVICE_LABELS", "SHUTDOWN_TYPE", "SNAPSHOT_DATE", "add_hours", "add_hours_flags",
    "add_network_shares", "add_shares", "add_texts", "deduplicate", "event_id",
    "events_table", "extend_by_listed_years", "flag_reason", "fx", "hours_rule",
    "map_other_affected", "nw", "parse_rows", "rg",
]  # fmt: skip


def events_table(
    raw: pl.DataFrame, countries: pl.DataFrame, index: rg.AreaIndex | None = None,
    snapshot: dt.date = SNAPSHOT_DATE,
) -> tuple[pl.DataFrame, dict]:
    """The ``events.csv`` table and build counts (``rows_in, dropped_no_iso3, split_rows,
    split_extra, merged, events, ongoing, end_before_start``...); open-ended events run to
    ``snapshot`` (the date the export was taken) in ``hours_to_snapshot``."""
    rows, info = parse_rows(raw, snapshot)
    # operators the source names for each country over the whole snapshot
    ops = rows.select("iso3", pl.col("_ops").alias("op")).explode("op").drop_nulls()
    country_operators = dict(ops.unique().group_by("iso3").len().iter_rows())
    events = add_network_shares(add_shares(deduplicate(rows), index), country_operators)
    events = extend_by_listed_years(events)
    events = events.drop("country").join(
        countries.select("iso3", pl.col("iso3").replace_strict(
            DISPLAY_NAMES, default=pl.col("name")).alias("country")),
        on="iso3", how="left", validate="m:1",
    )  # fmt: skip
    events = add_hours_flags(add_texts(events))
    full = events
    events = events.select(EVENT_COLUMNS).sort("start", "iso3", "event_id")
    info |= {
        "rows_after_split": rows.height,
        "merged": rows.height - events.height,
        "events": events.height,
        "ongoing": int(events["ongoing"].sum()),
        "no_country_name": sorted(events.filter(pl.col("country").is_null())["iso3"].unique()),
        "end_basis": dict(events["end_basis"].value_counts().sort("end_basis").iter_rows()),
        "share_method": dict(
            events["share_method"].value_counts().sort("share_method").iter_rows()
        ),
        "scope": dict(events["scope"].value_counts().sort("scope").iter_rows()),
        "hours_basis": {b: int((events["hours_basis"] == b).sum()) for b in HOURS_BASES},
        "open_ended": int(events["open_ended"].sum()),
        "open_ended_to_snapshot": int(events["hours_to_snapshot"].is_not_null().sum()),
        "open_ended_ended": int((events["open_ended"] & (events["status"] == "ended")).sum()),
        "nightly_default": int((
            (events["hours_basis"] == "hours_per_day_stated")
            & (events["daily_hours"] == fx.NIGHTLY_HOURS)).sum()),
        "with_links": int((events["links"] != "").sum()),
        "links": int(events["links"].str.split(fx.LINK_SEP).list.len()
                     .filter(events["links"] != "").sum()),
        "with_area_units": int((events["area_units"] != "").sum()),
        "with_justification": int(events["justification"].is_not_null().sum()),
        "with_reason": int(events["title"].str.ends_with(")").sum()),
        "links_dropped_rows": int(rows.filter(
            pl.col("info_source_link").fill_null("").str.strip_chars() != "",
            pl.col("_info_links").list.len() == 0).height),
    }
    exam_stated = events.filter(
        pl.col("cause") == "Exam cheating",
        pl.col("hours_basis").is_in(["times_stated", "hours_stated", "hours_per_day_stated"]))
    info |= {
        "split_events": int(events["event_id"].str.contains(r"-[A-Z]{3}$").sum()),
        "network_share_basis": dict(events["network_share_basis"].drop_nulls().value_counts()
                                    .sort("network_share_basis").iter_rows()),
        "one_operator_nationwide": int((full["network"].is_null()
                                        & full["_ops_all"].list.len().eq(1)
                                        & (full["share_method"] == "nationwide")).sum()),
        "nationwide_narrow_scope": int(((events["share_method"] == "nationwide")
            & events["geo_scope"].is_in(["one_city", "cities_one_region"])).sum()),
        "hours_flag": int(events["hours_flag"].sum()),
        "exam_stated_median": exam_stated["daily_hours"].median(),
    }
    matched = events.filter(pl.col("share_method").is_in(["regions_matched", "cities_matched"]))
    info["matched_median_by_geo_scope"] = {
        g: (n, m) for g, n, m in matched.group_by("geo_scope").agg(
            pl.len(), pl.col("affected_share").median()).sort("geo_scope").iter_rows()
    }  # fmt: skip
    return events, info
