"""`docs/errors.md` names, for each bad-input class, the tests that hold its message: every
test it names exists, and every table row names at least one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "errors.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def _rows() -> list[str]:
    return [line for line in DOC.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ")
            and not line.startswith(("| Bad ", "| What", "| fault ", "|---"))]


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_row_names_a_test():
    rows = _rows()
    assert len(rows) >= 15
    for row in rows:
        assert NAMED.search(row), row


def test_every_named_test_exists():
    named = NAMED.findall(DOC.read_text(encoding="utf-8"))
    assert named
    missing = [f"{f}::{t}" for f, t in named
               if not (ROOT / f).is_file() or t not in _tests_in(ROOT / f)]
    assert missing == []
