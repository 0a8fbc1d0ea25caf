"""Fitted models as data: names and readers of the long fit tables in ``data/``.

Every statsmodels fit runs at build time (`impact.build`) and is committed as a small long
table ``kind, term, term2, value`` (``data/cost_compatible_fit.csv``; the panel models add a
``model`` column, ``data/econometrics_fit.csv``). The build writes them with the names
below and the run time reads them back with the helpers, in numpy only.

Kinds: ``coef`` (term, value), ``se`` and ``pvalue`` (term, value), ``cov`` (term, term2,
value), ``stat`` (term = statistic name, value), ``level`` (term = categorical variable,
term2 = level, value = its position, 0 the reference), ``calibration`` (term = decile,
term2 = column, value), ``spec`` (term = name, term2 = text, no value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from impact.vocab import Z95

#: regressors of the `cost_compatible` rate model, in the order of ``cost_compatible_fit.csv``
COST_COMPATIBLE_TERMS = ("const", "log_affected_share", "service_share", "log_gdp_pc",
                         "service_log_platform_weight")
#: the typical social-media block the platform term is centred on (and assumed when a
#: service-based event names no platform): Facebook, Instagram, WhatsApp and X
COST_COMPATIBLE_REFERENCE_PLATFORMS = ("facebook", "instagram", "whatsapp", "x")
#: the platform term is used only when its coefficient is positive with t at least this
#: (one-sided 5 %); otherwise platform blocks fall back to COST's Brookings branch
COST_COMPATIBLE_MIN_T = Z95
FIT_COLUMNS = ("kind", "term", "term2", "value")


def combined_weight(platforms: Sequence[str], weights: Mapping[str, float]) -> float:
    """1 − Π(1 − w_i) over ``platforms``: share of digital activity that depends on any of
    them [0-1] (0 for no platform).

    Examples
    --------
    >>> round(combined_weight(["x", "facebook"], {"x": 0.5, "facebook": 0.5}), 2)
    0.75
    """
    keep = 1.0
    for p in platforms:
        keep *= 1.0 - weights[p]
    return 1.0 - keep


def log_platform_weight(platforms: Sequence[str], weights: Mapping[str, float]) -> float:
    """log(W(platforms) ÷ W(reference bundle)) of the `cost_compatible` platform term; 0 when
    no platform is named (the block is taken as the reference social-media bundle)."""
    if not platforms:
        return 0.0
    return float(np.log(combined_weight(platforms, weights)
                        / combined_weight(COST_COMPATIBLE_REFERENCE_PLATFORMS, weights)))
#: significant digits of every float in a fit table (byte-identical rebuilds)
FIT_SIG_FIGS = 10


def terms(table: pl.DataFrame, kind: str = "coef") -> tuple[str, ...]:
    """Terms of ``kind`` rows in table order.

    Examples
    --------
    >>> t = pl.DataFrame({"kind": ["coef", "coef", "stat"], "term": ["a", "b", "n"],
    ...                   "term2": ["", "", ""], "value": [1.0, 2.0, 3.0]})
    >>> terms(t)
    ('a', 'b')
    """
    return tuple(table.filter(pl.col("kind") == kind)["term"].to_list())


def vector(table: pl.DataFrame, kind: str, names: Sequence[str]) -> np.ndarray:
    """Values of ``kind`` rows for ``names``, in that order (KeyError if one is missing)."""
    got = dict(table.filter(pl.col("kind") == kind).select("term", "value").iter_rows())
    return np.array([got[n] for n in names], dtype=float)


def matrix(table: pl.DataFrame, names: Sequence[str], kind: str = "cov") -> np.ndarray:
    """The ``names`` × ``names`` matrix of ``kind`` rows (term, term2)."""
    got = {(a, b): v for a, b, v in table.filter(pl.col("kind") == kind)
           .select("term", "term2", "value").iter_rows()}
    return np.array([[got[(a, b)] for b in names] for a in names], dtype=float)


def stats(table: pl.DataFrame) -> dict[str, float]:
    """``stat`` rows as a dict name -> value."""
    return dict(table.filter(pl.col("kind") == "stat").select("term", "value").iter_rows())
