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

from collections.abc import Sequence

import numpy as np
import polars as pl

#: regressors of the `cost_compatible` rate model, in the order of ``cost_compatible_fit.csv``
COST_COMPATIBLE_TERMS = ("const", "log_affected_share", "service_share", "log_gdp_pc")
FIT_COLUMNS = ("kind", "term", "term2", "value")
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
