"""The symbols of a method's formula in words, with their units: the "where" list shown
under the formula (the app's Methods & assumptions page).

Each method module lists the symbols of its ``Method.formula`` in ``Method.terms``, built
from the describers here; this module holds only that generic machinery. Most symbols are
inputs of the method: their words are `impact.vocab.parameter_label` and their unit
the input's own (`Method.inputs` of reference scenarios, the unit the Assumptions table and
the exports show), and a literature coefficient carries its central value and range from
``data/parameters.csv`` (or the bundled fit it comes from). Only constants and quantities that
are no single input (a component, days, the scope factor) are described in words.
`impact.methods.formula_terms` gives a registered method's list; ``tests/test_formula_terms.py`` checks that every symbol of every registered formula is
listed, so a formula that gains a symbol fails until it is defined.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from impact import format as fmt
from impact.model.parameters import ParamSpec, param
from impact.vocab import HOURS_PER_YEAR, parameter_label

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
