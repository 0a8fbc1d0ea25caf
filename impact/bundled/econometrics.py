"""Panel econometrics of shutdowns, in the spirit of Internet Society Pulse NetLoss.

Two models are fitted at build time (`impact.build.panel_models`, statsmodels) on a balanced
country-year panel of World Bank economies built from the bundled event catalogue and World
Bank indicators, and committed as data; this module reads them and predicts in numpy only:

* an **effect model** — two-way fixed-effects OLS of an outcome (GDP growth, FDI inflows,
  unemployment) on national-equivalent shutdown days, with country-clustered standard errors.
  The GDP-growth coefficient is turned into a per-event loss
  (`impact.methods.panel.panel_loss_usd`);
* a **risk model** — a logit of "a shutdown starts in year t" on last year's shutdown, an
  election year, income, internet use, regime type and WB region (`risk_table`).

Committed tables (``data/``):

* ``econometrics_fit.csv`` — ``model, kind, term, term2, value``: per model (an outcome of
  `OUTCOMES`, or ``risk``) its coefficients, clustered SEs, p-values, covariance, sample
  statistics; for the risk model also its formula, region levels, AUCs and calibration
  table (kinds as in `impact.bundled.fits`);
* ``econometrics_sample.csv`` — ``model, iso3``: the countries of each estimation sample;
* ``risk_features.csv`` — the risk model's covariates per country and outcome year (t − 1
  values, complete rows only), for every year `risk_table` accepts.

Fits are cached by `impact.bundled.io.data_version`. Run ``python -m impact.econometrics
--write-docs`` to regenerate ``docs/econometrics.md`` (report writing is build-side code).

References
----------
Internet Society Pulse (2023). NetLoss: the cost of internet shutdowns.
Tagat, A., Phokeer, A., & Kreitem, H. (2024). NetLoss: an econometric framework for the
economic cost of internet shutdowns. Internet Society.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from impact.bundled import fits
from impact.bundled.io import data_version, read_bundled
from impact.errors import DataError
from impact.vocab import Z95

YEARS = tuple(range(2016, 2025))  # effect-model panel
RISK_YEARS = tuple(range(2017, 2026))  # outcome years of the risk model (lags need t-1)
RISK_TABLE_YEARS = (2017, 2030)  # years `risk_table` accepts
OUTCOMES = {
    "gdp_growth_pct": "GDP growth [% per year]",
    "fdi_net_inflows_pct_gdp": "FDI net inflows [% of GDP]",
    "unemployment_pct": "unemployment [% of labour force]",
}
EFFECT_TERMS = ("full_days", "service_days")
RISK_MODEL = "risk"
FIT_TABLE = "econometrics_fit"
SAMPLE_TABLE = "econometrics_sample"
FEATURES_TABLE = "risk_features"
_LEVEL = re.compile(r"^C\((\w+)\)\[T\.(.+)\]$")


def _read(name: str) -> pl.DataFrame:
    """A bundled fit table; a missing or bad file is `read_bundled`'s `BundledDataError`."""
    return read_bundled(name)


def _model_rows(model: str) -> pl.DataFrame:
    rows = _read(FIT_TABLE).filter(pl.col("model") == model).drop("model")
    if rows.height == 0:
        raise DataError(f"data/{FIT_TABLE}.csv has no rows for model {model!r}; rebuild the "
                        "data with `impact data build`")
    return rows


def _sample(model: str) -> frozenset[str]:
    return frozenset(_read(SAMPLE_TABLE).filter(pl.col("model") == model)["iso3"].to_list())


# --------------------------------------------------------------------------------------------
# effect model


@dataclass(frozen=True)
class EffectFit:
    """Two-way FE OLS of an outcome on national-equivalent shutdown days.

    ``beta_*`` are in outcome units (percentage points) per national-equivalent day; ``se_*``
    are clustered by country.
    """

    outcome: str
    beta_full: float
    se_full: float
    beta_service: float
    se_service: float
    p_full: float
    p_service: float
    n_obs: int
    n_countries: int
    n_clusters: int
    years: tuple[int, int]
    within_r2: float
    n_exposed: int
    countries: frozenset[str] = field(repr=False)
    params: tuple[tuple[str, float], ...] = field(repr=False)

    def ci90(self, kind: str = "full") -> tuple[float, float]:
        b, se = self.coef(kind)
        return b - Z95 * se, b + Z95 * se

    def coef(self, kind: str = "full") -> tuple[float, float]:
        if kind == "full":
            return self.beta_full, self.se_full
        if kind == "service":
            return self.beta_service, self.se_service
        raise ValueError(f"kind: {kind!r} is not accepted; full or service")


def effect_fit_from_table(outcome: str, rows: pl.DataFrame,
                          countries: frozenset[str]) -> EffectFit:
    """An `EffectFit` from the ``econometrics_fit`` rows of one outcome (``model`` dropped)."""
    b = fits.vector(rows, "coef", EFFECT_TERMS)
    se = fits.vector(rows, "se", EFFECT_TERMS)
    p = fits.vector(rows, "pvalue", EFFECT_TERMS)
    s = fits.stats(rows)
    return EffectFit(
        outcome=outcome, beta_full=float(b[0]), se_full=float(se[0]),
        beta_service=float(b[1]), se_service=float(se[1]), p_full=float(p[0]),
        p_service=float(p[1]), n_obs=int(s["n_obs"]), n_countries=int(s["n_countries"]),
        n_clusters=int(s["n_clusters"]), years=(int(s["year_first"]), int(s["year_last"])),
        within_r2=float(s["within_r2"]), n_exposed=int(s["n_exposed"]), countries=countries,
        params=tuple((t, float(v)) for t, v in zip(EFFECT_TERMS, b, strict=True)),
    )


@functools.cache
def _effect_cached(version: str, outcome: str) -> EffectFit:
    return effect_fit_from_table(outcome, _model_rows(outcome), _sample(outcome))


def fit_effect_model(outcome: str = "gdp_growth_pct") -> EffectFit:
    """The effect model fitted at build time on the bundled data (read from
    ``data/econometrics_fit.csv``), cached by `impact.bundled.io.data_version`."""
    if outcome not in OUTCOMES:
        raise DataError(f"outcome {outcome!r} is not modelled; one of {', '.join(OUTCOMES)}")
    return _effect_cached(data_version(), outcome)


def require_growth_data(iso3: str, fit: EffectFit | None = None) -> None:
    """Raise `DataError` unless ``iso3`` is in the GDP-growth estimation sample."""
    fit = fit or fit_effect_model("gdp_growth_pct")
    if iso3 not in fit.countries:
        raise DataError(f"{iso3} has no World Bank GDP growth data for {fit.years[0]}–"
                        f"{fit.years[1]}, so it is outside the panel model's estimation "
                        "sample and the panel coefficient is not applied to it")


# --------------------------------------------------------------------------------------------
# risk model


def expit(x):
    """Logistic function 1 / (1 + e^−x).

    Examples
    --------
    >>> float(expit(0.0))
    0.5
    """
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


_PREDICTION_SCHEMA = {"iso3": pl.String, "year": pl.Int64, "probability": pl.Float64,
                      "low": pl.Float64, "high": pl.Float64}


@dataclass(frozen=True)
class RiskFit:
    """Logit (GLM Binomial, SE clustered by country) of any_shutdown_t, fitted at build time.

    ``terms`` are the coefficient names in statsmodels/patsy order (``Intercept``,
    ``C(region)[T.<level>]``, then the covariates); ``coef``, ``se``, ``p_values`` follow
    them and ``cov`` is their clustered covariance. ``region_levels`` lists the WB regions
    of the fit, the reference level first.
    """

    formula: str
    terms: tuple[str, ...]
    coef: np.ndarray = field(repr=False, compare=False)
    cov: np.ndarray = field(repr=False, compare=False)
    se: np.ndarray = field(repr=False, compare=False)
    p_values: np.ndarray = field(repr=False, compare=False)
    region_levels: tuple[str, ...]
    countries: frozenset[str] = field(repr=False)
    n_obs: int
    n_countries: int
    years: tuple[int, int]
    auc_in_sample: float
    auc_time_split: float
    n_test: int
    split_year: int
    calibration: pl.DataFrame = field(repr=False, compare=False)
    params: tuple[tuple[str, float], ...] = field(repr=False)

    def ci90(self) -> tuple[np.ndarray, np.ndarray]:
        """90 % confidence interval of each coefficient (normal, clustered SE)."""
        return self.coef - Z95 * self.se, self.coef + Z95 * self.se

    @property
    def covariates(self) -> tuple[str, ...]:
        """Columns a frame needs for `predict` (besides ``iso3``, ``year``, ``region``)."""
        return tuple(t for t in self.terms if t != "Intercept" and not _LEVEL.match(t))

    def design(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, np.ndarray]:
        """(rows kept, design matrix): the rows of ``frame`` with every covariate present
        and their model-matrix rows (booleans as 0/1), columns in `terms` order."""
        needed = ["iso3", "year", "region", *self.covariates]
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise DataError(f"risk covariates lack column(s) {missing}; need {needed}")
        rows = frame.select(needed).drop_nulls()
        unknown = sorted(set(rows["region"].unique().to_list()) - set(self.region_levels))
        if unknown:
            raise DataError(f"region(s) {unknown} were not in the risk model's sample; "
                            f"one of {', '.join(self.region_levels)}")
        region = rows["region"].to_numpy()
        cols = []
        for t in self.terms:
            level = _LEVEL.match(t)
            if t == "Intercept":
                cols.append(np.ones(rows.height))
            elif level:
                cols.append((region == level.group(2)).astype(float))
            else:
                cols.append(rows[t].cast(pl.Float64).to_numpy())
        x = np.column_stack(cols) if rows.height else np.empty((0, len(self.terms)))
        return rows, x

    def linear_predictor(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, np.ndarray,
                                                                np.ndarray]:
        """(rows kept, η = x·b, se(η) = sqrt(x Σ xᵀ)) for the complete rows of ``frame``."""
        rows, x = self.design(frame)
        eta = x @ self.coef
        se = np.sqrt(np.einsum("ij,jk,ik->i", x, self.cov, x))
        return rows, eta, se

    def predict(self, frame: pl.DataFrame) -> pl.DataFrame:
        """iso3, year, probability, low, high (90 % CI from the linear predictor's SE) for
        the rows of ``frame`` with every covariate present."""
        rows, eta, se = self.linear_predictor(frame)
        if rows.height == 0:
            return pl.DataFrame(schema=_PREDICTION_SCHEMA)
        return pl.DataFrame({"iso3": rows["iso3"], "year": rows["year"].cast(pl.Int64),
                             "probability": expit(eta), "low": expit(eta - Z95 * se),
                             "high": expit(eta + Z95 * se)})


def risk_fit_from_table(rows: pl.DataFrame, countries: frozenset[str]) -> RiskFit:
    """A `RiskFit` from the ``econometrics_fit`` rows of the risk model (``model`` dropped)
    and the countries of its sample."""
    terms = fits.terms(rows, "coef")
    spec = dict(rows.filter(pl.col("kind") == "spec").select("term", "term2").iter_rows())
    levels = (rows.filter((pl.col("kind") == "level") & (pl.col("term") == "region"))
              .sort("value")["term2"].to_list())
    s = fits.stats(rows)
    cal = rows.filter(pl.col("kind") == "calibration")
    calibration = (cal.with_columns(pl.col("term").cast(pl.Int64).alias("decile"))
                   .pivot(on="term2", index="decile", values="value")
                   .select("decile", pl.col("n").cast(pl.UInt32), "mean_predicted",
                           "observed_rate").sort("decile"))
    coef = fits.vector(rows, "coef", terms)
    return RiskFit(
        formula=spec["formula"], terms=terms, coef=coef, cov=fits.matrix(rows, terms),
        se=fits.vector(rows, "se", terms), p_values=fits.vector(rows, "pvalue", terms),
        region_levels=tuple(levels), countries=countries, n_obs=int(s["n_obs"]), n_countries=int(s["n_countries"]),
        years=(int(s["year_first"]), int(s["year_last"])),
        auc_in_sample=float(s["auc_in_sample"]), auc_time_split=float(s["auc_time_split"]),
        n_test=int(s["n_test"]), split_year=int(s["split_year"]), calibration=calibration,
        params=tuple((t, float(v)) for t, v in zip(terms, coef, strict=True)),
    )


@functools.cache
def _risk_cached(version: str) -> RiskFit:
    return risk_fit_from_table(_model_rows(RISK_MODEL), _sample(RISK_MODEL))


def fit_risk_model() -> RiskFit:
    """The risk model fitted at build time on the bundled data (read from
    ``data/econometrics_fit.csv``), cached by `impact.bundled.io.data_version`."""
    return _risk_cached(data_version())


@functools.cache
def _risk_table_cached(version: str, year: int) -> pl.DataFrame:
    rows = _read(FEATURES_TABLE).filter(pl.col("year") == year)
    return (fit_risk_model().predict(rows).select("iso3", "probability", "low", "high")
            .sort(["probability", "iso3"], descending=[True, False]))


def risk_table(year: int = 2026) -> pl.DataFrame:
    """Predicted probability that a shutdown starts in ``year`` per country, with a 90 % CI:
    iso3, probability, low, high [0-1]. Covariates are the latest values up to ``year`` − 1
    (``data/risk_features.csv``); countries lacking one are left out. Beyond the catalogue's
    last full year, the lagged shutdown indicator is 0 for every country, so keep ``year`` ≤
    last catalogue year + 1; past the politics table's last year no row is complete."""
    lo, hi = RISK_TABLE_YEARS
    if not lo <= int(year) <= hi:
        raise DataError(f"risk year {year!r} is outside {lo}–{hi}")
    return _risk_table_cached(data_version(), int(year))


# --------------------------------------------------------------------------------------------
# report (build-side code: imported only when a report is written)
