"""Prose that counts the methods counts them right: "all five methods" went stale once a sixth
was registered. Where a README, doc, benchmark, script or docstring says "N methods", N is the
number of methods in the registry (better still, say "every method")."""

from __future__ import annotations

import re
from pathlib import Path

from impact.methods import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
COUNT = re.compile(r"\b(\d+|" + "|".join(WORDS) + r")\s+(?:estimation\s+)?methods\b",
                   re.IGNORECASE)
PLACES = ("README.md", "docs/*.md", "benchmarks/*", "scripts/*.py", "tests/e2e/*.py",
          "impact/**/*.py", "app_pages/*.py")


def counts(text: str) -> list[int]:
    """Every count of methods stated in ``text``.

    >>> counts("all five methods; the 6 methods put it; every method; all methods")
    [5, 6]
    >>> counts("results appear: five estimation methods")
    [5]
    """
    return [int(n) if n.isdigit() else WORDS[n.lower()] for n in COUNT.findall(text)]


def test_stated_method_counts_match_the_registry():
    wrong = []
    for pattern in PLACES:
        for path in sorted(ROOT.glob(pattern)):
            if path.suffix not in (".md", ".py"):
                continue
            for n in counts(path.read_text(encoding="utf-8")):
                if n != len(REGISTRY):
                    wrong.append(f"{path.relative_to(ROOT)}: {n}")
    assert not wrong, f"{len(REGISTRY)} methods are registered; stated otherwise in {wrong}"
