"""The Estimate page's tables of inputs in words: every input of every method, the loss with
each input at its P5 and P95, and the parts of each method's loss, money in the output
currency.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from impact import format as fmt
from impact.methods import REGISTRY
from impact.vocab import parameter_label

#: the parts of a method's loss in words (the Components table)
COMPONENT_LABELS = {"direct": "Direct loss", "indirect": "Indirect (spillover)",
                    "recovered": "Recovered later"}


def title_of(method: str) -> str:
    return REGISTRY[method].title if method in REGISTRY else method


def input_value(value: float | None, unit: str, currency: str, factor: float
                ) -> tuple[str, str]:
    """(value, unit) of a method input for a reader: money in the output currency (``USD
    per year`` -> ``PKR 113tn``, ``per year``), shares as percentages, other numbers through
    the one formatter.

    >>> input_value(4.07e11, "USD per year", "USD", 1.0)
    ('USD 407 bn', 'per year')
    >>> input_value(0.036751, "share 0-1 of GDP", "USD", 1.0)
    ('3.68 %', 'of GDP')
    >>> input_value(0.5, "USD per USD of direct loss", "PKR", 280.0)
    ('0.5', 'per unit of direct loss')
    """
    if unit.startswith("USD per USD"):  # a ratio, whatever the currency
        unit = "per unit" + unit.removeprefix("USD per USD")
    if value is None:
        return "—", unit
    if unit.startswith("USD per ") and not unit.startswith("USD per USD"):
        return fmt.money(value * factor, currency), unit.removeprefix("USD ")
    if unit.startswith("share 0-1"):
        return fmt.percent(value), unit.removeprefix("share 0-1").strip()
    return fmt.number(value), unit


def assumptions_table(assumptions: pl.DataFrame, currency: str, factor: float) -> pl.DataFrame:
    """Every input of every method in words: method, input, value, range (its P5–P95 where
    it is uncertain), unit, source, notes — money in the output currency."""
    rows = []
    for r in assumptions.iter_rows(named=True):
        value, unit = input_value(r["value"], r["unit"] or "", currency, factor)
        uncertain = r["low"] is not None and r["high"] is not None and r["low"] != r["high"]
        span = (f"{input_value(r['low'], r['unit'] or '', currency, factor)[0]} to "
                f"{input_value(r['high'], r['unit'] or '', currency, factor)[0]}"
                if uncertain else "—")
        rows.append({"Method": title_of(r["method"]), "Input": parameter_label(r["parameter"]),
                     "Value": value, "Range (P5 to P95)": span, "Unit": unit,
                     "Source": r["source"] or "", "Notes": r["notes"] or ""})
    return pl.DataFrame(rows, schema={c: pl.String for c in (
        "Method", "Input", "Value", "Range (P5 to P95)", "Unit", "Source", "Notes")})


def sensitivity_table(sensitivity: pl.DataFrame, currency: str, factor: float
                      ) -> pl.DataFrame:
    """The loss with each input at its P5 and at its P95 (everything else central) and the
    swing between them, in the output currency, largest swing first per method."""
    cols = ("Method", "Input", f"Loss with the input at P5 [{currency}]",
            f"Loss with the input at P95 [{currency}]", f"Swing [{currency}]")
    rows = [dict(zip(cols, (title_of(r["method"]), parameter_label(r["parameter"]),
                            fmt.money(r["loss_usd_at_p05"] * factor, currency),
                            fmt.money(r["loss_usd_at_p95"] * factor, currency),
                            fmt.money(r["swing_usd"] * factor, currency)), strict=True))
            for r in sensitivity.sort(["method", "rank"]).iter_rows(named=True)]
    return pl.DataFrame(rows, schema={c: pl.String for c in cols})


def components_table(components: Mapping[str, Mapping[str, float]], currency: str,
                     factor: float) -> pl.DataFrame:
    """The parts of each method's central loss in words, in the output currency."""
    cols = ("Method", "Part", f"Amount [{currency}]")
    rows = [dict(zip(cols, (title_of(m), COMPONENT_LABELS.get(k, parameter_label(k)),
                            fmt.money(v * factor, currency)), strict=True))
            for m, parts in components.items() for k, v in parts.items()]
    return pl.DataFrame(rows, schema={c: pl.String for c in cols})
