"""The "where" list of a registered method's formula: its symbols in words with their units,
from the method's `Method.terms` (`impact.methods.terms`) and its inputs in reference
scenarios (the app's Methods & assumptions page)."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from impact.bundled.io import data_version
from impact.methods import REGISTRY
from impact.methods.terms import Term
from impact.model.context import build_context
from impact.model.parameters import ParamSpec
from impact.model.scenario import parse_scenario

#: the reference scenarios whose inputs give each input's unit (one per scope; a unit does
#: not depend on the country or the duration)
REFERENCE_SCENARIOS = (
    {"country": "PAK", "duration_hours": 10, "scope": "full"},
    {"country": "PAK", "duration_hours": 10, "scope": "mobile"},
    {"country": "PAK", "duration_hours": 10, "scope": "platforms", "platforms": ["x"]},
    {"country": "PAK", "duration_hours": 10, "scope": "throttling", "intensity": 0.5},
)


@functools.lru_cache(maxsize=4)
def input_specs(version: str) -> Mapping[tuple[str, str], ParamSpec]:
    """``(method, input name) -> ParamSpec`` of every input of every method for the
    `REFERENCE_SCENARIOS` (data ``version``, the cache key: `impact.bundled.io.data_version`)."""
    out: dict[tuple[str, str], ParamSpec] = {}
    for fields in REFERENCE_SCENARIOS:
        ctx = build_context(parse_scenario(fields))
        for method in REGISTRY.values():
            if ctx.scope in method.scopes:
                for spec in method.inputs(ctx):
                    out.setdefault((method.name, spec.name), spec)
    return out


def formula_terms(method: str, specs: Mapping[tuple[str, str], ParamSpec] | None = None
                  ) -> tuple[Term, ...]:
    """The "where" list of ``method``'s formula (its ``Method.terms``): every symbol in words
    with its unit.

    ``specs`` are `input_specs` (default: those of the bundled data). Raises KeyError for a
    method not registered or without a list (the test of this module makes sure every
    registered one has one)."""
    terms = REGISTRY[method].terms
    if not terms:
        raise KeyError(f"{method} lists no symbols of its formula (Method.terms)")
    if specs is None:
        specs = input_specs(data_version())
    return tuple(Term(symbol, *describe(method, specs)) for symbol, describe in terms)
