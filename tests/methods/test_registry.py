"""The registry: our own method named once, citations that point at the papers and at files of
the repository, and every formula documented the same way."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import impact.bundled.econometrics
from impact.methods import (
    OWN_METHOD,
    REGISTRY,
    brookings2016,
    cost_compatible,
    deloitte2016,
    icrier2018,
    impact_model,
    lead_method,
    panel,
)

ROOT = Path(__file__).resolve().parents[2]

#: the formula functions of every method module
FORMULAS = [icrier2018.icrier2018, brookings2016.brookings2016, deloitte2016.deloitte2016,
            deloitte2016.connectivity_tier, impact_model.impact2024,
            impact_model.impact_components, cost_compatible.cost_compatible,
            cost_compatible.throttling_share, cost_compatible.brookings_rate,
            panel.panel_loss_usd, panel.equivalent_days]


def test_own_method_is_registered_first_and_splits_its_loss():
    assert next(iter(REGISTRY)) == OWN_METHOD
    assert REGISTRY[OWN_METHOD].components is not None


def test_lead_method_prefers_ours_then_the_first_given():
    assert lead_method(["deloitte2016", OWN_METHOD]) == OWN_METHOD
    assert lead_method(("panel", "deloitte2016")) == "panel"
    assert lead_method(iter([])) is None


@pytest.mark.parametrize("name", list(REGISTRY))
def test_shown_text_cites_no_document_outside_the_repository(name):
    method = REGISTRY[name]
    for text in (method.citation, method.formula, method.scope_note, method.domain_note,
                 method.difference_note, method.circumvention_note):
        assert "methodology §" not in text and "methodology.md" not in text, text
    for doc in re.findall(r"docs/[\w./-]+\.md", method.citation):
        assert (ROOT / doc).is_file(), doc
    assert "http" not in method.citation  # printed in briefs; links live in docs/methods.md


@pytest.mark.parametrize("fn", FORMULAS, ids=lambda f: f.__name__)
def test_formula_docstrings_follow_numpydoc(fn):
    doc = inspect.getdoc(fn)
    for section in ("Parameters", "Returns", "Notes", "Examples"):
        assert f"\n{section}\n" in doc, (fn.__name__, section)
    params = [p for p in inspect.signature(fn).parameters]
    for p in params:  # every argument documented, with its unit in brackets
        entry = re.search(rf"^{p} : .*\n((?:    .*\n?)+)", doc, re.MULTILINE)
        assert entry, (fn.__name__, p)
        assert re.search(r"\[[^\]]+\]", entry.group(1)), (fn.__name__, p)


@pytest.mark.parametrize("fn", [f for f in FORMULAS if f is not deloitte2016.connectivity_tier],
                         ids=lambda f: f.__name__)
def test_formula_docstrings_give_the_equation_and_a_reference(fn):
    doc = inspect.getdoc(fn)
    assert ".. math::" in doc
    assert "\nReferences\n" in doc or fn in (panel.equivalent_days,)


def test_the_panel_formula_lives_in_the_panel_method():
    assert not hasattr(impact.bundled.econometrics, "panel_loss_usd")
    assert panel.panel_loss_usd.__module__ == "impact.methods.panel"
