"""Beyond the loss: the panel fits' associations for one scenario, and next-year shutdown risk.

Two pure read-outs of the committed econometric fits (`impact.bundled.econometrics`), for showing
beside an estimate:

* `scenario_effects` — for each modelled outcome (GDP growth, FDI net inflows, unemployment)
  the fitted effect of *this* scenario: the coefficient [percentage points of the outcome per
  national-equivalent day] × the scenario's national-equivalent days, converted exactly as the
  method `panel` converts them (`impact.methods.panel.central_equivalent_days`, with the
  coefficient kind of `impact.methods.panel.effect_kind`), its 90 % interval, p-value, sample
  and a verdict in words. These are associations in past country-years, not measured causes
  (docs/econometrics.md, caveats).
* `risk_outlook` — the predicted probability that a new shutdown starts in a country, for the
  year `risk_year` chooses: the next calendar year after ``today`` when the bundled data has
  its covariates, else the latest year it supports, with the reason in words.

Every number in the text columns goes through `impact.format`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

from impact import format as fmt
from impact.bundled.countries import country_name
from impact.bundled.data_status import vintage_date
from impact.bundled.econometrics import (
    FEATURES_TABLE,
    OUTCOMES,
    _read,
    fit_effect_model,
    risk_table,
)
from impact.bundled.io import read_bundled
from impact.methods.panel import central_equivalent_days, effect_kind

#: outcome -> (label in words with the unit of the effect, short name used in verdicts)
OUTCOME_LABELS = {
    "gdp_growth_pct": ("GDP growth [percentage points of annual growth]", "GDP growth"),
    "fdi_net_inflows_pct_gdp": ("FDI net inflows [percentage points of GDP]",
                                "FDI net inflows"),
    "unemployment_pct": ("Unemployment rate [percentage points of the labour force]",
                         "unemployment"),
}
#: the outcome the method `panel` turns into a loss
LOSS_OUTCOME = "gdp_growth_pct"
NOT_DISTINGUISHABLE = "not distinguishable from zero (90 % interval includes 0)"
ASSOCIATION = "an association, not a measured cause"
LOSS_NOTE = "the panel method turns this effect into its loss"
KIND_WORDS = {"full": "full-network", "service": "platform-block"}
#: display column -> column of `scenario_effects`
DISPLAY_COLUMNS = {
    "outcome": "label",
    "effect of this scenario": "effect_text",
    "90 % interval": "interval_text",
    "p-value": "p_text",
    "sample": "sample_text",
    "reading": "verdict",
}
EFFECT_SCHEMA = {
    "outcome": pl.String, "label": pl.String, "kind": pl.String, "status": pl.String,
    "equivalent_days": pl.Float64, "coefficient": pl.Float64, "effect": pl.Float64,
    "low": pl.Float64, "high": pl.Float64, "p_value": pl.Float64, "n_obs": pl.Int64,
    "n_countries": pl.Int64, "years": pl.String, "effect_text": pl.String,
    "interval_text": pl.String, "p_text": pl.String, "sample_text": pl.String,
    "verdict": pl.String,
}


# --------------------------------------------------------------------------------------------
# effects


def _context(est_or_context):
    """The `impact.model.context.Context` of an `impact.Estimate` (or the context itself)."""
    return getattr(est_or_context, "context", est_or_context)


def _central_overrides(overrides: Mapping[str, float]) -> dict[str, float]:
    """An estimate's overrides as input name -> value for the panel method (a ``panel.x``
    key wins over a bare ``x``), as `impact.estimate` applies them."""
    plain = {k: v for k, v in overrides.items() if "." not in k}
    plain.update({k.split(".", 1)[1]: v for k, v in overrides.items()
                  if k.startswith("panel.")})
    return plain


def scenario_days(est_or_context) -> tuple[float, str]:
    """(national-equivalent days, coefficient kind) of a scenario, as the method `panel`
    computes them at the central inputs."""
    ctx = _context(est_or_context)
    overrides = _central_overrides(getattr(est_or_context, "overrides", None) or {})
    return central_equivalent_days(ctx, overrides), effect_kind(ctx.scope)


def verdict(low: float, high: float, kind: str = "full", outcome: str = LOSS_OUTCOME) -> str:
    """The reading of an effect's 90 % interval [low, high] in words.

    Examples
    --------
    >>> verdict(-0.03, 0.004)
    'not distinguishable from zero (90 % interval includes 0)'
    >>> verdict(-0.3, -0.02, "service")
    'an association, not a measured cause: country-years with more platform-block shutdown days had lower GDP growth'
    """
    if low <= 0.0 <= high:
        return NOT_DISTINGUISHABLE
    direction = "lower" if high < 0 else "higher"
    short = OUTCOME_LABELS[outcome][1]
    return (f"{ASSOCIATION}: country-years with more {KIND_WORDS[kind]} shutdown days had "
            f"{direction} {short}")


def p_text(p: float | None) -> str:
    """A p-value in words: two significant figures, ``< 0.001`` below that.

    >>> p_text(0.2207), p_text(0.0678), p_text(0.0000213), p_text(None)
    ('0.22', '0.068', '< 0.001', '–')
    """
    if fmt.is_missing(p):
        return fmt.MISSING
    return "< 0.001" if p < 0.001 else fmt.number(p, 2)


def interval_text(low: float | None, high: float | None) -> str:
    """A 90 % interval as ``low to high`` (`impact.format.number` for each end).

    >>> interval_text(-0.0263, 0.00176), interval_text(None, 1.0)
    ('-0.0263 to 0.00176', '–')
    """
    if fmt.is_missing(low) or fmt.is_missing(high):
        return fmt.MISSING
    return f"{fmt.number(low)} to {fmt.number(high)}"


def _unavailable(outcome: str, kind: str, days: float, fit, iso3: str) -> dict:
    label = OUTCOME_LABELS[outcome][0]
    short = OUTCOME_LABELS[outcome][1]
    return {
        "outcome": outcome, "label": label, "kind": kind, "status": "unavailable",
        "equivalent_days": days, "coefficient": None, "effect": None, "low": None,
        "high": None, "p_value": None, "n_obs": fit.n_obs, "n_countries": fit.n_countries,
        "years": f"{fit.years[0]}–{fit.years[1]}", "effect_text": fmt.MISSING,
        "interval_text": fmt.MISSING, "p_text": fmt.MISSING,
        "sample_text": _sample_text(fit),
        "verdict": (f"{country_name(iso3)} is outside this fit's estimation sample (no World "
                    f"Bank {short} data for {fit.years[0]}–{fit.years[1]}), so no effect is "
                    "given"),
    }


def _sample_text(fit) -> str:
    return (f"{fmt.count(fit.n_obs)} country-years, {fmt.count(fit.n_countries)} countries, "
            f"{fit.years[0]}–{fit.years[1]}")


def scenario_effects(est_or_context) -> pl.DataFrame:
    """The fitted effects of a scenario on each modelled outcome, one row per outcome.

    Parameters
    ----------
    est_or_context : an `impact.Estimate` (its context and overrides are used) or an
        `impact.model.context.Context`

    Returns
    -------
    polars frame with `EFFECT_SCHEMA`: ``outcome`` (key of `impact.bundled.econometrics.OUTCOMES`),
    ``label`` (in words, with the unit of the effect), ``kind`` (``full`` or ``service``, as
    the method `panel` chooses by scope), ``status`` (``ok`` or ``unavailable`` when the
    country is outside that outcome's estimation sample), ``equivalent_days`` [days],
    ``coefficient`` [percentage points per national-equivalent day], ``effect`` = coefficient
    × days and its 90 % interval ``low``, ``high`` [percentage points of the outcome],
    ``p_value``, ``n_obs`` [country-years], ``n_countries``, ``years``, and the text columns
    ``effect_text``, ``interval_text``, ``p_text``, ``sample_text`` and ``verdict`` (formatted
    by `impact.format`). GDP growth comes first: it is the effect the method `panel` turns
    into a loss (its verdict says so).
    """
    ctx = _context(est_or_context)
    days, kind = scenario_days(est_or_context)
    rows = []
    for outcome in (LOSS_OUTCOME, *(o for o in OUTCOMES if o != LOSS_OUTCOME)):
        fit = fit_effect_model(outcome)
        if ctx.iso3 not in fit.countries:
            rows.append(_unavailable(outcome, kind, days, fit, ctx.iso3))
            continue
        b, _ = fit.coef(kind)
        lo, hi = sorted(v * days for v in fit.ci90(kind))
        p = fit.p_full if kind == "full" else fit.p_service
        reading = verdict(lo, hi, kind, outcome)
        if outcome == LOSS_OUTCOME:
            reading += f"; {LOSS_NOTE}"
        rows.append({
            "outcome": outcome, "label": OUTCOME_LABELS[outcome][0], "kind": kind,
            "status": "ok", "equivalent_days": days, "coefficient": b, "effect": b * days,
            "low": lo, "high": hi, "p_value": p, "n_obs": fit.n_obs,
            "n_countries": fit.n_countries, "years": f"{fit.years[0]}–{fit.years[1]}",
            "effect_text": fmt.number(b * days), "interval_text": interval_text(lo, hi),
            "p_text": p_text(p), "sample_text": _sample_text(fit), "verdict": reading,
        })
    return pl.DataFrame(rows, schema=EFFECT_SCHEMA)


def effects_display(effects: pl.DataFrame) -> pl.DataFrame:
    """`scenario_effects` as shown to people: human column names, text only."""
    return effects.select(pl.col(c).alias(name) for name, c in DISPLAY_COLUMNS.items())


def effects_intro(effects: pl.DataFrame) -> str:
    """One sentence saying what the effects are and the days they were scaled to."""
    days = effects["equivalent_days"][0] if effects.height else None
    kind = effects["kind"][0] if effects.height else "full"
    return (f"Fitted effect of this scenario's {fmt.number(days)} national-equivalent days "
            f"(hours / 24 × affected share × intensity, × the mobile share of access for a "
            f"mobile-only cut, as the panel method counts them) × the {KIND_WORDS[kind]} "
            "coefficient of two-way fixed-effects panel fits of each outcome (country and "
            "year effects, errors clustered by country). These are associations in past "
            "country-years, not measured causes: shutdowns come with crises that move these "
            "outcomes too.")


def effect_lines(effects: pl.DataFrame) -> list[str]:
    """One line per outcome: label, effect, interval, p-value and verdict."""
    lines = []
    for r in effects.iter_rows(named=True):
        if r["status"] != "ok":
            lines.append(f"{r['label']}: {r['verdict']}")
            continue
        lines.append(f"{r['label']}: {r['effect_text']} (90 % CI {r['interval_text']}, "
                     f"p {r['p_text']}; {r['sample_text']}) — {r['verdict']}")
    return lines


# --------------------------------------------------------------------------------------------
# risk


def snapshot_date() -> date | None:
    """The day the event catalogue was accessed (``data/vintages.csv``, read by
    `impact.bundled.data_status.vintage_date`), or None."""
    try:
        rows = read_bundled("vintages").filter(pl.col("table") == "events")
    except FileNotFoundError:
        return None
    return next((d for d in map(vintage_date, rows["vintage"].to_list()) if d), None)


def _long_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "unknown"


@dataclass(frozen=True)
class RiskYear:
    """Which year the risk model predicts, and why.

    ``year`` is the predicted (outcome) year, ``covariates_year`` the year its covariates
    come from (``year`` − 1), ``first``/``latest`` the years the bundled covariates support,
    ``why`` the rule in words and ``short`` the year with the reason in a few words, for a
    title ("2026, the year under way (2027 cannot be predicted from the catalogue snapshot
    of 20 May 2026)")."""

    year: int
    covariates_year: int
    first: int
    latest: int
    today: date
    snapshot: date | None
    why: str
    short: str


def risk_year(today: date | None = None) -> RiskYear:
    """The year to predict: the calendar year after ``today`` when the bundled covariates
    support it (``data/risk_features.csv`` has complete rows for it), else the latest year
    they support (the year after the catalogue's last complete year), said in words.

    Parameters
    ----------
    today : the date of the question (default: the system date)
    """
    today = today or date.today()
    years = _read(FEATURES_TABLE)["year"]
    first, latest = int(years.min()), int(years.max())
    snapshot = snapshot_date()
    wanted = today.year + 1
    year = min(max(wanted, first), latest)
    basis = f"{year} is predicted from the {year - 1} covariates"
    if year == wanted:
        short = f"{year}, the next calendar year"
        why = f"{basis}: {year} is the next calendar year (today is {_long_date(today)})."
    elif wanted > latest:
        short = (f"{year}, the year under way" if year == today.year
                 else f"{year}, a year already over" if year < today.year else str(year))
        short += (f" ({wanted} cannot be predicted from the catalogue snapshot of "
                  f"{_long_date(snapshot)})")
        why = (f"{basis}: {wanted} cannot be predicted until the {wanted - 1} catalogue year "
               f"is complete (the bundled catalogue is complete to {latest - 1}; snapshot "
               f"{_long_date(snapshot)}).")
        if year == today.year:
            why += (f" {year} is already under way (today is {_long_date(today)}): shutdowns "
                    "that started in it are not used by the prediction.")
        elif year < today.year:
            why += (f" {year} is over (today is {_long_date(today)}): rebuild the data with a "
                    f"newer catalogue to predict {wanted}.")
    else:
        short = f"{year}, the first year the bundled covariates support"
        why = f"{basis}: {first} is the first year the bundled covariates support."
    return RiskYear(year, year - 1, first, latest, today, snapshot, why, short)


@dataclass(frozen=True)
class RiskOutlook:
    """The risk that a new shutdown starts in a country in the `RiskYear` chosen.

    ``probability``, ``low``, ``high`` [0-1] (90 % interval) and ``rank`` (1 = highest) of
    ``n_countries`` are None when the country lacks complete covariates. ``text`` is the
    headline sentence and ``why`` the year rule (`RiskYear.why`)."""

    iso3: str
    year: int
    covariates_year: int
    probability: float | None
    low: float | None
    high: float | None
    rank: int | None
    n_countries: int
    text: str
    why: str


def risk_outlook(iso3: str, today: date | None = None) -> RiskOutlook:
    """The probability that a new shutdown starts in ``iso3`` in the year `risk_year` picks
    for ``today``, with its 90 % interval, the country's rank and the reason for the year.

    Examples
    --------
    >>> risk_outlook("PAK", date(2026, 12, 2)).text  # doctest: +ELLIPSIS
    'Risk that a new shutdown starts in Pakistan in 2026: 76 % (90 % CI 65 % – 84 %); rank 5 of 171 countries.'
    """
    ry = risk_year(today)
    table = risk_table(ry.year)
    name = country_name(iso3)
    ranks = table["iso3"].to_list()
    if iso3 not in ranks:
        text = (f"No risk estimate for {name} in {ry.year}: its covariates (income, internet "
                "use, regime type or region) are incomplete in the bundled data.")
        return RiskOutlook(iso3, ry.year, ry.covariates_year, None, None, None, None,
                           table.height, text, ry.why)
    rank = ranks.index(iso3) + 1
    row = table.row(rank - 1, named=True)
    text = (f"Risk that a new shutdown starts in {name} in {ry.year}: "
            f"{fmt.percent(row['probability'], 2)} (90 % CI {fmt.percent(row['low'], 2)} – "
            f"{fmt.percent(row['high'], 2)}); rank {rank} of {table.height} countries.")
    return RiskOutlook(iso3, ry.year, ry.covariates_year, row["probability"], row["low"],
                       row["high"], rank, table.height, text, ry.why)


RISK_NOTE = ("A logit of past shutdowns, income, internet use, region, elections, regime type "
             "and coups: an association in past data, not a forecast of any government's "
             "decision.")
