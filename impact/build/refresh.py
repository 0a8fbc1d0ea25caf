"""``impact data refresh``: newer data from the publishers, switched in only when it is sound.

Starts from the data in use (or the ``--to`` folder) and

1. fetches the latest values of the World Bank indicators the build uses (`API_INDICATORS`:
   every WDI series but the fixed 2024-11 vintage of internet users; ITU's mobile broadband
   stays) from the World Bank API (`impact.build.worldbank`), and/or reads a newer Access Now
   #KeepItOn STOP export (CSV file or URL), rebuilt into ``events.csv`` with open-ended events
   running to the day it was read;
2. rebuilds what depends on them: ``digital_share.csv`` (the statsmodels OLS imputation) and
   the panel fits (``econometrics_fit``, ``econometrics_sample``, ``risk_features``), and
   writes ``vintages.csv``, a section of ``SOURCES.md``, ``refresh.json`` and
   ``manifest.json``;
3. validates the new folder: every file against the new manifest (schema, `impact.bundled.datacheck`
   ranges, SHA-256), and every table (but ``vintages``) and indicator keeps at least `MIN_ROW_SHARE` of the rows
   it had (``countries``, ``regions``, ``parameters``, ``cost_compatible_fit`` — fitted on the
   validation figures, which are not shipped — and the map are kept as they are);
4. only then switches: the new version is renamed into the user-level store and named in its
   ``current`` file (`impact.bundled.datastore`), or swapped in for the ``--to`` folder.

All of 1-3 happen in a temporary folder beside the destination; any failure removes it and
raises one `RefreshError` line saying what failed and where, with the data in use unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from impact.build import areas as rg
from impact.build import catalogue as cat
from impact.build import panel_models as pm
from impact.build import tables as tb
from impact.build import worldbank as wb
from impact.build.manifest import write_manifest
from impact.build.staging import swap_in
from impact.bundled import datacheck as dc
from impact.bundled import datastore
from impact.bundled.countries import name_keys
from impact.bundled.data_status import changes_lines
from impact.bundled.datastore import forget_data_dir
from impact.bundled.io import bundled_version, data_dir, read_bundled
from impact.errors import DataError, InputError, RefreshError
from impact.text import normalise

#: a refreshed table (and each refreshed indicator) keeps at least this share of its rows
MIN_ROW_SHARE = 0.95
#: the snapshot sources whose series the World Bank API replaces
API_SOURCES = ("wdi_a", "wdi_b", "wdi_c", "wdi_d", "wdi_f")
API_INDICATORS = tuple(i for i in tb.INDICATORS if i.source in API_SOURCES)
API_SOURCE = "World Bank Indicators API v2 (api.worldbank.org)"
#: the digital-share model's WDI inputs (`impact.build.tables.build_vintages`)
SHARE_INPUTS = "NY.GDP.PCAP.CD, IT.NET.BBND.P2, NY.GDP.MKTP.CD (year range), IT.NET.USER.ZS"
#: columns of a STOP export the catalogue reads (``iso3_helper`` is made from ``country``
#: when absent)
EXPORT_COLUMNS = (
    "start_date_type", "start_date", "country", "geo_scope", "area_name", "shutdown_type",
    "affected_network", "shutdown_extent", "actual_cause", "info_source_link",
    "shutdown_status", "end_date", "duration", "gov_justification", "facebook_affected",
    "twitter_affected", "whatsapp_affected", "instagram_affected", "telegram_affected",
    "other_affected", "sms_affected", "phonecall_affected", "election", "violence", "event",
    "an_link", "count_year")
SOURCES_START = "<!-- data refresh: this section is written by `impact data refresh` -->"
SOURCES_END = "<!-- end of data refresh section -->"
LOCK = ".refresh.lock"

Say = Callable[[str], None]


@dataclass
class Staged:
    """A validated new data version in a temporary folder, not yet switched in."""

    folder: Path
    version: str
    based_on: str
    changes: dict = field(default_factory=dict)


# ---- what changed (pure) ------------------------------------------------------------------
def indicator_changes(old: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    """Per indicator: latest year before and after, years added, rows added, changed (value
    moved by more than 1e-9 relative) and removed.

    >>> o = pl.DataFrame({"iso3": ["A", "A"], "indicator": ["g", "g"], "year": [2023, 2024],
    ...                   "value": [1.0, 2.0]})
    >>> n = pl.DataFrame({"iso3": ["A", "A"], "indicator": ["g", "g"], "year": [2024, 2025],
    ...                   "value": [2.5, 3.0]})
    >>> indicator_changes(o, n).row(0)
    ('g', 2024, 2025, [2025], 1, 1, 1)
    """
    key = ["indicator", "iso3", "year"]
    both = old.select(*key, old=pl.col("value")).join(
        new.select(*key, new=pl.col("value")), on=key, how="full", coalesce=True)
    moved = (pl.col("old") - pl.col("new")).abs() > 1e-9 * pl.max_horizontal(
        pl.col("old").abs(), pl.col("new").abs())
    years_old = old.group_by("indicator").agg(pl.col("year").unique().alias("_yo"))
    return (both.group_by("indicator").agg(
        latest_year_before=pl.col("year").filter(pl.col("old").is_not_null()).max(),
        latest_year_after=pl.col("year").filter(pl.col("new").is_not_null()).max(),
        _yn=pl.col("year").filter(pl.col("new").is_not_null()).unique().sort(),
        rows_added=(pl.col("old").is_null() & pl.col("new").is_not_null()).sum(),
        rows_changed=(pl.col("old").is_not_null() & pl.col("new").is_not_null()
                      & moved).sum(),
        rows_removed=(pl.col("old").is_not_null() & pl.col("new").is_null()).sum())
        .join(years_old, on="indicator", how="left")
        .with_columns(years_added=pl.col("_yn").list.set_difference(
            pl.col("_yo").fill_null([])).list.sort())
        .select("indicator", "latest_year_before", "latest_year_after", "years_added",
                pl.col("rows_added", "rows_changed", "rows_removed").cast(pl.Int64))
        .sort("indicator"))


def countries_with_new_gdp(old: pl.DataFrame, new: pl.DataFrame) -> list[str]:
    """ISO3 codes whose GDP (``gdp_usd``) gains a year it did not have."""
    def gdp(f: pl.DataFrame) -> pl.DataFrame:
        return f.filter(pl.col("indicator") == "gdp_usd").select("iso3", "year")

    return sorted(gdp(new).join(gdp(old), on=["iso3", "year"], how="anti")["iso3"].unique())


def event_changes(old: pl.DataFrame, new: pl.DataFrame) -> dict:
    """Events added and removed (by ``event_id``) and the last start before and after."""
    ids_old, ids_new = set(old["event_id"]), set(new["event_id"])

    def last(f: pl.DataFrame) -> str | None:
        v = f["start"].cast(pl.String).max()
        return str(v)[:10] if v is not None else None

    return {"events_before": old.height, "events_after": new.height,
            "added": len(ids_new - ids_old), "removed": len(ids_old - ids_new),
            "last_start_before": last(old), "last_start_after": last(new)}


# ---- reading the publishers ---------------------------------------------------------------
def fetch_indicators(old: pl.DataFrame, economies: pl.Series, today: dt.date,
                     get: wb.Getter = wb.http_get, say: Say | None = None
                     ) -> tuple[pl.DataFrame, dict[str, dict]]:
    """``old`` with every `API_INDICATORS` series replaced by the API's values (economies in
    ``economies``, years `impact.build.tables.FIRST_YEAR` to ``today``'s), and per code
    ``{indicator, rows, latest_year, last_updated}``. A series with fewer than
    `MIN_ROW_SHARE` of its old rows, or breaking a rule of `impact.bundled.datacheck.RULES`, is a
    `RefreshError`."""
    from tqdm import tqdm

    keep = economies.implode()
    parts, info = [], {}
    progress = tqdm(API_INDICATORS, desc="World Bank API", unit="series", leave=False,
                    disable=None)
    for ind in progress:
        series = wb.fetch_series(ind.code, tb.FIRST_YEAR, today.year, get)
        rows = (series.rows.filter(pl.col("iso3").is_in(keep))
                .select("iso3", indicator=pl.lit(ind.name), year="year",
                        value=pl.col("value").round_sig_figs(tb.INDICATOR_SIG_DIGITS),
                        source=pl.lit(f"WDI {ind.code}")))
        had = old.filter(pl.col("indicator") == ind.name).height
        if rows.height < MIN_ROW_SHARE * had:
            raise RefreshError(
                f"World Bank API, {ind.code}: {rows.height} rows for our economies, fewer "
                f"than {MIN_ROW_SHARE:.0%} of the {had} in use (an incomplete answer?)")
        parts.append(rows)
        info[ind.code] = {"indicator": ind.name, "rows": rows.height,
                          "latest_year": rows["year"].max(), "last_updated": series.last_updated}
        if say:
            say(f"  {ind.code:<20} {rows.height:>5} rows, to {rows['year'].max()} "
                f"(World Bank last updated {series.last_updated or 'unknown'})")
    names = [i.name for i in API_INDICATORS]
    new = (pl.concat([old.filter(~pl.col("indicator").is_in(names)), *parts])
           .sort("indicator", "iso3", "year").select(tb.INDICATOR_COLUMNS))
    problem = dc.check_rows("indicators", new)
    if problem:
        raise RefreshError(f"World Bank API: the new indicators table {problem}")
    return new, info


def read_export(spec: str, countries: pl.DataFrame, get: wb.Getter = wb.http_get
                ) -> pl.DataFrame:
    """A STOP export (CSV file or http(s) URL) as the catalogue reads it, with
    ``iso3_helper`` made from ``country`` (``;``-separated names, looked up in the
    countries table) when the export has none."""
    if spec.startswith(("http://", "https://")):
        body = get(spec)
    else:
        path = Path(spec).expanduser()
        if not path.is_file():
            raise InputError("events", spec, "a CSV file or an http(s) URL of an Access Now "
                             "#KeepItOn STOP export")
        body = path.read_bytes()
    try:
        raw = pl.read_csv(io.BytesIO(body), infer_schema_length=None)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise RefreshError(f"events export {spec}: not a readable CSV "
                           f"({dc._one_line(exc)})") from None
    missing = [c for c in EXPORT_COLUMNS if c not in raw.columns]
    if missing:
        raise RefreshError(f"events export {spec}: no column {missing[0]!r} "
                           f"({len(missing)} of the {len(EXPORT_COLUMNS)} STOP columns the "
                           "catalogue reads are missing: a changed export format?)")
    raw = raw.with_columns(pl.col(c).cast(pl.String) for c in EXPORT_COLUMNS
                           if raw.schema[c] != pl.String and c != "count_year")
    if "iso3_helper" not in raw.columns:
        names = name_keys(countries)

        def codes(text: str | None) -> str | None:
            found = [names.get(normalise(p.strip())) for p in (text or "").split(";")]
            return ";".join(found) if found and all(found) else None

        raw = raw.with_columns(iso3_helper=pl.col("country").map_elements(
            codes, return_dtype=pl.String))
    return raw


# ---- staging and validating ---------------------------------------------------------------
def _rows(folder: Path) -> dict[str, int]:
    files = dc.manifest(folder)["files"]
    return {Path(k).stem: v["rows"] for k, v in files.items() if k.endswith(".csv")
            and "/" not in k}


def refreshed_vintages(old: pl.DataFrame, fetched: dict[str, dict], events_label: str | None,
                       today: dt.date) -> pl.DataFrame:
    """``vintages.csv`` after a refresh: snapshot rows of the fetched series lose those
    codes (a row left with none goes), earlier API rows go, and one API row per table
    names each code with its latest year; a new STOP export replaces the events row."""
    src = tb.SOURCES
    prefixes = {k: src[k].source + " [" for k in API_SOURCES}
    keep = []
    for r in old.iter_rows(named=True):
        s = r["source"]
        if fetched and r["table"] in ("indicators", "digital_share"):
            if s.startswith(API_SOURCE):
                continue
            key = next((k for k, p in prefixes.items() if s.startswith(p)), None)
            if key is not None:
                items = [i.strip() for i in s[len(prefixes[key]):].rstrip("]").split(",")]
                left = [i for i in items if i.split(" ")[0] not in fetched]
                if not left:
                    continue
                r = {**r, "source": f"{prefixes[key]}{', '.join(left)}]"}
        if events_label and r["table"] == "events":
            continue
        keep.append(r)
    wdi = src["wdi_a"]
    if fetched:
        updated = sorted({v["last_updated"] for v in fetched.values() if v["last_updated"]})
        vintage = f"fetched {today.isoformat()}" + (
            f" (World Bank last updated {updated[-1]})" if updated else "")
        listed = ", ".join(f"{c} to {v['latest_year']}" for c, v in sorted(fetched.items()))
        for table, codes in (("indicators", listed), ("digital_share", SHARE_INPUTS)):
            keep.append({"table": table, "source": f"{API_SOURCE} [{codes}]",
                         "publisher": wdi.publisher, "vintage": vintage,
                         "licence": wdi.licence, "attribution": wdi.attribution})
    if events_label:
        an = src["accessnow"]
        keep.append({"table": "events", "source": f"{events_label} (Access Now #KeepItOn "
                     "STOP export, read by impact data refresh)", "publisher": an.publisher,
                     "vintage": f"accessed {today.isoformat()}", "licence": an.licence,
                     "attribution": an.attribution})
    return pl.DataFrame(keep, schema={c: pl.String for c in tb.VINTAGE_COLUMNS}).sort(
        "table", "source")


def sources_section(vintages: pl.DataFrame, record: dict) -> str:
    """The ``SOURCES.md`` section a refresh writes: what it fetched, when, and what changed."""
    rows = vintages.filter(pl.col("source").str.starts_with(API_SOURCE)
                           | pl.col("source").str.contains("read by impact data refresh"))
    lines = [SOURCES_START, "## Refreshed data", "",
             (f"Data version `{record['version']}`, refreshed {record['refreshed']} from "
             f"version `{record['based_on']}` by `impact data refresh`. Sources of the "
             "refreshed tables (the other tables are as described above):"), "",
             "| table | source | vintage | licence |", "|---|---|---|---|"]
    lines += [f"| {r['table']} | {r['source']} | {r['vintage']} | {r['licence']} |"
              for r in rows.iter_rows(named=True)]
    lines += ["", "What this refresh changed:", ""]
    lines += [f"    {line}" for line in changes_lines(record["changes"])]
    return "\n".join(lines + ["", SOURCES_END]) + "\n"


def _write_sources(folder: Path, section: str) -> None:
    path = folder / "SOURCES.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if SOURCES_START in text and SOURCES_END in text:
        head, rest = text.split(SOURCES_START, 1)
        text = head + section + rest.split(SOURCES_END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8", newline="\n")


def validate(folder: Path, before: dict[str, int], indicators_before: pl.DataFrame) -> None:
    """Every file of ``folder`` against its manifest (schema, rules, checksum), and row
    counts no lower than `MIN_ROW_SHARE` of ``before`` (per table but ``vintages``, which
    a refresh shortens, and per indicator)."""
    try:
        dc.check_folder(folder)
    except DataError as exc:
        raise RefreshError(f"the new data failed its check ({dc._one_line(exc)})") from None
    after = _rows(folder)
    for name, n in before.items():
        if name != "vintages" and after.get(name, 0) < MIN_ROW_SHARE * n:
            raise RefreshError(f"the new {name}.csv has {after.get(name, 0)} rows, fewer than "
                               f"{MIN_ROW_SHARE:.0%} of the {n} in use")
    new = dc.checked_table(folder, "indicators")
    counts = new.group_by("indicator").len()
    for ind, n in indicators_before.group_by("indicator").len().iter_rows():
        m = counts.filter(pl.col("indicator") == ind)["len"].sum()
        if m < MIN_ROW_SHARE * n:
            raise RefreshError(f"the new indicators.csv has {m} rows of {ind}, fewer than "
                               f"{MIN_ROW_SHARE:.0%} of the {n} in use")


def stage(source: Path, parent: Path, *, indicators: bool = True, events: str | None = None,
          today: dt.date | None = None, get: wb.Getter = wb.http_get,
          say: Say | None = None) -> Staged:
    """Build and validate a new data version from ``source`` in a temporary folder inside
    ``parent``; nothing in use is touched. The caller switches it in or removes it."""
    say = say or (lambda _m: None)
    today = today or dt.date.today()
    source = Path(source)
    if not (source / dc.MANIFEST_FILE).is_file():
        raise RefreshError(f"{source}: no {dc.MANIFEST_FILE}, so not a data folder to "
                           "refresh from")
    old = {n: dc.checked_table(source, n) for n in
           ("countries", "indicators", "digital_share_anchors", "regions", "events",
            "politics_panel", "vintages")}
    before = _rows(source)
    based_on = dc.manifest(source)["data_version"]
    ind, fetched = old["indicators"], {}
    changes: dict = {}
    if indicators:
        ind, fetched = fetch_indicators(old["indicators"], old["countries"]["iso3"], today,
                                        get, say)
        say(f"fetched {len(fetched)} World Bank series from {wb.base_url()}")
        changes["indicators"] = indicator_changes(old["indicators"], ind).to_dicts()
        changes["countries_with_new_gdp"] = countries_with_new_gdp(old["indicators"], ind)
    events_table, label = None, None
    if events:
        raw = read_export(events, old["countries"], get)
        index = rg.AreaIndex(old["regions"], rg.population_lookup(ind))
        events_table, ev = cat.events_table(raw, old["countries"], index, snapshot=today)
        label = events if events.startswith(("http://", "https://")) else Path(events).name
        say(f"events export {label}: {ev['rows_in']} rows in, {ev['events']} events "
            f"({ev['dropped_no_iso3']} rows without a known country left out)")
        if events_table.height < MIN_ROW_SHARE * old["events"].height:
            raise RefreshError(f"the new events.csv has {events_table.height} rows, fewer "
                               f"than {MIN_ROW_SHARE:.0%} of the {old['events'].height} in "
                               f"use (a truncated export?)")
        changes["events"] = event_changes(old["events"], events_table)
    share, info = tb.build_digital_share(old["digital_share_anchors"], ind,
                                         old["countries"]["iso3"])
    say(f"digital-share fit refitted: n={info['n']} anchors, R2={info['r2']:.3f}; "
        f"{info['n_rows']} country-years to {info['years'][1]}")
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".refresh-", dir=parent))
    try:
        shutil.copytree(source, tmp, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(dc.MANIFEST_FILE, datastore.REFRESH_FILE))
        written = {"indicators": ind, "digital_share": share,
                   "vintages": refreshed_vintages(old["vintages"], fetched, label, today)}
        if events_table is not None:
            written["events"] = events_table
        for name, frame in written.items():
            tb.write_table(frame, tmp / f"{name}.csv")
        try:
            fitted = pm.fit_tables(*(tb.read_written(tmp, n) for n in pm.INPUT_TABLES))
        except DataError as exc:
            raise RefreshError(f"the panel models could not be refitted on the new data "
                               f"({dc._one_line(exc)})") from None
        for name, frame in fitted.items():
            tb.write_table(frame, tmp / f"{name}.csv")
        say("panel models refitted: " + ", ".join(f"{n}.csv" for n in fitted))
        try:
            write_manifest(tmp)
        except DataError as exc:
            raise RefreshError(f"the new data failed its check ({dc._one_line(exc)})") from None
        version = dc.manifest(tmp)["data_version"]

        record = {"version": version, "based_on": based_on, "bundled": bundled_version(),
                  "refreshed": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "today": today.isoformat(), "indicators": fetched,
                  "events": label, "changes": changes}
        _write_sources(tmp, sources_section(written["vintages"], record))
        (tmp / datastore.REFRESH_FILE).write_text(json.dumps(record, indent=1, default=str),
                                                  encoding="utf-8")
        validate(tmp, before, old["indicators"])
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Staged(tmp, version, based_on, changes)


# ---- switching ----------------------------------------------------------------------------
def _holder_alive(path: Path) -> bool:
    """Whether the process named in the lock file ``path`` still runs (an unreadable or
    empty lock counts as held for `STALE_LOCK_SECONDS` after it was written)."""
    import time

    try:
        pid = int(path.read_text(encoding="utf-8").strip() or "0")
    except (OSError, ValueError):
        pid = 0
    if pid <= 0:
        try:
            return time.time() - path.stat().st_mtime < STALE_LOCK_SECONDS
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


#: a lock file without a readable process id is taken over after this long [seconds]
STALE_LOCK_SECONDS = 3600


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """One refresh at a time per destination (a lock file made with O_EXCL, holding the
    process id). A lock left by a process that no longer runs (killed mid-refresh) is taken
    over, and the staging folders such a run left (``.refresh-*``) are removed."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK
    for attempt in (1, 2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if attempt == 2 or _holder_alive(path):
                raise RefreshError(f"another refresh is running ({path} holds a running "
                                   "process)") from None
            path.unlink(missing_ok=True)  # its process is gone: take the lock over
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        clean_staging(root)
        yield
    finally:
        path.unlink(missing_ok=True)


def clean_staging(root: Path) -> list[Path]:
    """Remove the ``.refresh-*`` staging folders under ``root`` and ``root/versions`` that
    an interrupted refresh left (only called while holding the lock); returns them."""
    gone = []
    for folder in (root, root / datastore.VERSIONS):
        if not folder.is_dir():
            continue
        for stale in folder.glob(".refresh-*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
                gone.append(stale)
    return gone


def switch_store(staged: Staged, root: Path) -> Path:
    """Rename the staged folder into ``root/versions/`` and name it in ``root/current``."""
    dest = datastore.version_dir(staged.version, root)
    if dest.exists():  # the same data is stored already
        shutil.rmtree(staged.folder, ignore_errors=True)
    else:
        os.replace(staged.folder, dest)
    datastore.write_pointer(staged.version, root)
    return dest


def switch_folder(staged: Staged, dest: Path) -> Path:
    """Swap the staged folder in for ``dest`` (`impact.build.staging.swap_in`)."""
    return swap_in(staged.folder, dest)


def refresh(*, indicators: bool = True, events: str | None = None, to: Path | None = None,
            today: dt.date | None = None, get: wb.Getter = wb.http_get,
            say: Say | None = None) -> tuple[Staged, Path]:
    """Refresh the data in use (into the user-level store) or the folder ``to``; returns the
    new version and where it now is. Any failure leaves the data in use unchanged."""
    if to is not None:
        to = Path(to).expanduser().resolve()
        if to.exists() and not (to / dc.MANIFEST_FILE).is_file():
            raise InputError("to", str(to), "a new folder, or a data folder (with "
                             "manifest.json) to replace")
        source = to if to.exists() else data_dir()
        with locked(to.parent):
            staged = stage(source, to.parent, indicators=indicators, events=events,
                           today=today, get=get, say=say)
            where = switch_folder(staged, to)
    else:
        root = datastore.home()
        with locked(root):
            staged = stage(data_dir(), root / datastore.VERSIONS, indicators=indicators,
                           events=events, today=today, get=get, say=say)
            where = switch_store(staged, root)
    forget_data_dir()
    return staged, where


def preview(today: dt.date | None = None, get: wb.Getter = wb.http_get) -> dict:
    """What a refresh of the indicators would change, fetched but not written."""
    today = today or dt.date.today()
    old = read_bundled("indicators")
    new, _ = fetch_indicators(old, read_bundled("countries")["iso3"], today, get)
    return {"indicators": indicator_changes(old, new).to_dicts(),
            "countries_with_new_gdp": countries_with_new_gdp(old, new)}
