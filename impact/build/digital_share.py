"""Digital-economy share of GDP: published anchors plus a regression imputation.

Shares are fractions of GDP in [0, 1]; GDP per head is in current USD.

Specification
-------------
Sample
    Non-projection anchors (``data/digital_share_anchors.csv``) of World Bank economies
    (the anchors are inner-joined with the indicator table, which holds WB economies
    only), dated 2009 or later (the indicator panel starts in 2010), with definitions in
    ``DEFINITION_GROUPS``:

    - ``internet_narrow`` (reference level): ``internet_economy_bcg``,
      ``internet_economy_mckinsey_igdp``, ``internet_economy_other_expenditure`` and
      ``digital_economy_narrow_official``;
    - ``ict_sector_va``: ``ict_sector_va``, ``ict_sector_va_oecd`` and
      ``ict_sector_va_eurostat``, a separate level.

Model (OLS, statsmodels formula ``FORMULA``)
    log(share) = b0 + b1 log(gdp_per_capita_usd) + b2 internet_users_share
    + C(definition_group) + e.

    Fixed broadband was tried and dropped: it moves with internet use, its coefficient came
    out negative and it pushed economies with high internet use but little fixed broadband
    (KWT, KIR) far above every anchor.

    where ``internet_users_share`` = IT.NET.USER.ZS / 100 in [0, 1].

Inputs per country-year
    The current WDI vintage of internet users, then the 2024-11 vintage for the same
    country-year (explicit fallback), then, for every input, the nearest earlier year of
    the same country, then the nearest later year. Country-years still missing an input
    are left out.

Prediction
    For the ``internet_narrow`` level with a 90 % prediction interval
    (``get_prediction(...).summary_frame(alpha=0.10)``): ``share_central`` =
    exp(mean of log share), i.e. the **median** of the implied lognormal;
    ``share_low``/``share_high`` = exp of ``obs_ci_lower``/``obs_ci_upper`` (P5/P95).

Published rows
    Where an ``internet_narrow`` non-projection anchor exists for the exact country-year,
    ``share_central`` is the anchor (mean if several) and the assumed measurement range
    is anchor x 0.8 to anchor x 1.25.

Country adjustment
    A country with anchors of its own keeps part of its mean residual: its imputed log share
    is shifted by n/(n + ``SHRINKAGE``) × mean residual of its n anchors (each anchor's residual
    taken against its own definition level). Such rows are labelled ``imputed_anchored``;
    rows of countries without anchors are ``imputed``. The prediction interval is not
    narrowed by the adjustment.

All shares are clipped to [``SHARE_MIN``, ``SHARE_MAX``] = [0.001, 0.5].
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import statsmodels.formula.api as smf

DEFINITION_GROUPS: dict[str, str] = {
    "internet_economy_bcg": "internet_narrow",
    "internet_economy_mckinsey_igdp": "internet_narrow",
    "internet_economy_other_expenditure": "internet_narrow",
    "digital_economy_narrow_official": "internet_narrow",
    "ict_sector_va": "ict_sector_va",
    "ict_sector_va_oecd": "ict_sector_va",
    "ict_sector_va_eurostat": "ict_sector_va",
}
REFERENCE_GROUP = "internet_narrow"
FIRST_ANCHOR_YEAR = 2009
SHARE_MIN = 0.001
SHARE_MAX = 0.5
PUBLISHED_LOW_FACTOR = 0.8
PUBLISHED_HIGH_FACTOR = 1.25
ALPHA = 0.10
SHRINKAGE = 1.0
FORMULA = (
    "log_share ~ log_gdp_pc + internet_users_share"
    f" + C(definition_group, Treatment(reference='{REFERENCE_GROUP}'))"
)
#: indicators (``data/indicators.csv`` names) the model reads
MODEL_INDICATORS = (
    "gdp_per_capita_usd",
    "internet_users_pct",
    "internet_users_pct_2024vintage",
    "fixed_broadband_per100",
)
_FILLED = ("gdp_per_capita_usd", "internet_users_pct", "fixed_broadband_per100")
OUTPUT_COLUMNS = (
    "iso3",
    "year",
    "share_central",
    "share_low",
    "share_high",
    "basis",
    "definition",
    "n_anchors",
)


def clip_share(expr: pl.Expr) -> pl.Expr:
    """Clip a share expression to [SHARE_MIN, SHARE_MAX] [fraction of GDP].

    Examples
    --------
    >>> pl.select(clip_share(pl.lit(0.9))).item()
    0.5
    """
    return expr.clip(SHARE_MIN, SHARE_MAX)


def model_inputs(
    indicators: pl.DataFrame, iso3: Sequence[str], years: Sequence[int]
) -> pl.DataFrame:
    """Model regressors for every (iso3, year) in the grid, gaps filled.

    Parameters
    ----------
    indicators : pl.DataFrame
        Long table ``iso3, indicator, year, value`` (``data/indicators.csv``).
    iso3, years : sequences
        Grid of countries and years.

    Returns
    -------
    pl.DataFrame
        ``iso3, year, log_gdp_pc, internet_users_share, log1p_fixed_bb`` plus the flags
        ``users_from_2024vintage`` and ``n_inputs_carried`` (inputs taken from another
        year). Rows with an input still missing have nulls; callers drop them.
    """
    wide = indicators.filter(pl.col("indicator").is_in(MODEL_INDICATORS)).pivot(
        on="indicator", index=["iso3", "year"], values="value", on_columns=MODEL_INDICATORS
    )
    # fill over every year with data, not only the grid years, then keep the grid
    all_years = sorted(set(years) | set(wide["year"].to_list()))
    panel = (
        pl.DataFrame({"iso3": sorted(set(iso3))})
        .join(pl.DataFrame({"year": all_years}, schema={"year": pl.Int64}), how="cross")
        .join(wide, on=["iso3", "year"], how="left", validate="1:1")
        .with_columns(
            users_from_2024vintage=pl.col("internet_users_pct").is_null()
            & pl.col("internet_users_pct_2024vintage").is_not_null(),
            internet_users_pct=pl.coalesce("internet_users_pct", "internet_users_pct_2024vintage"),
            in_grid=pl.col("year").is_in(list(years)),
        )
        .sort("iso3", "year")
    )
    carried = pl.sum_horizontal(pl.col(c).is_null().cast(pl.Int64) for c in _FILLED)
    filled = panel.with_columns(n_inputs_carried=carried).with_columns(
        pl.col(c).forward_fill().backward_fill().over("iso3", order_by="year") for c in _FILLED
    )
    return (
        filled.filter(pl.col("in_grid"))
        .select(
            "iso3",
            "year",
            log_gdp_pc=pl.col("gdp_per_capita_usd").log(),
            internet_users_share=pl.col("internet_users_pct") / 100.0,
            log1p_fixed_bb=pl.col("fixed_broadband_per100").log1p(),
            users_from_2024vintage="users_from_2024vintage",
            n_inputs_carried="n_inputs_carried",
        )
        .sort("iso3", "year")
    )


def fitting_sample(anchors: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Anchors used in the fit, joined with their regressors.

    Parameters
    ----------
    anchors : pl.DataFrame
        ``data/digital_share_anchors.csv`` (``iso3, year, share, definition,
        is_projection`` ...; share in [0, 1]).
    indicators : pl.DataFrame
        ``data/indicators.csv``.

    Returns
    -------
    pl.DataFrame
        One row per anchor with ``log_share`` and ``definition_group``, sorted.
    """
    sample = anchors.filter(
        ~pl.col("is_projection"),
        pl.col("definition").is_in(list(DEFINITION_GROUPS)),
        pl.col("year") >= FIRST_ANCHOR_YEAR,
        pl.col("iso3").is_in(indicators["iso3"].unique().implode()),
    ).with_columns(
        definition_group=pl.col("definition").replace_strict(DEFINITION_GROUPS),
        log_share=pl.col("share").log(),
    )
    inputs = model_inputs(indicators, sample["iso3"].unique().to_list(), sample["year"].to_list())
    cols = ["log_gdp_pc", "internet_users_share"]
    return (
        sample.join(inputs, on=["iso3", "year"], how="left", validate="m:1")
        .drop_nulls(cols)
        .select("iso3", "year", "definition", "definition_group", "share", "log_share", *cols)
        .sort("definition_group", "iso3", "year", "definition", "share")
    )


def _to_pandas(df: pl.DataFrame) -> pd.DataFrame:
    """Adapter: the one place a polars frame becomes pandas (for statsmodels)."""
    return df.to_pandas()


def fit_digital_share_model(
    anchors: pl.DataFrame, indicators: pl.DataFrame, *, formula: str = FORMULA
) -> tuple[Any, dict[str, Any]]:
    """Fit the log-share OLS on the anchors.

    Parameters
    ----------
    anchors : pl.DataFrame
        ``data/digital_share_anchors.csv`` (share in [0, 1]).
    indicators : pl.DataFrame
        ``data/indicators.csv``.
    formula : str, optional
        statsmodels formula over the ``fitting_sample`` columns; default ``FORMULA``
        (the shipped specification; other formulas are for sensitivity checks).

    Returns
    -------
    results : statsmodels RegressionResultsWrapper
    summary : dict
        ``n``, ``n_countries``, ``r2``, ``r2_adj``, ``resid_sd`` [log points],
        ``formula`` and ``coefficients`` (name -> ``coef``, ``ci_low``, ``ci_high`` at 90 %).
    """
    sample = fitting_sample(anchors, indicators)
    results = smf.ols(formula, data=_to_pandas(sample)).fit()
    ci = results.conf_int(alpha=ALPHA)
    coefficients = {
        _short_name(name): {
            "coef": float(results.params[name]),
            "ci_low": float(ci.loc[name, 0]),
            "ci_high": float(ci.loc[name, 1]),
        }
        for name in results.params.index
    }
    summary = {
        "n": int(results.nobs),
        "n_countries": sample["iso3"].n_unique(),
        "n_by_group": dict(
            sample.group_by("definition_group").len().sort("definition_group").rows()
        ),
        "r2": float(results.rsquared),
        "r2_adj": float(results.rsquared_adj),
        "resid_sd": float(np.sqrt(results.scale)),
        "formula": formula,
        "coefficients": coefficients,
    }
    return results, summary


def _short_name(name: str) -> str:
    """``C(definition_group, Treatment(...))[T.x]`` -> ``definition_group[x]``."""
    if name.startswith("C(definition_group"):
        return "definition_group[" + name.split("[T.", 1)[1].rstrip("]") + "]"
    return name


def published_shares(anchors: pl.DataFrame, years: Sequence[int]) -> pl.DataFrame:
    """Country-years with a non-projection ``internet_narrow`` anchor.

    Returns
    -------
    pl.DataFrame
        ``OUTPUT_COLUMNS``; central = mean anchor, low/high = x0.8 / x1.25, clipped.
    """
    ref = [d for d, g in DEFINITION_GROUPS.items() if g == REFERENCE_GROUP]
    return (
        anchors.filter(
            ~pl.col("is_projection"),
            pl.col("definition").is_in(ref),
            pl.col("year").is_in(list(years)),
        )
        .group_by("iso3", "year")
        .agg(
            share_central=pl.col("share").mean(),
            definition=pl.col("definition").unique().sort().str.join(";"),
            n_anchors=pl.len().cast(pl.Int64),
        )
        .with_columns(
            share_low=pl.col("share_central") * PUBLISHED_LOW_FACTOR,
            share_high=pl.col("share_central") * PUBLISHED_HIGH_FACTOR,
            basis=pl.lit("published"),
        )
        .with_columns(clip_share(pl.col(c)) for c in ("share_central", "share_low", "share_high"))
        .select(OUTPUT_COLUMNS)
    )


def country_adjustment(anchors: pl.DataFrame, indicators: pl.DataFrame,
                       results: Any) -> pl.DataFrame:
    """Per-country log shift toward its own anchors: n/(n + SHRINKAGE) × mean residual.

    Returns ``iso3, n, mean_resid, shift`` [log points] for every country with anchors.
    """
    sample = fitting_sample(anchors, indicators)
    predicted = np.asarray(results.predict(_to_pandas(sample)))
    resid = sample.select("iso3").with_columns(
        resid=pl.Series(sample["log_share"].to_numpy() - predicted))
    return (resid.group_by("iso3").agg(pl.len().alias("n"), pl.col("resid").mean()
                                       .alias("mean_resid"))
            .with_columns(shift=pl.col("n") / (pl.col("n") + SHRINKAGE) * pl.col("mean_resid"))
            .sort("iso3"))


def impute_digital_share(
    anchors: pl.DataFrame,
    indicators: pl.DataFrame,
    iso3: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    results: Any | None = None,
) -> pl.DataFrame:
    """Digital-economy share of GDP for every country-year of a grid.

    Parameters
    ----------
    anchors, indicators : pl.DataFrame
        As for :func:`fit_digital_share_model`.
    iso3 : sequence of str, optional
        Countries; default every iso3 in ``indicators``.
    years : sequence of int, optional
        Default 2010 to the latest year with ``gdp_usd`` data.
    results : fitted model, optional
        Default: fitted here with :func:`fit_digital_share_model`.

    Returns
    -------
    pl.DataFrame
        ``OUTPUT_COLUMNS`` sorted by ``iso3, year``; shares in [0.001, 0.5] (fraction of
        GDP); ``basis`` is ``published``, ``imputed_anchored`` or ``imputed``; ``n_anchors`` is the number of
        anchors averaged (0 when imputed). Imputed country-years lacking an input are
        left out.
    """
    if iso3 is None:
        iso3 = indicators["iso3"].unique().sort().to_list()
    if years is None:
        last = indicators.filter(pl.col("indicator") == "gdp_usd")["year"].max()
        years = list(range(2010, int(last) + 1))
    if results is None:
        results, _ = fit_digital_share_model(anchors, indicators)
    published = published_shares(anchors, years).filter(pl.col("iso3").is_in(list(iso3)))
    inputs = (
        model_inputs(indicators, iso3, years)
        .drop_nulls(["log_gdp_pc", "internet_users_share"])
        .join(published.select("iso3", "year"), on=["iso3", "year"], how="anti")
        .with_columns(definition_group=pl.lit(REFERENCE_GROUP))
        .sort("iso3", "year")
    )
    frame = results.get_prediction(_to_pandas(inputs)).summary_frame(alpha=ALPHA)
    adjust = country_adjustment(anchors, indicators, results)
    shift = (inputs.select("iso3").join(adjust, on="iso3", how="left", validate="m:1")
             ["shift"].fill_null(0.0).to_numpy())
    imputed = inputs.select("iso3", "year").with_columns(
        share_central=pl.Series(np.exp(frame["mean"].to_numpy() + shift)),
        share_low=pl.Series(np.exp(frame["obs_ci_lower"].to_numpy() + shift)),
        share_high=pl.Series(np.exp(frame["obs_ci_upper"].to_numpy() + shift)),
        basis=pl.Series(np.where(shift != 0.0, "imputed_anchored", "imputed")),
        definition=pl.lit(REFERENCE_GROUP),
        n_anchors=pl.lit(0, dtype=pl.Int64),
    )
    imputed = imputed.with_columns(
        clip_share(pl.col(c)) for c in ("share_central", "share_low", "share_high")
    ).select(OUTPUT_COLUMNS)
    return pl.concat([published, imputed]).sort("iso3", "year")
