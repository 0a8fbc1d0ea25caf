"""Every symbol of every method's formula is defined, with its unit, in its "where" list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import impact.methods.terms
from impact.methods import REGISTRY
from impact.methods.formula_terms import formula_terms
from impact.model.parameters import param

#: words of the formulas that are prose, not symbols ("fitted on Top10VPN", "(≤ 365 days for
#: platform blocks)", "(0.31 total, 0.16 mobile)", "while b4 is not identified")
PROSE = {"for", "platform", "platforms", "blocks", "fitted", "on", "while", "is", "not",
         "identified", "total", "mobile"}
IDENTIFIER = re.compile(r"[^\W\d]\w*")


def _standalone(symbol: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(symbol)}(?!\w)")


def undefined_symbols(formula: str, symbols: list[str]) -> list[str]:
    """The identifiers of ``formula`` left once every defined symbol (the longest first) is
    taken out, other than `PROSE`."""
    rest = formula
    for symbol in sorted(symbols, key=len, reverse=True):
        rest = _standalone(symbol).sub(" ", rest)
    return [w for w in IDENTIFIER.findall(rest) if w not in PROSE]


def test_the_check_finds_an_undefined_symbol():
    assert undefined_symbols("GDP × k × a", ["GDP", "a"]) == ["k"]
    assert undefined_symbols("GDP per head × s_x", ["GDP per head"]) == ["s_x"]
    assert undefined_symbols("GDP(t−1) × ε", ["GDP(t−1)", "ε"]) == []


def test_every_registered_method_has_a_where_list():
    assert all(method.terms for method in REGISTRY.values())


def test_the_generic_machinery_names_no_method():
    source = Path(impact.methods.terms.__file__).read_text(encoding="utf-8")
    named = [n for n in REGISTRY if re.search(rf"[\"']{n}[\"']", source)]  # e.g. "icrier2018"
    assert named == []


def test_a_method_without_a_where_list_is_refused():
    with pytest.raises(KeyError, match="nope"):
        formula_terms("nope")


@pytest.mark.parametrize("method", list(REGISTRY))
def test_every_symbol_of_the_formula_is_defined(method):
    formula = REGISTRY[method].formula
    terms = formula_terms(method)
    symbols = [t.symbol for t in terms]
    assert undefined_symbols(formula, symbols) == []
    for t in terms:  # and nothing is defined that the formula does not show
        assert _standalone(t.symbol).search(formula), t.symbol
        assert t.meaning, t.symbol
    assert len(set(symbols)) == len(symbols)


def test_meanings_and_units_come_from_the_inputs_and_the_parameter_data():
    impact = {t.symbol: t for t in formula_terms("impact")}
    assert impact["s_digital"].meaning == "Digital-economy share of GDP"
    assert impact["s_digital"].unit == "share 0-1 of GDP"  # the input's own unit
    assert impact["w_time"].unit == "ratio to an average hour"
    m = param("impact", "indirect_multiplier")
    assert impact["m"].unit == m.unit
    assert "central 0.5, range 0.1 to 1 (data/parameters.csv)" in impact["m"].detail
    assert impact["p_scope"].unit == "share 0-1"
    assert impact["v"].meaning == "Share of activity continuing via VPN"
    assert impact["8760"].unit == "hours"
    icrier = {t.symbol: t for t in formula_terms("icrier2018")}
    assert "total: central 0.31" in icrier["ε"].detail
    assert "mobile: central 0.16" in icrier["ε"].detail
    panel = {t.symbol: t for t in formula_terms("panel")}
    assert panel["β"].unit == "pp of annual GDP growth per national-equivalent day"
    cost = {t.symbol: t for t in formula_terms("cost_compatible")}
    assert cost["b1"].meaning == "Coefficient of log a in log(rate)"
    assert "data/cost_compatible_fit.csv" in cost["b1"].detail


def test_markdown_line_names_the_symbol_its_meaning_and_unit():
    line = {t.symbol: t for t in formula_terms("impact")}["m"].markdown()
    assert line.startswith("- `m` — Spillover to the wider economy [USD per USD of direct loss]; ")
