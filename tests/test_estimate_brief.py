"""The one-page brief of an estimate (`impact.report.brief.estimate_brief_html` / `_pdf`): the headline
sentence, every method in the output currency, four charts rendered offline as PNG, the key
assumptions in words, the citations, the data vintages and the command that reproduces it."""

from __future__ import annotations

import base64
import re
import shlex
from datetime import UTC, datetime

import pytest

from impact import estimate, parse_scenario
from impact.estimation.ensemble import headline, why_they_differ
from impact.format import money
from impact.methods import REGISTRY
from impact.report.brief import estimate_brief_content, estimate_brief_html, estimate_brief_pdf
from impact.report.export import cli_command

PRODUCED = datetime(2024, 2, 9, 9, 30, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def pakistan():
    return estimate(parse_scenario({"country": "PAK", "start": "2024-02-08T07:00",
                                    "duration_hours": 10, "scope": "mobile"}), draws=1000)


@pytest.fixture(scope="module")
def html(pakistan):
    return estimate_brief_html(pakistan, produced=PRODUCED)


def _text(page: str) -> str:
    """The page without its images (their base64 could contain any word) and without the
    spans that keep money on one line."""
    page = re.sub(r'<span class="money">([^<]*)</span>', r"\1", page)
    return re.sub(r'src="data:image/png;base64,[^"]+"', 'src=""', page)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_html_has_the_headline_methods_command_and_vintages(pakistan, html):
    import html as html_lib

    text = html_lib.unescape(_text(html))
    assert headline(pakistan) in text and why_they_differ(pakistan) in text
    for r in pakistan.summary.iter_rows(named=True):
        assert r["title"] in text
        assert money(r["loss_p50"], r["currency"]) in text
    assert cli_command(pakistan) in text
    for r in pakistan.vintages.iter_rows(named=True):
        assert r["vintage"] in text
    for m in pakistan.summary["method"]:
        assert REGISTRY[m].citation in text
    assert "Digital-economy share of GDP" in text  # inputs in words ...
    assert "digital_share" not in text.split("Data vintages")[0]  # ... not by their names
    assert "<script" not in html and "http" not in html.split("<body>")[0]  # self-contained


def test_html_has_four_png_charts(html):
    images = re.findall(r'<img alt="[^"]+" src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 4
    assert all(base64.b64decode(i).startswith(PNG) for i in images)


def test_command_reproduces_the_scenario(pakistan):
    from impact.cli import SCENARIO_FLAGS, build_parser

    argv = shlex.split(cli_command(pakistan))
    assert argv[:2] == ["impact", "estimate"]
    args = build_parser().parse_args(argv[1:])
    fields = {name: getattr(args, name) for name in SCENARIO_FLAGS}
    if args.no_time_weighting:
        fields["time_weighting"] = False
    assert parse_scenario(fields) == pakistan.scenario
    assert int(args.draws) == 1000 and int(args.seed) == pakistan.summary["seed"][0]


def test_pdf_is_one_page(pakistan):
    pdf = estimate_brief_pdf(pakistan, produced=PRODUCED)
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1


def test_local_currency_and_a_platform_block():
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 24 * 30, "year": 2024,
                                   "scope": "platforms", "platforms": "x",
                                   "currency": "local"}), draws=500)
    brief = estimate_brief_content(est, produced=PRODUCED, charts=False)
    assert "PKR" in brief.headline and "USD" not in brief.headline
    assert any(row[1].startswith("PKR ") for row in brief.methods_rows)
    deloitte = next(r for r in brief.methods_rows if r[0] == REGISTRY["deloitte2016"].title)
    assert deloitte[3].startswith("not applicable")
    assert "--currency local" in brief.command
    pdf = estimate_brief_pdf(est, produced=PRODUCED)
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1
    assert "PKR" in estimate_brief_html(est, produced=PRODUCED)


def test_cli_writes_the_brief(tmp_path, capsys):
    from impact.cli import main

    base = ["estimate", "--country", "PAK", "--duration-hours", "10", "--scope", "mobile",
            "--draws", "300"]
    for suffix in (".html", ".pdf"):
        path = tmp_path / f"brief{suffix}"
        assert main([*base, "--brief", str(path)]) == 0
        assert f"wrote {path}" in capsys.readouterr().err
        data = path.read_bytes()
        assert data.startswith(b"%PDF" if suffix == ".pdf" else b"<!DOCTYPE html>")
    assert main([*base, "--brief", str(tmp_path / "brief.docx")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: brief: ")
    assert ".html or .pdf" in err and not (tmp_path / "brief.docx").exists()


def test_the_core_does_not_import_the_app():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, impact.report.brief, impact.report.chart_frames, impact.report.export; "
            "assert not [m for m in sys.modules if m.startswith('app_pages')]")
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True,
                          text=True, timeout=120, check=False,
                          env={"PYTHONPATH": str(repo), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
