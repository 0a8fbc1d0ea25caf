"""The World Bank Indicators API (v2), as ``impact data refresh`` uses it.

One request per indicator and page, the documented form::

    {base}/country/all/indicator/{CODE}?format=json&date={first}:{last}&per_page=20000&page=N

whose body is ``[metadata, records]``: ``metadata`` has ``page, pages, per_page, total,
lastupdated``; each record has ``countryiso3code``, ``date`` (a year) and ``value`` (a number
or null; aggregates such as ``WLD`` are among them). An error is ``[{"message": [{"id",
"key", "value"}]}]``. ``$IMPACT_WORLD_BANK_API`` replaces the base URL (a mirror, or a local
server in a test). Every failure is one `RefreshError` line naming the indicator, the URL and
what was wrong; nothing here writes a file.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from impact import net
from impact.errors import RefreshError

BASE_URL = "https://api.worldbank.org/v2"
API_ENV = "IMPACT_WORLD_BANK_API"
PER_PAGE = 20000
TIMEOUT_S = 60
#: a downloader: URL -> body bytes (tests pass recorded responses)
Getter = Callable[[str], bytes]


def base_url() -> str:
    """``$IMPACT_WORLD_BANK_API`` or the public API's base URL."""
    return (os.environ.get(API_ENV, "").strip() or BASE_URL).rstrip("/")


def indicator_url(code: str, first_year: int, last_year: int, page: int = 1) -> str:
    """The URL of one page of one indicator, every economy, ``first_year``-``last_year``."""
    query = urllib.parse.urlencode({"format": "json", "date": f"{first_year}:{last_year}",
                                    "per_page": PER_PAGE, "page": page})
    return f"{base_url()}/country/all/indicator/{urllib.parse.quote(code)}?{query}"


def http_get(url: str) -> bytes:
    """GET ``url``; a failure is one `RefreshError` line (offline, HTTP status, timeout)."""
    headers = {"Accept": "application/json", "User-Agent": "impact-data-refresh"}
    host = urllib.parse.urlsplit(url).netloc
    try:
        return net.get(url, headers, TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        raise RefreshError(f"the server answered HTTP {exc.code} ({exc.reason}) for {url}"
                           ) from None
    except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RefreshError(f"offline or unreachable: cannot reach {host} ({reason})") from None


@dataclass(frozen=True)
class Series:
    """One indicator as fetched: ``iso3, year, value`` rows (nulls dropped) and the
    publisher's ``lastupdated`` date."""

    code: str
    rows: pl.DataFrame
    last_updated: str | None
    records: int  #: records received (with nulls and aggregates)


def _page(code: str, url: str, body: bytes) -> tuple[dict, list]:
    """(metadata, records) of one page, or a `RefreshError` saying what is wrong."""
    where = f"World Bank API, {code}, {url}"
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RefreshError(f"{where}: the response is not complete JSON ({len(body)} bytes; "
                           "truncated or not the API)") from None
    if (isinstance(doc, list) and len(doc) == 1 and isinstance(doc[0], dict)
            and "message" in doc[0]):
        msg = doc[0]["message"]
        text = "; ".join(f"{m.get('key', '')}: {m.get('value', '')}" for m in msg
                         if isinstance(m, dict)) if isinstance(msg, list) else str(msg)
        raise RefreshError(f"{where}: the API returned an error ({text})")
    if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict)):
        raise RefreshError(f"{where}: the response is not [metadata, records] as the API "
                           "documents (its format changed?)")
    meta, records = doc[0], doc[1] if doc[1] is not None else []
    missing = [k for k in ("page", "pages", "total") if k not in meta]
    if missing or not isinstance(records, list):
        raise RefreshError(f"{where}: the metadata lacks {', '.join(missing) or 'records'} "
                           "(its format changed?)")
    for i, r in enumerate(records):
        keys = [k for k in ("countryiso3code", "date", "value")
                if not isinstance(r, dict) or k not in r]
        if keys:
            raise RefreshError(f"{where}: record {i + 1} has no field {keys[0]!r} (its "
                               "format changed?)")
    return meta, records


def fetch_series(code: str, first_year: int, last_year: int,
                 get: Getter = http_get) -> Series:
    """Every page of indicator ``code``; checks the record count against ``total``."""
    records: list = []
    page, pages, meta = 1, 1, {}
    while page <= pages:
        url = indicator_url(code, first_year, last_year, page)
        meta, part = _page(code, url, get(url))
        pages = int(meta["pages"] or 0)
        records += part
        page += 1
    total = int(meta.get("total") or 0)
    if len(records) != total:
        raise RefreshError(f"World Bank API, {code}: {len(records)} records received of "
                           f"the {total} announced (a truncated download)")
    try:
        rows = pl.DataFrame(
            {"iso3": [r["countryiso3code"] or None for r in records],
             "year": [int(r["date"]) for r in records],
             "value": [None if r["value"] is None else float(r["value"]) for r in records]},
            schema={"iso3": pl.String, "year": pl.Int64, "value": pl.Float64})
    except (TypeError, ValueError) as exc:
        raise RefreshError(f"World Bank API, {code}: a year or value is not a number ({exc})"
                           ) from None
    rows = rows.drop_nulls()
    return Series(code, rows, meta.get("lastupdated"), len(records))
