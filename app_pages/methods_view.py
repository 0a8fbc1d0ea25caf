"""What the Methods & assumptions page says of each method before its formula: what it
costs, when it applies and its source, in plain words; and the literature parameters
with their labels (`impact.vocab.parameter_label`) and units in words.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from impact import format as fmt
from impact.methods import REGISTRY
from impact.vocab import SCOPE_LABELS, parameter_label

#: units of data/parameters.csv in words
UNIT_WORDS = {
    "flag": "yes (1) or no (0)",
    "share 0-1": "share, 0 to 1",
    "intensity 0-1": "share of service lost, 0 to 1",
    "elasticity": "% change of output per % change of traffic",
    "days": "days",
    "per year": "growth per year, as a share",
    "% of population": "% of the population",
    "subscriptions per 100": "subscriptions per 100 people",
    "share of daily GDP per day": "share of a day's GDP, per day",
    "USD per USD of direct loss": "USD per USD of direct loss",
}


def unit_words(unit: str) -> str:
    """A unit of data/parameters.csv in words (`UNIT_WORDS`; others as written).

    >>> unit_words("flag"), unit_words("share 0-1")
    ('yes (1) or no (0)', 'share, 0 to 1')
    """
    return UNIT_WORDS.get(unit, unit)


def scopes_text(scopes: frozenset[str]) -> str:
    """What a method costs, and what it does not, in words.

    >>> scopes_text(frozenset({"full", "mobile"}))
    'full shutdown (every network), mobile-data shutdown; not: platform block, throttling'
    """
    yes = [SCOPE_LABELS[s] for s in SCOPE_LABELS if s in scopes]
    no = [SCOPE_LABELS[s] for s in SCOPE_LABELS if s not in scopes]
    return ", ".join(yes) + (f"; not: {', '.join(no)}" if no else "")


def overview(method: Any) -> str:
    """A method's plain-words overview (Markdown, from the method's own notes): what it
    costs, when it applies, its source, and what sets its figure apart where it says."""
    applies = method.domain_note or "any country with the data it needs"
    lines = [f"- **Costs:** {scopes_text(method.scopes)}",
             f"- **Applies:** {applies}",
             f"- **Source:** {method.citation}"]
    if method.difference_note:
        lines.append(f"- **What sets it apart:** {method.difference_note}")
    return "\n".join(lines)


#: the parameters table's columns, in words
PARAMETER_COLUMNS = ("Method", "Parameter", "Central value", "Low", "High", "Unit", "Drawn as",
                     "Source")


def _value(v: float | None) -> str:
    return fmt.number(v) if v is not None else fmt.MISSING


def parameters_table(parameters: pl.DataFrame) -> pl.DataFrame:
    """data/parameters.csv for people (strings): the method's title, the parameter's label,
    its values, its unit in words, how it is drawn and its source; no internal names."""
    rows = [(REGISTRY[r["method"]].title if r["method"] in REGISTRY else r["method"],
             parameter_label(r["parameter"]), _value(r["value"]), _value(r["low"]),
             _value(r["high"]), unit_words(r["unit"]), r["distribution"], r["source"])
            for r in parameters.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=dict.fromkeys(PARAMETER_COLUMNS, pl.String), orient="row")
