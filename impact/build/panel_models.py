"""Build time: the panel effect and risk models, fitted with statsmodels and written as data.

Both models are fitted on a balanced country-year panel of World Bank economies built from the
event catalogue (``events.csv``), the World Bank indicators (``indicators.csv``), the
countries and the politics covariates (``politics_panel.csv``, written from the raw snapshot
by `build_politics_panel`):

* the **effect model** — two-way fixed-effects OLS of an outcome on national-equivalent
  shutdown days, SEs clustered by country (`fit_outcome`);
* the **risk model** — a logit (GLM Binomial, SEs clustered by country) of "a shutdown
  starts in year t" (`fit_risk`).

`fit_tables` turns them into the committed tables read at run time by `impact.bundled.econometrics`:
``econometrics_fit.csv`` (long ``model, kind, term, term2, value``; floats to
`impact.bundled.fits.FIT_SIG_FIGS` significant digits), ``econometrics_sample.csv`` (``model,
iso3``) and ``risk_features.csv`` (the risk covariates per country and outcome year).
statsmodels is reached through one polars -> pandas adapter (`to_pandas`).

`econometrics_report` writes the tables of ``docs/econometrics.md`` from the committed fits
(``python -m impact.bundled.econometrics --write-docs``).

References
----------
Internet Society Pulse (2023). NetLoss: the cost of internet shutdowns.
Tagat, A., Phokeer, A., & Kreitem, H. (2024). NetLoss: an econometric framework for the
economic cost of internet shutdowns. Internet Society.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from impact.build import REPO_DIR
from impact.bundled.econometrics import (
    EFFECT_TERMS,
    FEATURES_TABLE,
    FIT_TABLE,
    OUTCOMES,
    RISK_MODEL,
    RISK_TABLE_YEARS,
    RISK_YEARS,
    SAMPLE_TABLE,
    YEARS,
    EffectFit,
    fit_effect_model,
    fit_risk_model,
    risk_table,
)
from impact.bundled.fits import FIT_COLUMNS, FIT_SIG_FIGS
from impact.bundled.io import data_version, read_bundled
from impact.errors import DataError
from impact.methods.panel import event_loss
from impact.vocab import Z95

FULL_SCOPES = ("full", "mobile", "throttling")
SERVICE_SCOPES = ("platforms", "platforms_other")
PANEL_INDICATORS = ("gdp_growth_pct", "gdp_usd", "gdp_per_capita_usd", "internet_users_pct",
                    "fdi_net_inflows_pct_gdp", "unemployment_pct")
EVENT_COLUMNS = ("iso3", "start", "end", "scope", "affected_share")
RISK_FORMULA = "any_shutdown ~ shutdown_lag + log_gdp_pc_lag + internet_pct_lag + C(region)"
RISK_POLITICS_TERMS = " + election_year + autocracy_lag + coup_lag"
RISK_SPLIT_YEAR = 2021
FEATURE_SIG_FIGS = 12
POLITICS_TABLE = "politics_panel"
#: the tables `fit_tables` reads, in its argument order
INPUT_TABLES = ("events", "indicators", "countries", POLITICS_TABLE)
DOCS_PATH = REPO_DIR / "docs" / "econometrics.md"


# --------------------------------------------------------------------------------------------
# exposure


def _as_date(col: str, dtype: pl.DataType) -> pl.Expr:
    expr = pl.col(col)
    if dtype == pl.String:
        return expr.str.slice(0, 10).str.to_date()
    if dtype == pl.Datetime:
        return expr.dt.date()
    return expr.cast(pl.Date)


def event_year_days(events: pl.DataFrame) -> pl.DataFrame:
    """Split each event into the calendar years it covers.

    An event occupies the half-open day interval [start, end); a same-day event (end equal to
    start) counts as 1 day. Each year receives the days of that interval falling inside it.

    Parameters
    ----------
    events : frame with ``iso3, start, end`` (dates or ISO strings), ``scope``
        (full|mobile|throttling|platforms|platforms_other) and ``affected_share`` [0-1]

    Returns
    -------
    polars frame: iso3, year, kind (full|service), started (bool: the event starts in this
    year), days [days], affected_share [0-1], equiv_days = days × affected_share
    [national-equivalent days]. Mobile-only and throttling events are weighted 1 like full
    blackouts (no intensity or mobile-share discount: the catalogue does not measure them).

    Examples
    --------
    >>> ev = pl.DataFrame({"iso3": ["AAA"], "start": ["2019-12-30"], "end": ["2020-01-03"],
    ...                    "scope": ["full"], "affected_share": [0.5]})
    >>> event_year_days(ev).select("year", "days", "equiv_days").rows()
    [(2019, 2, 1.0), (2020, 2, 1.0)]
    """
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise DataError(f"event catalogue lacks column(s) {missing}; need {list(EVENT_COLUMNS)}")
    unknown = set(events["scope"].drop_nulls().unique()) - set(FULL_SCOPES) - set(SERVICE_SCOPES)
    if unknown:
        raise DataError(f"event catalogue: unknown scope(s) {sorted(unknown)}; expected one of "
                        f"{', '.join(FULL_SCOPES + SERVICE_SCOPES)}")
    schema = events.schema
    ev = events.select(
        "iso3",
        _as_date("start", schema["start"]).alias("start"),
        _as_date("end", schema["end"]).alias("end"),
        pl.when(pl.col("scope").is_in(SERVICE_SCOPES)).then(pl.lit("service"))
        .otherwise(pl.lit("full")).alias("kind"),
        pl.col("affected_share").cast(pl.Float64).fill_null(1.0).clip(0.0, 1.0),
    ).filter(pl.col("start").is_not_null() & pl.col("iso3").is_not_null())
    ev = ev.with_columns(
        pl.max_horizontal(pl.col("end").fill_null(pl.col("start")),
                          pl.col("start") + pl.duration(days=1)).alias("stop"),
    ).with_columns(
        pl.int_ranges(pl.col("start").dt.year(),
                      (pl.col("stop") - pl.duration(days=1)).dt.year() + 1).alias("year"),
    ).explode("year").with_columns(pl.col("year").cast(pl.Int64))
    lo = pl.max_horizontal(pl.col("start"), pl.date(pl.col("year"), 1, 1))
    hi = pl.min_horizontal(pl.col("stop"), pl.date(pl.col("year") + 1, 1, 1))
    return ev.select(
        "iso3", "year", "kind",
        (pl.col("start").dt.year() == pl.col("year")).alias("started"),
        (hi - lo).dt.total_days().cast(pl.Int64).alias("days"),
        "affected_share",
    ).with_columns((pl.col("days") * pl.col("affected_share")).alias("equiv_days"))


def _wide_indicators(indicators: pl.DataFrame, names: Iterable[str]) -> pl.DataFrame:
    names = list(names)
    wide = (indicators.filter(pl.col("indicator").is_in(names))
            .pivot(on="indicator", index=["iso3", "year"], values="value",
                   aggregate_function="first"))
    for n in names:
        if n not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(n))
    return wide.select("iso3", pl.col("year").cast(pl.Int64), *names)


def exposure_panel(events: pl.DataFrame, indicators: pl.DataFrame,
                   countries: pl.DataFrame | None = None,
                   politics: pl.DataFrame | None = None,
                   years: Iterable[int] = YEARS) -> pl.DataFrame:
    """Balanced country-year panel of shutdown exposure and outcomes.

    Parameters
    ----------
    events : event catalogue (see `event_year_days`)
    indicators : long ``iso3, indicator, year, value`` World Bank table
    countries : ``iso3, region, income_group``; defaults to the bundled WB economies
    politics : optional `build_politics_panel` output (election_year, regime, ...)
    years : panel years

    Returns
    -------
    One row per WB economy × year with full_days, service_days [national-equivalent days],
    n_full, n_service (events active in the year), n_started, any_shutdown (an event of any
    scope starts in the year), any_active, the indicators in ``PANEL_INDICATORS``,
    log_gdp_pc = ln(GDP per head [USD]), region, income_group and politics columns if given.
    """
    years = [int(y) for y in years]
    if countries is None:
        countries = read_bundled("countries")
    grid = (countries.select("iso3", "region", "income_group").unique("iso3")
            .join(pl.DataFrame({"year": years}, schema={"year": pl.Int64}), how="cross"))
    split = event_year_days(events).filter(pl.col("year").is_in(years))
    agg = split.group_by("iso3", "year").agg(
        pl.col("equiv_days").filter(pl.col("kind") == "full").sum().alias("full_days"),
        pl.col("equiv_days").filter(pl.col("kind") == "service").sum().alias("service_days"),
        (pl.col("kind") == "full").sum().cast(pl.Int64).alias("n_full"),
        (pl.col("kind") == "service").sum().cast(pl.Int64).alias("n_service"),
        pl.col("started").sum().cast(pl.Int64).alias("n_started"),
    )
    panel = grid.join(agg, on=["iso3", "year"], how="left", validate="1:1").with_columns(
        pl.col("full_days", "service_days").fill_null(0.0),
        pl.col("n_full", "n_service", "n_started").fill_null(0),
    ).with_columns(
        (pl.col("n_started") > 0).alias("any_shutdown"),
        ((pl.col("n_full") + pl.col("n_service")) > 0).alias("any_active"),
    )
    panel = panel.join(_wide_indicators(indicators, PANEL_INDICATORS), on=["iso3", "year"],
                       how="left", validate="1:1").with_columns(
        pl.when(pl.col("gdp_per_capita_usd") > 0).then(pl.col("gdp_per_capita_usd").log())
        .alias("log_gdp_pc"))
    if politics is not None:
        keep = [c for c in politics.columns if c not in ("iso3", "year")]
        panel = panel.join(politics.select("iso3", pl.col("year").cast(pl.Int64), *keep),
                           on=["iso3", "year"], how="left", validate="1:1")
    return panel.sort("iso3", "year")


# --------------------------------------------------------------------------------------------
# politics covariates (build time only)


def build_politics_panel(raw_dir: Path | str, years: Iterable[int] = range(2010, 2027),
                         ) -> pl.DataFrame:
    """Derive the country-year politics table from the raw snapshot (build time only).

    Reads ``elections/reign_election_events_2010_2027.csv`` (REIGN, Bell 2016),
    ``politics/vdem_ert_v15_regimes_2010_2024.csv`` (V-Dem ERT v15),
    ``politics/mass_mobilization_protests_country_year_2010_2018.csv`` (Clark & Regan) and
    ``politics/coup_attempt_years_2010_2024.csv`` (Powell & Thyne via EWP), plus
    ``meta/wb_country_classification.csv`` for the list of economies. IFES ElectionGuide is
    not used (non-commercial terms).

    Returns
    -------
    iso3, year, election_year (bool: a national vote held per REIGN up to March 2021, or
    scheduled as of March 2021 for later years — later-called elections are missing),
    election_basis (vote|scheduled|none), regime (V-Dem Regimes of the World 0-3, null after
    2024), autocracy (regime ≤ 1), protests (Mass Mobilization count, null after 2018),
    coup_attempt (bool, null after 2024).
    """
    raw = Path(raw_dir)
    years = [int(y) for y in years]
    wb = pl.read_csv(raw / "meta" / "wb_country_classification.csv", infer_schema_length=None)
    grid = (wb.filter(pl.col("is_aggregate") == 0).select("iso3")
            .join(pl.DataFrame({"year": years}, schema={"year": pl.Int64}), how="cross"))
    reign = pl.read_csv(raw / "elections" / "reign_election_events_2010_2027.csv",
                        infer_schema_length=None)
    elections = (reign.filter(pl.col("iso3_helper").is_not_null()
                              & (pl.col("event").str.starts_with("Vote")
                                 | pl.col("event").str.starts_with("Upcoming")))
                 .group_by(pl.col("iso3_helper").alias("iso3"),
                           pl.col("elec_year").cast(pl.Int64).alias("year"))
                 .agg(pl.when(pl.col("event").str.starts_with("Vote").any())
                      .then(pl.lit("vote")).otherwise(pl.lit("scheduled"))
                      .alias("election_basis")))
    vdem = pl.read_csv(raw / "politics" / "vdem_ert_v15_regimes_2010_2024.csv",
                       infer_schema_length=None).select(
        pl.col("vdem_country_text_id").alias("iso3"), pl.col("year").cast(pl.Int64),
        pl.col("v2x_regime").cast(pl.Int64).alias("regime"))
    mm = pl.read_csv(raw / "politics" / "mass_mobilization_protests_country_year_2010_2018.csv",
                     infer_schema_length=None).filter(pl.col("iso3_helper").is_not_null()).group_by(
        pl.col("iso3_helper").alias("iso3"), pl.col("year").cast(pl.Int64)).agg(
        pl.col("protestnumber").sum().cast(pl.Int64).alias("protests"))
    coups = pl.read_csv(raw / "politics" / "coup_attempt_years_2010_2024.csv",
                        infer_schema_length=None).filter(pl.col("iso3_helper").is_not_null()
                                                         ).select(
        pl.col("iso3_helper").alias("iso3"), pl.col("year").cast(pl.Int64),
        pl.lit(True).alias("coup_flag")).unique(["iso3", "year"])
    out = (grid.join(elections, on=["iso3", "year"], how="left", validate="1:1")
           .join(vdem, on=["iso3", "year"], how="left", validate="1:1")
           .join(mm, on=["iso3", "year"], how="left", validate="1:1")
           .join(coups, on=["iso3", "year"], how="left", validate="1:1"))
    return out.select(
        "iso3", "year",
        pl.col("election_basis").is_not_null().alias("election_year"),
        pl.col("election_basis").fill_null("none"),
        "regime",
        pl.when(pl.col("regime").is_not_null()).then(pl.col("regime") <= 1).alias("autocracy"),
        pl.when(pl.col("year") <= 2018).then(pl.col("protests")).alias("protests"),
        pl.when(pl.col("year") <= 2024).then(pl.col("coup_flag").fill_null(False))
        .alias("coup_attempt"),
    ).sort("iso3", "year")


def _bundled_politics() -> pl.DataFrame | None:
    try:
        return read_bundled(POLITICS_TABLE)
    except FileNotFoundError:
        return None


def _bundled_events() -> pl.DataFrame:
    try:
        return read_bundled("events")
    except FileNotFoundError:
        raise DataError("the bundled event catalogue (data/events.csv) is missing, so the "
                        "panel model cannot be fitted") from None



# --------------------------------------------------------------------------------------------
# statsmodels adapter


def to_pandas(frame: pl.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """The one polars -> pandas conversion for statsmodels: chosen columns, complete rows,
    booleans as 0/1 floats."""
    columns = list(dict.fromkeys(columns))
    sub = frame.select(columns).drop_nulls()
    sub = sub.with_columns(pl.col(pl.Boolean).cast(pl.Float64))
    return pd.DataFrame({c: sub[c].to_numpy() for c in columns})



# --------------------------------------------------------------------------------------------
# effect model


@dataclass(frozen=True)
class EffectResult:
    """An effect-model fit: the run-time `EffectFit` and the statsmodels results behind it."""

    fit: EffectFit
    result: object = field(repr=False)


def fit_effect(panel: pl.DataFrame, outcome: str = "gdp_growth_pct") -> EffectResult:
    """OLS ``outcome ~ full_days + service_days + C(iso3) + C(year)``, SEs clustered by country.

    Within R² is 1 − SSR(model)/SSR(fixed effects only), the share of the variation left by
    the two sets of fixed effects that exposure explains (Frisch–Waugh–Lovell).
    """
    import statsmodels.formula.api as smf

    if outcome not in panel.columns:
        raise DataError(f"outcome {outcome!r} is not in the panel; one of {', '.join(OUTCOMES)}")
    df = to_pandas(panel, ["iso3", "year", outcome, *EFFECT_TERMS])
    if df["iso3"].nunique() < 10:
        raise DataError(f"too few countries with {outcome} data to fit the panel model")
    groups = pd.factorize(df["iso3"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # clustered covariance of the FE dummies is singular
        res = smf.ols(f"{outcome} ~ full_days + service_days + C(iso3) + C(year)", data=df).fit(
            cov_type="cluster", cov_kwds={"groups": groups})
        fe = smf.ols(f"{outcome} ~ C(iso3) + C(year)", data=df).fit()
    exposed = int(((df["full_days"] > 0) | (df["service_days"] > 0)).sum())
    fit = EffectFit(
        outcome=outcome,
        beta_full=float(res.params["full_days"]), se_full=float(res.bse["full_days"]),
        beta_service=float(res.params["service_days"]),
        se_service=float(res.bse["service_days"]),
        p_full=float(res.pvalues["full_days"]), p_service=float(res.pvalues["service_days"]),
        n_obs=int(res.nobs), n_countries=int(df["iso3"].nunique()),
        n_clusters=len(np.unique(groups)),
        years=(int(df["year"].min()), int(df["year"].max())),
        within_r2=float(1.0 - res.ssr / fe.ssr) if fe.ssr > 0 else float("nan"),
        n_exposed=exposed,
        countries=frozenset(df["iso3"].unique().tolist()),
        params=tuple((k, float(v)) for k, v in res.params.items()),
    )
    return EffectResult(fit, res)


def fit_outcome(panel: pl.DataFrame, outcome: str = "gdp_growth_pct") -> EffectFit:
    """`fit_effect` without the statsmodels results (``params`` holds every coefficient,
    the fixed effects included)."""
    return fit_effect(panel, outcome).fit


def bundled_panel(years: Iterable[int] = YEARS) -> pl.DataFrame:
    """`exposure_panel` over the bundled catalogue, indicators, countries and politics."""
    return exposure_panel(_bundled_events(), read_bundled("indicators"),
                          read_bundled("countries"), _bundled_politics(), years)


# --------------------------------------------------------------------------------------------
# risk model


def risk_frame(panel: pl.DataFrame) -> pl.DataFrame:
    """Add lagged covariates for the risk model: shutdown_lag, log_gdp_pc_lag,
    internet_pct_lag, autocracy_lag, coup_lag (t−1 values, the latest earlier value carried
    forward when t−1 is missing); election_year is taken in year t (scheduled)."""
    p = panel.sort("iso3", "year")
    has_politics = "autocracy" in p.columns
    carry = ["log_gdp_pc", "internet_users_pct"] + (["autocracy"] if has_politics else [])
    p = p.with_columns(pl.col(c).forward_fill().over("iso3").alias(f"_{c}") for c in carry)
    lag = [
        pl.col("any_shutdown").shift(1).over("iso3").alias("shutdown_lag"),
        pl.col("_log_gdp_pc").shift(1).over("iso3").alias("log_gdp_pc_lag"),
        pl.col("_internet_users_pct").shift(1).over("iso3").alias("internet_pct_lag"),
    ]
    if has_politics:
        lag += [pl.col("_autocracy").shift(1).over("iso3").alias("autocracy_lag"),
                pl.col("coup_attempt").shift(1).over("iso3").fill_null(False)
                .alias("coup_lag")]
    return p.with_columns(lag).drop([f"_{c}" for c in carry])



def _risk_columns(formula: str) -> list[str]:
    cols = ["iso3", "year", "any_shutdown", "shutdown_lag", "log_gdp_pc_lag",
            "internet_pct_lag", "region"]
    if "autocracy_lag" in formula:
        cols += ["election_year", "autocracy_lag", "coup_lag"]
    return cols


def _glm(formula: str, df: pd.DataFrame):
    """GLM Binomial (logit) with standard errors clustered by country."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    groups = pd.factorize(df["iso3"])[0]
    return smf.glm(formula, data=df, family=sm.families.Binomial()).fit(
        cov_type="cluster", cov_kwds={"groups": groups})


def predict_statsmodels(result, frame: pl.DataFrame) -> pl.DataFrame:
    """iso3, year, probability, low, high from a statsmodels GLM result (``get_prediction``
    of the linear predictor, 90 % CI, expit): the reference the run time's numpy
    `impact.bundled.econometrics.RiskFit.predict` is tested against."""
    cols = [c for c in _risk_columns(result.model.formula) if c != "any_shutdown"]
    df = to_pandas(frame, cols)
    if df.empty:
        return pl.DataFrame(schema={"iso3": pl.String, "year": pl.Int64,
                                    "probability": pl.Float64, "low": pl.Float64,
                                    "high": pl.Float64})
    from scipy.special import expit

    linear = result.get_prediction(df, which="linear")
    eta, se = np.asarray(linear.predicted), np.sqrt(np.asarray(linear.var_pred))

    return pl.DataFrame({"iso3": df["iso3"].to_numpy(), "year": df["year"].to_numpy(),
                         "probability": expit(eta), "low": expit(eta - Z95 * se),
                         "high": expit(eta + Z95 * se)})


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve (Mann–Whitney, ties counted half).

    Examples
    --------
    >>> auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    y = np.asarray(y).astype(bool)
    p = np.asarray(p, dtype=float)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = pd.Series(p).rank(method="average").to_numpy()
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> pl.DataFrame:
    """Mean predicted vs observed shutdown rate by decile of predicted probability."""
    frame = pl.DataFrame({"y": np.asarray(y, dtype=float), "p": np.asarray(p, dtype=float)})
    rank = frame["p"].rank("ordinal").to_numpy()
    frame = frame.with_columns(decile=pl.Series(((rank - 1) * bins // len(rank)) + 1))
    return (frame.group_by("decile").agg(pl.len().alias("n"),
                                         pl.col("p").mean().alias("mean_predicted"),
                                         pl.col("y").mean().alias("observed_rate"))
            .sort("decile"))


@dataclass(frozen=True)
class RiskResult:
    """A risk-model fit: the statsmodels GLM result and its diagnostics."""

    formula: str
    result: object = field(repr=False)
    countries: frozenset[str] = field(repr=False)
    n_obs: int
    n_countries: int
    years: tuple[int, int]
    auc_in_sample: float
    auc_time_split: float
    n_test: int
    split_year: int
    calibration: pl.DataFrame = field(repr=False)
    region_levels: tuple[str, ...]

    def predict(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`predict_statsmodels` with this fit."""
        return predict_statsmodels(self.result, frame)


def fit_risk(panel: pl.DataFrame, split_year: int = RISK_SPLIT_YEAR) -> RiskResult:
    """Fit the risk logit (GLM Binomial) on ``panel`` (years with a t−1 row); AUC in sample
    and on a time split (fit ≤ ``split_year``, test ``split_year``+1 – 2024)."""
    rf = risk_frame(panel)
    formula = RISK_FORMULA + (RISK_POLITICS_TERMS if "autocracy_lag" in rf.columns else "")
    cols = _risk_columns(formula)
    df = to_pandas(rf, cols)
    if df.empty or df["any_shutdown"].nunique() < 2:
        raise DataError("the panel has no variation in shutdowns to fit the risk model")
    res = _glm(formula, df)
    p_in = np.asarray(res.fittedvalues)
    train, test = df[df["year"] <= split_year], df[(df["year"] > split_year)
                                                   & (df["year"] <= 2024)]
    res_t = _glm(formula, train)
    p_test = predict_statsmodels(res_t, pl.from_pandas(test))["probability"].to_numpy()
    levels = tuple(sorted(df["region"].unique()))  # patsy's order: the reference first
    expected = ["Intercept", *(f"C(region)[T.{lv}]" for lv in levels[1:])]
    if list(res.params.index[:len(levels)]) != expected:
        raise DataError(f"unexpected risk-model terms {list(res.params.index)}")
    return RiskResult(formula, res, frozenset(df["iso3"].unique().tolist()), int(res.nobs),
                      int(df["iso3"].nunique()), (int(df["year"].min()), int(df["year"].max())),
                      auc(df["any_shutdown"].to_numpy(), p_in),
                      auc(test["any_shutdown"].to_numpy(), p_test), len(test), split_year,
                      calibration_table(df["any_shutdown"].to_numpy(), p_in), levels)


def risk_features(events: pl.DataFrame, indicators: pl.DataFrame, countries: pl.DataFrame,
                  politics: pl.DataFrame | None, formula: str,
                  years: Iterable[int] = range(RISK_TABLE_YEARS[0], RISK_TABLE_YEARS[1] + 1),
                  ) -> pl.DataFrame:
    """The risk covariates of each country and outcome year in ``years`` (complete rows of
    the columns ``formula`` needs): year, iso3, region and the t − 1 covariates, built for
    year Y from the panel of 2016 to Y exactly as the model's own rows."""
    cols = [c for c in _risk_columns(formula) if c != "any_shutdown"]
    parts = []
    for y in years:
        panel = exposure_panel(events, indicators, countries, politics,
                               range(RISK_YEARS[0] - 1, y + 1))
        parts.append(risk_frame(panel).filter(pl.col("year") == y).select(cols).drop_nulls())
    front = ["year", "iso3", "region"]
    out = pl.concat(parts).select(front + [c for c in cols if c not in front])
    # 12 significant digits, as indicators.csv: copied indicator values stay unchanged
    return out.with_columns(pl.col(pl.Float64).round_sig_figs(FEATURE_SIG_FIGS)).sort("year",
                                                                                     "iso3")


# --------------------------------------------------------------------------------------------
# committed tables


def _coef_rows(model: str, names: list[str], params, bse, pvalues, cov) -> list[tuple]:
    rows = [(model, "coef", t, "", float(params[t])) for t in names]
    rows += [(model, "se", t, "", float(bse[t])) for t in names]
    rows += [(model, "pvalue", t, "", float(pvalues[t])) for t in names]
    rows += [(model, "cov", a, b, float(cov.loc[a, b])) for a in names for b in names]
    return rows


def effect_rows(fit: EffectResult) -> list[tuple]:
    """``econometrics_fit`` rows of one effect model: exposure terms only (the fixed effects
    are not needed at run time)."""
    f, res = fit.fit, fit.result
    rows = _coef_rows(f.outcome, list(EFFECT_TERMS), res.params, res.bse, res.pvalues,
                      res.cov_params())
    stats = {"n_obs": f.n_obs, "n_countries": f.n_countries, "n_clusters": f.n_clusters,
             "year_first": f.years[0], "year_last": f.years[1], "within_r2": f.within_r2,
             "n_exposed": f.n_exposed}
    return rows + [(f.outcome, "stat", k, "", float(v)) for k, v in stats.items()]


def risk_rows(fit: RiskResult) -> list[tuple]:
    """``econometrics_fit`` rows of the risk model: formula, region levels, every
    coefficient with SE, p-value and covariance, statistics and the calibration table."""
    res = fit.result
    names = list(res.params.index)
    rows = [(RISK_MODEL, "spec", "formula", fit.formula, None)]
    rows += [(RISK_MODEL, "level", "region", lv, float(i))
             for i, lv in enumerate(fit.region_levels)]
    rows += _coef_rows(RISK_MODEL, names, res.params, res.bse, res.pvalues, res.cov_params())
    stats = {"n_obs": fit.n_obs, "n_countries": fit.n_countries, "year_first": fit.years[0],
             "year_last": fit.years[1], "auc_in_sample": fit.auc_in_sample,
             "auc_time_split": fit.auc_time_split, "n_test": fit.n_test,
             "split_year": fit.split_year}
    rows += [(RISK_MODEL, "stat", k, "", float(v)) for k, v in stats.items()]
    for d, n, mp, ob in fit.calibration.select("decile", "n", "mean_predicted",
                                               "observed_rate").iter_rows():
        rows += [(RISK_MODEL, "calibration", str(d), "n", float(n)),
                 (RISK_MODEL, "calibration", str(d), "mean_predicted", float(mp)),
                 (RISK_MODEL, "calibration", str(d), "observed_rate", float(ob))]
    return rows


def fit_tables(events: pl.DataFrame, indicators: pl.DataFrame, countries: pl.DataFrame,
               politics: pl.DataFrame | None) -> dict[str, pl.DataFrame]:
    """Fit every panel model and return the committed tables by name:
    ``econometrics_fit`` (``model, kind, term, term2, value``), ``econometrics_sample``
    (``model, iso3``) and ``risk_features``. Floats are rounded to `FIT_SIG_FIGS`
    significant digits, so a rebuild reproduces the files byte for byte."""
    panel = exposure_panel(events, indicators, countries, politics, YEARS)
    effects = [fit_effect(panel, o) for o in OUTCOMES]
    risk = fit_risk(exposure_panel(events, indicators, countries, politics,
                                   (RISK_YEARS[0] - 1, *RISK_YEARS)))
    rows = [r for f in effects for r in effect_rows(f)] + risk_rows(risk)
    fit = pl.DataFrame(rows, schema={"model": pl.String, **{c: pl.String for c in
                                                            FIT_COLUMNS[:-1]},
                                     "value": pl.Float64}, orient="row").with_columns(
        pl.col("value").round_sig_figs(FIT_SIG_FIGS))
    sample = pl.DataFrame(
        [(f.fit.outcome, c) for f in effects for c in sorted(f.fit.countries)]
        + [(RISK_MODEL, c) for c in sorted(risk.countries)],
        schema=["model", "iso3"], orient="row")
    return {FIT_TABLE: fit, SAMPLE_TABLE: sample,
            FEATURES_TABLE: risk_features(events, indicators, countries, politics,
                                          risk.formula)}


def fit_summary(fit: pl.DataFrame) -> list[str]:
    """Short build printout of an ``econometrics_fit`` table."""
    def get(model: str, kind: str, term: str) -> float:
        return fit.filter((pl.col("model") == model) & (pl.col("kind") == kind)
                          & (pl.col("term") == term))["value"].item()

    lines = []
    for o in OUTCOMES:
        lines.append(
            f"panel fit {o}: n={get(o, 'stat', 'n_obs'):.0f} ({get(o, 'stat', 'n_clusters'):.0f}"
            f" clusters), beta_full {get(o, 'coef', 'full_days'):+.5f} "
            f"(se {get(o, 'se', 'full_days'):.5f}), beta_service "
            f"{get(o, 'coef', 'service_days'):+.5f} (se {get(o, 'se', 'service_days'):.5f})")
    lines.append(f"risk fit: n={get(RISK_MODEL, 'stat', 'n_obs'):.0f}, AUC in sample "
                 f"{get(RISK_MODEL, 'stat', 'auc_in_sample'):.3f}, time split "
                 f"{get(RISK_MODEL, 'stat', 'auc_time_split'):.3f}")
    return lines


def bundled_fit_tables() -> dict[str, pl.DataFrame]:
    """`fit_tables` over the bundled tables (what a rebuild writes, without the raw data)."""
    return fit_tables(_bundled_events(), read_bundled("indicators"), read_bundled("countries"),
                      _bundled_politics())


# --------------------------------------------------------------------------------------------
# report


def _fmt(x: float, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{digits}f}"


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def econometrics_report() -> str:
    """Markdown tables of the committed fits (sample, coefficients, diagnostics, risk); the
    sample rows are recomputed from the bundled tables, no model is refitted."""
    panel = bundled_panel()
    events = _bundled_events()
    split = event_year_days(events).filter(pl.col("year").is_in(YEARS))
    fits = {o: fit_effect_model(o) for o in OUTCOMES}
    g = fits["gdp_growth_pct"]
    out = ["### Sample", "",
           _md_table(["item", "value"], [
               ["economies in the balanced panel", str(panel["iso3"].n_unique())],
               ["years", f"{YEARS[0]}–{YEARS[-1]}"],
               ["country-years", str(panel.height)],
               ["event-year pieces in the panel years", str(split.height)],
               ["country-years with any exposure", str(int(panel["any_active"].sum()))],
               ["country-years with a shutdown starting", str(int(panel["any_shutdown"].sum()))],
               ["mean full-network national-equivalent days (exposed years)",
                _fmt(panel.filter(pl.col("full_days") > 0)["full_days"].mean(), 2)],
               ["mean service-block national-equivalent days (exposed years)",
                _fmt(panel.filter(pl.col("service_days") > 0)["service_days"].mean(), 2)],
               ["data version", data_version()],
           ]), "", "### Effect model (two-way fixed effects, SE clustered by country)", ""]
    rows = []
    for o, f in fits.items():
        for kind in ("full", "service"):
            b, se = f.coef(kind)
            lo, hi = f.ci90(kind)
            p = f.p_full if kind == "full" else f.p_service
            rows.append([OUTCOMES[o], f"{kind}_days", _fmt(b, 5), _fmt(se, 5),
                         f"[{_fmt(lo, 5)}, {_fmt(hi, 5)}]", _fmt(p, 3), str(f.n_obs),
                         str(f.n_clusters), f"{f.years[0]}–{f.years[1]}", _fmt(f.within_r2, 4)])
    out.append(_md_table(["outcome", "term", "β (per nat.-equiv. day)", "clustered SE",
                          "90 % CI", "p", "n", "clusters", "years", "within R²"], rows))
    b, se = g.coef("full")
    ex = event_loss(100e9, 1.0, "full", g)
    exs = event_loss(100e9, 1.0, "service", g)
    out += ["", "### Loss per national-equivalent day for an economy with GDP USD 100 bn", "",
            _md_table(["kind", "central", "90 % CI", "P5", "P50", "P95", "share of draws < 0"],
                      [[k, f"{e.central / 1e6:,.1f} m", f"[{e.ci90[0] / 1e6:,.1f}, {e.ci90[1] / 1e6:,.1f}] m",
                         f"{e.p05 / 1e6:,.1f} m",
                        f"{e.p50 / 1e6:,.1f} m", f"{e.p95 / 1e6:,.1f} m",
                        f"{e.share_negative:.1%}"] for k, e in (("full", ex), ("service", exs))])]
    r = fit_risk_model()
    lo, hi = r.ci90()
    out += ["", "### Risk model (logit, GLM Binomial)", "", f"`{r.formula}`", "",
            _md_table(["term", "coefficient", "SE", "90 % CI", "p"],
                      [[k, _fmt(r.coef[i], 3), _fmt(r.se[i], 3),
                        f"[{_fmt(lo[i], 3)}, {_fmt(hi[i], 3)}]",
                        _fmt(r.p_values[i], 3)] for i, k in enumerate(r.terms)]),
            "", _md_table(["diagnostic", "value"], [
                ["observations (country-years)", str(r.n_obs)],
                ["countries", str(r.n_countries)],
                ["outcome years", f"{r.years[0]}–{r.years[1]}"],
                ["AUC in sample", _fmt(r.auc_in_sample, 3)],
                [(f"AUC time split (fit ≤ {r.split_year}, test {r.split_year + 1}–2024, "
                  f"n = {r.n_test})"),
                 _fmt(r.auc_time_split, 3)],
            ]), "", "Calibration by decile of predicted probability (in sample):", "",
            _md_table(["decile", "n", "mean predicted", "observed rate"],
                      [[str(d), str(n), _fmt(mp, 3), _fmt(ob, 3)]
                       for d, n, mp, ob in r.calibration.iter_rows()])]
    names = dict(read_bundled("countries").select("iso3", "name").iter_rows())
    top = risk_table(2026).head(15)
    out += ["", "### Top 15 economies by predicted probability of a shutdown starting in 2026",
            "", _md_table(["rank", "iso3", "country", "probability", "90 % CI"],
                          [[str(i), iso, names.get(iso, iso), f"{p:.2f}",
                            f"[{lo:.2f}, {hi:.2f}]"]
                           for i, (iso, p, lo, hi) in enumerate(top.iter_rows(), start=1)])]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m impact.bundled.econometrics [--write-docs]``: print the report, or write it
    between the GENERATED markers of ``docs/econometrics.md``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m impact.bundled.econometrics",
                                     description="Print the report of the committed panel "
                                                 "fits")
    parser.add_argument("--write-docs", action="store_true",
                        help="replace the generated section of docs/econometrics.md")
    args = parser.parse_args(argv)
    report = econometrics_report()
    if not args.write_docs:
        print(report)
        return 0
    path = DOCS_PATH
    begin, end = "<!-- BEGIN GENERATED -->", "<!-- END GENERATED -->"
    text = path.read_text(encoding="utf-8") if path.is_file() else f"{begin}\n{end}\n"
    if begin not in text or end not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(f"{head}{begin}\n{report}{end}{tail}", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
