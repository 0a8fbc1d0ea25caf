"""Shared plumbing of the importers: reading the source, one-line errors that name the file
and the record (JSON path or CSV line), times, countries, and the final `Timeline`."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from impact.countries import resolve_country
from impact.errors import InputError
from impact.timeline import Timeline, TimelineError, make_timeline, parse_row

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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TimelineError("json", exc.msg, "a valid JSON document",
                            where=f"{label} line {exc.lineno}") from None


@dataclass(frozen=True)
class Ctx:
    """Where errors point: the file label; ``path`` is a JSON path such as ``data[0][1]``."""

    label: str

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


def check_options(options: Mapping[str, Any], allowed: Iterable[str], fmt: str) -> None:
    allowed = sorted(allowed)
    for key in options:
        if key not in allowed:
            raise TimelineError("option", key, f"for {fmt}: "
                                + (", ".join(allowed) if allowed else "no options"))


def wanted_country(country: str | None) -> str | None:
    return resolve_country(country) if country else None


def finish(rows: list[tuple[str, dict[str, Any]]], ctx: Ctx, country: str | None) -> Timeline:
    """Validated rows (each with the JSON path / line it came from) as a `Timeline`; with
    ``country`` only that country's rows are kept (a file of several countries)."""
    want = wanted_country(country)
    parsed = [parse_row(data, where=ctx.where(path)) for path, data in rows]
    if want is not None:
        found = sorted({r.country for r in parsed})
        parsed = [r for r in parsed if r.country == want]
        if not parsed:
            raise TimelineError("country", want, "a country with restricted time in the file "
                                f"(found: {', '.join(found) or 'none'})", where=ctx.label)
    if not parsed:
        raise TimelineError("rows", 0, "at least one restricted period in the file",
                            where=ctx.label)
    return make_timeline(parsed, ctx.label)


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
