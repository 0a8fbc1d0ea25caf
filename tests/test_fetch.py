"""`impact monitor fetch` offline: URLs and tokens per source, recorded responses, and one-line
errors for an offline machine, a server error and a body that is not JSON."""

from __future__ import annotations

import json
import urllib.error
from datetime import UTC, datetime

import pytest

from impact import fetch
from impact.cli import main
from impact.errors import InputError

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
