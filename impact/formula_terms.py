"""The symbols of each method's formula in words, with their units: the "where" list shown
under the formula (the app's Methods & assumptions page).

The formulas are each method's ``Method.formula``; this module says what each symbol in them
is. Most symbols are inputs of the method: their words are `impact.report.chart_frames.
parameter_label` and their unit the input's own (`Method.inputs` of reference scenarios, the
unit the Assumptions table and the exports show), and a literature coefficient carries its
central value and range from ``data/parameters.csv`` (or the bundled fit it comes from). Only
constants and quantities that are no single input (``direct``, ``days``, the scope factor)
are described here in words. ``tests/test_formula_terms.py`` checks that every symbol of every
registered formula is listed, so a formula that gains a symbol fails until it is defined.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from impact import format as fmt
from impact.methods import REGISTRY
from impact.model.parameters import ParamSpec, param
from impact.report.chart_frames import parameter_label
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
    `REFERENCE_SCENARIOS` (data ``version``, the cache key: `impact.bundled.io.data_version`)."""
    from impact.model.context import build_context
    from impact.model.scenario import parse_scenario

    out: dict[tuple[str, str], ParamSpec] = {}
    for fields in REFERENCE_SCENARIOS:
        ctx = build_context(parse_scenario(fields))
        for method in REGISTRY.values():
            if ctx.scope in method.scopes:
                for spec in method.inputs(ctx):
                    out.setdefault((method.name, spec.name), spec)
    return out


# ---- how a symbol is described: (method, input specs) -> (meaning, unit, detail) ------------
Describe = Callable[[str, Mapping[tuple[str, str], ParamSpec]], tuple[str, str, str]]


def _unit(specs, method: str, name: str) -> str:
    spec = specs.get((method, name))
    if spec is None:
        raise KeyError(f"{method} has no input {name!r} in the reference scenarios")
    return spec.unit


def _value(x: float, unit: str) -> str:
    return fmt.percent(x) if unit.startswith("share") else fmt.number(x)


def _central(spec: ParamSpec, what: str = "range") -> str:
    """``central 0.5, range 0.1 to 1`` (shares as percentages), or ``0.1, fixed``."""
    if spec.low == spec.high:
        return f"{_value(spec.value, spec.unit)}, fixed"
    return (f"central {_value(spec.value, spec.unit)}, {what} {_value(spec.low, spec.unit)} "
            f"to {_value(spec.high, spec.unit)}")


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
    """Coefficients fitted on the bundled data (e.g. the panel's β): each input's label
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
                _join(f"{_value(p.value, p.unit)} ({PARAMETERS_FILE})", note))
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


def cost_scope_factor(method, specs) -> tuple[str, str, str]:
    """The COST-compatible scope factor: the intensity times the share the scope cuts, with
    Top10VPN's throttling convention (the threshold's note in `PARAMETERS_FILE`)."""
    threshold = param(method, "severe_throttling_threshold")
    platforms = ("W in the Brookings branch below and 1 in the fitted rate (which depends on "
                 "W) for a platform block")
    throttling = (f"for throttling, {_first_sentence(threshold.notes)} (threshold "
                  f"{_value(threshold.value, threshold.unit)}, {PARAMETERS_FILE})")
    parts = ["1 for a full shutdown",
             f"the {parameter_label('mobile_share').lower()} for a mobile-only cut",
             platforms, throttling]
    return (f"{parameter_label('intensity')} × the share of activity the scope cuts",
            "share 0-1", "; ".join(parts))

def _first_sentence(text: str) -> str:
    head = text.split("; ")[0].split(". ")[0].rstrip(".")
    return head[0].lower() + head[1:] if head else head


#: what each coefficient of the COST-compatible fit multiplies (`impact.bundled.fits` terms, in order)
COST_FIT_TERMS = ("the intercept", "log a", "s", "log GDP per head", "s·log(W/W_ref)")


def cost_fit_coefficient(i: int) -> Describe:
    """Coefficient ``b{i}`` of the COST-compatible rate, with its value from the bundled fit."""
    def describe(method, specs):
        from impact.methods.cost_compatible import fit_coefficients

        b, _, _, stats = fit_coefficients()
        what = "Intercept" if i == 0 else f"Coefficient of {COST_FIT_TERMS[i]}"
        fit = (f"fitted {fmt.number(b[i])} on Top10VPN's country-year totals "
               f"(n = {fmt.count(stats['n'])}, data/cost_compatible_fit.csv)")
        return f"{what} in log(rate)", "", fit
    return describe


_GDP = data_input("gdp_usd")
_HOURS = data_input("duration_hours")
_A = data_input("affected_share")
_INTENSITY = data_input("intensity")
_YEAR_HOURS = words(f"Hours in a year of {fmt.number(HOURS_PER_YEAR / 24)} days", "hours")
_DAYS = words("Duration in days: hours / 24", "days")

#: per method, the symbols of its formula in the order they appear, and how each is described
TERMS: dict[str, tuple[tuple[str, Describe], ...]] = {
    "impact": (
        ("direct", words("Direct loss: the digital activity lost while the service is cut",
                         "USD")),
        ("indirect", words("Indirect loss: the spillover to the rest of the economy", "USD")),
        ("r", coefficient("recovery_share")),
        ("GDP", _GDP), ("8760", _YEAR_HOURS), ("hours", _HOURS),
        ("w_time", data_input("time_weight", "1 without a start time; else the usual "
                                             "activity of those hours of the week")),
        ("s_digital", data_input("digital_share", "published where known, else imputed "
                                                  "with its 90 % range")),
        ("a", _A), ("p_scope", scope_factor()), ("intensity", _INTENSITY),
        ("v", data_input("circumvention", "by scope, from data/parameters.csv unless the "
                                          "scenario sets it")),
        ("m", coefficient("indirect_multiplier")),
    ),
    "cost_compatible": (
        ("GDP", _GDP), ("8760", _YEAR_HOURS),
        ("hours", _HOURS),
        ("365 days", table_value("platform_block_max_days", "Top10VPN's convention")),
        ("rate", data_input("rate", "the fitted rate below, with the fit's 90 % prediction "
                                    "interval")),
        ("scope factor", cost_scope_factor),
        ("exp", words("Exponential function (exp(x) = e^x)")),
        ("log", words("Natural logarithm")),
        *((f"b{i}", cost_fit_coefficient(i)) for i in range(len(COST_FIT_TERMS))),
        ("a", _A),
        ("s", words("1 for a platform block, 0 otherwise")),
        ("GDP per head", data_input("gdp_per_capita_usd")),
        ("W", words("Combined weight L × (1 − Π(1 − u)) of the blocked platforms (u: share "
                    "of the country's social-media activity on each platform, "
                    "data/platform_weights.csv; L: fitted level, data/platform_level_fit.csv)",
                    "share 0-1")),
        ("W_ref", words("W of the typical social-media block the fit is centred on: Facebook, "
                        "Instagram, WhatsApp and X", "share 0-1")),
        ("Top10VPN", words("The Cost of Internet Shutdowns reports (2019–2022), whose "
                           "country-year totals the rate is fitted on")),
        ("s_internet", data_input("internet_share", "BCG's 2016 internet-economy share for the "
                                                    "G20 countries, else our digital share")),
        ("1.1", coefficient("brookings_escalator", note="1.1 is 1 + this growth")),
        ("year", words("Year of the event", "year")),
        ("2016", words("Base year of the BCG shares")),
        ("G20", words("The escalator applies only to the G20 countries' BCG shares")),
    ),
    "brookings2016": (
        ("GDP", _GDP),
        ("s_internet", data_input("internet_share", "BCG's 2016 projection for the G20 "
                                                    "countries West used, else imputed")),
        ("days", _DAYS), ("365", words("Days in a year", "days")),
        ("affected share", _A), ("service factor", scope_factor()),
    ),
    "deloitte2016": (
        ("GDP", _GDP), ("365", words("Days in a year", "days")), ("days", _DAYS),
        ("tier share of daily GDP", coefficient(
            "loss_share_per_day", "loss_share_high", "loss_share_medium", "loss_share_low",
            note="the tier from internet use and fixed broadband (cut-offs in the same file)")),
        ("affected share", _A), ("service factor", scope_factor(platforms=False)),
    ),
    "icrier2018": (
        ("GDP(t−1)", data_input("gdp_prev_usd", "t is the year of the shutdown")),
        ("affected population share",
         data_input("affected_share", "the scenario's affected share")), ("hours", _HOURS), ("8760", _YEAR_HOURS),
        ("ε", coefficient("elasticity", "elasticity_total", "elasticity_mobile",
                          note="total for a full shutdown, mobile for a mobile-only cut")),
    ),
    "panel": (
        ("β", fitted("beta_full", "beta_service",
                     note="two-way fixed-effects fit of GDP growth on shutdown days "
                          "(docs/econometrics.md)")),
        ("100", words("Turns percentage points into a share")), ("GDP", _GDP), ("hours", _HOURS),
        ("24", words("Hours in a day", "hours")), ("affected share", _A),
        ("intensity", _INTENSITY),
        ("mobile share", data_input("mobile_share", "only for a mobile-only cut")),
    ),
}


def formula_terms(method: str, specs: Mapping[tuple[str, str], ParamSpec] | None = None
                  ) -> tuple[Term, ...]:
    """The "where" list of ``method``'s formula: every symbol in words with its unit.

    ``specs`` are `input_specs` (default: those of the bundled data). Raises KeyError for a
    method without a list (the test of this module makes sure every registered one has
    one)."""
    if specs is None:
        from impact.bundled.io import data_version

        specs = input_specs(data_version())
    return tuple(Term(symbol, *describe(method, specs)) for symbol, describe in TERMS[method])
