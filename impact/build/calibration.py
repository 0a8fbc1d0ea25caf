"""Calibration of the `cost_compatible` method on Top10VPN's published country-year totals
(2019–2022, ``../shared/validation/``) — the only published figures we fit to.

Model (statsmodels OLS on country-years):

    log(rate) = b0 + b1 · log(affected share) + b2 · service share + b3 · log(GDP per head)

where ``rate`` = cost ÷ (GDP/8760 × hours), the implied share of hourly national GDP lost,
``affected share`` = min(1, users affected ÷ internet users) and ``service share`` is the share
of the country-year's Access Now events that were service-based (platform blocks). b1 < 1
reflects that Top10VPN scales regional events by regional GDP rather than by users.
Only the fitted coefficients (derived numbers) are shipped, never Top10VPN's figures.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from impact.fits import COST_COMPATIBLE_TERMS as TERMS
from impact.fits import FIT_COLUMNS, FIT_SIG_FIGS


def service_share_by_country_year(accessnow: pl.DataFrame) -> pl.DataFrame:
    """Share (0-1) of each country-year's Access Now events that were service-based only."""
    return (
        accessnow.filter(pl.col("iso3_helper").is_not_null())
        .with_columns(pl.col("iso3_helper").str.split(";").alias("iso3"))
        .explode("iso3")
        .with_columns(pl.col("iso3").str.strip_chars(),
                      (pl.col("shutdown_extent") == "Service-based").cast(pl.Float64)
                      .alias("is_service"))
        .group_by("iso3", pl.col("count_year").alias("year"))
        .agg(pl.col("is_service").mean().alias("service_share"), pl.len().alias("n_events"))
    )


def calibration_frame(validation: pl.DataFrame, indicators: pl.DataFrame,
                      service: pl.DataFrame) -> pl.DataFrame:
    """Join Top10VPN rows with GDP, GDP per head, population and internet use of their year."""
    wide = (indicators.filter(pl.col("indicator").is_in(
        ["gdp_usd", "gdp_per_capita_usd", "population", "internet_users_pct",
         "internet_users_pct_2024vintage"]))
        .pivot(on="indicator", index=["iso3", "year"], values="value"))
    wide = wide.with_columns(pl.coalesce("internet_users_pct", "internet_users_pct_2024vintage")
                             .alias("internet_pct"))
    frame = (validation.filter(pl.col("iso3").is_not_null() & (pl.col("cost_usd") > 0)
                               & (pl.col("duration_hours") > 0))
             .join(wide, on=["iso3", "year"], how="left", validate="m:1")
             .join(service, on=["iso3", "year"], how="left", validate="m:1")
             .with_columns(pl.col("service_share").fill_null(0.0)))
    frame = frame.filter(pl.col("gdp_usd").is_not_null() & pl.col("internet_pct").is_not_null()
                         & pl.col("gdp_per_capita_usd").is_not_null())
    users = pl.col("population") * pl.col("internet_pct") / 100
    affected = pl.when(pl.col("users_affected").is_null()).then(1.0).otherwise(
        pl.min_horizontal(pl.col("users_affected") / users, pl.lit(1.0)))
    return frame.with_columns(affected.alias("affected_share")).with_columns(
        (pl.col("cost_usd") / (pl.col("gdp_usd") / 8760 * pl.col("duration_hours")))
        .alias("implied_rate"),
        pl.col("affected_share").log().alias("log_affected_share"),
        pl.col("gdp_per_capita_usd").log().alias("log_gdp_pc"),
    ).sort("year", "iso3")


def _design(frame: pl.DataFrame) -> np.ndarray:
    return np.column_stack([np.ones(frame.height)] + [frame[t].to_numpy() for t in TERMS[1:]])


def fit(frame: pl.DataFrame):
    """OLS fit of log implied rate; returns the statsmodels results."""
    import statsmodels.api as sm

    y = np.log(frame["implied_rate"].to_numpy())
    return sm.OLS(y, _design(frame)).fit()


def fit_table(frame: pl.DataFrame) -> pl.DataFrame:
    """Coefficients, covariance and fit statistics as a long table (kind, term, term2, value)
    including in-sample and leave-one-out check figures."""
    res = fit(frame)
    rows = [("coef", t, "", float(b)) for t, b in zip(TERMS, res.params, strict=True)]
    cov = np.asarray(res.cov_params())
    rows += [("cov", a, b, float(cov[i, j])) for i, a in enumerate(TERMS)
             for j, b in enumerate(TERMS)]
    ratio_in = np.exp(res.fittedvalues - np.log(frame["implied_rate"].to_numpy()))
    loo = loo_ratios(frame)
    rows += [
        ("stat", "n", "", float(res.nobs)), ("stat", "df_resid", "", float(res.df_resid)),
        ("stat", "resid_var", "", float(res.scale)), ("stat", "r2", "", float(res.rsquared)),
        ("stat", "median_ratio_in_sample", "", float(np.median(ratio_in))),
        ("stat", "within_2x_in_sample", "", float(np.mean((ratio_in >= .5) & (ratio_in <= 2)))),
        ("stat", "median_ratio_loo", "", float(np.median(loo))),
        ("stat", "within_2x_loo", "", float(np.mean((loo >= .5) & (loo <= 2)))),
    ]
    return pl.DataFrame(rows, schema=list(FIT_COLUMNS), orient="row").with_columns(
        pl.col("value").round_sig_figs(FIT_SIG_FIGS))


def loo_ratios(frame: pl.DataFrame) -> np.ndarray:
    """Leave-one-out predicted ÷ published cost for each row (an honest out-of-sample check)."""
    import statsmodels.api as sm

    x = _design(frame)
    y = np.log(frame["implied_rate"].to_numpy())
    out = np.empty(len(y))
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        res = sm.OLS(y[keep], x[keep]).fit()
        out[i] = np.exp(x[i] @ res.params - y[i])
    return out
