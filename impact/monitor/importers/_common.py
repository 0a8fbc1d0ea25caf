"""Shared plumbing of the importers: reading the source, one-line errors that name the file
and the record (JSON path or CSV line), times, countries, and the final `Timeline`.

Bad records never cost good ones: an importer reads each record inside ``ctx.record(path,
rows)``; a `TimelineError` there refuses that record only (its rows are dropped, its line kept
for the report) and reading goes on. `finish` then keeps the asked country's rows *before*
validating them, costs rows still on (no end) to ``until``, validates each row on its own,
and returns a `Timeline` whose `ImportReport` says how many records were read, kept and
refused, and why. Only a file with nothing to keep is an error (the first refusal, with the
counts)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from impact.bundled.countries import resolve_country
from impact.catalogue.rules.places import area_region
from impact.errors import InputError, TimelineError
from impact.monitor.timeline import (
    ImportReport,
    Timeline,
    _admin1,
    make_timeline,
    moment,
    parse_row,
)

Source = str | Path | bytes


def load_text(source: Source, name: str | None = None) -> tuple[str, str]:
    """(text, label) of a path or of uploaded bytes; the label names the file in errors."""
    if isinstance(source, bytes):
        return source.decode("utf-8-sig", errors="replace"), name or "upload"
    path = Path(source)
    label = name or path.name
    try:
        return path.read_text(encoding="utf-8-sig"), label
    except FileNotFoundError:
        raise TimelineError("file", str(path), "an existing monitor file") from None
    except IsADirectoryError:
        raise TimelineError("file", str(path), "a file, not a folder") from None
    except UnicodeDecodeError:
        raise TimelineError("file", str(path), "a UTF-8 text file (JSON or CSV)") from None


def parse_json(text: str, label: str) -> Any:
    """The JSON document; a syntax error names the file and the line."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise TimelineError("json", exc.msg, "a valid JSON document",
                            where=f"{label} line {exc.lineno}") from None
    except _NotFinite as exc:
        raise TimelineError("json", exc.args[0], "finite numbers (not NaN or Infinity)",
                            where=label) from None
    except RecursionError:
        raise TimelineError("json", "nested too deep", "a JSON document nested at most a "
                            "few hundred levels", where=label) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise TimelineError("json", str(exc)[:60], "a valid JSON document with ordinary "
                            "numbers", where=label) from None


class _NotFinite(ValueError):
    """NaN or Infinity in a JSON document (Python's reader accepts them; no monitor writes
    them)."""


def _no_constant(name: str) -> Any:
    raise _NotFinite(name)


#: refused records listed in full in a report (the rest are counted)
MAX_REFUSED_LISTED = 200


@dataclass
class Ctx:
    """Where errors point (the file label; ``path`` is a JSON path such as ``data[0][1]`` or
    ``line N``) and what reading found: records read, refusals, notes."""

    label: str
    records: int = 0
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the first refusal, raised with the counts when nothing is kept
    first: TimelineError | None = None

    @contextmanager
    def record(self, path: str, rows: list | None = None) -> Iterator[None]:
        """Read one record: a `TimelineError` (or `InputError`) inside refuses this record
        only, drops the rows it added to ``rows`` and keeps its line for the report."""
        self.records += 1
        mark = len(rows) if rows is not None else 0
        try:
            yield
        except InputError as exc:
            if rows is not None:
                del rows[mark:]
            self.refuse(exc, path)

    def refuse(self, exc: InputError, path: str = "") -> None:
        """Keep ``exc`` as one refused record (it names its record, or ``path`` does)."""
        if not isinstance(exc, TimelineError) or not exc.where:
            exc = TimelineError(exc.field, exc.value, exc.accepted, where=self.where(path))
        self.first = self.first or exc
        self.refused.append(str(exc))

    def note(self, text: str) -> None:
        """A note on how records were read (kept once)."""
        if text not in self.notes:
            self.notes.append(text)

    def where(self, path: str = "") -> str:
        return f"{self.label} {path}".strip()

    def fail(self, path: str, field: str, value: Any, accepted: str) -> TimelineError:
        if path.startswith("line "):  # CSV: the line, then the field in the message
            return TimelineError(field, value, accepted, where=self.where(path))
        full = f"{path}.{field}" if path else field
        return TimelineError(field, value, accepted, where=self.where(full))

    def need(self, obj: Any, key: str, path: str, types: type | tuple[type, ...],
             accepted: str, *, required: bool = True) -> Any:
        """``obj[key]`` of one of ``types`` (bool is never a number); None when optional
        and absent or null."""
        if not isinstance(obj, Mapping):
            raise TimelineError("record", type(obj).__name__, "a JSON object",
                                where=self.where(path))
        if key not in obj or obj[key] is None:
            if required:
                raise self.fail(path, key, None, accepted + " (the field is missing)")
            return None
        value = obj[key]
        numeric = types in (int, float, (int, float))
        if not isinstance(value, types) or (numeric and isinstance(value, bool)):
            raise self.fail(path, key, value, accepted)
        return value

    def time(self, value: Any, path: str, field: str) -> datetime:
        """A UTC time from epoch seconds or an ISO date-time (a naive one is UTC)."""
        accepted = "epoch seconds or an ISO date-time such as 2024-02-08T02:00:00Z"
        if isinstance(value, bool) or value is None:
            raise self.fail(path, field, value, accepted)
        if isinstance(value, int | float):
            try:
                return datetime.fromtimestamp(value, tz=UTC)
            except (OverflowError, OSError, ValueError):
                raise self.fail(path, field, value, accepted) from None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, field, value, accepted)
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise self.fail(path, field, value, accepted) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    def country(self, code: Any, path: str, field: str) -> str:
        """ISO3 of an ISO2 / ISO3 code or a name (`resolve_country`)."""
        try:
            return resolve_country(code)
        except InputError as exc:
            hint = exc.accepted.split("? ")[0] + "? " if "did you mean" in exc.accepted else ""
            raise self.fail(path, field, code, f"{hint}an ISO 3166 alpha-2 or alpha-3 code "
                            "such as PK or PAK, or a country name") from None


#: options every reader takes: ``until`` costs rows still on to that moment
COMMON_OPTIONS = ("until",)


def check_options(options: Mapping[str, Any], allowed: Iterable[str], fmt: str) -> None:
    """An option ``fmt`` does not take is an error listing the ones it takes (plus
    `COMMON_OPTIONS`)."""
    allowed = sorted(set(allowed) | set(COMMON_OPTIONS))
    for key in options:
        if key not in allowed:
            raise TimelineError("option", key, f"for {fmt}: "
                                + (", ".join(allowed) if allowed else "no options"))


def wanted_country(country: str | None) -> str | None:
    return resolve_country(country) if country else None


def _iso3_or_none(value: Any) -> str | None:
    try:
        return resolve_country(value)
    except (InputError, TypeError, ValueError):
        return None


def until_moment(until: Any, label: str = "") -> datetime | None:
    """``until`` as a UTC moment (ISO date-time, epoch seconds or ``now``), or None."""
    if until is None or (isinstance(until, str) and not until.strip()):
        return None
    if isinstance(until, datetime):
        until = until if until.tzinfo else until.replace(tzinfo=UTC)
        return until.astimezone(UTC).replace(microsecond=0)
    try:
        return moment(until, "until").replace(microsecond=0)
    except InputError as exc:
        raise TimelineError("until", until, exc.accepted, where=label) from None


def finish(rows: list[tuple[str, dict[str, Any]]], ctx: Ctx, country: str | None,
           until: Any = None) -> Timeline:
    """Rows (each with the JSON path / line it came from) as a `Timeline`.

    With ``country`` only that country's rows are kept, before any is validated (a record of
    another country never refuses the file). A row with no ``end_utc`` is still on: it is
    costed to ``until`` (ISO, epoch or ``now``) and counted as ongoing, or refused when
    ``until`` is not given. Each row is validated on its own; bad ones are refused and
    reported (`ImportReport`). Nothing kept is an error: the first refusal, with counts."""
    want = wanted_country(country)
    cut = until_moment(until, ctx.label)
    parsed = []
    other = ongoing = 0
    for path, data in rows:
        if want is not None and _iso3_or_none(data.get("country")) != want:
            other += 1
            continue
        where = ctx.where(path)
        data = dict(data)
        if data.get("end_utc") in (None, ""):
            try:
                start = moment(data.get("start_utc"), "start_utc")
            except InputError as exc:
                ctx.refuse(exc, path)
                continue
            if cut is None:
                ctx.refuse(TimelineError("end", "none (still on)", "an end; or give --until "
                                         "DATETIME or --until now (until= in Python) to cost "
                                         "it so far", where=where))
                continue
            if cut <= start:
                ctx.refuse(TimelineError("until", iso(cut), "a moment after the row starts "
                                         f"({data.get('start_utc')})", where=where))
                continue
            data["end_utc"] = iso(cut)
            ongoing += 1
        if data.get("region"):
            _place_region(data, ctx)
        try:
            parsed.append(parse_row(data, where=where))
        except TimelineError as exc:
            ctx.refuse(exc)
    report = ImportReport(records=ctx.records or len(rows), kept=len(parsed),
                          refused=tuple(ctx.refused[:MAX_REFUSED_LISTED]),
                          other_countries=other, ongoing=ongoing, until=cut,
                          notes=tuple(ctx.notes))
    if len(ctx.refused) > MAX_REFUSED_LISTED:
        report = replace(report, notes=report.notes + (
            f"{len(ctx.refused) - MAX_REFUSED_LISTED:,} more refused records not listed",))
    if not parsed:
        _nothing_kept(ctx, rows, want, other)
    return make_timeline(parsed, ctx.label, report)


#: how a region text that is not an admin-1 name was placed -> note
_PLACED = {
    "below admin-1": "region text naming a district, township or city: costed in its admin-1 "
                     "region at the place's share of the region's people (the catalogue's rule)",
    "matched": "region text matched to admin-1 regions by the catalogue's rule",
    "region only": "region text naming a place not found inside a region: costed in that "
                   "region at the catalogue's share for a local area",
    "not found": "region text not found among the country's places: costed on the whole "
                 "country at the catalogue's share for an unknown area",
    "no admin-1": "region text in a country without bundled admin-1 regions: costed on the "
                  "whole country at the place's share of its people",
}


def _place_region(data: dict[str, Any], ctx: Ctx) -> None:
    """A region text that is not a list of admin-1 names ("Srinagar, Jammu & Kashmir", a
    district) is placed as the catalogue places Access Now areas
    (`impact.catalogue.rules.places.area_region`): its admin-1 region and the place's share of
    it (kept when the row gives its own affected share), or the whole country at a share.
    Admin-1 names, and text that cannot be placed at all, are left to the row's check."""
    iso3 = _iso3_or_none(data.get("country"))
    text = str(data["region"]).strip()
    if iso3 is None or not text:
        return
    try:
        _admin1(iso3, text)
        return
    except InputError:
        pass

    year = _start_or_none(data)
    if year is None:
        return
    region, share, case = area_region(iso3, text, "", year)
    if case not in _PLACED:
        return
    data["region"] = region
    if data.get("affected_share") in (None, "") and share is not None:
        data["affected_share"] = share
    ctx.note(_PLACED[case])


def _start_or_none(data: Mapping[str, Any]) -> int | None:
    try:
        return moment(data.get("start_utc"), "start_utc").year
    except (InputError, TypeError, ValueError):
        return None


def _nothing_kept(ctx: Ctx, rows: list, want: str | None, other: int) -> None:
    if ctx.first is not None:
        e = ctx.first
        more = f", {len(ctx.refused) - 1:,} more refused" if len(ctx.refused) > 1 else ""
        raise TimelineError(e.field, e.value, f"{e.accepted} (0 of "
                            f"{ctx.records or len(rows):,} records kept{more})", where=e.where)
    if want is not None:
        found = sorted({c for _, d in rows if (c := _iso3_or_none(d.get("country")))})
        raise TimelineError("country", want, "a country with restricted time in the file "
                            f"(found: {', '.join(found) or 'none'})", where=ctx.label)
    raise TimelineError("rows", 0, "at least one restricted period in the file",
                        where=ctx.label)


def utc_hour(t: datetime) -> datetime:
    return t.replace(minute=0, second=0, microsecond=0)


HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def clip01(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")
