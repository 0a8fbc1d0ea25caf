"""The README's seed cases are what `scripts/seed_cases.py` computes, and the election day is
costed from its sourced timeline (not from hours typed by hand)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from impact.monitor.importers.timeline_csv import read_timeline_csv

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "seed_cases.py"


def _script():
    spec = importlib.util.spec_from_file_location("seed_cases", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_timeline_row_names_a_public_source():
    tl = read_timeline_csv(REPO / "data" / "examples" / "pakistan_2024-02-08.csv")
    assert tl.rows and all("https://" in r.source for r in tl.rows)
    assert tl.start.isoformat() == "2024-02-08T01:45:00+00:00"
    assert tl.end.isoformat() == "2024-02-08T15:00:00+00:00"


@pytest.mark.slow
def test_readme_seed_cases_are_what_the_script_computes():
    seed = _script()
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert seed.readme_section(text) == seed.section(), (
        "README.md's seed cases are stale: run `python scripts/seed_cases.py --write`")
    # the election day is the timeline, its times and sources shown beside the table
    assert "01:45–15:00 UTC (06:45–20:00 local, 13.3 hours" in seed.readme_section(text)
    assert "Cloudflare Radar" in seed.readme_section(text)
    assert "07:00–17:00" not in seed.readme_section(text)
