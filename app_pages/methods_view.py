"""What the Methods & assumptions page says of each method before its formula: what it does,
what it costs, when it applies and its source, in plain words; and the literature parameters
with their labels (`impact.vocab.parameter_label`) and units in words.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from impact import format as fmt
from impact.methods import REGISTRY
from impact.vocab import SCOPE_LABELS, parameter_label

#: what each method does, in one or two plain sentences (the formula follows on the page)
IN_BRIEF = {
    "impact": "Our own model: the digital part of the economy lost while the service is "
              "cut, plus a spillover to the rest of the economy, less what is made up later "
              "and what continues through VPNs.",
    "cost_compatible": "Reproduces the NetBlocks COST and Top10VPN figures: an hourly share "
                       "of national GDP lost, fitted on Top10VPN's published country totals.",
    "brookings2016": "Darrell West's method: the internet economy's share of GDP, for the "
                     "days of the shutdown.",
    "deloitte2016": "A fixed share of a day's GDP lost per day, by how connected the country "
                    "is (high, medium or low).",
    "icrier2018": "An elasticity of output to internet traffic, estimated on India's telecom "
                  "circles, applied to last year's GDP.",
    "panel": "Our fit across countries and years: how much a shutdown day moved GDP growth in "
             "past events.",
}

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
    """A method's plain-words overview (Markdown): what it does, what it costs, when it
    applies and its source."""
    applies = method.domain_note or "any country with the data it needs"
    lines = [IN_BRIEF.get(method.name, ""),
             f"- **Costs:** {scopes_text(method.scopes)}",
             f"- **Applies:** {applies}",
             f"- **Source:** {method.citation}"]
    return "\n".join(line for line in lines if line)


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
