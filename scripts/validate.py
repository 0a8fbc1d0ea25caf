"""Check the catalogue's 2019–2022 estimates against Top10VPN's published country-year figures.

    python scripts/validate.py [--validation ../shared/validation/top10vpn_country_year_2019_2022.csv]
                               [--draws 2000] [--no-write] [--docs docs]

Estimates every catalogue event active in 2019–2022 with every method, year by year of its
exposure (`impact.catalogue.events.estimate_events`: reports of the same place and days counted once,
events split over calendar years, platform blocks costed for at most 365 days as Top10VPN
does), sums each method's P50 per country-year and compares hours and costs with Top10VPN,
"The Cost of Internet Shutdowns" (2019, 2020, 2021 and 2022 reports; figures © Top10VPN,
read from ../shared/validation/ for checking only and never written to data/ or the
package). Two variants: ``capped`` (open-ended events cost what the source states) and
``to_snapshot_capped`` (open-ended events still ongoing run to the snapshot). Prints, per
variant and method, the matched country-years, the median ratio ours/published and the
share within ×2 for hours and for cost — for `cost_compatible` also leave-one-out (its fit
refitted without the country-year it predicts) — then the events each catalogue rule
changed and the worst country-years. Writes docs/validation.md and docs/validation_ratio.svg
unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from impact import format as fmt
from impact.bundled.indicators import internet_users
from impact.catalogue.events import catalogue, estimate_events
from impact.errors import ImpactError
from impact.methods import REGISTRY

REPO = Path(__file__).resolve().parents[1]
DEFAULT_VALIDATION = REPO.parent / "shared" / "validation" / "top10vpn_country_year_2019_2022.csv"
YEARS = (2019, 2022)
MAIN_METHOD = "cost_compatible"
CITATION = ("Top10VPN (S. Woodhams and S. Migliano), *The Cost of Internet Shutdowns* — annual "
            "reports for 2019, 2020, 2021 and 2022, https://www.top10vpn.com/research/"
            "cost-of-internet-shutdowns/ (country-year figures © Top10VPN, used for checking "
            "only)")


def read_published(path: Path) -> pl.DataFrame:
    """Top10VPN country-year rows: year, country, iso3, cost_usd, duration_hours,
    users_affected."""
    frame = pl.read_csv(path, infer_schema_length=None)
    return frame.filter(pl.col("iso3").is_not_null()).with_columns(
        pl.col("year").cast(pl.Int64), pl.col("cost_usd").cast(pl.Float64),
        pl.col("duration_hours").cast(pl.Float64), pl.col("users_affected").cast(pl.Float64))


VARIANTS = ("capped", "to_snapshot_capped")
#: the catalogue before the exposure rules (commit e944c2b, `python scripts/validate.py`
#: there): start-year basis, reports summed, open-ended events to the snapshot
BEFORE = {"commit": "e944c2b", "cost_compatible": {"median_ratio": 1.40, "within_2x": 0.41,
                                                   "n_matched": 78},
          "hours": {"median_ratio": 1.77, "within_2x": 0.40}}


def _active(events: pl.DataFrame) -> pl.DataFrame:
    """Catalogue events active at some time in 2019–2022 in either variant."""
    first, last = date(YEARS[0], 1, 1), date(YEARS[1], 12, 31)
    ends = pl.col("end").fill_null(pl.col("start"))
    if "hours_to_snapshot" in events.columns:
        ends = pl.when(pl.col("hours_to_snapshot").is_not_null()).then(pl.lit(date(2100, 1, 1))) \
            .otherwise(ends)
    return events.filter((pl.col("start") <= last) & (ends >= first))


def estimate_catalogue(draws: int, seed: int | None = None) -> tuple[pl.DataFrame,
                                                                     pl.DataFrame, float]:
    """(catalogue events active in 2019–2022, their estimates with every method in the
    `VARIANTS`, one row per event × calendar year, seconds taken)."""
    events = _active(catalogue())
    t0 = time.perf_counter()
    kwargs = {} if seed is None else {"seed": seed}
    est = estimate_events(events, "all", draws=draws, cap_platform_days=True,
                          open_ended="both", **kwargs)
    return events, est, time.perf_counter() - t0


def event_years(estimates: pl.DataFrame, events: pl.DataFrame, method: str,
                variant: str = "capped") -> pl.DataFrame:
    """One row per event and calendar year 2019–2022 of one method and variant: ``hours``
    exposed (after counting each place and day once, before a method's own cap) and the
    P50 loss."""
    rows = estimates.filter((pl.col("method") == method) & (pl.col("variant") == variant)
                            & pl.col("year").is_between(*YEARS))
    traits = events.select("event_id", pl.col("affected_share").fill_null(1.0),
                           pl.col("scope").alias("catalogue_scope"))
    return rows.select(
        "event_id", "iso3", pl.col("year").cast(pl.Int64), (pl.col("status") == "ok").alias("ok"),
        (pl.col("part_hours") * pl.col("overlap_factor")).alias("hours"), "part_hours",
        pl.when(pl.col("status") == "ok").then(pl.col("loss_usd_p50")).alias("loss_usd_p50"),
    ).join(traits, on="event_id", how="left", validate="m:1")


def country_years(parts: pl.DataFrame) -> pl.DataFrame:
    """Per country-year: events costed, not costed, exposed hours (every event, costed or
    not), summed P50, hours-weighted affected share and platform-block counts."""
    ok = pl.col("ok")
    platform = pl.col("catalogue_scope").is_in(["platforms", "platforms_other"])
    return parts.group_by("iso3", "year").agg(
        pl.col("event_id").filter(ok).n_unique().alias("n_events"),
        pl.col("event_id").filter(~ok).n_unique().alias("n_not_costed"),
        pl.col("hours").sum().alias("hours_ours"),
        pl.col("part_hours").sum().alias("hours_reported"),
        pl.when(ok.any()).then(pl.col("loss_usd_p50").filter(ok).sum()).alias("ours_usd"),
        (pl.col("affected_share") * pl.col("hours")).sum().truediv(pl.col("hours").sum())
        .alias("share_ours"),
        platform.sum().alias("n_platform"), pl.len().alias("n_catalogue"),
        (pl.col("catalogue_scope") == "platforms_other").sum().alias("n_other_services"))


def _published_share(published: pl.DataFrame) -> pl.DataFrame:
    out = []
    for r in published.iter_rows(named=True):
        share = None
        if r["users_affected"] is not None:
            try:
                users = internet_users(r["iso3"], r["year"]).value
                share = min(1.0, r["users_affected"] / users) if users > 0 else None
            except ImpactError:
                share = None
        out.append({"iso3": r["iso3"], "year": r["year"], "share_published": share})
    return pl.DataFrame(out, schema={"iso3": pl.String, "year": pl.Int64,
                                     "share_published": pl.Float64})


def _reason(r: dict) -> str:
    if r["ours_usd"] is None:
        if r["n_catalogue"]:
            return (f"{r['n_catalogue']} catalogue event(s), none costed by the method "
                    f"({r['n_other_services']} block other services only)")
        return "no catalogue event for this country-year"
    parts = []
    hr = r["hours_ours"] / r["hours_published"] if r["hours_published"] else None
    if hr is not None and (hr > 2 or hr < 0.5):
        parts.append(f"hours differ: ours {r['hours_ours']:,.0f} vs Top10VPN "
                     f"{r['hours_published']:,.0f} (×{hr:.2g})")
    a, b = r["share_ours"], r["share_published"]
    if a is not None and b is not None and a > 0 and b > 0 and abs(math.log(a / b)) > math.log(2):
        parts.append(f"affected share differs: ours {a:.2f} vs Top10VPN {b:.2f} "
                     "(regional extent)")
    if r["n_platform"] and r["n_platform"] * 2 >= r["n_catalogue"]:
        parts.append(f"mostly platform blocks ({r['n_platform']} of {r['n_catalogue']} "
                     "events), priced per platform by COST's Brookings branch")
    if r["n_not_costed"]:
        parts.append(f"{r['n_not_costed']} event(s) not costed by the method")
    if not parts:
        parts.append("hours and extent agree: the published per-hour rate differs from the "
                     "method's rate")
    return "; ".join(parts)


def compare_method(estimates: pl.DataFrame, events: pl.DataFrame, published: pl.DataFrame,
                   method: str, variant: str = "capped") -> pl.DataFrame:
    """Top10VPN country-years joined with the method's summed estimates, ratios and reason.

    Published country-years without a costed catalogue event have ``ours_usd`` null."""
    ours = country_years(event_years(estimates, events, method, variant))
    frame = (published.select("iso3", "year", "country", pl.col("cost_usd").alias("published_usd"),
                              pl.col("duration_hours").alias("hours_published"))
             .join(ours, on=["iso3", "year"], how="left", validate="1:1")
             .join(_published_share(published), on=["iso3", "year"], how="left",
                   validate="1:1")
             .with_columns((pl.col("ours_usd") / pl.col("published_usd")).alias("ratio"),
                           (pl.col("hours_ours") / pl.col("hours_published"))
                           .alias("hours_ratio")))
    reasons = [_reason(r) for r in frame.iter_rows(named=True)]
    return frame.with_columns(pl.Series("reason", reasons, dtype=pl.String),
                              pl.lit(method).alias("method"),
                              pl.lit(variant).alias("variant")).sort("year", "iso3")


def _within(ratio: np.ndarray) -> float:
    return float(np.mean((ratio >= 0.5) & (ratio <= 2))) if len(ratio) else math.nan


def metrics(compared: pl.DataFrame) -> dict:
    """Cost: n published, n matched, n missing, median ratio, share within ×2 (of matched
    rows). Hours: median ratio and share within ×2 of every published country-year with
    hours (a country-year the catalogue does not have counts as not within)."""
    matched = compared.filter(pl.col("ratio").is_not_null() & (pl.col("ratio") > 0))
    ratio = matched["ratio"].to_numpy()
    timed = compared.filter(pl.col("hours_published") > 0)
    hours = timed["hours_ratio"].fill_null(0.0).to_numpy()
    return {
        "method": compared["method"][0] if compared.height else "",
        "n_published": compared.height,
        "n_matched": len(ratio),
        "n_missing": int(compared["ours_usd"].is_null().sum()),
        "median_ratio": float(np.median(ratio)) if len(ratio) else math.nan,
        "within_2x": _within(ratio),
        "median_hours_ratio": float(np.median(hours)) if len(hours) else math.nan,
        "hours_within_2x": _within(hours),
        "n_hours": len(hours),
    }


def worst(compared: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    """The ``n`` matched country-years furthest from Top10VPN (by |log ratio|)."""
    return (compared.filter(pl.col("ratio") > 0)
            .with_columns(pl.col("ratio").log().abs().alias("_d"))
            .sort("_d", descending=True).head(n).drop("_d"))


def rule_counts(events: pl.DataFrame, estimates: pl.DataFrame) -> list[tuple[str, int]]:
    """How many of the dev set's events each catalogue and exposure rule changed."""
    out: list[tuple[str, int]] = [("events active in 2019–2022", events.height)]
    if "hours_basis" in events.columns:
        for basis, n in events["hours_basis"].value_counts().sort("hours_basis").iter_rows():
            out.append((f"hours basis `{basis}`", n))
    if "open_ended" in events.columns:
        out.append(("open-ended (no end date, no duration)", int(events["open_ended"].sum())))
    rows = estimates.filter(pl.col("method") == MAIN_METHOD)
    capped = rows.filter(pl.col("variant") == "capped")
    per_event = capped.group_by("event_id").agg(
        pl.col("year").n_unique().alias("years"),
        (pl.col("overlap_factor") < 0.999).any().alias("overlap"),
        (pl.col("event_hours") < pl.col("duration_hours")).any().alias("capped"))
    out += [("split over two or more calendar years", int((per_event["years"] > 1).sum())),
            ("hours reduced by overlapping reports (counted once)",
             int(per_event["overlap"].sum())),
            ("platform blocks cut to their first 365 days", int(per_event["capped"].sum()))]
    snap = rows.filter(pl.col("variant") == "to_snapshot_capped").group_by("event_id").agg(
        (pl.col("event_hours") > pl.col("duration_hours")).any().alias("longer"))
    out.append(("run to the snapshot in `to_snapshot_capped`", int(snap["longer"].sum())))
    return out


def run(path: Path, draws: int = 2000) -> dict:
    """Everything the report needs: per-variant, per-method comparisons and metrics, the
    leave-one-out check of `cost_compatible`, rule counts and timing."""
    published = read_published(path)
    events, est, seconds = estimate_catalogue(draws)
    methods = [m for m in REGISTRY if m in est["method"].unique().to_list()]
    compared = {v: {m: compare_method(est, events, published, m, v) for m in methods}
                for v in VARIANTS}
    catalogue_cy = event_years(est, events, MAIN_METHOD).select("iso3", "year").unique()
    ours_only = catalogue_cy.join(published.select("iso3", "year"), on=["iso3", "year"],
                                  how="anti").height
    loo = {v: leave_one_out(compared[v][MAIN_METHOD], est, events, v) for v in VARIANTS}
    ranges = run_ranges(path)
    return {"range_metrics": ranges["metrics"], "ranges": ranges["ranges"],
            "stretch": ranges["stretch"],
            "standard": standard_scenarios(),
            "published": published, "events": events, "estimates": est,
            "compared": compared,
            "metrics": {v: [metrics(c) for c in compared[v].values()] for v in VARIANTS},
            "loo": loo, "rules": rule_counts(events, est),
            "seconds": seconds, "n_events": events.height, "ours_only": ours_only,
            "draws": draws}


def leave_one_out(compared: pl.DataFrame, estimates: pl.DataFrame, events: pl.DataFrame,
                  variant: str, shared: Path | None = None) -> dict | None:
    """Cost agreement of `cost_compatible` when its fit never saw the country-year it
    predicts. The method's loss is proportional to its fitted rate exp(x·b), so each event's
    P50 of a published country-year is scaled by exp(x·(b_loo − b)), b_loo refitted without
    that country-year (`impact.build.calibration.loo_coefficients`). Platform blocks are
    costed by the Brookings branch with the platform table, not by the fit, and keep their
    P50 (the platform level's own leave-one-out figures are in docs/platforms.md). None when
    the raw files for the refit are missing."""
    from impact.build.calibration import frame_from_files, loo_coefficients
    from impact.bundled.indicators import lookup
    from impact.bundled.io import data_dir
    from impact.methods.cost_compatible import fit_coefficients

    shared = shared or DEFAULT_VALIDATION.parents[1]
    try:
        frame = frame_from_files(shared, data_dir())
    except (FileNotFoundError, OSError):
        return None
    b = fit_coefficients()[0]
    refits = loo_coefficients(frame)
    traits = {r["event_id"]: r["scope"] for r in events.select(
        "event_id", "scope").iter_rows(named=True)}
    parts = event_years(estimates, events, MAIN_METHOD, variant).filter(pl.col("ok"))
    scaled: dict[tuple[str, int], float] = {}
    for r in parts.iter_rows(named=True):
        key = (r["iso3"], int(r["year"]))
        platform = traits[r["event_id"]] == "platforms"
        ratio = 1.0
        if key in refits and not platform:
            gdp_pc = lookup(r["iso3"], "gdp_per_capita_usd", int(r["year"])).value
            share = max(float(r["affected_share"]), 1e-9)
            x = np.array([1.0, math.log(share), 0.0, math.log(gdp_pc), 0.0])
            ratio = float(np.exp(x @ (refits[key] - b)))
        scaled[key] = scaled.get(key, 0.0) + r["loss_usd_p50"] * ratio
    loo = pl.DataFrame({"iso3": [k[0] for k in scaled], "year": [k[1] for k in scaled],
                        "loo_usd": list(scaled.values())},
                       schema={"iso3": pl.String, "year": pl.Int64, "loo_usd": pl.Float64})
    out = compared.select("iso3", "year", "published_usd").join(
        loo, on=["iso3", "year"], how="left").with_columns(
        (pl.col("loo_usd") / pl.col("published_usd")).alias("ratio"))
    ratio = out.filter(pl.col("ratio") > 0)["ratio"].to_numpy()
    return {"n_matched": len(ratio), "median_ratio": float(np.median(ratio))
            if len(ratio) else math.nan, "within_2x": _within(ratio),
            "n_refitted": sum(1 for k in scaled if k in refits)}


# ---- the headline and every method's range, by scope class ------------------------------------
#: scope classes of the dev set's country-years (`scope_class`)
CLASSES = ("full", "mobile", "platforms", "regional")
MIXED = "mixed"
HEADLINE = "headline"


def scope_class(scope: str | None, affected_share: float | None) -> str:
    """An event's scope class: ``platforms`` for a platform block, ``regional`` for a cut of
    less than half the country, else ``mobile`` or ``full`` (throttling counts as full).

    >>> scope_class("mobile", 1.0), scope_class("full", 0.1), scope_class("platforms", 0.1)
    ('mobile', 'regional', 'platforms')
    """
    if scope in ("platforms", "platforms_other"):
        return "platforms"
    if affected_share is not None and affected_share < 0.5:
        return "regional"
    return "mobile" if scope == "mobile" else "full"


def headline_parts(estimates: pl.DataFrame, events: pl.DataFrame,
                   variant: str = "capped") -> pl.DataFrame:
    """One row per event-year of 2019–2022 and method, plus the headline (method
    ``headline``, `impact.catalogue.events.add_headline`): its Monte Carlo draws [USD] and the event's
    scope class."""
    from impact.catalogue.events import add_headline
    from impact.estimation.ensemble import ENSEMBLE

    rows = add_headline(estimates.filter((pl.col("variant") == variant)
                                         & pl.col("year").is_between(*YEARS)))
    classes = pl.DataFrame(
        [(r["event_id"], scope_class(r["scope"], r["affected_share"]))
         for r in events.select("event_id", "scope", "affected_share").iter_rows(named=True)],
        schema={"event_id": pl.String, "class": pl.String}, orient="row")
    return (rows.filter(pl.col("status") == "ok")
            .join(classes, on="event_id", how="left")
            .select("event_id", "iso3", pl.col("year").cast(pl.Int64),
                    pl.col("method").replace(ENSEMBLE, HEADLINE),
                    pl.col("class").fill_null("full"),
                    pl.col("draws_usd").cast(pl.List(pl.Float64))))


def country_year_ranges(parts: pl.DataFrame) -> pl.DataFrame:
    """Per country-year and method (and the headline): P5, P50, P95 of the summed draws of
    its event-years [USD], and its scope class: the class of its costed events when they
    share one, else ``mixed``."""
    records = []
    for (iso3, year, method), g in parts.group_by("iso3", "year", "method"):
        total = np.sum(np.vstack([np.asarray(d) for d in g["draws_usd"].to_list()]), axis=0)
        p05, p50, p95 = np.quantile(total, [0.05, 0.5, 0.95])
        records.append({"iso3": iso3, "year": year, "method": method, "p05": p05,
                        "p50": p50, "p95": p95})
    ranges = pl.DataFrame(records)
    classes = (parts.filter(pl.col("method") == HEADLINE).group_by("iso3", "year")
               .agg(pl.col("class").unique()).with_columns(
                   pl.when(pl.col("class").list.len() == 1).then(pl.col("class").list.first())
                   .otherwise(pl.lit(MIXED)).alias("class")))
    return ranges.join(classes, on=["iso3", "year"], how="left")


def range_metrics(ranges: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    """Per scope class (and ``all``) and method: country-years matched, median ratio
    ours/published (P50), share within ×2, share of published figures inside P5–P95 and
    the median P95/P5."""
    joined = ranges.join(published.select("iso3", "year", pl.col("cost_usd").alias("pub")),
                         on=["iso3", "year"], how="inner").filter(pl.col("p50") > 0)
    joined = pl.concat([joined, joined.with_columns(pl.lit("all").alias("class"))])
    return (joined.group_by("class", "method").agg(
        pl.len().alias("n"),
        (pl.col("p50") / pl.col("pub")).median().alias("median_ratio"),
        ((pl.col("p50") / pl.col("pub")).is_between(0.5, 2.0)).mean().alias("within_2x"),
        ((pl.col("p05") <= pl.col("pub")) & (pl.col("pub") <= pl.col("p95"))).mean()
        .alias("coverage"),
        (pl.col("p95") / pl.col("p05")).median().alias("median_width"))
        .sort("class", "method"))


#: factors by which the headline's log-distance from its P50 to its P5 and to its P95 is
#: stretched in `coverage_by_stretch` (1 = the headline as it is)
STRETCHES = (1.0, 1.5, 2.0, 2.5, 3.0)


def coverage_by_stretch(ranges: pl.DataFrame, published: pl.DataFrame,
                        stretches: tuple[float, ...] = STRETCHES,
                        method: str = HEADLINE) -> pl.DataFrame:
    """What a wider range would buy: per stretch factor s, the share of published
    country-years inside [P50·(P5/P50)^s, P50·(P95/P50)^s] and that range's median P95/P5.
    Also the ×k about the P50 that holds 80 % of published figures (row ``s = null``)."""
    j = (ranges.filter(pl.col("method") == method).filter(pl.col("p05") > 0)
         .join(published.select("iso3", "year", pl.col("cost_usd").alias("pub")),
               on=["iso3", "year"], how="inner"))
    lo = np.log(j["p05"].to_numpy())
    mid = np.log(j["p50"].to_numpy())
    hi = np.log(j["p95"].to_numpy())
    pub = np.log(j["pub"].to_numpy())
    rows = []
    for s in stretches:
        a, b = mid - s * (mid - lo), mid + s * (hi - mid)
        rows.append({"stretch": s, "coverage": float(np.mean((a <= pub) & (pub <= b))),
                     "median_width": float(np.exp(np.median(b - a)))})
    k = float(np.exp(np.quantile(np.abs(pub - mid), 0.8)))
    rows.append({"stretch": None, "coverage": 0.8, "median_width": k * k})
    return pl.DataFrame(rows, schema={"stretch": pl.Float64, "coverage": pl.Float64,
                                      "median_width": pl.Float64})


def run_ranges(path: Path, draws: int = 1000) -> dict:
    """The headline and every method's country-year ranges on the dev set (variant capped)."""
    published = read_published(path)
    events = _active(catalogue())
    est = estimate_events(events, "all", draws=draws, cap_platform_days=True,
                          open_ended="known", keep_draws=True)
    parts = headline_parts(est, events)
    ranges = country_year_ranges(parts)
    return {"ranges": ranges, "metrics": range_metrics(ranges, published),
            "stretch": coverage_by_stretch(ranges, published)}


#: the headline before this rule (commit 9d5107e: the equally weighted pool of every method
#: that costs the scenario inside its country domain), measured by this script's functions
#: with the pool's draws in place of the headline's
BEFORE_HEADLINE = {"commit": "9d5107e",
                   "standard": {"median_width": 30.4, "max_width": 103.5},
                   "dev": {"median_ratio": 1.03, "within_2x": 0.37, "coverage": 0.56,
                           "median_width": 19.1}}
DEFAULT_STANDARD = DEFAULT_VALIDATION.parent / "standard_scenarios.csv"


def standard_scenarios(path: Path = DEFAULT_STANDARD, draws: int = 10_000) -> pl.DataFrame:
    """The standard scenarios (`../shared/validation/standard_scenarios.csv`): each one's
    headline P50, P5, P95 and P95/P5 [USD], its members and the methods shown beside it or
    left out, with their P50s."""
    from impact import estimate, parse_scenario
    from impact.estimation.ensemble import ensemble

    out = []
    for r in pl.read_csv(path, infer_schema_length=0).iter_rows(named=True):
        data = {k: r[k] for k in ("country", "start", "end", "scope", "platforms", "regions",
                                  "intensity", "duration_hours") if r.get(k)}
        est = estimate(parse_scenario(data), draws=draws)
        ens = ensemble(est)
        p50 = {x["method"]: x["loss_usd_p50"] for x in est.summary.iter_rows(named=True)}
        width = (ens.loss_usd_p95 / ens.loss_usd_p05
                 if ens.members and ens.loss_usd_p05 else math.nan)
        out.append({
            "id": r["id"], "label": r["label"], "p50": ens.loss_usd_p50,
            "p05": ens.loss_usd_p05, "p95": ens.loss_usd_p95, "width": width,
            "members": ", ".join(f"{m} {fmt.money(p50[m])}" for m in ens.members),
            "beside": ", ".join(f"{m} {fmt.money(p50[m])}" for m in ens.beside),
            "not_in_domain": ", ".join(
                f"{m}" + (f" {fmt.money(p50[m])}" if p50.get(m) is not None else "")
                for m in ens.excluded if m not in ens.beside)})
    return pl.DataFrame(out)


def headline_lines(result: dict) -> list[str]:
    """Markdown: the headline's and every method's country-year ranges by scope class, and
    the standard scenarios."""
    b, m = BEFORE_HEADLINE, result["range_metrics"]
    std = result["standard"]
    head_all = m.filter((pl.col("class") == "all") & (pl.col("method") == HEADLINE)).row(
        0, named=True)
    lines = [
        "## The headline and every method's range, by scope class", "",
        ("Country-years of 2019–2022 (variant `capped`): each method's P5–P95 is the range "
         "of the summed Monte Carlo draws of the country-year's events (not a sum of "
         "quantiles); the headline's draws per event come from `impact.estimation.ensemble.combine_draws` "
         "over the event's members. A country-year's scope class is that of all its costed "
         "events (`scope_class`: platforms; regional below half the country; mobile; full, "
         "throttling included), or `mixed` when they differ. Coverage: share of Top10VPN figures "
         "inside the P5–P95; width: median P95/P5."), "",
        "| | median ratio | within ×2 | P5–P95 coverage | median P95/P5 |", "|---|---|---|---|---|",
        (f"| before (commit {b['commit']}: pooled draws of every method in its country "
         f"domain) | {b['dev']['median_ratio']:.2f} | {b['dev']['within_2x']:.0%} | "
         f"{b['dev']['coverage']:.0%} | {b['dev']['median_width']:.1f}× |"),
        (f"| now: the headline | {head_all['median_ratio']:.2f} | {head_all['within_2x']:.0%} "
         f"| {head_all['coverage']:.0%} | {head_all['median_width']:.1f}× |"), "",
        "| class | method | country-years | median ratio | within ×2 | coverage | median P95/P5 |",
        "|---|---|---|---|---|---|---|"]
    for r in m.iter_rows(named=True):
        name = f"**{r['method']}**" if r["method"] == HEADLINE else r["method"]
        lines.append(f"| {r['class']} | {name} | {r['n']} | {_fmt_ratio(r['median_ratio'])} | "
                     f"{r['within_2x']:.0%} | {r['coverage']:.0%} | "
                     f"{r['median_width']:.1f}× |")
    stretch = result["stretch"]
    needed = stretch.filter(pl.col("stretch").is_null())["median_width"][0]
    hours_2x = next(x["hours_within_2x"] for x in result["metrics"]["capped"]
                    if x["method"] == MAIN_METHOD)
    lines += [
        "", "### What a range would need to cover 80 % of country-years", "",
        ("The headline's P5–P95 covers about half of Top10VPN's country-year figures. "
         "Stretching it (each side's distance from the P50, in logs, times s) shows what "
         "coverage costs in width. The misses come from the events themselves more than from "
         "the price per hour: only "
         f"{hours_2x:.0%} of country-years have hours within ×2 of "
         "Top10VPN's own count (tables below), and a range for the loss of the catalogue's "
         "events cannot cover events the catalogue does not hold or holds with other "
         "hours."), "",
        "| stretch s | P5–P95 coverage | median P95/P5 |", "|---|---|---|"]
    for r in stretch.filter(pl.col("stretch").is_not_null()).iter_rows(named=True):
        lines.append(f"| {r['stretch']:.1f} | {r['coverage']:.0%} | "
                     f"{r['median_width']:.0f}× |")
    lines += ["", (f"A range centred on the headline's P50 that holds 80 % of the published "
                   f"figures is ×{needed ** 0.5:.1f} either side: P95/P5 of {needed:.0f}×. "
                   "An 80 % coverage with a median width of 20× or less is therefore out of "
                   "reach on this dev set for any range around these P50s; it needs closer "
                   "event hours, not a wider or narrower price.")]
    widths = std["width"].drop_nans().drop_nulls()
    lines += [
        "", "## The standard scenarios", "",
        (f"`../shared/validation/standard_scenarios.csv`, estimated with 10,000 draws. "
         f"Headline P95/P5: median {widths.median():.1f}×, largest {widths.max():.1f}× "
         f"(before, commit {b['commit']}: median {b['standard']['median_width']:.1f}×, "
         f"largest {b['standard']['max_width']:.1f}×)."), "",
        ("| scenario | headline P50 (P5–P95) | P95/P5 | members (P50) | beside it (P50) | "
         "not in its domain, not applicable or no range of a loss |"),
        "|---|---|---|---|---|---|"]
    for r in std.iter_rows(named=True):
        lines.append(f"| {r['id']}: {r['label']} | {fmt.money(r['p50'])} "
                     f"({fmt.money_range(r['p05'], r['p95'], 'USD')}) | {r['width']:.1f}× | "
                     f"{r['members']} | {r['beside'] or '—'} | {r['not_in_domain'] or '—'} |")
    return lines


# ---- report -----------------------------------------------------------------------------------
def _fmt_ratio(x: float | None) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x:.2f}"


VARIANT_TEXT = {
    "capped": "open-ended events cost what the source states: the first day, or to the last "
              "year the source lists them",
    "to_snapshot_capped": "open-ended events still ongoing run to the data snapshot",
}


def _metric_lines(ms: list[dict]) -> list[str]:
    out = [(f"{'method':<16} {'matched':>8} {'no estimate':>12} {'median ratio':>13} "
           f"{'within x2':>10} {'hours ratio':>12} {'hours x2':>9}")]
    for m in ms:
        out.append(f"{m['method']:<16} {m['n_matched']:>4}/{m['n_published']:<3} "
                   f"{m['n_missing']:>12} {_fmt_ratio(m['median_ratio']):>13} "
                   f"{m['within_2x']:>10.0%} {_fmt_ratio(m['median_hours_ratio']):>12} "
                   f"{m['hours_within_2x']:>9.0%}")
    return out


def _loo_text(loo: dict | None) -> str:
    if loo is None:
        return "leave-one-out: not available (the method's fit offers no refit)"
    return (f"leave-one-out: {loo['n_matched']} country-years, median ratio "
            f"{_fmt_ratio(loo['median_ratio'])}, {loo['within_2x']:.0%} within ×2")


def print_report(result: dict) -> None:
    print("\n".join(headline_lines(result)) + "\n")
    print(f"{result['n_events']} catalogue events active in 2019–2022, estimated with every "
          f"method in {result['seconds']:.1f} s ({result['draws']} draws)")
    print(f"catalogue country-years without a Top10VPN figure: {result['ours_only']}")
    for v in VARIANTS:
        print(f"\nVariant {v} — {VARIANT_TEXT[v]}:")
        print("\n".join(_metric_lines(result["metrics"][v])))
        print(f"{MAIN_METHOD} {_loo_text(result['loo'][v])}")
    print("\nEvents each rule changed:")
    for label, n in result["rules"]:
        print(f"  {label}: {n}")
    main = result["compared"]["capped"][MAIN_METHOD]
    print(f"\n10 worst country-years ({MAIN_METHOD}, variant capped, ours/published):")
    for r in worst(main).iter_rows(named=True):
        print(f"  {r['iso3']} {r['year']}: ours {fmt.money(r['ours_usd'])} vs "
              f"{fmt.money(r['published_usd'])} (×{r['ratio']:.2g}) — {r['reason']}")
    missing = main.filter(pl.col("ours_usd").is_null()).sort("published_usd", descending=True)
    if missing.height:
        print("\nTop10VPN country-years with no estimate: " + "; ".join(
            f"{r['iso3']} {r['year']} ({fmt.money(r['published_usd'])}: {r['reason']})"
            for r in missing.iter_rows(named=True)))


def svg_scatter(compared: pl.DataFrame, title: str) -> str:
    """Log-log scatter of ours vs published [USD] with the 1:1 line and the ×2 band."""
    rows = compared.filter(pl.col("ratio") > 0)
    x = np.log10(rows["published_usd"].to_numpy())
    y = np.log10(rows["ours_usd"].to_numpy())
    lo = math.floor(min(x.min(), y.min())) if len(x) else 5
    hi = math.ceil(max(x.max(), y.max())) if len(x) else 10
    size, pad = 480, 60
    scale = (size - 2 * pad) / (hi - lo)

    def px(v: float) -> float:
        return pad + (v - lo) * scale

    def py(v: float) -> float:
        return size - pad - (v - lo) * scale

    d = math.log10(2)
    band = [(lo, lo + d), (hi - d, hi), (hi, hi), (hi, hi - d), (lo + d, lo), (lo, lo)]
    band_pts = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in band)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
           f'viewBox="0 0 {size} {size}" font-family="sans-serif" font-size="11">'),
           f'<rect width="{size}" height="{size}" fill="white"/>',
           f'<text x="{size / 2}" y="20" text-anchor="middle" font-size="13">{title}</text>',
           f'<polygon points="{band_pts}" fill="#dde8f5"/>',
           (f'<line x1="{px(lo):.1f}" y1="{py(lo):.1f}" x2="{px(hi):.1f}" y2="{py(hi):.1f}" '
           'stroke="#4a6fa5" stroke-dasharray="4 3"/>')]
    for k in range(lo, hi + 1):
        label = fmt.number(10.0 ** k)
        out += [(f'<line x1="{px(k):.1f}" y1="{size - pad}" x2="{px(k):.1f}" '
                f'y2="{size - pad + 4}" stroke="black"/>'),
                f'<text x="{px(k):.1f}" y="{size - pad + 16}" text-anchor="middle">{label}</text>',
                (f'<line x1="{pad - 4}" y1="{py(k):.1f}" x2="{pad}" y2="{py(k):.1f}" '
                'stroke="black"/>'),
                f'<text x="{pad - 6}" y="{py(k) + 4:.1f}" text-anchor="end">{label}</text>']
    out += [(f'<rect x="{pad}" y="{pad}" width="{size - 2 * pad}" height="{size - 2 * pad}" '
            'fill="none" stroke="black"/>')]
    for (a, b), r in zip(zip(x, y, strict=True), rows.iter_rows(named=True), strict=True):
        out.append(f'<circle cx="{px(a):.1f}" cy="{py(b):.1f}" r="3.5" fill="#c0392b" '
                   f'fill-opacity="0.7"><title>{r["iso3"]} {r["year"]}: ratio '
                   f'{r["ratio"]:.2f}</title></circle>')
    out += [(f'<text x="{size / 2}" y="{size - 18}" text-anchor="middle">Top10VPN published '
            'cost (USD, log scale)</text>'),
            (f'<text x="16" y="{size / 2}" text-anchor="middle" transform="rotate(-90 16 '
            f'{size / 2})">ours: summed event P50 (USD, log scale)</text>'),
            f'<text x="{pad + 8}" y="{pad + 16}">dashed: equal; band: within ×2</text>',
            "</svg>"]
    return "\n".join(out) + "\n"


def _metric_table(ms: list[dict]) -> list[str]:
    lines = [("| method | country-years matched | published, no estimate | median ratio "
             "ours/published | within ×2 | median hours ratio | hours within ×2 |"),
             "|---|---|---|---|---|---|---|"]
    for m in ms:
        lines.append(f"| {m['method']} | {m['n_matched']} of {m['n_published']} | "
                     f"{m['n_missing']} | {_fmt_ratio(m['median_ratio'])} | "
                     f"{m['within_2x']:.0%} | {_fmt_ratio(m['median_hours_ratio'])} | "
                     f"{m['hours_within_2x']:.0%} |")
    return lines


def before_after(result: dict) -> list[str]:
    """The headline table: hours and `cost_compatible` agreement before the exposure rules
    (`BEFORE`) and now, per variant."""
    head = ("| | hours: median ratio | hours within ×2 | cost_compatible: median ratio | "
            "within ×2 (in sample) | within ×2 (leave-one-out) |")
    lines = [head, "|---|---|---|---|---|---|"]
    b = BEFORE
    lines.append(f"| before (commit {b['commit']}: start years, reports summed, open-ended to "
                 f"the snapshot) | {b['hours']['median_ratio']:.2f} | "
                 f"{b['hours']['within_2x']:.0%} | "
                 f"{b[MAIN_METHOD]['median_ratio']:.2f} | {b[MAIN_METHOD]['within_2x']:.0%} | "
                 "— |")
    for v in VARIANTS:
        m = next(x for x in result["metrics"][v] if x["method"] == MAIN_METHOD)
        loo = result["loo"][v]
        loo_text = f"{loo['within_2x']:.0%}" if loo else "—"
        lines.append(f"| now, `{v}`: {VARIANT_TEXT[v]} | {_fmt_ratio(m['median_hours_ratio'])}"
                     f" | {m['hours_within_2x']:.0%} | {_fmt_ratio(m['median_ratio'])} | "
                     f"{m['within_2x']:.0%} | {loo_text} |")
    return lines


def bounds(result: dict) -> list[str]:
    """Why neither hours nor costs get close to Top10VPN for most country-years, in
    figures of this run and of the bundled fit."""
    from impact.methods.cost_compatible import fit_coefficients

    stats = fit_coefficients()[3]
    main = result["compared"]["capped"][MAIN_METHOD].filter(pl.col("hours_published") > 0)
    ratio = main["hours_ratio"].fill_null(0.0)
    above, below = int((ratio > 2).sum()), int(((ratio < 0.5)).sum())
    events = result["events"]
    whole = int(events["hours_basis"].is_in(["dates_whole_days", "same_day_24h"]).sum()) \
        if "hours_basis" in events.columns else 0
    return [
        (f"- Hours (variant `capped`): {above} of {main.height} country-years have more than "
         f"twice Top10VPN's hours and {below} less than half (or no catalogue event). "
         f"{whole} of the {events.height} events are costed in whole days (24 h a day) "
         "because the source gives dates without times — an upper bound kept on purpose "
         "(`docs/events.md`); and the catalogue lists more events, and longer regional ones, "
         "than Top10VPN counted (India, Pakistan's long regional cuts, Russia's 2021 "
         "throttling of Twitter counted by Top10VPN for 6 hours)."),
        (f"- Cost: even fitted on Top10VPN's own hours and users affected, `cost_compatible` "
         f"is within ×2 of Top10VPN for {stats['within_2x_in_sample']:.0%} of country-years "
         f"in sample and {stats['within_2x_loo']:.0%} leave-one-out (R² "
         f"{stats['r2']:.2f}, n = {stats['n']:.0f}): the scatter of Top10VPN's own implied "
         "rates bounds any reproduction from open inputs. With the catalogue's hours and "
         "shares instead, the chain adds the hours gap on top."),
    ]


def markdown(result: dict) -> str:
    main = result["compared"]["capped"][MAIN_METHOD]
    lines = [
        "# Validation against Top10VPN (2019–2022)", "",
        (f"Source of the published figures: {CITATION}. They live in "
        "`../shared/validation/` and are never copied into `data/` or the package; this page "
        "shows them only side by side with ours."), "",
        ("How: `python scripts/validate.py` estimates every catalogue event (`data/events.csv`) "
        "active in 2019–2022 with every method through `impact.catalogue.events.estimate_events`: each "
        "place and day counted once however many reports name it (`impact.catalogue.exposure`), each "
        "event split over the calendar years of its days and costed with each year's "
        "indicators, platform blocks costed for their first 365 days (Top10VPN's convention). "
        "It sums each method's P50 per country-year and divides by Top10VPN's cost; hours are "
        "the exposed hours of every catalogue event of the country-year, summed. Nothing is "
        "fitted here. `cost_compatible` itself is calibrated on the same Top10VPN figures "
        "(from Top10VPN's own hours and users affected); the leave-one-out column refits it "
        "without the country-year it predicts."), "",
        (f"{result['n_events']} events active in 2019–2022; estimating them with every method "
        f"in both variants took {result['seconds']:.1f} s at {result['draws']} draws. "
        f"{result['ours_only']} catalogue country-years have no Top10VPN figure (Top10VPN "
        "did not cost them)."), "",
    ]
    lines += headline_lines(result)
    lines += ["", "## Before and after (cost_compatible and hours)", ""]
    lines += before_after(result)
    lines += ["", "## Every method", ""]
    for v in VARIANTS:
        lines += [f"Variant `{v}` — {VARIANT_TEXT[v]}:", ""]
        lines += _metric_table(result["metrics"][v])
        lines += ["", f"`{MAIN_METHOD}` {_loo_text(result['loo'][v])}.", ""]
    lines += [
        ("Only `cost_compatible` aims at Top10VPN's numbers; the other methods are shown "
        "for context (they cost a different quantity: lost digital value added, not a share "
        "of total output)."), "",
        "## Events each rule changed (dev set)", "", "| rule | events |", "|---|---|"]
    lines += [f"| {label} | {n} |" for label, n in result["rules"]]
    lines += [
        "", "The rules are in `docs/events.md` (catalogue) and `impact/catalogue/exposure.py` (timeline).",
        "",
        f"![ours vs Top10VPN, {MAIN_METHOD}](validation_ratio.svg)", "",
        f"## Worst country-years ({MAIN_METHOD}, variant capped)", "",
        "| country-year | ours (P50 sum) | Top10VPN | ratio | likely reason |", "|---|---|---|---|---|"]
    for r in worst(main).iter_rows(named=True):
        lines.append(f"| {r['iso3']} {r['year']} | {fmt.money(r['ours_usd'])} | "
                     f"{fmt.money(r['published_usd'])} | {r['ratio']:.2g} | {r['reason']} |")
    lines += ["", f"## Every country-year ({MAIN_METHOD}, variant capped)", "",
              ("| country-year | events | hours reported | hours exposed | hours Top10VPN | "
               "ours (P50 sum) | Top10VPN | ratio |"), "|---|---|---|---|---|---|---|---|"]
    for r in main.iter_rows(named=True):
        ours = fmt.money(r["ours_usd"]) if r["ours_usd"] is not None else "no estimate"
        hours = f"{r['hours_ours']:,.0f}" if r["hours_ours"] is not None else "—"
        reported = f"{r['hours_reported']:,.0f}" if r["hours_reported"] is not None else "—"
        lines.append(f"| {r['iso3']} {r['year']} | {r['n_events'] or 0} | {reported} | "
                     f"{hours} | {r['hours_published']:,.0f} | {ours} | "
                     f"{fmt.money(r['published_usd'])} | {_fmt_ratio(r['ratio'])} |")
    lines += ["", "## What bounds the agreement", ""] + bounds(result)
    lines += ["", "## Reading the differences", "",
              ("- Summed P50s: each total is the sum of its events' P50s (summed P5/P95 are not "
              "quantiles of the sum)."),
              ("- Extent: where the catalogue's affected share and Top10VPN's users affected "
              "disagree by more than ×2 the row says so; Top10VPN scales regional events by "
              "regional GDP, and its users-affected figure is sometimes national for regional "
              "events (and vice versa)."),
              ("- Platform blocks: `cost_compatible` costs a platform block by the platforms "
              "blocked; the Top10VPN fit does not identify a platform term, so blocks use "
              "COST's Brookings branch (internet-economy share × platform-dependence weights, "
              "`docs/cost_compatible.md`), which prices X alone far below a block of every "
              "social network."),
              ("- Hours: Top10VPN's hours are its own count of each year's shutdowns; the "
              "catalogue records dates, not times, so an event is costed in whole days unless "
              "the source states its hours (`docs/events.md`)."), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validation", type=Path, default=DEFAULT_VALIDATION)
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--docs", type=Path, default=REPO / "docs")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not args.validation.is_file():
        print(f"error: validation file not found: {args.validation}", file=sys.stderr)
        return 2
    result = run(args.validation, args.draws)
    print_report(result)
    if not args.no_write:
        (args.docs / "validation.md").write_text(markdown(result), encoding="utf-8")
        (args.docs / "validation_ratio.svg").write_text(
            svg_scatter(result["compared"]["capped"][MAIN_METHOD],
                        f"{MAIN_METHOD} vs Top10VPN, country-years 2019–2022"),
            encoding="utf-8")
        print(f"wrote {args.docs / 'validation.md'} and {args.docs / 'validation_ratio.svg'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
