"""What follows from a loss: per day, share of GDP, per capita and per affected user, in USD
and in the output currency (the summary's figure columns, `impact.vocab.SUMMARY_COLUMNS`)."""

from __future__ import annotations

import numpy as np


def figures(rows: np.ndarray, q: np.ndarray, central, mean, capped, gdp, pop, users, days,
             factor) -> dict[str, np.ndarray]:
    """Summary figures of scenarios ``rows`` from their P5/P50/P95 ``q`` (3, n) [USD], central
    value, mean and capped share; per-scenario arrays ``gdp`` ... ``factor`` over the pass."""
    q05, q50, q95 = q
    f, d, u, g, n = factor[rows], days[rows], users[rows], gdp[rows], pop[rows]
    return {
        "loss_usd_central": central, "loss_usd_p05": q05, "loss_usd_p50": q50,
        "loss_usd_p95": q95, "loss_usd_mean": mean,
        "loss_usd_per_day_p05": q05 / d, "loss_usd_per_day_p50": q50 / d,
        "loss_usd_per_day_p95": q95 / d, "share_of_gdp_p05": q05 / g,
        "share_of_gdp_p50": q50 / g, "share_of_gdp_p95": q95 / g,
        "loss_usd_per_capita_p50": q50 / n,
        "loss_usd_per_affected_user_p50": np.divide(q50, u, out=np.full(len(rows), np.nan),
                                                    where=u >= 1),  # at least one person
        "capped_share": capped, "loss_p05": q05 * f, "loss_p50": q50 * f,
        "loss_p95": q95 * f, "loss_per_day_p05": q05 / d * f, "loss_per_day_p50": q50 / d * f,
        "loss_per_day_p95": q95 / d * f, "loss_per_capita_p50": q50 / n * f,
    }
