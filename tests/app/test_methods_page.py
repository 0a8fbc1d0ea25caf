"""AppTest check of the Methods & assumptions page: each method's formula is followed, in the
same box, by a "where" list that defines every symbol the formula shows, with its unit."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.methods import REGISTRY
from tests.test_formula_terms import undefined_symbols

ROOT = Path(__file__).resolve().parents[2]
METHODS = str(ROOT / "app_pages" / "methods.py")
TIMEOUT = 60


def _boxes(at: AppTest) -> dict[str, list]:
    """Method name (its caption) -> the elements of its box, in order."""
    out = {}
    for block in at.main.children.values():
        elements = list(getattr(block, "children", {}).values())
        names = [e.value.strip("`") for e in elements if e.type == "caption"]
        if names and names[0] in REGISTRY:
            out[names[0]] = elements
    return out


@pytest.fixture(scope="module")
def boxes():
    at = AppTest.from_file(METHODS, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    return _boxes(at)


def test_every_method_has_a_box(boxes):
    assert list(boxes) == list(REGISTRY)


@pytest.mark.parametrize("method", list(REGISTRY))
def test_each_symbol_of_each_formula_is_defined_next_to_it(boxes, method):
    elements = boxes[method]
    kinds = [e.type for e in elements]
    at = kinds.index("code")
    formula = elements[at].value
    assert formula == REGISTRY[method].formula
    where = elements[at + 1]  # right after the formula, in the same box
    assert where.type == "markdown" and where.value.startswith("where")
    lines = where.value.splitlines()[2:]
    defined = [line.split("`")[1] for line in lines]
    assert undefined_symbols(formula, defined) == []
    for line in lines:
        assert line.startswith("- `") and " — " in line, line
    # the inputs' units are shown in brackets
    assert any("[" in line for line in lines)
