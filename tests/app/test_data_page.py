"""AppTest check of the Data & sources page: written for people who read the figures (what
data, from whom, which years, licence and credit, with links), short, and free of the build's
paths (scripts, test files, the raw snapshot's folder)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import data_view as dv
from impact.bundled.io import read_bundled

ROOT = Path(__file__).resolve().parents[2]
DATA = str(ROOT / "app_pages" / "data.py")
TIMEOUT = 60


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(DATA, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    return at


def _text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "markdown", "caption", "info")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_the_page_has_no_build_paths(page):
    text = _text(page)
    for path in ("../shared", "tests/", "scripts/", ".py"):
        assert path not in text, path


def test_the_page_is_short(page):
    # the build document it replaces ran to about 4,500 words (12,000 px in a browser)
    words = len(re.findall(r"\w+", _text(page)))
    assert words < 700, words


def test_every_source_says_who_which_years_licence_and_credit(page):
    table = next(m.value for m in page.markdown if m.value.startswith("| Data | From |"))
    rows = table.splitlines()[2:]
    assert len(rows) == len(dv.sources(read_bundled("indicators"), read_bundled("events")))
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 5 and all(cells), row
    indicators, events = read_bundled("indicators"), read_bundled("events")
    wdi = indicators.filter(indicators["source"].str.starts_with("WDI"))["year"]
    assert f"| {wdi.min()}–{wdi.max()} | CC BY 4.0 |" in table  # counted, not typed
    assert f"{events['year'].min()}–{events['year'].max()}" in table
    assert "[World Bank, World Development Indicators](https://" in table
    assert "Access Now" in table and "StatCounter" in table and "Natural Earth" in table


def test_the_vintages_stay_behind_an_expander(page):
    box = next(e for e in page.expander if e.label.startswith("Every table's source"))
    assert box.dataframe[0].value.shape[0] == read_bundled("vintages").height
