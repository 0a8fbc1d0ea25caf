"""AppTest check of the Methods & assumptions page: each method's box starts with a plain-words
overview (what it costs, when it applies, its source) and only then shows its
formula, followed by a "where" list that defines every symbol the formula shows, with its
unit; the parameters table speaks in labels and units in words, with no internal names."""

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
        names = [e.value.split("`")[1] for e in elements
                 if e.type == "caption" and e.value.count("`") == 2]
        if names and names[0] in REGISTRY:
            out[names[0]] = elements
    return out


@pytest.fixture(scope="module")
def page():
    at = AppTest.from_file(METHODS, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    return at


@pytest.fixture(scope="module")
def boxes(page):
    return _boxes(page)


@pytest.mark.parametrize("method", list(REGISTRY))
def test_each_box_starts_in_plain_words_and_shows_the_formula_after(boxes, method):
    elements = boxes[method]
    kinds = [e.type for e in elements]
    assert elements[0].value == REGISTRY[method].title  # the title, not the internal name
    first = elements[1]
    assert first.type == "markdown"
    assert first.value.startswith("- **Costs:**")
    for part in ("**Costs:**", "**Applies:**", "**Source:**"):
        assert part in first.value
    assert kinds.index("code") > 1  # the formula after the overview
    # the internal name only in small print, at the end of the box
    assert kinds[-1] == "caption" and elements[-1].value.endswith(f"`{method}`")
    assert not any(f"`{method}`" in e.value for e in elements[:-1] if e.type != "code")


def test_parameters_have_labels_and_units_in_words(page):
    from impact.bundled.io import read_bundled
    from impact.vocab import parameter_label

    table = next(d.value for d in page.dataframe if "Parameter" in d.value.columns)
    raw = read_bundled("parameters")
    assert len(table) == raw.height
    assert list(table["Parameter"]) == [parameter_label(p) for p in raw["parameter"]]
    assert "Use BCG's internet-economy shares where published" in set(table["Parameter"])
    cells = {str(c) for c in table.to_numpy().ravel()}
    assert not cells & set(raw["parameter"])  # no internal parameter name
    assert not cells & set(REGISTRY)  # nor method key
    assert "flag" not in set(table["Unit"]) and "yes (1) or no (0)" in set(table["Unit"])
    assert all("_" not in p for p in table["Parameter"])


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
