"""The app's downloads are the command line's exports: for the same scenario the Estimate
page's files equal ``impact estimate ... --format csv|json|markdown`` (and ``--out``,
``--brief``; a CSV download has the byte-order mark of ``--bom``), and the Batch page's equal
``impact batch``.

AppTest does not serve a download, so `downloads` records the callable each deferred
``st.download_button`` registers (what the server runs when the button is clicked) and the
tests call it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
BATCH = str(ROOT / "app_pages" / "batch.py")
TIMEOUT = 60
#: (the page's link parameters, the flags a user types for the same scenario); the impact
#: method's reason is filled for each (a scope other than full)
SCENARIOS = {
    "mobile": ({"country": "PAK", "duration_hours": "10", "scope": "mobile"},
               ["--country", "PAK", "--duration-hours", "10", "--scope", "mobile"]),
    "platforms-local": (
        {"country": "PAK", "duration_hours": "48", "scope": "platforms",
         "platforms": "x;facebook", "circumvention": "0.3", "currency": "local"},
        ["--country", "Pakistan", "--duration-hours", "48", "--scope", "platforms",
         "--platforms", "x;facebook", "--circumvention", "0.3", "--currency", "local"]),
    "throttling-timed": (
        {"country": "IND", "duration_hours": "72", "scope": "throttling", "intensity": "0.75",
         "affected_share": "0.25", "start": "2024-02-08T07:15"},
        ["--country", "IND", "--duration-hours", "72", "--scope", "throttling",
         "--intensity", "0.75", "--affected-share", "0.25", "--start", "2024-02-08T07:15"]),
}


@pytest.fixture()
def downloads(monkeypatch) -> dict:
    """``{deferred file id: the callable a download button serves}`` of the runs that follow."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    made: dict = {}
    add = MediaFileManager.add_deferred

    def record(self, data_callable, *args, **kwargs):
        file_id = add(self, data_callable, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def _download(at: AppTest, made: dict, key: str) -> str | bytes:
    """The contents the download button ``key`` serves when it is clicked."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}"))
    return made[button.proto.deferred_file_id]()


def _cli(capsys, *argv: str) -> str:
    assert cli(list(argv)) == 0
    return capsys.readouterr().out


def _estimate_page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception and not at.error and not at.warning
    return at


def _members(xlsx: bytes) -> dict[str, bytes]:
    """The parts of a workbook, without its document properties (the creation time)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _without_produced(html: str) -> str:
    return re.sub(r"Produced \d{4}-\d\d-\d\d \d\d:\d\d UTC", "Produced …", html)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_estimate_downloads_equal_the_cli_exports(name, downloads, capsys, tmp_path):
    params, flags = SCENARIOS[name]
    at = _estimate_page(params)
    app_csv = _download(at, downloads, "download_csv")
    # a spreadsheet's CSV: led by the UTF-8 byte-order mark (the command line's --bom)
    assert app_csv.encode("utf-8").startswith(b"\xef\xbb\xbf")
    cli_csv = _cli(capsys, "estimate", *flags, "--format", "csv", "--bom")
    assert app_csv == cli_csv
    assert app_csv == "\ufeff" + _cli(capsys, "estimate", *flags, "--format", "csv")
    rows = {r["method"]: r for r in csv.DictReader(io.StringIO(app_csv.removeprefix("\ufeff")))}
    assert rows["impact"]["reason"]  # the reported cell: filled in both
    # the assumptions, a CSV of their own: what --out writes beside the CSV
    beside = tmp_path / "e.csv"
    _cli(capsys, "estimate", *flags, "--bom", "--out", str(beside))
    assert _download(at, downloads, "download_assumptions_csv") == (
        tmp_path / "e.assumptions.csv").read_text(encoding="utf-8")
    # the JSON (the command line ends its output with a newline) and the report
    assert _download(at, downloads, "download_json") + "\n" == _cli(
        capsys, "estimate", *flags, "--format", "json")
    assert _download(at, downloads, "download_report") == _cli(
        capsys, "estimate", *flags, "--format", "markdown")
    # the workbook and the brief, written by --out and --brief: the same apart from the
    # moment they were made
    out, brief = tmp_path / "e.xlsx", tmp_path / "e.html"
    _cli(capsys, "estimate", *flags, "--out", str(out), "--brief", str(brief))
    assert _members(_download(at, downloads, "download_xlsx")) == _members(out.read_bytes())
    assert _without_produced(_download(at, downloads, "download_brief_html")) == \
        _without_produced(brief.read_text(encoding="utf-8"))


def test_batch_downloads_equal_the_cli_batch(downloads, capsys, tmp_path):
    fixture = ROOT / "tests" / "fixtures" / "batch_bad.csv"
    at = AppTest.from_file(BATCH, default_timeout=TIMEOUT).run()
    at.select_slider(key="batch_draws").set_value(10_000)
    at.file_uploader(key="batch_file").set_value(
        (fixture.name, fixture.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception and not at.error
    assert at.warning  # the bad rows
    out_json, out_xlsx = tmp_path / "b.json", tmp_path / "b.xlsx"
    assert cli(["batch", str(fixture), "--no-progress"]) == 1  # some rows failed
    # the table of `impact batch` (every figure in full), led by the byte-order mark
    assert _download(at, downloads, "batch_csv") == "\ufeff" + capsys.readouterr().out
    cli(["batch", str(fixture), "--no-progress", "--out", str(out_json)])
    cli(["batch", str(fixture), "--no-progress", "--out", str(out_xlsx)])
    capsys.readouterr()
    # the row errors are in the app's JSON too
    app_json = _download(at, downloads, "batch_json")
    assert '"errors": []' not in app_json and "bad-share" in app_json
    # the same data (`impact batch` streams its JSON compactly, one estimate a line)
    assert json.loads(app_json) == json.loads(out_json.read_text(encoding="utf-8"))
    assert _members(_download(at, downloads, "batch_xlsx")) == _members(out_xlsx.read_bytes())
