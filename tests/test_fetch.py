"""`impact monitor fetch` offline: URLs and tokens per source, recorded responses (an injected
opener or a loopback server, never the network), paging with a cap, and one-line errors for an
offline machine, a server error, an API error and a body that is not JSON."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest

from impact.cli import main
from impact.errors import InputError
from impact.monitor import fetch
from impact.monitor.importers import read_any

T0, T1 = datetime(2024, 2, 8, tzinfo=UTC), datetime(2024, 2, 9, tzinfo=UTC)
#: a response constructed to the documented IODA v2 signals format (not a real measurement)
RECORDED = json.dumps({"type": "signals", "error": None, "data": [[{
    "entityType": "country", "entityCode": "PK", "datasource": "ping-slash24",
    "from": 1707350400, "until": 1707436800, "step": 600, "values": [100, 98, 12]}]]}).encode()


def test_requests_per_source(monkeypatch):
    url, headers = fetch.request("ioda", "PAK", T0, T1)
    assert url.startswith("https://api.ioda.inetintel.cc.gatech.edu/v2/signals/raw/country/PK?")
    assert "from=1707350400" in url and "until=1707436800" in url
    url, _ = fetch.request("ooni", "PAK", T0, T1)
    assert "probe_cc=PK" in url and "since=2024-02-08" in url
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    with pytest.raises(InputError, match="CLOUDFLARE_API_TOKEN"):
        fetch.request("cloudflare", "PAK", T0, T1)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "t0ken")
    url, headers = fetch.request("cloudflare", "PAK", T0, T1)
    assert "location=PK" in url and headers["Authorization"] == "Bearer t0ken"


def test_a_recorded_response_is_saved(tmp_path, monkeypatch, capsys):
    seen = {}

    def recorded(url, headers):
        seen["url"] = url
        return RECORDED

    monkeypatch.setattr(fetch, "_get", recorded)
    out = tmp_path / "pk.json"
    code = main(["monitor", "fetch", "--source", "ioda", "--country", "Pakistan", "--from",
                 "2024-02-08T00:00Z", "--until", "2024-02-09T00:00Z", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert json.loads(out.read_bytes())["data"][0][0]["entityCode"] == "PK"
    assert not (tmp_path / "pk.json.partial").exists()


@pytest.mark.parametrize("failure, words", [
    (urllib.error.URLError("no route to host"), "offline?"),
    (urllib.error.HTTPError("u", 503, "busy", {}, None), "HTTP 503"),
    (b"<html>rate limited</html>", "not JSON"),
])
def test_failures_are_one_line_and_write_nothing(tmp_path, monkeypatch, capsys, failure, words):
    def broken(url, headers):
        if isinstance(failure, bytes):
            return failure
        raise failure

    monkeypatch.setattr(fetch, "_get", broken)
    out = tmp_path / "x.json"
    code = main(["monitor", "fetch", "--source", "ooni", "--country", "PAK", "--from",
                 "2024-02-08T00:00Z", "--until", "2024-02-09T00:00Z", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_missing_options(capsys):
    assert main(["monitor", "fetch", "--country", "PAK"]) == 2
    assert "source" in capsys.readouterr().err


# ---- paging: recorded pages from a loopback server, or an injected opener -------------------
RADAR = (Path(__file__).parent / "fixtures" / "monitor" / "cloudflare_radar"
         / "radar_outages_causes.json")


def _annotations() -> list[dict]:
    return json.loads(RADAR.read_text())["result"]["annotations"]


class _Pages(http.server.BaseHTTPRequestHandler):
    """Answers ``/client/v4/radar/annotations/outages?limit=&offset=`` from `records` as
    Radar does (a ``result.annotations`` envelope), and keeps every query it saw."""

    records: ClassVar[list[dict]] = []
    seen: ClassVar[list[tuple[dict, str | None]]] = []

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        type(self).seen.append((query, self.headers.get("Authorization")))
        start, size = int(query["offset"]), int(query["limit"])
        body = json.dumps({"success": True, "errors": [], "result": {
            "annotations": self.records[start:start + size]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def radar_server(monkeypatch):
    """A loopback Radar answering recorded annotations; `fetch.API_ROOTS` points at it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Pages.records, _Pages.seen = _annotations(), []
    monkeypatch.setitem(fetch.API_ROOTS, "cloudflare",
                        f"http://127.0.0.1:{server.server_port}/client/v4")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "t0ken")
    for var in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    yield _Pages
    server.shutdown()
    server.server_close()


def test_cloudflare_pages_until_a_short_page(radar_server, tmp_path):
    out = tmp_path / "radar.json"
    notes: list[str] = []
    fetch.fetch("cloudflare", "PAK", "2024-02-01T00:00Z", "2024-03-01T00:00Z", str(out),
                page_size=4, on_note=notes.append)
    offsets = [int(q["offset"]) for q, _ in radar_server.seen]
    assert offsets == [0, 4, 8]  # 9 records: 4 + 4 + 1
    assert {q["limit"] for q, _ in radar_server.seen} == {"4"}
    assert {q["location"] for q, _ in radar_server.seen} == {"PK"}
    assert {auth for _, auth in radar_server.seen} == {"Bearer t0ken"}
    saved = json.loads(out.read_text())
    assert saved["result"]["annotations"] == _annotations() and notes == []
    timeline = read_any(out, country="PAK")  # the joined pages read as one answer
    assert len(timeline.rows) == 4 and timeline.report.records == 9


def test_cloudflare_page_cap_is_a_note(radar_server, tmp_path):
    out = tmp_path / "radar.json"
    notes: list[str] = []
    fetch.fetch("cloudflare", "PAK", "2024-02-01T00:00Z", "2024-03-01T00:00Z", str(out),
                page_size=2, max_pages=3, on_note=notes.append)
    assert len(radar_server.seen) == 3
    assert len(json.loads(out.read_text())["result"]["annotations"]) == 6
    assert len(notes) == 1 and "stopped after 3 pages of 2 (6 records)" in notes[0]
    assert "--from/--until" in notes[0]


def test_cloudflare_page_cap_note_reaches_the_cli(radar_server, tmp_path, monkeypatch,
                                                   capsys):
    monkeypatch.setattr(fetch, "MAX_PAGES", 1)
    monkeypatch.setitem(fetch.ENDPOINTS["cloudflare"], "outages", fetch.Endpoint(
        "/radar/annotations/outages", fetch._radar, "offset", 2, ("result", "annotations")))
    out = tmp_path / "radar.json"
    code = main(["monitor", "fetch", "--source", "cloudflare", "--country", "PAK", "--from",
                 "2024-02-01T00:00Z", "--until", "2024-03-01T00:00Z", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "note: cloudflare outages: stopped after" in err and "wrote" in err


def test_traffic_anomalies_endpoint(monkeypatch, tmp_path):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "t0ken")
    recorded = (RADAR.parent / "radar_traffic_anomalies.json").read_bytes()
    urls: list[str] = []

    def opener(url, headers):
        urls.append(url)
        return recorded

    path = fetch.fetch("cloudflare", "PAK", "2024-02-08T00:00Z", "2024-02-09T00:00Z",
                       str(tmp_path / "anomalies.json"), endpoint="traffic_anomalies",
                       opener=opener)
    assert urls[0].startswith("https://api.cloudflare.com/client/v4/radar/traffic_anomalies?")
    assert "offset=0" in urls[0] and "limit=100" in urls[0] and len(urls) == 1
    timeline = read_any(path, causes="all", until="2024-02-08T12:00Z")
    assert [r.asn for r in timeline.rows] == [None, 17557]


def test_ioda_events_page_by_page(tmp_path):
    event = json.loads((RADAR.parents[1] / "ioda_outages" / "ioda_events_codf.json")
                       .read_text())["data"][0]
    queries: list[dict] = []

    def opener(url, headers):
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        queries.append(query)
        page, size = int(query["page"]), int(query["limit"])
        events = [dict(event, start=event["start"] + 3600 * k) for k in range(5)]
        return json.dumps({"type": "outages.events", "error": None,
                           "data": events[page * size:(page + 1) * size]}).encode()

    url, _ = fetch.request("ioda", "PAK", T0, T1, endpoint="events")
    assert url.startswith("https://api.ioda.inetintel.cc.gatech.edu/v2/outages/events?")
    assert "entityType=country" in url and "entityCode=PK" in url
    assert "limit=500" in url and "page=0" in url  # the API's default page size
    path = fetch.fetch("ioda", "PAK", "2024-02-08T00:00Z", "2024-02-09T00:00Z",
                       str(tmp_path / "events.json"), endpoint="events", page_size=2,
                       opener=opener)
    assert [q["page"] for q in queries] == ["0", "1", "2"]
    assert len(json.loads(path.read_text())["data"]) == 5
    assert len(read_any(path).rows) >= 1


@pytest.mark.parametrize("body, words", [
    ({"success": False, "errors": [{"code": 10000, "message": "Authentication error"}],
      "result": None}, "Authentication error"),
    ({"success": True, "result": {"annotations": "none"}}, "a list at result.annotations"),
])
def test_radar_answers_with_errors_are_one_line(monkeypatch, tmp_path, body, words):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "t0ken")
    out = tmp_path / "x.json"
    with pytest.raises(InputError, match=words) as info:
        fetch.fetch("cloudflare", "PAK", "2024-02-08T00:00Z", "2024-02-09T00:00Z", str(out),
                    opener=lambda url, headers: json.dumps(body).encode())
    assert "\n" not in str(info.value) and not out.exists()


def test_unknown_endpoint_lists_the_accepted_ones():
    with pytest.raises(InputError, match="endpoint: 'anomalies' .*outages, traffic_anomalies"):
        fetch.fetch("cloudflare", "PAK", "2024-02-08T00:00Z", "2024-02-09T00:00Z",
                    endpoint="anomalies")
