"""`impact monitor fetch`: download a monitor's export for a country and window.

The only code that reaches the network, and only when asked. Each source's public API:

- ``ioda``: IODA API v2 raw signals, ``/v2/signals/raw/country/{ISO2}?from=&until=`` (epoch
  seconds), no token.
- ``cloudflare``: Cloudflare Radar outage annotations, ``/radar/annotations/outages?location=
  {ISO2}&dateStart=&dateEnd=``, with an API token read from ``CLOUDFLARE_API_TOKEN``.
- ``ooni``: OONI measurement aggregation, ``/api/v1/aggregation?probe_cc={ISO2}&since=&until=
  &axis_x=measurement_start_day&axis_y=domain`` (web connectivity), no token.

The body is checked to be JSON, written to ``--out`` (default ``<source>_<ISO3>_<from>.json``)
and can then be read by `impact monitor FILE`. Tests use recorded responses (`_get` replaced).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from impact.countries import resolve_country
from impact.errors import InputError

SOURCES = {
    "ioda": "https://api.ioda.inetintel.cc.gatech.edu/v2/signals/raw/country/{cc}",
    "cloudflare": "https://api.cloudflare.com/client/v4/radar/annotations/outages",
    "ooni": "https://api.ooni.io/api/v1/aggregation",
}
TOKEN_ENV = {"cloudflare": "CLOUDFLARE_API_TOKEN"}
TIMEOUT_S = 30


def request(source: str, iso3: str, start: datetime, end: datetime) -> tuple[str, dict]:
    """(URL, headers) of one download."""
    from impact.countries import iso2_code

    cc = iso2_code(iso3)
    if not cc:
        raise InputError("country", iso3, "a country with an ISO 3166 alpha-2 code")
    if source == "ioda":
        query = {"from": int(start.timestamp()), "until": int(end.timestamp())}
        url = SOURCES["ioda"].format(cc=cc)
    elif source == "cloudflare":
        query = {"location": cc, "dateStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "dateEnd": end.strftime("%Y-%m-%dT%H:%M:%SZ"), "format": "json",
                 "limit": 100}
        url = SOURCES["cloudflare"]
    elif source == "ooni":
        query = {"probe_cc": cc, "since": start.strftime("%Y-%m-%d"),
                 "until": end.strftime("%Y-%m-%d"), "axis_x": "measurement_start_day",
                 "axis_y": "domain", "test_name": "web_connectivity"}
        url = SOURCES["ooni"]
    else:
        raise InputError("source", source, "ioda, cloudflare or ooni")
    headers = {"Accept": "application/json", "User-Agent": "impact-monitor"}
    env = TOKEN_ENV.get(source)
    if env:
        token = os.environ.get(env, "").strip()
        if not token:
            raise InputError("token", env, f"an API token in the environment variable {env} "
                             f"({source} needs one)")
        headers["Authorization"] = f"Bearer {token}"
    return f"{url}?{urllib.parse.urlencode(query)}", headers


def _get(url: str, headers: dict) -> bytes:
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as response:
        return response.read()


def fetch(source: str | None, country: str | None, start: str | None, end: str | None,
          out: str | None = None) -> Path:
    """Download one export and save it; every failure is one `InputError` line."""
    from impact.timeline import _utc

    if source is None:
        raise InputError("source", None, "--source ioda, cloudflare or ooni")
    if country is None:
        raise InputError("country", None, "--country NAME|ISO3")
    iso3 = resolve_country(country)
    if start is None or end is None:
        raise InputError("from" if start is None else "until", None,
                         "--from and --until as UTC date-times, e.g. 2024-02-08T00:00Z")
    t0, t1 = _utc(start, "start_utc"), _utc(end, "end_utc")
    if t1 <= t0:
        raise InputError("until", end, "a moment after --from")
    url, headers = request(source, iso3, t0, t1)
    try:
        body = _get(url, headers)
    except urllib.error.HTTPError as exc:
        raise InputError("fetch", f"{source} HTTP {exc.code}", "a successful response "
                         f"from {url.split('?')[0]} (check the token and the window)") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError("fetch", source, f"a reachable {url.split('?')[0]} (offline? "
                         f"{reason})") from None
    try:
        json.loads(body)
    except ValueError:
        raise InputError("fetch", f"{source} response", "a JSON body (the server sent "
                         f"{len(body)} bytes that are not JSON)") from None
    path = Path(out or f"{source}_{iso3}_{t0:%Y%m%dT%H%MZ}.json")
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.write_bytes(body)
        tmp.replace(path)
    except OSError as exc:
        raise InputError("out", str(path), f"a writable path ({exc.strerror})") from None
    return path
