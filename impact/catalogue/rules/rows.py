"""The catalogue's row rules for shutdown events from Access Now's #KeepItOn STOP data.

Run-time code (a user's own event list, `impact.catalogue.events.read_user_events`) and the build
(``data/events.csv``, `impact.build.catalogue`) share them.

Credit: "Access Now, #KeepItOn STOP data". The data carries no open licence, so only facts
derived from it are kept: dates, places (``area_name``), types, counts, flags, category
labels, numbers of hours read from the text, and links. No narrative text (``event``, ``actual_cause_details``,
``gov_just_details``, quotes, ``econ_impact``, ``info_source``) is copied; ``other_affected``
free text is reduced to fixed platform and service keys.

Rules (`impact.build.catalogue.events_table` applies them all; `impact.catalogue.events` applies
them to a user's own event list)
----------------------------------------------------------------
- **Countries.** A row listing several countries (``iso3_helper`` ``;``-joined; 3 rows)
  becomes one event per country (9 events) with the row's facts for each; its ``event_id``
  is the row's id (the hash below over the whole ``iso3_helper``) + ``-`` + ISO3, and an
  operator prefixed with another of the row's countries is not this country's. ``country``
  is the World Bank name of ``iso3``. Rows without an ``iso3_helper`` (Somaliland) are left
  out and counted.
- **event_id** = ``"AN-"`` + the first 10 hex digits of the SHA-1 of the ``|``-joined
  source fields ``iso3, start_date, area_name (whitespace-normalised), shutdown_extent,
  shutdown_type, affected_network, facebook/twitter/whatsapp/instagram/telegram_affected,
  other_affected, count_year`` (empty string for a blank). If two rows give the same id,
  the later ones (source order) get ``-2``, ``-3`` ...
- **year** = the start year, the year the event happened: it is costed, shown and
  filtered with it, and its affected share uses that year's populations. Access Now's
  ``count_year`` (the year of the STOP list that records the event; later than the
  start for 20 events, e.g. a block from 2024 listed in 2025) goes into ``listed_years``
  (the count years of every merged row) and the ``event_id``.
- **Dates.** ``end_basis``: ``reported`` (an end date on or after the start);
  ``from_duration`` (no end date, a numeric non-negative ``duration``: end = start +
  duration days); ``open_ended`` (neither: 516 events, ``open_ended`` true). An end date
  before the start is treated as missing. The source ``duration`` is in **days** (it
  equals end - start within a day in 1,334 of 1,336 rows with both); it is kept as
  ``duration_days_reported`` (negative values, spreadsheet date-serial artefacts, and text
  such as "2 hours" become null). ``duration_days`` = end - start [days];
  ``days_active`` = max(duration_days, 1), the days costed.
- **Open-ended events** cost their first day only: end = start + 1 day (so end - start =
  days costed, as for reported dates), ``duration_hours`` = ``daily_hours`` (454) — unless
  the source lists the event again in later count years (``listed_years``, the count years
  of the merged rows): then it is costed from the start to 1 January of the last year
  listed (``open_ended_listed_years``, 44; `extend_by_listed_years`; an event that is not
  nationwide for at most 90 days, ``open_ended_regional_capped``, 13). Status
  ongoing or unknown (508): ``hours_to_snapshot`` = days from the start to `SNAPSHOT_DATE`
  x ``daily_hours``, the explicit "runs to the snapshot" variant; status ended with no
  end date (8): null (it ended, we do not know when).
- **hours_basis** and ``daily_hours`` (0 < h <= 24); ``duration_hours`` = ``days_active``
  x ``daily_hours``, never more than 24 h a day. Numbers are read from the ``event`` and
  ``duration`` text by `impact.catalogue.rules.facts.stated_hours` (the text is not kept):
  ``dates_whole_days`` (902, 24 h a day between the dates); ``duration_whole_days`` (0 at
  event level: every such row was merged into a row with dates); ``same_day_24h`` (199,
  end = start and no time stated: 24 h, an upper bound); ``times_stated`` (128, a
  one-day window with clock-time ranges, summed, midnight crossing handled);
  ``hours_stated`` (40, a number of hours that fits the day count; "a few hours" = 3 h);
  ``hours_per_day_stated`` (35 windows of several days: "N hours per day", a daily range,
  or nightly/curfew-style without a span = 10 h, 19:00-05:00, 7 events);
  ``exam_hours_default`` (65: a network cut for exams whose hours are not stated,
  `EXAM_DAILY_HOURS` a day); ``open_ended_first_day`` (454), ``open_ended_listed_years``
  (44) and ``open_ended_regional_capped`` (13: not nationwide, at most
  `OPEN_ENDED_REGIONAL_MAX_DAYS`). Anything ambiguous keeps the whole-day rule. A negative
  ``duration`` with an end date after the start (1 row) says the dates contradict each
  other: one day at the end date is costed.
- **Networks** (`impact.catalogue.rules.networks`, `add_network_shares`): an event of one network
  (one ASN page linked, or one operator named for a regional cut) is costed on the
  network's share of users with a range; ``network``, ``network_share*``,
  ``country_operators``.
- **Hours flag**: ``hours_flag`` when ``duration_hours`` > `FLAG_HOURS` (2,000 h), with
  ``flag_reason`` (`flag_reason`).
- **Networks.** ``affected_network`` Mobile / Broadband / both; ``Unknown`` counts as both
  (an unknown network is read as the whole network, the reading that matches scope
  ``full``).
- **Platforms.** Yes in ``facebook/twitter/whatsapp/instagram/telegram_affected`` (twitter
  -> ``x``), plus keywords in ``other_affected`` (`PLATFORM_KEYWORDS`). Other services go to
  ``other_services`` as fixed labels (`SERVICE_KEYWORDS`; ``sms``/``phone_calls`` also from
  the Yes columns; anything else named -> ``other``).
- **scope.** ``platforms`` if the extent is service-based only and a platform is known
  (``platforms_other`` if none is: the estimator cannot cost unknown services); else
  ``throttling`` if the type is throttle only; else ``mobile`` if only the mobile network
  is affected; else ``full``.
- **Deduplication.** Rows are the same event when ``iso3, start, extent, shutdown_type,
  network_mobile, network_broadband, platforms`` and the area text normalised by
  `impact.text.normalise` (case-, whitespace- and punctuation-insensitive) are equal.
  The row kept is the one with most information: a reported end date first, then an
  Actual start type, then the earliest in source order. ``n_reports`` counts the rows
  merged into the event and ``merged_ids`` lists the ``event_id`` of the others.
- **Affected share**: `impact.bundled.areas.event_share` on the area text; ``area_units``
  lists the counted units as ``|``-joined ``kind/name_key/parent_key=share``
  (`impact.bundled.areas.event_units`, 1,247 events; empty for nationwide and category
  shares). The unit shares sum to ``affected_share`` (below a cap at 1).
- **Titles and descriptions** (`impact.catalogue.rules.facts`) are built from the fact
  columns only: country — what was cut — where (nationwide, or the first two place names
  and "N more") — dates — (reason from ``actual_cause``, or election from the flag).
  ``justification`` is the ``gov_justification`` category (null for Unknown/blank).
- **Links**: ``links`` = the Access Now links (``an_link``) then every well-formed
  http(s) URL of ``info_source_link`` (split on ``;``, ``,``, whitespace), of every merged
  row, de-duplicated, joined with ``|`` (`impact.catalogue.rules.facts.LINK_SEP`; URLs holding
  it are dropped): 1,855 of 1,880 events have one. ``source_link`` is the first
  well-formed Access Now URL (prose in that column is dropped).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import polars as pl

from impact.bundled import areas as rg
from impact.catalogue.rules import facts as fx
from impact.catalogue.rules import networks as nw
from impact.text import normalise

SNAPSHOT_DATE = dt.date(2026, 5, 20)
CREDIT = "Access Now, #KeepItOn STOP data"

EVENT_COLUMNS = (
    "event_id", "iso3", "country", "year", "title", "start", "end", "end_basis", "open_ended",
    "ongoing", "status", "start_date_type", "duration_days", "duration_days_reported",
    "days_active", "hours_basis", "daily_hours", "duration_hours", "hours_to_snapshot",
    "shutdown_type", "extent", "network_mobile", "network_broadband", "platforms",
    "other_services", "scope", "geo_scope", "area_names", "nationwide", "election",
    "violence", "cause", "justification", "source_link", "links", "n_reports", "merged_ids",
    "affected_share", "affected_share_low", "affected_share_high", "share_method",
    "matched_areas", "unmatched_areas", "area_units", "network", "network_share_basis",
    "network_share", "network_share_low", "network_share_high", "country_operators",
    "listed_years", "hours_flag", "flag_reason", "description",
)  # fmt: skip
HOURS_BASES = (
    "dates_whole_days", "duration_whole_days", "same_day_24h", "times_stated", "hours_stated",
    "hours_per_day_stated", "exam_hours_default", "open_ended_first_day",
    "open_ended_listed_years", "open_ended_regional_capped",
)  # fmt: skip
#: an open-ended event that is not nationwide is costed for at most this many days at its
#: daily hours, however many later years the source lists it in
OPEN_ENDED_REGIONAL_MAX_DAYS = 90
#: events costed for more hours than this are flagged (``hours_flag``, ``flag_reason``)
FLAG_HOURS = 2_000.0
#: daily hours of a network cut for exams whose hours the source does not state (the
#: median daily hours of the exam cuts whose hours it states, 20 events: IQR 3.5-8 h)
EXAM_DAILY_HOURS = 6.0

#: source columns never written (narrative text or prose)
NARRATIVE_COLUMNS = (
    "event", "actual_cause_details", "gov_just_details", "gov_ack_quote", "telco_ack_quote",
    "econ_impact", "info_source", "users_target_detail",
)  # fmt: skip

PLATFORMS = ("x", "facebook", "instagram", "whatsapp", "youtube", "tiktok", "telegram", "signal")
FLAG_COLUMNS = {
    "facebook_affected": "facebook",
    "twitter_affected": "x",
    "whatsapp_affected": "whatsapp",
    "instagram_affected": "instagram",
    "telegram_affected": "telegram",
}
#: platform key -> regex on ``other_affected`` (case-insensitive unless (?-i))
PLATFORM_KEYWORDS = {
    "x": r"twitter|(?-i:\bX\b)",
    "facebook": r"facebook|messenger",
    "instagram": r"instagram",
    "whatsapp": r"whatsapp",
    "youtube": r"you\s?tube",
    "tiktok": r"tik\s?tok",
    "telegram": r"telegram",
    "signal": r"\bsignal\b",
}
SERVICE_LABELS = ("sms", "phone_calls", "vpn", "voip", "social_media_generic", "other")
SERVICE_KEYWORDS = {
    "sms": r"\bsms\b",
    "phone_calls": r"phone|calls?\b",
    "vpn": r"\bvpns?\b",
    "voip": r"voip|skype|viber|\bimo\b|zoom|teams",
    "social_media_generic": r"social\s+media|social\s+network",
}
GEO_SCOPE = {
    "It only affected one city, county, or village": "one_city",
    "It affected more than one city in the same state, province, or region": "cities_one_region",
    "It affected locations in more than one state, province, or region": "several_regions",
}
SHUTDOWN_TYPE = {
    "Shutdown": "shutdown",
    "Throttle": "throttle",
    "Shutdown, Throttle": "shutdown_throttle",
    "Unknown": "unknown",
}
EXTENT = {
    "Full network": "full_network",
    "Service-based": "service_based",
    "Full network, Service-based": "both",
}
EVENT_ID_FIELDS = (
    "iso3", "start_date", "area_name", "shutdown_extent", "shutdown_type", "affected_network",
    *FLAG_COLUMNS, "other_affected", "count_year",
)  # fmt: skip


def map_other_affected(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Platform keys and service labels named in ``other_affected`` free text.

    Examples
    --------
    >>> map_other_affected("TikTok, YouTube")
    (('youtube', 'tiktok'), ())
    >>> map_other_affected("Skype, Viber, LinkedIn")
    ((), ('voip', 'other'))
    >>> map_other_affected("VPN services")
    ((), ('vpn',))
    """
    if not text or not text.strip():
        return (), ()
    platforms = tuple(k for k in PLATFORMS if re.search(PLATFORM_KEYWORDS[k], text, re.IGNORECASE))
    services = [k for k, rx in SERVICE_KEYWORDS.items() if re.search(rx, text, re.IGNORECASE)]
    rest = text
    for rx in (*PLATFORM_KEYWORDS.values(), *SERVICE_KEYWORDS.values()):
        rest = re.sub(rx, " ", rest, flags=re.IGNORECASE)
    filler = (
        r"\b(and|or|services?|apps?|platforms?|web|interface|live|livestream|possibly|"
        r"only|other|including|several|some|corporate|providers?|messaging|internet)\b"
    )
    rest = re.sub(filler, " ", rest, flags=re.IGNORECASE)
    if re.search(r"[A-Za-z]{2,}", rest):
        services.append("other")
    return platforms, tuple(services)


def event_id(fields: list[str | None]) -> str:
    """``AN-`` + 10 hex digits of SHA-1 over the ``|``-joined fields (blank for None).

    Examples
    --------
    >>> event_id(["PAK", "2024-02-08"])
    'AN-...'
    """
    text = "|".join("" if f is None else str(f) for f in fields)
    return "AN-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


event_id.__doc__ = event_id.__doc__.replace("'AN-...'", repr(event_id(["PAK", "2024-02-08"])))


def _yes(col: str) -> pl.Expr:
    return pl.col(col) == "Yes"


def _flag(col: str) -> pl.Expr:
    return pl.col(col).replace_strict({"Yes": True, "No": False}, default=None,
                                      return_dtype=pl.Boolean)  # fmt: skip


def parse_rows(raw: pl.DataFrame, snapshot: dt.date = SNAPSHOT_DATE
               ) -> tuple[pl.DataFrame, dict]:
    """One tidy row per (source row, country), before deduplication and shares.

    Returns the frame (``EVENT_COLUMNS`` except dedup and share columns, plus ``_order``
    and ``_area_key``) and counts: ``rows_in``, ``dropped_no_iso3``, ``split_rows``,
    ``split_extra``, ``end_before_start``.
    """
    raw = raw.with_row_index("_order")
    for col in ("telcos_involved", "country"):  # optional in hand-made rows
        if col not in raw.columns:
            raw = raw.with_columns(pl.lit(None, pl.String).alias(col))
    no_iso3 = raw.filter(pl.col("iso3_helper").is_null() | (pl.col("iso3_helper") == ""))
    multi = raw.filter(pl.col("iso3_helper").str.contains(";"))
    df = (
        raw.filter(pl.col("iso3_helper").is_not_null() & (pl.col("iso3_helper") != ""))
        .with_columns(iso3=pl.col("iso3_helper").str.split(";"),
                      _names=pl.col("country").fill_null("").str.split(";"))
        .with_columns(_multi=pl.col("iso3").list.len() > 1,
                      _pos=pl.int_ranges(pl.col("iso3").list.len()))
        .explode("iso3", "_pos")
        .with_columns(pl.col("iso3").str.strip_chars())
    )
    # the operators named for this country (in a multi-country row, an operator prefixed
    # with another of the row's countries is not this country's)
    df = df.with_columns(_ops=pl.Series([
        list(nw.operators(t, [normalise(n) for i, n in enumerate(names) if i != pos]))
        for t, names, pos in df.select("telcos_involved", "_names", "_pos").iter_rows()
    ], dtype=pl.List(pl.String)))
    other = df["other_affected"].unique().to_list()
    mapped = {t: map_other_affected(t) for t in other if t is not None}
    df = df.with_columns(
        _other_p=pl.col("other_affected").replace_strict(
            {k: list(v[0]) for k, v in mapped.items()}, default=[], return_dtype=pl.List(pl.String)
        ),
        _other_s=pl.col("other_affected").replace_strict(
            {k: list(v[1]) for k, v in mapped.items()}, default=[], return_dtype=pl.List(pl.String)
        ),
    )
    flags = [pl.when(_yes(c)).then(pl.lit(k)) for c, k in FLAG_COLUMNS.items()]
    platform_list = pl.concat_list(*flags, pl.col("_other_p")).list.drop_nulls().list.unique()
    ordered = pl.concat_list(
        [pl.when(platform_list.list.contains(k)).then(pl.lit(k)) for k in PLATFORMS]
    ).list.drop_nulls()
    services = pl.concat_list(
        pl.when(_yes("sms_affected")).then(pl.lit("sms")),
        pl.when(_yes("phonecall_affected")).then(pl.lit("phone_calls")),
        pl.col("_other_s"),
    ).list.drop_nulls()
    services_ordered = pl.concat_list(
        [pl.when(services.list.contains(k)).then(pl.lit(k)) for k in SERVICE_LABELS]
    ).list.drop_nulls()
    start = pl.col("start_date").str.to_date()
    end_raw = pl.col("end_date").str.to_date(strict=False)
    dur_raw = pl.col("duration").cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
    dur = pl.when(dur_raw >= 0).then(dur_raw)
    # dates contradicted by a negative duration (end after start, duration < 0, e.g. DRC
    # 2017-01-01 -> 2017-12-30 with duration -363): the start is a placeholder; one day at
    # the end date is costed
    contradicted = (end_raw.is_not_null() & (end_raw > start) & (dur_raw < 0)).fill_null(False)
    start = pl.when(contradicted).then(end_raw).otherwise(start)
    status = pl.col("shutdown_status").replace_strict(
        {"Ended": "ended", "Ongoing": "ongoing"}, default="unknown"
    )
    df = df.with_columns(
        _dates_contradicted=contradicted,
        start=start,
        _end_raw=end_raw,
        duration_days_reported=dur,
        status=status,
        area_names=pl.col("area_name").str.replace_all(r"\s+", " ").str.strip_chars(),
        platforms=ordered.list.join(";"),
        other_services=services_ordered.list.join(";"),
    )
    valid_end = pl.col("_end_raw").is_not_null() & (pl.col("_end_raw") >= pl.col("start"))
    df = df.with_columns(
        end_basis=pl.when(valid_end).then(pl.lit("reported"))
        .when(pl.col("duration_days_reported").is_not_null()).then(pl.lit("from_duration"))
        .otherwise(pl.lit("open_ended")),
    )  # fmt: skip
    df = df.with_columns(
        open_ended=pl.col("end_basis") == "open_ended",
        # open-ended: the costed window is the first day, so end - start = 1 day costed
        end=pl.when(pl.col("end_basis") == "reported").then(pl.col("_end_raw"))
        .when(pl.col("end_basis") == "from_duration")
        .then(pl.col("start") + pl.duration(days=pl.col("duration_days_reported").round(0)))
        .otherwise(pl.col("start") + pl.duration(days=1)),
    )  # fmt: skip
    days = (pl.col("end") - pl.col("start")).dt.total_days().cast(pl.Float64)
    extent = pl.col("shutdown_extent").replace_strict(EXTENT)
    stype = pl.col("shutdown_type").replace_strict(SHUTDOWN_TYPE, default="unknown")
    net = pl.col("affected_network").fill_null("Unknown")
    unknown_net = ~net.str.contains("Mobile") & ~net.str.contains("Broadband")
    df = df.with_columns(
        duration_days=days,
        days_active=pl.max_horizontal(days, pl.lit(1.0)).cast(pl.Int64),
        ongoing=pl.col("status") == "ongoing",
        start_date_type=pl.col("start_date_type").replace_strict(
            {"Actual": "actual", "Estimated": "estimated"}, default="unknown"
        ),
        shutdown_type=stype,
        extent=extent,
        network_mobile=net.str.contains("Mobile") | unknown_net,
        network_broadband=net.str.contains("Broadband") | unknown_net,
        geo_scope=pl.col("geo_scope").replace_strict(GEO_SCOPE, default="unknown"),
        nationwide=pl.col("area_names")
        .fill_null("")
        .str.contains(
            r"(?i)\b(nation\s*-?\s*wide|national|whole\s+(of\s+the\s+)?country|"
            r"country\s*-?\s*wide|entire\s+country)\b"
        ),
        election=_flag("election"),
        violence=_flag("violence"),
        cause=pl.col("actual_cause"),
        justification=pl.col("gov_justification").str.strip_chars()
        .replace({"School Exams": "School exams", "Unknown": None, "": None}),
        _an_links=pl.col("an_link").map_elements(
            fx.split_links, return_dtype=pl.List(pl.String), skip_nulls=False),
        _info_links=pl.col("info_source_link").map_elements(
            fx.split_links, return_dtype=pl.List(pl.String), skip_nulls=False),
        # the year the event happened (its start); Access Now's count year, the year of
        # the STOP list that records it, is kept in ``listed_years``
        year=pl.col("start").dt.year().cast(pl.Int64),
    )
    # A throttle aimed at named platforms (extent "Full network, Service-based" with only
    # shutdown_type Throttle, e.g. Russia's 2021 throttling of Twitter) is a platform event
    # at partial intensity, not a throttling of the whole network.
    throttled_platforms = ((pl.col("extent") == "both") & (pl.col("shutdown_type") == "throttle")
                           & (pl.col("platforms") != ""))
    df = df.with_columns(
        throttled=pl.col("shutdown_type").is_in(["throttle", "shutdown_throttle"]),
        scope=pl.when((pl.col("extent") == "service_based") | throttled_platforms)
        .then(pl.when(pl.col("platforms") != "").then(pl.lit("platforms"))
              .otherwise(pl.lit("platforms_other")))
        .when(pl.col("shutdown_type") == "throttle").then(pl.lit("throttling"))
        .when(pl.col("network_mobile") & ~pl.col("network_broadband")).then(pl.lit("mobile"))
        .otherwise(pl.lit("full")),
    )  # fmt: skip
    # the Access Now link only when it is a well-formed URL (one row holds prose there)
    df = add_hours(df, snapshot).with_columns(source_link=pl.col("_an_links").list.first())
    df = df.with_columns(
        _asns=pl.concat_list("_an_links", "_info_links").map_elements(
            lambda links: list(nw.asns(links)), return_dtype=pl.List(pl.Int64)),
        _country_page=pl.concat_list("_an_links", "_info_links").map_elements(
            nw.has_country_page, return_dtype=pl.Boolean),
    )
    # a row naming several countries: the id of the row (all its countries) + "-" + ISO3
    ids = [
        event_id([r[1] if r[0] else r[2], *r[3:]]) + (f"-{r[2]}" if r[0] else "")
        for r in df.select(
            "_multi",
            "iso3_helper",
            "iso3",
            "start_date",
            pl.col("area_names").alias("area_name"),
            *EVENT_ID_FIELDS[3:],
        ).iter_rows()
    ]
    seen: dict[str, int] = {}
    unique_ids = []
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
        unique_ids.append(i if seen[i] == 1 else f"{i}-{seen[i]}")
    df = df.with_columns(
        event_id=pl.Series(unique_ids),
        # "National", "Nationwide" and "whole country" are one area for deduplication
        _area_key=pl.when(pl.col("nationwide")).then(pl.lit("nationwide")).otherwise(
            pl.col("area_names")
            .fill_null("")
            .map_batches(
                lambda s: pl.Series([normalise(x) for x in s.to_list()]),
                return_dtype=pl.String,
            )),
    )
    info = {
        "rows_in": raw.height,
        "dropped_no_iso3": no_iso3.height,
        "dropped_countries": sorted(set(no_iso3["country"].drop_nulls().to_list())),
        "split_rows": multi.height,
        "split_extra": int(multi["iso3_helper"].str.count_matches(";").sum()),
        "end_before_start": df.filter(
            pl.col("_end_raw").is_not_null() & (pl.col("_end_raw") < pl.col("start"))
        ).height,
        "id_collisions": sum(v - 1 for v in seen.values()),
        "dates_contradicted": int(df["_dates_contradicted"].sum()),
    }
    return df, info


def hours_rule(
    end_basis: str, days: int, same_day: bool, event: str | None, duration: str | None,
    exam_cut: bool = False,
) -> tuple[str, float]:
    """``(hours_basis, daily_hours)`` of one row (see the module docstring).

    ``days`` is the costed window [days, >= 1]; ``same_day`` is end == start; ``exam_cut``:
    a network cut (scope full, mobile or throttling) whose cause is exams, costed
    `EXAM_DAILY_HOURS` a day when the source states no hours.

    Examples
    --------
    >>> hours_rule("reported", 46, False, "Cut during exam times.", "47", exam_cut=True)
    ('exam_hours_default', 6.0)
    >>> hours_rule("reported", 46, False, "Cut during exam times.", "47")
    ('dates_whole_days', 24.0)
    >>> hours_rule("reported", 1, False, "Cut from 6:00 to 8:00.", "1", exam_cut=True)
    ('times_stated', 2.0)
    """
    open_ended = end_basis == "open_ended"
    stated = fx.stated_hours(event, duration, days, open_ended=open_ended)
    if stated is not None and (not open_ended or stated[0] == "hours_per_day_stated"):
        return ("open_ended_first_day", stated[1]) if open_ended else stated
    if exam_cut:
        return "exam_hours_default", EXAM_DAILY_HOURS
    if open_ended:
        return "open_ended_first_day", 24.0
    if same_day:
        return "same_day_24h", 24.0
    return ("dates_whole_days" if end_basis == "reported" else "duration_whole_days"), 24.0


def add_hours(df: pl.DataFrame, snapshot: dt.date = SNAPSHOT_DATE) -> pl.DataFrame:
    """Add ``open_ended, hours_basis, daily_hours, duration_hours, hours_to_snapshot``.

    Needs ``end_basis, start, end, days_active, status`` and the source ``event`` and
    ``duration`` (read for numbers only; the text is not kept).
    """
    event = df["event"] if "event" in df.columns else pl.Series([None] * df.height)
    exam = ((pl.col("cause") == "Exam cheating")
            & pl.col("scope").is_in(["full", "mobile", "throttling"])).fill_null(False)
    exam_cut = (df.select(exam.alias("x"))["x"] if {"cause", "scope"} <= set(df.columns)
                else pl.Series([False] * df.height))
    rules = [
        hours_rule(b, d, s == e, t, u, x)
        for b, d, s, e, t, u, x in zip(
            df["end_basis"], df["days_active"], df["start"], df["end"], event,
            df["duration"], exam_cut, strict=True,
        )
    ]  # fmt: skip
    to_snapshot = (pl.lit(snapshot) - pl.col("start")).dt.total_days().clip(lower_bound=1)
    return df.with_columns(
        hours_basis=pl.Series([r[0] for r in rules], dtype=pl.String),
        daily_hours=pl.Series([float(r[1]) for r in rules], dtype=pl.Float64),
    ).with_columns(
        duration_hours=(pl.col("days_active") * pl.col("daily_hours")).round(4),
        hours_to_snapshot=pl.when(
            pl.col("open_ended") & pl.col("status").is_in(["ongoing", "unknown"])
        ).then((to_snapshot * pl.col("daily_hours")).round(4)),
    )


DEDUP_KEY = (
    "iso3", "start", "extent", "shutdown_type", "network_mobile", "network_broadband",
    "platforms", "_area_key",
)  # fmt: skip


def deduplicate(df: pl.DataFrame) -> pl.DataFrame:
    """Merge rows describing the same event (see the module docstring).

    Needs the `DEDUP_KEY` columns, ``end_basis``, ``start_date_type``, ``_order``,
    ``event_id``, ``_an_links`` and ``_info_links``; adds ``n_reports``, ``merged_ids`` and
    ``links`` (every merged row's Access Now links first, then their source links, the kept
    row's first; de-duplicated, `impact.catalogue.rules.facts.LINK_SEP`-joined).
    """
    ranked = df.with_columns(
        _rank_end=(pl.col("end_basis") != "reported").cast(pl.Int8),
        _rank_start=(pl.col("start_date_type") != "actual").cast(pl.Int8),
    ).sort("_rank_end", "_rank_start", "_order")
    groups = ranked.group_by(DEDUP_KEY, maintain_order=True).agg(
        _keep=pl.col("event_id").first(),
        n_reports=pl.len().cast(pl.Int64),
        merged_ids=pl.col("event_id").slice(1).sort().str.join(";"),
        listed_years=pl.col("count_year").unique().sort().cast(pl.String).str.join(";"),
        _an_all=pl.col("_an_links").list.explode(keep_nulls=False, empty_as_null=False),
        _info_all=pl.col("_info_links").list.explode(keep_nulls=False, empty_as_null=False),
        **({"_ops_all": pl.col("_ops").list.explode(keep_nulls=False, empty_as_null=False)
            .unique(maintain_order=True),
            "_asns_all": pl.col("_asns").list.explode(keep_nulls=False, empty_as_null=False)
            .unique(maintain_order=True),
            "_country_page_any": pl.col("_country_page").any()}
           if "_ops" in df.columns else {}),
    )
    groups = groups.with_columns(
        links=pl.concat_list("_an_all", "_info_all").list.drop_nulls()
        .list.unique(maintain_order=True).list.join(fx.LINK_SEP)
    )
    extra = [c for c in ("_ops_all", "_asns_all", "_country_page_any") if c in groups.columns]
    return df.join(
        groups.select("_keep", "n_reports", "merged_ids", "links", "listed_years", *extra),
        left_on="event_id",
        right_on="_keep",
        how="inner",
    ).sort("_order")


def add_shares(df: pl.DataFrame, index: rg.AreaIndex | None = None) -> pl.DataFrame:
    """Add ``affected_share*``, ``share_method``, ``matched_areas``, ``unmatched_areas`` and
    ``area_units`` (`impact.bundled.areas.event_units`, for matched shares only)."""
    cache: dict[tuple, tuple] = {}
    rows = []
    for key in df.select("iso3", "area_names", "geo_scope", "nationwide", "year").iter_rows():
        if key not in cache:
            share = rg.event_share(*key, index=index)
            units = ""
            if share[3] in ("regions_matched", "cities_matched"):
                units = rg.event_units(key[0], key[1], key[4], index=index)
            cache[key] = (*share, units)
        rows.append(cache[key])
    shares = pl.DataFrame(
        rows,
        schema={
            "affected_share": pl.Float64, "affected_share_low": pl.Float64,
            "affected_share_high": pl.Float64, "share_method": pl.String,
            "matched_areas": pl.String, "unmatched_areas": pl.String, "area_units": pl.String,
        },
        orient="row",
    ).with_columns(
        pl.col("affected_share", "affected_share_low", "affected_share_high").round_sig_figs(6)
    )  # fmt: skip
    return pl.concat([df, shares], how="horizontal")


def add_texts(events: pl.DataFrame) -> pl.DataFrame:
    """Add ``title`` and ``description`` (`impact.catalogue.rules.facts`, from fact columns)."""
    cols = ("iso3", "country", "start", "end", "open_ended", "scope", "shutdown_type",
            "platforms", "other_services", "network_mobile", "network_broadband", "nationwide",
            "area_names", "geo_scope", "cause", "justification", "election", "days_active",
            "daily_hours", "duration_hours", "hours_basis", "network")  # fmt: skip
    titles, descriptions = [], []
    for r in events.select(cols).iter_rows(named=True):
        r["last_day"] = None if r["open_ended"] else r["end"]
        titles.append(fx.event_title(r))
        descriptions.append(fx.event_description(r))
    return events.with_columns(
        title=pl.Series(titles, dtype=pl.String),
        description=pl.Series(descriptions, dtype=pl.String),
    )


def extend_by_listed_years(df: pl.DataFrame,
                           max_regional_days: int = OPEN_ENDED_REGIONAL_MAX_DAYS) -> pl.DataFrame:
    """Open-ended events the source lists as active in later count years cost what that
    states: from the start to 1 January of the last year listed (the event was still in
    force at some time in that year, so at least until it began), at ``daily_hours`` a day;
    ``hours_basis`` ``open_ended_listed_years``. An event that is not nationwide is costed
    for at most ``max_regional_days`` of that window (``open_ended_regional_capped``): a
    regional cut listed year after year is not known to hold at full strength for years
    (Nigeria's 2021 cut in four states was lifted in most places after about 12 weeks).
    Needs ``listed_years`` (``;``-joined count years of the merged rows), ``open_ended``,
    ``nationwide``, ``start``, ``daily_hours``; changes ``end``, ``duration_days``,
    ``days_active``, ``duration_hours`` and ``hours_basis``; ``hours_to_snapshot`` stays.

    Examples
    --------
    >>> import datetime as dt
    >>> frame = pl.DataFrame({"open_ended": [True, True, False, True],
    ...     "nationwide": [True, True, True, False],
    ...     "listed_years": ["2022;2023;2025", "2024", "2019;2020", "2021;2025"],
    ...     "start": [dt.date(2022, 3, 4), dt.date(2024, 5, 1), dt.date(2019, 1, 1),
    ...               dt.date(2021, 9, 2)],
    ...     "end": [dt.date(2022, 3, 5), dt.date(2024, 5, 2), dt.date(2019, 1, 3),
    ...             dt.date(2021, 9, 3)],
    ...     "days_active": [1, 1, 2, 1], "daily_hours": [24.0, 24.0, 24.0, 24.0],
    ...     "duration_hours": [24.0, 24.0, 48.0, 24.0],
    ...     "hours_basis": ["open_ended_first_day", "open_ended_first_day", "dates_whole_days",
    ...                     "open_ended_first_day"]})
    >>> out = extend_by_listed_years(frame)
    >>> out["days_active"].to_list(), out["duration_hours"].to_list()
    ([1034, 1, 2, 90], [24816.0, 24.0, 48.0, 2160.0])
    >>> out["hours_basis"].to_list()[3], str(out["end"].to_list()[3])
    ('open_ended_regional_capped', '2021-12-01')
    """
    last = pl.col("listed_years").str.split(";").list.eval(pl.element().cast(pl.Int32)).list.max()
    known_end = pl.date(last, 1, 1)
    days = (known_end - pl.col("start")).dt.total_days()
    extend = pl.col("open_ended") & (last > pl.col("start").dt.year()) \
        & (days > pl.col("days_active"))
    capped = extend & ~pl.col("nationwide").fill_null(False) & (days > max_regional_days)
    flag = pl.col("_extend")
    return df.with_columns(
        _extend=extend, _capped=capped,
        _days=pl.when(capped).then(pl.lit(max_regional_days, pl.Int64)).otherwise(days),
    ).with_columns(
        end=pl.when(flag).then(pl.col("start") + pl.duration(days=pl.col("_days")))
        .otherwise(pl.col("end")),
        days_active=pl.when(flag).then(pl.col("_days")).otherwise(pl.col("days_active")),
        **({"duration_days": pl.when(flag).then(pl.col("_days").cast(pl.Float64))
            .otherwise(pl.col("duration_days"))} if "duration_days" in df.columns else {}),
        hours_basis=pl.when(pl.col("_capped")).then(pl.lit("open_ended_regional_capped"))
        .when(flag).then(pl.lit("open_ended_listed_years"))
        .otherwise(pl.col("hours_basis")),
        duration_hours=pl.when(flag)
        .then((pl.col("_days") * pl.col("daily_hours")).round(4))
        .otherwise(pl.col("duration_hours")),
    ).drop("_extend", "_days", "_capped")


def add_network_shares(events: pl.DataFrame, country_operators: dict[str, int]) -> pl.DataFrame:
    """Events of one network (`impact.catalogue.rules.networks`): the area share times the network's
    share of users, with its range; such an event is not ``nationwide`` (the area text gives
    the network's footprint, not the country's users) and its ``area_units`` shares are
    scaled alike. Needs ``iso3``, ``_ops_all``, ``_asns_all``, ``_country_page_any`` and the
    share columns; adds ``network``, ``network_share_basis``, ``network_share``,
    ``network_share_low``, ``network_share_high`` and ``country_operators``.
    """
    rows = []
    for iso3, ops, asn_list, page, nationwide in events.select(
            "iso3", "_ops_all", "_asns_all", "_country_page_any", "nationwide").iter_rows():
        ops, asn_list = tuple(ops or ()), tuple(asn_list or ())
        n = country_operators.get(iso3, 0)
        if nw.one_network(ops, asn_list, bool(page), n, bool(nationwide)):
            share, low, high, basis = nw.network_share(ops, n)
            name = ops[0] if ops else f"AS{asn_list[0]}"
            rows.append((name, basis, share, low, high, n))
        else:
            rows.append((None, None, None, None, None, n))
    net = pl.DataFrame(rows, orient="row", schema={
        "network": pl.String, "network_share_basis": pl.String, "network_share": pl.Float64,
        "network_share_low": pl.Float64, "network_share_high": pl.Float64,
        "country_operators": pl.Int64}).with_columns(
        pl.col("network_share", "network_share_low", "network_share_high").round_sig_figs(6))
    out = pl.concat([events, net], how="horizontal")
    one = pl.col("network_share").is_not_null()

    def scaled(col: str, by: str) -> pl.Expr:
        return pl.when(one).then((pl.col(col) * pl.col(by)).round_sig_figs(6)).otherwise(col)

    units = [
        "|".join(f"{k}={float(f'{float(v) * f:.6g}')!r}"
                 for k, v in (item.rsplit("=", 1) for item in u.split("|")))
        if (f is not None and u) else u
        for u, f in out.select("area_units", "network_share").iter_rows()
    ]
    return out.with_columns(
        affected_share=scaled("affected_share", "network_share"),
        affected_share_low=scaled("affected_share_low", "network_share_low"),
        affected_share_high=scaled("affected_share_high", "network_share_high"),
        nationwide=pl.col("nationwide") & ~one,
        area_units=pl.Series(units, dtype=pl.String),
    )


def add_hours_flags(events: pl.DataFrame, threshold: float = FLAG_HOURS) -> pl.DataFrame:
    """``hours_flag`` (``duration_hours`` > ``threshold``) and ``flag_reason``, e.g. "regional
    mobile data cut costed 2,160 h: no end date, listed to 2025, capped at 90 days" (empty
    when not flagged). Needs the columns of `flag_reason`."""
    reasons = [flag_reason(r, threshold) for r in events.iter_rows(named=True)]
    return events.with_columns(
        hours_flag=pl.col("duration_hours") > threshold,
        flag_reason=pl.Series(reasons, dtype=pl.String),
    )


def flag_reason(r: dict, threshold: float = FLAG_HOURS) -> str:
    """Why an event's costed hours exceed ``threshold`` [h] ("" when they do not).

    Examples
    --------
    >>> import datetime as dt
    >>> r = {"duration_hours": 2160.0, "nationwide": False, "scope": "mobile",
    ...      "network_mobile": True, "network_broadband": False, "open_ended": True,
    ...      "hours_basis": "open_ended_regional_capped", "start": dt.date(2021, 9, 2),
    ...      "end": dt.date(2021, 12, 1), "listed_years": "2021;2025", "daily_hours": 24.0,
    ...      "days_active": 90}
    >>> flag_reason(r)
    'open-ended regional mobile data cut costed 2,160 h: no end date; listed to 2025, capped at 90 days at 24 h a day'
    >>> flag_reason(r | {"duration_hours": 24.0})
    ''
    """
    hours = float(r["duration_hours"])
    if not hours > threshold:
        return ""
    what = fx.what_was_cut(r)
    where = "nationwide" if r.get("nationwide") else "regional"
    head = ("open-ended " if r.get("open_ended") else "") + f"{where} {what}"
    basis = r["hours_basis"]
    daily = f"{fx._hours(float(r['daily_hours']))} h a day"
    last = max((y for y in (r.get("listed_years") or "").split(";") if y), default="")
    if basis == "open_ended_regional_capped":
        why = (f"no end date; listed to {last}, capped at {OPEN_ENDED_REGIONAL_MAX_DAYS} days "
               f"at {daily}")
    elif basis == "open_ended_listed_years":
        why = f"no end date; start to 1 Jan {last} (the last year listed) at {daily}"
    elif r.get("open_ended"):
        why = f"no end date; {daily}"
    else:
        why = (f"reported window {r['start']} to {r['end']} ({int(r['days_active'])} days) "
               f"at {daily}")
    return f"{head} costed {hours:,.0f} h: {why}"
