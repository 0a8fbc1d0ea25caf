"""Calibration of the `cost_compatible` method on Top10VPN's published country-year totals
(2019–2022, ``../shared/validation/``) — the only published figures we fit to.

Model (statsmodels OLS on country-years):

    log(rate) = b0 + b1 · log(affected share) + b2 · s + b3 · log(GDP per head)
                + b4 · s · log(W / W_ref)

where ``rate`` = cost ÷ (GDP/8760 × hours), the implied share of hourly national GDP lost,
``affected share`` = min(1, users affected ÷ internet users), ``s`` is the share of the
country-year's Access Now events that were service-based (platform blocks) and ``W`` the
combined platform usage (``data/platform_weights.csv``, per country) of the
platforms those service-based events blocked (union over the year; Access Now's Facebook,
Twitter = X, WhatsApp, Instagram and Telegram columns plus the platforms named in
``other_affected``). ``W_ref`` is the weight of Facebook + Instagram + WhatsApp + X, so b2 is
the log rate of a typical social-media block relative to a blackout and b4 how the rate moves
with the platforms; a service-based event naming no platform is taken as that bundle.
b1 < 1 reflects that Top10VPN scales regional events by regional GDP rather than by users.

b4 is used at run time only when it is identified: positive with t ≥ 1.645 (one-sided 5 %,
``platform_term_identified`` in the fit's statistics). Otherwise `cost_compatible` costs
platform blocks with COST's Brookings branch instead (see that module).
Only the fitted coefficients (derived numbers) are shipped, never Top10VPN's figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import polars as pl

from impact.build.catalogue import map_other_affected
from impact.bundled.fits import (
    COST_COMPATIBLE_MIN_T,
    FIT_COLUMNS,
    FIT_SIG_FIGS,
    log_platform_weight,
)
from impact.bundled.fits import COST_COMPATIBLE_TERMS as TERMS
from impact.vocab import PLATFORMS

#: Access Now's yes/no platform columns -> our platform keys (Twitter is X)
ACCESSNOW_PLATFORM_COLUMNS = {"facebook_affected": "facebook", "twitter_affected": "x",
                              "whatsapp_affected": "whatsapp",
                              "instagram_affected": "instagram",
                              "telegram_affected": "telegram"}
PLATFORM_TERM = TERMS[4]


def _row_platforms(row: dict) -> str:
    """``;``-joined platform keys one Access Now row blocked (columns marked Yes, plus the
    platforms its ``other_affected`` text names), in vocabulary order."""
    named = {key for col, key in ACCESSNOW_PLATFORM_COLUMNS.items() if row.get(col) == "Yes"}
    named |= set(map_other_affected(row.get("other_affected"))[0])
    return ";".join(p for p in PLATFORMS if p in named)


def service_share_by_country_year(accessnow: pl.DataFrame) -> pl.DataFrame:
    """Per Access Now country-year: the share (0-1) of events that were service-based only,
    the number of events, and ``platforms``, the ``;``-joined union of the platforms the
    service-based events blocked (vocabulary order; empty when none is named)."""
    cols = ["other_affected", *ACCESSNOW_PLATFORM_COLUMNS]
    frame = accessnow.with_columns([pl.lit(None, pl.String).alias(c) for c in cols
                                    if c not in accessnow.columns])
    frame = frame.filter(pl.col("iso3_helper").is_not_null()).with_columns(
        pl.struct(cols).map_elements(_row_platforms, return_dtype=pl.String)
        .alias("row_platforms"))
    out = (
        frame.with_columns(pl.col("iso3_helper").str.split(";").alias("iso3"))
        .explode("iso3")
        .with_columns(pl.col("iso3").str.strip_chars(),
                      (pl.col("shutdown_extent") == "Service-based").alias("is_service"))
        .group_by("iso3", pl.col("count_year").alias("year"))
        .agg(pl.col("is_service").cast(pl.Float64).mean().alias("service_share"),
             pl.len().alias("n_events"),
             pl.col("row_platforms").filter(pl.col("is_service")).str.split(";")
             .list.explode().alias("named"))
    )
    order = {p: i for i, p in enumerate(PLATFORMS)}
    union = [";".join(sorted({p for p in named if p}, key=order.__getitem__))
             for named in out["named"].to_list()]
    return out.drop("named").with_columns(pl.Series("platforms", union, dtype=pl.String))


def calibration_frame(validation: pl.DataFrame, indicators: pl.DataFrame,
                      service: pl.DataFrame, weights: Mapping[str, Mapping[str, float]]
                      ) -> pl.DataFrame:
    """Join Top10VPN rows with GDP, GDP per head, population and internet use of their year,
    and the platform term s · log(W / W_ref) of the platforms blocked (``weights``: iso3 ->
    platform key -> the platform's usage there, `usage_weights`; ``WLD`` for a country not
    listed; or one platform key -> weight mapping for every country)."""
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
             .with_columns(pl.col("service_share").fill_null(0.0),
                           pl.col("platforms").fill_null("")))
    frame = frame.filter(pl.col("gdp_usd").is_not_null() & pl.col("internet_pct").is_not_null()
                         & pl.col("gdp_per_capita_usd").is_not_null())
    users = pl.col("population") * pl.col("internet_pct") / 100
    affected = pl.when(pl.col("users_affected").is_null()).then(1.0).otherwise(
        pl.min_horizontal(pl.col("users_affected") / users, pl.lit(1.0)))
    flat = all(isinstance(v, (int, float)) for v in weights.values())  # one set for all
    log_w = [log_platform_weight([p for p in text.split(";") if p],
                                 weights if flat else weights.get(iso3) or weights["WLD"])
             for iso3, text in zip(frame["iso3"].to_list(), frame["platforms"].to_list(),
                                   strict=True)]
    frame = frame.with_columns(pl.Series("log_platform_weight", log_w, dtype=pl.Float64))
    return frame.with_columns(affected.alias("affected_share")).with_columns(
        (pl.col("service_share") * pl.col("log_platform_weight")).alias(PLATFORM_TERM),
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
    t_platform = float(res.tvalues[TERMS.index(PLATFORM_TERM)])
    identified = float(res.params[TERMS.index(PLATFORM_TERM)] > 0
                       and t_platform >= COST_COMPATIBLE_MIN_T)
    rows += [("se", t, "", float(s)) for t, s in zip(TERMS, res.bse, strict=True)]
    rows += [
        ("stat", "n", "", float(res.nobs)), ("stat", "df_resid", "", float(res.df_resid)),
        ("stat", "n_platform_only", "", float((frame["service_share"] == 1).sum())),
        ("stat", "n_with_platforms", "", float((frame["platforms"] != "").sum())),
        ("stat", "platform_term_t", "", t_platform),
        ("stat", "platform_term_identified", "", identified),
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


def loo_coefficients(frame: pl.DataFrame) -> dict[tuple[str, int], np.ndarray]:
    """(iso3, year) -> the coefficients (in `TERMS` order) refitted without that
    country-year: what the fit would be had it never seen the figure it is checked on."""
    import statsmodels.api as sm

    x = _design(frame)
    y = np.log(frame["implied_rate"].to_numpy())
    keys = list(zip(frame["iso3"].to_list(), frame["year"].to_list(), strict=True))
    out = {}
    for i, key in enumerate(keys):
        keep = np.arange(len(y)) != i
        out[(key[0], int(key[1]))] = np.asarray(sm.OLS(y[keep], x[keep]).fit().params)
    return out


def usage_weights(table: pl.DataFrame) -> dict[str, dict[str, float]]:
    """iso3 -> platform -> usage [share 0-1 of social-media activity], from a platform table
    (data/platform_weights.csv). The level L multiplies every weight alike, so W/W_ref of the
    platform term is a ratio of combined usages."""
    out: dict[str, dict[str, float]] = {}
    for r in table.iter_rows(named=True):
        out.setdefault(r["iso3"], {})[r["platform"]] = float(r["usage"])
    return out


def frame_from_files(shared: Path, data: Path) -> pl.DataFrame:
    """The calibration frame as ``scripts/calibrate_cost_compatible.py`` builds it, from
    ``shared`` (``validation/`` and ``data/shutdowns/``) and the curated ``data`` folder."""
    validation = pl.read_csv(shared / "validation" / "top10vpn_country_year_2019_2022.csv")
    accessnow = pl.read_csv(shared / "data" / "shutdowns" /
                            "accessnow_keepiton_stop_2016_2025.csv", infer_schema_length=None)
    indicators = pl.read_csv(data / "indicators.csv")
    weights = usage_weights(pl.read_csv(data / "platform_weights.csv"))
    return calibration_frame(validation, indicators, service_share_by_country_year(accessnow),
                             weights)
