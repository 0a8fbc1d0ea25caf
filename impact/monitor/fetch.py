"""`impact monitor fetch`: download a monitor's export for a country and window.

It reaches the network only when asked, through the one client (`impact.net`). Each source's public API
(`ENDPOINTS`; the first endpoint of a source is its default):

- ``ioda`` ``signals``: IODA API v2 raw signals, ``/v2/signals/raw/country/{ISO2}?from=&until=``
  (epoch seconds), no token, one request.
- ``ioda`` ``events``: IODA outage events, ``/v2/outages/events?entityType=country&entityCode=
  {ISO2}&from=&until=&limit=&page=``, pages of 500 (the API's default ``limit``; ``page``
  counts from 0).
- ``cloudflare`` ``outages``: Cloudflare Radar outage annotations, ``/radar/annotations/
  outages?location={ISO2}&dateStart=&dateEnd=&limit=&offset=``; ``traffic_anomalies``:
  ``/radar/traffic_anomalies`` with the same query. Pages of 100, with an API token read from
  ``CLOUDFLARE_API_TOKEN``.
- ``ooni`` ``aggregation``: OONI measurement aggregation, ``/api/v1/aggregation?probe_cc={ISO2}
  &since=&until=&axis_x=measurement_start_day&axis_y=domain`` (web connectivity), no token.

Paged endpoints are read page after page until one comes back shorter than a page, at most
``max_pages`` pages (`MAX_PAGES`): reaching that cap is a note, not a silent cut. The pages'
records are joined into one answer of the same shape. The body is checked to be JSON, written
to ``--out`` (default ``<source>_<ISO3>_<from>.json``) and can then be read by `impact monitor
FILE`. Tests pass recorded responses (``opener=``, or ``_get`` replaced) or serve them from a
loopback server (`API_ROOTS` pointed at it).
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from impact import net
from impact.bundled.countries import iso2_code, resolve_country
from impact.errors import InputError
from impact.monitor.timeline import _utc

#: each monitor's API root (tests point one at a loopback server)
API_ROOTS = {
    "ioda": "https://api.ioda.inetintel.cc.gatech.edu/v2",
    "cloudflare": "https://api.cloudflare.com/client/v4",
    "ooni": "https://api.ooni.io",
}
TOKEN_ENV = {"cloudflare": "CLOUDFLARE_API_TOKEN"}
TIMEOUT_S = 30
#: most pages read from one paged endpoint before stopping with a note
MAX_PAGES = 50
#: environment variable that replaces a source's scheme and host (e.g. a loopback server of
#: recorded answers): ``IMPACT_FETCH_BASE_IODA=http://127.0.0.1:8000``
BASE_ENV = "IMPACT_FETCH_BASE_{source}"

Opener = Callable[[str, dict], bytes]


def _epochs(cc: str, start: datetime, end: datetime) -> dict:
    return {"from": int(start.timestamp()), "until": int(end.timestamp())}


def _radar(cc: str, start: datetime, end: datetime) -> dict:
    return {"location": cc, "dateStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "dateEnd": end.strftime("%Y-%m-%dT%H:%M:%SZ"), "format": "json"}


def _ioda_events(cc: str, start: datetime, end: datetime) -> dict:
    return {"entityType": "country", "entityCode": cc, **_epochs(cc, start, end)}


def _ooni(cc: str, start: datetime, end: datetime) -> dict:
    return {"probe_cc": cc, "since": start.strftime("%Y-%m-%d"),
            "until": end.strftime("%Y-%m-%d"), "axis_x": "measurement_start_day",
            "axis_y": "domain", "test_name": "web_connectivity"}


@dataclass(frozen=True)
class Endpoint:
    """One API endpoint: its path under the source's root (``{cc}`` = ISO2), its query,
    and how it pages (``offset``: limit/offset; ``page``: limit/page from 0; None: one
    request) with ``page_size`` records at most per page, found at JSON path ``items``."""

    path: str
    query: Callable[[str, datetime, datetime], dict]
    paging: str | None = None
    page_size: int = 0
    items: tuple[str, ...] = ()


#: source -> endpoint name -> `Endpoint`; the first endpoint is the source's default
ENDPOINTS: dict[str, dict[str, Endpoint]] = {
    "ioda": {
        "signals": Endpoint("/signals/raw/country/{cc}", _epochs),
        "events": Endpoint("/outages/events", _ioda_events, "page", 500, ("data",)),
    },
    "cloudflare": {
        "outages": Endpoint("/radar/annotations/outages", _radar, "offset", 100,
                            ("result", "annotations")),
        "traffic_anomalies": Endpoint("/radar/traffic_anomalies", _radar, "offset", 100,
                                      ("result", "trafficAnomalies")),
    },
    "ooni": {"aggregation": Endpoint("/api/v1/aggregation", _ooni)},
}


def endpoint_of(source: str, endpoint: str | None = None) -> tuple[str, Endpoint]:
    """(name, `Endpoint`) of ``source``'s ``endpoint`` (None: the default); an unknown one
    is an error listing the accepted ones."""
    if source not in ENDPOINTS:
        raise InputError("source", source, "ioda, cloudflare or ooni")
    eps = ENDPOINTS[source]
    name = endpoint or next(iter(eps))
    if name not in eps:
        raise InputError("endpoint", name, f"for {source}: {', '.join(eps)}")
    return name, eps[name]


def _token_headers(source: str) -> dict:
    headers = {"Accept": "application/json", "User-Agent": "impact-monitor"}
    env = TOKEN_ENV.get(source)
    if env:
        token = os.environ.get(env, "").strip()
        if not token:
            raise InputError("token", env, f"an API token in the environment variable {env} "
                             f"({source} needs one)")
        headers["Authorization"] = f"Bearer {token}"
    return headers


def api_root(source: str) -> str:
    """``source``'s `API_ROOTS` entry, its scheme and host replaced by
    ``$IMPACT_FETCH_BASE_<SOURCE>`` when that is set (the path is kept).

    >>> api_root("ooni")
    'https://api.ooni.io'
    """
    root = API_ROOTS[source]
    base = os.environ.get(BASE_ENV.format(source=source.upper()), "").strip().rstrip("/")
    return base + urllib.parse.urlsplit(root).path if base else root


def request(source: str, iso3: str, start: datetime, end: datetime, *,
            endpoint: str | None = None, page: int = 0,
            page_size: int | None = None) -> tuple[str, dict]:
    """(URL, headers) of one download: page ``page`` (from 0) of a paged endpoint."""
    cc = iso2_code(iso3)
    if not cc:
        raise InputError("country", iso3, "a country with an ISO 3166 alpha-2 code")
    _, ep = endpoint_of(source, endpoint)
    query = ep.query(cc, start, end)
    size = page_size or ep.page_size
    if ep.paging == "offset":
        query |= {"limit": size, "offset": page * size}
    elif ep.paging == "page":
        query |= {"limit": size, "page": page}
    url = api_root(source) + ep.path.format(cc=cc)
    return f"{url}?{urllib.parse.urlencode(query)}", _token_headers(source)


def _get(url: str, headers: dict) -> bytes:
    return net.get(url, headers, TIMEOUT_S)


def _download(url: str, headers: dict, source: str, opener: Opener) -> tuple[bytes, Any]:
    """(body, JSON document) of one request; every failure is one `InputError` line."""
    base = url.split("?")[0]
    try:
        body = opener(url, headers)
    except urllib.error.HTTPError as exc:
        raise InputError("fetch", f"{source} HTTP {exc.code}", "a successful response "
                         f"from {base} (check the token and the window)") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError("fetch", source, f"a reachable {base} (offline? {reason})") from None
    try:
        doc = json.loads(body)
    except ValueError:
        raise InputError("fetch", f"{source} response", "a JSON body (the server sent "
                         f"{len(body)} bytes that are not JSON)") from None
    return body, doc


def _api_error(doc: Any) -> str | None:
    """The error an answer reports in its envelope (Radar ``success: false``, IODA
    ``error``), or None."""
    if not isinstance(doc, dict):
        return None
    if doc.get("success") is False:
        errors = doc.get("errors") or [{}]
        first = errors[0] if isinstance(errors[0], dict) else {"message": errors[0]}
        return str(first.get("message") or "success: false")
    return str(doc["error"]) if doc.get("error") else None


def _items(doc: Any, path: tuple[str, ...], source: str, url: str) -> list:
    node = doc
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, list):
        raise InputError("fetch", f"{source} response", f"a list at {'.'.join(path)} "
                         f"from {url.split('?')[0]} (the answer has none)")
    return node


def _put(doc: dict, path: tuple[str, ...], items: list) -> dict:
    """``doc`` with the list at ``path`` replaced by ``items``."""
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = items
    return doc


def _unique(items: list) -> list:
    """``items`` without repeats (a record that moved between pages while reading)."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = json.dumps(item, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _stderr_note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr)


def download(source: str, iso3: str, start: datetime, end: datetime, *,
             endpoint: str | None = None, page_size: int | None = None,
             max_pages: int | None = None, opener: Opener | None = None,
             on_note: Callable[[str], None] = _stderr_note) -> bytes:
    """The body to save: one answer, or a paged endpoint's pages joined into one answer
    of the same shape (pages read until one is short, at most ``max_pages``, default
    `MAX_PAGES`)."""
    name, ep = endpoint_of(source, endpoint)
    max_pages = max_pages or MAX_PAGES
    opener = opener or _get
    size = page_size or ep.page_size
    first: Any = None
    items: list = []
    for page in range(max_pages if ep.paging else 1):
        url, headers = request(source, iso3, start, end, endpoint=name, page=page,
                               page_size=size)
        body, doc = _download(url, headers, source, opener)
        if (error := _api_error(doc)) is not None:
            raise InputError("fetch", f"{source} error {error!r}", "an answer without "
                             f"errors from {url.split('?')[0]} (check the token and the "
                             "window)")
        if not ep.paging:
            return body
        chunk = _items(doc, ep.items, source, url)
        first = first if first is not None else doc
        items += chunk
        if len(chunk) < size:
            break
    else:
        on_note(f"{source} {name}: stopped after {max_pages} pages of {size} ({len(items):,} "
                "records); the window may hold more: fetch shorter windows (--from/--until)")
    return json.dumps(_put(first, ep.items, _unique(items)), ensure_ascii=False,
                      indent=1).encode()


def fetch(source: str | None, country: str | None, start: str | None, end: str | None,
          out: str | None = None, *, endpoint: str | None = None,
          page_size: int | None = None, max_pages: int | None = None,
          opener: Opener | None = None,
          on_note: Callable[[str], None] = _stderr_note) -> Path:
    """Download one export (all its pages) and save it; every failure is one `InputError`
    line. ``endpoint``: `ENDPOINTS` name (default: the source's first); ``opener(url,
    headers) -> bytes`` replaces the network (tests); ``on_note`` receives notes (default:
    stderr)."""
    if source is None:
        raise InputError("source", None, "--source ioda, cloudflare or ooni")
    name, _ = endpoint_of(source, endpoint)
    if country is None:
        raise InputError("country", None, "--country NAME|ISO3")
    iso3 = resolve_country(country)
    if start is None or end is None:
        raise InputError("from" if start is None else "until", None,
                         "--from and --until as UTC date-times, e.g. 2024-02-08T00:00Z")
    t0, t1 = _utc(start, "start_utc"), _utc(end, "end_utc")
    if t1 <= t0:
        raise InputError("until", end, "a moment after --from")
    if max_pages is not None and max_pages < 1:
        raise InputError("max_pages", max_pages, "a whole number of pages, at least 1")
    if page_size is not None and page_size < 1:
        raise InputError("page_size", page_size, "a whole number of records, at least 1")
    body = download(source, iso3, t0, t1, endpoint=name, page_size=page_size,
                    max_pages=max_pages, opener=opener, on_note=on_note)
    default = next(iter(ENDPOINTS[source]))
    tag = source if name == default else f"{source}_{name}"
    path = Path(out or f"{tag}_{iso3}_{t0:%Y%m%dT%H%MZ}.json")
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.write_bytes(body)
        tmp.replace(path)
    except OSError as exc:
        raise InputError("out", str(path), f"a writable path ({exc.strerror})") from None
    return path
