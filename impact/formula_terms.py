"""The symbols of a method's formula in words, with their units: the "where" list shown
under the formula (the app's Methods & assumptions page).

Each method module lists the symbols of its ``Method.formula`` in ``Method.terms``, built
from the describers here; this module holds only that generic machinery. Most symbols are
inputs of the method: their words are `impact.chart_frames.parameter_label` and their unit
the input's own (`Method.inputs` of reference scenarios, the unit the Assumptions table and
the exports show), and a literature coefficient carries its central value and range from
``data/parameters.csv`` (or the bundled fit it comes from). Only constants and quantities that
are no single input (a component, days, the scope factor) are described in words.
``tests/test_formula_terms.py`` checks that every symbol of every registered formula is
listed, so a formula that gains a symbol fails until it is defined.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from impact import format as fmt
from impact.parameters import ParamSpec, param
from impact.vocab import HOURS_PER_YEAR

#: the reference scenarios whose inputs give each input's unit (one per scope; a unit does
#: not depend on the country or the duration)
REFERENCE_SCENARIOS = (
    {"country": "PAK", "duration_hours": 10, "scope": "full"},
    {"country": "PAK", "duration_hours": 10, "scope": "mobile"},
    {"country": "PAK", "duration_hours": 10, "scope": "platforms", "platforms": ["x"]},
    {"country": "PAK", "duration_hours": 10, "scope": "throttling", "intensity": 0.5},
)
PARAMETERS_FILE = "data/parameters.csv"


@dataclass(frozen=True)
class Term:
    """One symbol of a formula: as written there, what it is, its unit ("" for a pure number
    or a function) and, optionally, more about it (values, where it comes from)."""

    symbol: str
    meaning: str
    unit: str = ""
    detail: str = ""

    def markdown(self) -> str:
        """The line of the "where" list (Markdown).

        >>> Term("m", "Spillover to the wider economy", "USD per USD", "central 0.5").markdown()
        '- `m` — Spillover to the wider economy [USD per USD]; central 0.5'
        """
        unit = f" [{self.unit}]" if self.unit else ""
        return f"- `{self.symbol}` — {self.meaning}{unit}" + (
            f"; {self.detail}" if self.detail else "")


@functools.lru_cache(maxsize=4)
def input_specs(version: str) -> Mapping[tuple[str, str], ParamSpec]:
    """``(method, input name) -> ParamSpec`` of every input of every method for the
    `REFERENCE_SCENARIOS` (data ``version``, the cache key: `impact.io.data_version`)."""
    from impact.context import build_context
    from impact.methods import REGISTRY
    from impact.scenario import parse_scenario

    out: dict[tuple[str, str], ParamSpec] = {}
    for fields in REFERENCE_SCENARIOS:
        ctx = build_context(parse_scenario(fields))
        for method in REGISTRY.values():
            if ctx.scope in method.scopes:
                for spec in method.inputs(ctx):
                    out.setdefault((method.name, spec.name), spec)
    return out


def parameter_label(name: str) -> str:
    """A method input in words (`impact.chart_frames.parameter_label`, imported when a list
    is built: the method modules import this module)."""
    from impact.chart_frames import parameter_label as label

    return label(name)


# ---- how a symbol is described: (method, input specs) -> (meaning, unit, detail) ------------
Describe = Callable[[str, Mapping[tuple[str, str], ParamSpec]], tuple[str, str, str]]


def _unit(specs, method: str, name: str) -> str:
    spec = specs.get((method, name))
    if spec is None:
        raise KeyError(f"{method} has no input {name!r} in the reference scenarios")
    return spec.unit


def value_text(x: float, unit: str) -> str:
    """``x`` in words: a percentage for a share, else a number.

    >>> value_text(0.25, "share 0-1"), value_text(0.5, "intensity 0-1")
    ('25 %', '0.5')
    """
    return fmt.percent(x) if unit.startswith("share") else fmt.number(x)


def _central(spec: ParamSpec, what: str = "range") -> str:
    """``central 0.5, range 0.1 to 1`` (shares as percentages), or ``0.1, fixed``."""
    if spec.low == spec.high:
        return f"{value_text(spec.value, spec.unit)}, fixed"
    return (f"central {value_text(spec.value, spec.unit)}, {what} {value_text(spec.low, spec.unit)} "
            f"to {value_text(spec.high, spec.unit)}")


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def data_input(name: str, note: str = "") -> Describe:
    """The method's input ``name``: its label and unit, and ``note`` about it."""
    def describe(method, specs):
        return parameter_label(name), _unit(specs, method, name), note
    return describe


def coefficient(name: str, *table_names: str, note: str = "") -> Describe:
    """A literature coefficient: the input ``name``, with the central value and range of
    each of ``table_names`` in `PARAMETERS_FILE` (default: ``name`` itself)."""
    def describe(method, specs):
        rows = [(t, param(method, t)) for t in (table_names or (name,))]
        values = "; ".join((f"{t.rsplit('_', 1)[-1]}: " if len(rows) > 1 else "") + _central(p)
                           for t, p in rows)
        return (parameter_label(name), _unit(specs, method, name),
                _join(f"{values} ({PARAMETERS_FILE})", note))
    return describe


def fitted(*names: str, note: str) -> Describe:
    """Coefficients fitted on the bundled data (e.g. a regression's slopes): each input's label
    with its central value and 90 % range, then ``note``."""
    def describe(method, specs):
        parts = [f"{parameter_label(n).lower()}: {_central(specs[(method, n)], '90 % range')}"
                 for n in names]
        return "Fitted coefficient", _unit(specs, method, names[0]), _join(*parts, note)
    return describe


def table_value(name: str, note: str = "") -> Describe:
    """A fixed value of `PARAMETERS_FILE` written into the formula: its note, value and unit."""
    def describe(method, specs):
        p = param(method, name)
        return (p.notes.rstrip("."), p.unit,
                _join(f"{value_text(p.value, p.unit)} ({PARAMETERS_FILE})", note))
    return describe


def words(meaning: str, unit: str = "", detail: str = "") -> Describe:
    """A constant or a derived quantity, described in words."""
    return lambda method, specs: (meaning, unit, detail)


def scope_factor(*, platforms: bool = True) -> Describe:
    """The share of activity a scope cuts (`impact.methods.base.scope_factor`), from the labels
    of the inputs that give it."""
    def describe(method, specs):
        parts = ["1 for a full shutdown or throttling",
                 f"the {parameter_label('mobile_share').lower()} for a mobile-only cut"]
        if platforms:
            parts.append("L × (1 − Π(1 − u)) over the blocked platforms' usage u (share of "
                         "the country's social-media activity on each platform, "
                         "data/platform_weights.csv), L the fitted level of platform "
                         "dependence (data/platform_level_fit.csv), at most 1, for a "
                         "platform block")
        return "Share of activity the scope cuts", "share 0-1", "; ".join(parts)
    return describe


def first_sentence(text: str) -> str:
    """The first clause of ``text``, lower-cased at its start, without its full stop.

    >>> first_sentence("Throttling at or above this counts. Below it, less.")
    'throttling at or above this counts'
    """
    head = text.split("; ")[0].split(". ")[0].rstrip(".")
    return head[0].lower() + head[1:] if head else head


#: describers shared by several formulas
GDP = data_input("gdp_usd")
HOURS = data_input("duration_hours")
AFFECTED_SHARE = data_input("affected_share")
INTENSITY = data_input("intensity")
YEAR_HOURS = words(f"Hours in a year of {fmt.number(HOURS_PER_YEAR / 24)} days", "hours")
YEAR_DAYS = words("Days in a year", "days")
DAYS = words("Duration in days: hours / 24", "days")


def formula_terms(method: str, specs: Mapping[tuple[str, str], ParamSpec] | None = None
                  ) -> tuple[Term, ...]:
    """The "where" list of ``method``'s formula (its ``Method.terms``): every symbol in words
    with its unit.

    ``specs`` are `input_specs` (default: those of the bundled data). Raises KeyError for a
    method not registered or without a list (the test of this module makes sure every
    registered one has one)."""
    from impact.methods import REGISTRY

    terms = REGISTRY[method].terms
    if not terms:
        raise KeyError(f"{method} lists no symbols of its formula (Method.terms)")
    if specs is None:
        from impact.io import data_version

        specs = input_specs(data_version())
    return tuple(Term(symbol, *describe(method, specs)) for symbol, describe in terms)
