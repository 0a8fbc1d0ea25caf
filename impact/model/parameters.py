"""Parameters as data: load, validate and sample the literature coefficients.

Every coefficient of every method lives in ``data/parameters.csv`` (or, for platform
dependence and the hour-of-day profile, in their own tables: ``data/platform_weights.csv`` and
``data/platform_level_fit.csv``, ``data/hour_profile.csv``) with a central value, a range,
a unit, a source and a note. The loaders reject malformed copies with a clear message.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl

from impact.bundled.datacheck import check_rows, row_name
from impact.bundled.io import read_bundled
from impact.errors import ParameterFileError
from impact.model.distributions import KIND, UNIFORM_KINDS, draw, quantile_at
from impact.model.scenario import MAX_HOURS
from impact.vocab import PARAMETER_COLUMNS, PLATFORMS


class ParamSpec(NamedTuple):
    """One uncertain (or fixed) input of a method (immutable; a tuple, cheap to create).

    ``value`` is the central value; for ``lognormal`` it is the median and ``low``/``high``
    are the 5th and 95th percentiles; for ``triangular`` they are the mode and the bounds;
    for ``lognormal_capped`` (`impact.model.distributions.capped_lognormal`) the median and the 1st and 99th
    percentiles, which are also its bounds.
    """

    name: str
    value: float
    low: float
    high: float
    unit: str
    distribution: str
    source: str
    notes: str = ""

    @property
    def uncertain(self) -> bool:
        return self.distribution != "fixed" and self.high > self.low

    def with_value(self, value: float) -> ParamSpec:
        """A copy centred on ``value`` with the same relative range (used for overrides)."""
        if self.distribution == "normal":  # shift: keep the interval's width
            shift = value - self.value
            return self._replace(value=value, low=self.low + shift, high=self.high + shift,
                           notes=f"{self.notes} (central value overridden by the user)".strip())
        if self.value == 0:
            return self._replace(value=value, low=value, high=value, distribution="fixed",
                           notes=f"{self.notes} (overridden by the user)".strip())
        ratio = value / self.value
        return self._replace(value=value, low=self.low * ratio, high=self.high * ratio,
                       notes=f"{self.notes} (central value overridden by the user)".strip())

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws from the parameter's distribution (`impact.model.distributions`: the
        same draws the engine makes from the same stream)."""
        if not self.uncertain:
            return np.full(n, self.value, dtype=float)
        kind = KIND[self.distribution]
        u = rng.random(n) if kind in UNIFORM_KINDS else rng.standard_normal(n)
        return draw(kind, self.value, self.low, self.high, u)

    def quantile(self, q: float) -> float:
        """The input at quantile ``q`` for the one-at-a-time sensitivity (q = 0.05 or 0.95;
        `impact.model.distributions.quantile_at`)."""
        if not self.uncertain:
            return self.value
        one = np.array([[float(x)] for x in (self.value, self.low, self.high)])
        return float(quantile_at(one[0:1], one[1:2], one[2:3],
                                 np.array([[KIND[self.distribution]]]), q)[0, 0])


class Range(NamedTuple):
    """The physical range of a parameter [its unit]: finite numbers from ``low`` to
    ``high``, each end included unless ``open_low``/``open_high``, whole numbers only when
    ``whole``; ``words`` say it as an error message does."""

    low: float
    high: float
    words: str
    open_low: bool = False
    open_high: bool = False
    whole: bool = False

    def accepts(self, x: float) -> bool:
        """Whether ``x`` is a finite number in the range.

        >>> UNIT_RANGES["share 0-1"].accepts(1.0), UNIT_RANGES["share 0-1"].accepts(5)
        (True, False)
        """
        return bool(np.isfinite(x) and (x > self.low if self.open_low else x >= self.low)
                    and (x < self.high if self.open_high else x <= self.high)
                    and (not self.whole or x == int(x)))


_INF = float("inf")
_SHARE = Range(0.0, 1.0, "a share between 0 and 1")
#: the physical range of every unit a method input is given in (the ``unit`` column of
#: data/parameters.csv and the units of the data inputs the methods list): an override outside
#: it is refused, and an overridden range is cut to it. One table for every method; a unit not
#: in it keeps the general rule, `DEFAULT_RANGE` (tests check that every unit in use is here).
UNIT_RANGES: dict[str, Range] = {
    "share 0-1": _SHARE,
    "share 0-1 of GDP": _SHARE,
    "share 0-1 of internet access": _SHARE,
    "share 0-1 of digital-economy activity": _SHARE,
    "share 0-1 of social-media activity": _SHARE,
    "level: share of digital activity per share of social-media activity": Range(
        0.0, _INF, "a finite level > 0 (the platform weight is the level × the usage, at "
        "most 1)", open_low=True),
    "intensity 0-1": _SHARE,
    "share of daily GDP per day": Range(0.0, 1.0, "a share of a day's GDP between 0 and 1"),
    "share of hourly national GDP": Range(0.0, 1.0, "a share of an hour's GDP between 0 "
                                          "and 1"),
    "hours": Range(0.0, MAX_HOURS, f"a number of hours > 0 and <= {MAX_HOURS:.0f} (20 years)",
                   open_low=True),
    "days": Range(0.0, MAX_HOURS / 24, f"a number of days > 0 and <= {MAX_HOURS / 24:.0f} "
                  "(20 years)", open_low=True),
    "years": Range(0.0, 100.0, "a number of years from 0 to 100"),
    "per year": Range(0.0, 1.0, "a yearly rate between 0 and 1 (0.1 = 10 % a year)"),
    "USD per year": Range(0.0, _INF, "a finite amount of USD per year > 0", open_low=True),
    "USD per person": Range(0.0, _INF, "a finite amount of USD per person > 0",
                            open_low=True),
    "USD per USD of direct loss": Range(0.0, _INF, "a finite number >= 0 of USD per USD of "
                                        "direct loss"),
    "elasticity": Range(0.0, 1.0, "an elasticity between 0 and 1"),
    "ratio to an average hour": Range(0.0, 168.0, "a ratio to an average hour from 0 to 168 "
                                      "(a whole week's activity in one hour)"),
    "pp of annual GDP growth per national-equivalent day": Range(
        -_INF, _INF, "a finite number of percentage points of annual GDP growth per day "
        "(negative: a loss)"),
    "% of population": Range(0.0, 100.0, "a percentage of the population from 0 to 100"),
    "subscriptions per 100": Range(0.0, _INF, "a finite number >= 0 of subscriptions per 100 "
                                   "people"),
    "flag": Range(0.0, 1.0, "a flag, 0 or 1", whole=True),
}
#: the rule for a unit `UNIT_RANGES` does not list
DEFAULT_RANGE = Range(0.0, _INF, "a finite number >= 0")


def unit_range(unit: str) -> Range:
    """The physical range of a parameter given in ``unit`` (`UNIT_RANGES`)."""
    return UNIT_RANGES.get(unit, DEFAULT_RANGE)


def within_range(spec: ParamSpec) -> ParamSpec:
    """``spec`` with its low and high cut to its unit's physical range (an overridden central
    value scales the range, which can then leave it: recovery 0.9 of a 0–0.5 range at 0.2
    would reach 2.25)."""
    r = unit_range(spec.unit)
    low, high = max(spec.low, r.low), min(spec.high, r.high)
    if (low, high) == (spec.low, spec.high):
        return spec
    return spec._replace(low=low, high=high,
                         notes=f"{spec.notes} (range cut to {r.words})".strip())


def validate_parameter_table(frame: pl.DataFrame, origin: str = "parameters") -> pl.DataFrame:
    """Check a parameter table under the parameter rules of `impact.bundled.datacheck.RULES`
    (the bundled table and a user's own are held to the same rules); raise
    `ParameterFileError` naming ``origin`` and the first problem, with its line and
    ``method.parameter``. Returns the table with value, low and high as numbers."""
    missing = [c for c in PARAMETER_COLUMNS if c not in frame.columns]
    if missing:
        raise ParameterFileError(f"{origin}: missing column(s) {missing}; "
                                 f"expected {list(PARAMETER_COLUMNS)}")
    numbers = frame.with_columns(pl.col("value", "low", "high").cast(pl.Float64, strict=False))
    for col in ("value", "low", "high"):
        bad = numbers[col].is_null() & frame[col].is_not_null()
        if bad.any():
            row = int(bad.arg_true()[0])
            raise ParameterFileError(f"{origin}: value, low and high must be numbers, but "
                                     f"{row_name('parameters', frame, row)} has {col} "
                                     f"{frame[col][row]!r}")
    problem = check_rows("parameters", numbers)
    if problem:
        raise ParameterFileError(f"{origin}: {problem}")
    return numbers


@functools.cache
def parameter_table() -> pl.DataFrame:
    return validate_parameter_table(read_bundled("parameters"))


def load_parameter_file(path: Path) -> pl.DataFrame:
    """Read and validate a parameter CSV (used by tests and for user-supplied tables)."""
    try:
        frame = pl.read_csv(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise ParameterFileError(f"{path}: not a readable CSV ({exc})") from None
    return validate_parameter_table(frame, origin=str(path))


@functools.cache
def _param_index() -> dict[tuple[str, str], ParamSpec]:
    """(method, parameter) -> `ParamSpec`, built once per process from the bundled table."""
    return {(r["method"], r["parameter"]): ParamSpec(
        r["parameter"], float(r["value"]), float(r["low"]), float(r["high"]), r["unit"],
        r["distribution"], r["source"], r["notes"] or "")
        for r in parameter_table().iter_rows(named=True)}


def param(method: str, name: str) -> ParamSpec:
    """The `ParamSpec` of ``method.name`` from the bundled parameter table."""
    try:
        return _param_index()[(method, name)]
    except KeyError:
        raise KeyError(f"parameter {method}.{name} not found in data/parameters.csv") from None


#: columns of data/platform_weights.csv (`impact.build.platforms`): ``usage`` prices a block,
#: ``reach`` is an input of the usage rule, kept for information
PLATFORM_COLUMNS = ("iso3", "platform", "reach", "basis", "usage", "usage_basis")
#: how a reach value was obtained (``basis``; rules in `impact.build.platforms`)
PLATFORM_BASES = ("users", "referral_scaled", "meta_scaled", "non_meta_scaled", "region",
                  "world")
#: how a usage value was obtained (``usage_basis``; rules in `impact.build.platforms`)
PLATFORM_USAGE_BASES = ("referral_share", "region", "world", "reach_x_facebook_intensity",
                        "reach_x_youtube_intensity")
#: the world row of the platform table: the fallback for a country it does not list
PLATFORM_WORLD = "WLD"
PLATFORM_WEIGHT_UNIT = "share 0-1 of digital-economy activity"
PLATFORM_USAGE_UNIT = "share 0-1 of social-media activity"
PLATFORM_LEVEL_UNIT = "level: share of digital activity per share of social-media activity"
PLATFORM_SOURCE = ("StatCounter Global Stats referral shares 2022-04..2024-03; for platforms "
                   "it does not measure, reach (World Population Review 2023 users, company "
                   "user figures in data/platform_world_users.csv) × Facebook's or YouTube's "
                   "activity per user")
PLATFORM_LEVEL_SOURCE = ("OLS on Top10VPN 2019–2022 platform-block country-years "
                         "(data/platform_level_fit.csv; impact.build.platforms)")


def validate_platform_table(frame: pl.DataFrame, origin: str = "platform_weights"
                            ) -> pl.DataFrame:
    """Check a platform table (`PLATFORM_COLUMNS`): reach and usage finite shares in [0, 1],
    known bases, every platform once for every country, and the world row; raise
    `ParameterFileError` naming the first problem."""
    missing = [c for c in PLATFORM_COLUMNS if c not in frame.columns]
    if missing:
        raise ParameterFileError(f"{origin}: missing column(s) {missing}; "
                                 f"expected {list(PLATFORM_COLUMNS)}")
    if frame.height == 0:
        raise ParameterFileError(f"{origin}: no rows")
    for col in PLATFORM_COLUMNS:
        if frame[col].null_count():
            raise ParameterFileError(f"{origin}: empty {col}")
    for col in ("reach", "usage"):
        try:
            share = frame[col].cast(pl.Float64, strict=True).to_numpy()
        except pl.exceptions.PolarsError:
            raise ParameterFileError(f"{origin}: {col} must be numbers") from None
        bad = ~(np.isfinite(share) & (share >= 0) & (share <= 1))
        if bad.any():
            i = int(np.argmax(bad))
            raise ParameterFileError(f"{origin} line {i + 2}: {col} {frame[col][i]!r} is "
                                     "not a share between 0 and 1")
    unknown = sorted(set(frame["platform"]) - set(PLATFORMS))
    if unknown:
        raise ParameterFileError(f"{origin}: unknown platform(s) {unknown}; use {PLATFORMS}")
    for col, allowed in (("basis", PLATFORM_BASES), ("usage_basis", PLATFORM_USAGE_BASES)):
        bases = sorted(set(frame[col]) - set(allowed))
        if bases:
            raise ParameterFileError(f"{origin}: unknown {col} {bases}; use {allowed}")
    counts = frame.group_by("iso3").agg(pl.col("platform").n_unique().alias("n"), pl.len())
    short = counts.filter((pl.col("n") != len(PLATFORMS)) | (pl.col("len") != len(PLATFORMS)))
    if short.height:
        raise ParameterFileError(f"{origin}: each country needs each of {PLATFORMS} once; "
                                 f"not so for {sorted(short['iso3'].to_list())[:5]}")
    if PLATFORM_WORLD not in set(frame["iso3"]):
        raise ParameterFileError(f"{origin}: no world row (iso3 {PLATFORM_WORLD})")
    return frame


@functools.cache
def platform_table() -> pl.DataFrame:
    """The bundled platform table (data/platform_weights.csv), validated."""
    return validate_platform_table(read_bundled("platform_weights"))


@functools.cache
def _platform_index() -> dict[tuple[str, str], tuple[float, str, float, str]]:
    return {(r["iso3"], r["platform"]): (float(r["reach"]), r["basis"], float(r["usage"]),
                                         r["usage_basis"])
            for r in platform_table().iter_rows(named=True)}


def _platform_row(platform: str, iso3: str | None) -> tuple[float, str, float, str]:
    """(reach, basis, usage, usage_basis) of ``platform`` in ``iso3``; the world row, with
    both bases ``world``, for a country the table does not list."""
    index = _platform_index()
    key = (iso3 or PLATFORM_WORLD, platform)
    if key in index:
        return index[key]
    if (PLATFORM_WORLD, platform) not in index:
        raise KeyError(f"unknown platform {platform!r}; use one of {', '.join(PLATFORMS)}")
    reach, _, usage, _ = index[(PLATFORM_WORLD, platform)]
    return reach, "world", usage, "world"


def platform_usage(platform: str, iso3: str | None = None) -> tuple[float, str]:
    """(usage [share 0-1 of the country's social-media activity], usage basis) of
    ``platform`` in ``iso3``: what prices a block; the world row for a country the table does
    not list (basis ``world``)."""
    _, _, usage, basis = _platform_row(platform, iso3)
    return usage, basis


def platform_reach(platform: str, iso3: str | None = None) -> tuple[float, str]:
    """(reach [share 0-1 of the country's social-media users], basis) of ``platform`` in
    ``iso3``: informative, and an input of the usage rule at build time; the world row for a
    country the table does not list (basis ``world``)."""
    reach, basis, _, _ = _platform_row(platform, iso3)
    return reach, basis


@functools.cache
def platform_level_fit() -> dict[str, float]:
    """Statistics of the level fit (data/platform_level_fit.csv): ``level`` (median),
    ``level_p05``/``level_p95`` (90 % prediction interval), ``n``, leave-one-out figures."""
    table = read_bundled("platform_level_fit")
    stats = dict(table.filter(pl.col("kind") == "stat").select("term", "value").iter_rows())
    for name in ("level", "level_p05", "level_p95", "n"):
        if name not in stats or not np.isfinite(stats[name]):
            raise ParameterFileError(f"platform_level_fit: missing statistic {name!r}")
    if not 0 < stats["level_p05"] <= stats["level"] <= stats["level_p95"]:
        raise ParameterFileError("platform_level_fit: need 0 < level_p05 <= level <= "
                                 "level_p95")
    return stats


#: the largest level of platform dependence [share of digital activity per share of
#: social-media activity]: a block of every social platform cannot take more than the whole
#: digital economy, so L <= 1 (a fit above it is restricted to it, `platform_level`)
LEVEL_BOUND = 1.0


def platform_level() -> ParamSpec:
    """The level L of platform dependence [share of digital activity per share of social-media
    activity]: lognormal, median and 90 % range from the fit's 90 % confidence interval of
    the level (the estimate's own uncertainty, as for any fitted coefficient; the scatter of
    single published country-years around it, the prediction interval, is stated in the
    notes and in docs/platforms.md), restricted to `LEVEL_BOUND` (the restricted estimate:
    the bound when the fit is above it).

    >>> spec = platform_level()
    >>> 0 < spec.low <= spec.value <= spec.high <= LEVEL_BOUND
    True
    """
    s = platform_level_fit()
    low, high = s.get("level_ci_low", s["level_p05"]), s.get("level_ci_high", s["level_p95"])
    value, low, high = (min(x, LEVEL_BOUND) for x in (s["level"], low, high))
    dist = "lognormal" if high > low else "fixed"
    notes = (f"90 % confidence interval of the level fitted on n={s['n']:.0f} platform-block "
             f"country-years; single published country-years scatter wider (90 % "
             f"prediction interval {s['level_p05']:.2g}–{s['level_p95']:.2g})")
    if s["level"] > LEVEL_BOUND:
        notes += (f"; the fit's {s['level']:.3g} is above the bound L <= {LEVEL_BOUND:g} (a "
                  "block of every social platform takes at most the whole digital economy), "
                  "so L is the bound")
    if "median_ratio_loo" in s:
        notes += (f"; leave-one-out median ratio {s['median_ratio_loo']:.2f}, "
                  f"{s['within_2x_loo']:.0%} within ×2")
    return ParamSpec("platform_level", value, low, high,
                     PLATFORM_LEVEL_UNIT, dist, PLATFORM_LEVEL_SOURCE, notes)


def platform_param(platform: str, iso3: str | None = None) -> ParamSpec:
    """Dependence weight of ``platform`` in ``iso3`` [share 0-1 of digital-economy activity]:
    the level L × the platform's usage there, lognormal over L's 90 % range, at most 1."""
    usage, basis = platform_usage(platform, iso3)
    level = platform_level()
    return ParamSpec(f"platform_weight_{platform}", min(1.0, level.value * usage),
                     min(1.0, level.low * usage), min(1.0, level.high * usage),
                     PLATFORM_WEIGHT_UNIT, level.distribution if usage > 0 else "fixed",
                     PLATFORM_SOURCE, f"usage {usage:.3g} ({basis}) × level {level.value:.3g}")


def platform_usage_param(platform: str, iso3: str | None = None) -> ParamSpec:
    """The usage of ``platform`` in ``iso3`` as a fixed data input
    [share 0-1 of social-media activity]."""
    usage, basis = platform_usage(platform, iso3)
    return ParamSpec(f"platform_usage_{platform}", usage, usage, usage,
                     PLATFORM_USAGE_UNIT, "fixed", PLATFORM_SOURCE,
                     f"basis: {basis} (data/platform_weights.csv)")


@functools.cache
def hour_weights() -> np.ndarray:
    """Weights for the 168 hours of a week (Monday 00:00 first), mean exactly 1."""
    frame = read_bundled("hour_profile")
    hours = frame.filter(pl.col("kind") == "hour").sort("index")["weight"].to_numpy()
    days = frame.filter(pl.col("kind") == "weekday").sort("index")["weight"].to_numpy()
    if hours.shape != (24,) or days.shape != (7,) or (hours < 0).any() or (days < 0).any():
        raise ParameterFileError("hour_profile: need 24 hour and 7 weekday non-negative weights")
    week = np.outer(days, hours).ravel()
    return week / week.mean()
