"""Build time: the platform table (``data/platform_weights.csv``) and the level fit
(``data/platform_level_fit.csv``), from usage data and the Top10VPN country-years.

A platform block takes the share ``W = min(1, L × (1 − Π(1 − u_p)))`` of a country's digital
activity, over the blocked platforms p:

- ``u_p``, the platform's **usage**: its share of the country's social-media activity [0-1]
  (`usage_table`): StatCounter's referral share for the platforms it measures, else their
  reach × the activity per user of Facebook (messaging) or YouTube (TikTok) there;
- ``L``, the **level**: how much of digital activity depends on social-media activity,
  fitted on the Top10VPN 2019–2022 platform-block country-years (`fit_level`); the run time
  draws it over the 90 % confidence interval of the fit (`impact.model.parameters.platform_level`).

The table keeps each platform's **reach** (share of the country's social-media users on it
[0-1], `reach_table`): an input of the usage rule and informative. Reach, per country
(``basis`` column says which rule gave each value):

- ``users``: Facebook, Instagram, YouTube, TikTok: World Population Review 2023 users ÷ its
  "all social media" users (ad-audience figures; capped at 1).
- ``referral_scaled``: a platform StatCounter measures (Facebook, X, Instagram, YouTube) and
  WPR does not count in the country: the platform's world reach × its StatCounter referral
  share in the country ÷ its world share (means of the last 24 months). X always takes this
  rule (no per-country X user counts exist).
- ``meta_scaled``: WhatsApp (Meta's messaging app, in no referral data and with no
  per-country counts): its world reach × the country's Facebook reach ÷ the world's.
- ``non_meta_scaled``: Telegram: its world reach × (1 − the country's Facebook reach) ÷
  (1 − the world's): messaging where Meta does not reach (Iran, Russia, Central Asia).
- ``region``: the median reach of the country's World Bank region, when neither source
  covers the country (TikTok and YouTube outside WPR's lists).
- ``world``: the world reach (Signal everywhere; anything a region cannot give).

World reach is the platform's world users (``data/platform_world_users.csv``, the companies'
figures, hand-set and sourced) ÷ WPR's world total of social-media users, except for the
platforms WPR counts, whose world reach is WPR's own total ÷ the social-media users of the
countries it counts them in.

Only derived numbers (usage and reach shares, fit statistics) are written: StatCounter's shares are CC
BY-SA and credited in data/SOURCES.md; WPR's figures have no open licence and are not shipped.
Top10VPN figures are read for the fit only and never written.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from impact import parse_scenario
from impact.build import REPO_DIR
from impact.build.manifest import write_manifest
from impact.bundled.datacheck import DATA_ENV
from impact.bundled.datastore import forget_data_dir
from impact.bundled.fits import FIT_COLUMNS, FIT_SIG_FIGS
from impact.catalogue.events import catalogue, estimate_events
from impact.methods import REGISTRY
from impact.model.context import build_context
from impact.vocab import PLATFORMS

STATCOUNTER_FILE = Path("platforms") / "statcounter_social_media_share_by_country_monthly_2016_2024.csv"
WPR_FILE = Path("platforms") / "wpr_platform_users_by_country_2023.csv"
#: StatCounter column -> platform key
STATCOUNTER_COLUMNS = {"Facebook": "facebook", "Twitter": "x", "Instagram": "instagram",
                       "YouTube": "youtube"}
#: WPR platform label -> platform key
WPR_PLATFORMS = {"Facebook": "facebook", "Instagram": "instagram", "YouTube": "youtube",
                 "TikTok": "tiktok"}
WPR_ALL = "All social media"
#: months of StatCounter averaged (the last ones of the file)
STATCOUNTER_MONTHS = 24
#: fewest countries with a value for a region's median to be used
MIN_REGION = 3
#: the ``iso3`` of the world row (the run-time fallback for a country not in the table)
WORLD = "WLD"
BASES = ("users", "referral_scaled", "meta_scaled", "non_meta_scaled", "region", "world")
#: how a usage value was obtained (``usage_basis``)
USAGE_BASES = ("referral_share", "region", "world", "reach_x_facebook_intensity",
               "reach_x_youtube_intensity")
#: platforms StatCounter does not measure -> the measured platform whose per-user activity
#: (usage ÷ reach in the country) scales their reach: messaging like Facebook, video like
#: YouTube
INTENSITY_ANCHOR = {"whatsapp": "facebook", "telegram": "facebook", "signal": "facebook",
                    "tiktok": "youtube"}
REACH_COLUMNS = ("iso3", "platform", "reach", "basis")
WEIGHT_COLUMNS = (*REACH_COLUMNS, "usage", "usage_basis")
#: two-sided 90 % interval
_ALPHA = 0.10


def statcounter_shares(path: Path, months: int = STATCOUNTER_MONTHS) -> pl.DataFrame:
    """Mean StatCounter referral share [0-1] per country (``WLD`` for worldwide) and platform
    key over the last ``months`` months with data (all-zero months, no data, left out)."""
    raw = pl.read_csv(path, infer_schema_length=None)
    cols = list(STATCOUNTER_COLUMNS)
    raw = raw.with_columns(pl.when(pl.col("iso2") == "WW").then(pl.lit(WORLD))
                           .otherwise(pl.col("iso3_helper")).alias("iso3"))
    total = pl.sum_horizontal([pl.col(c).fill_null(0.0) for c in raw.columns
                               if c not in ("iso2", "iso3_helper", "month", "iso3")])
    last = sorted(raw["month"].unique().to_list())[-months:]
    kept = raw.filter(pl.col("iso3").is_not_null() & pl.col("month").is_in(last) & (total > 0))
    return (kept.unpivot(index="iso3", on=cols, variable_name="column", value_name="pct")
            .group_by("iso3", "column").agg((pl.col("pct").fill_null(0.0).mean() / 100)
                                              .alias("share"))
            .with_columns(pl.col("column").replace_strict(STATCOUNTER_COLUMNS).alias("platform"))
            .select("iso3", "platform", "share").sort("iso3", "platform"))


def wpr_users(path: Path) -> pl.DataFrame:
    """WPR 2023 users per country: ``iso3, platform`` (a key, or ``all``), ``users``."""
    raw = pl.read_csv(path, infer_schema_length=None)
    names = WPR_PLATFORMS | {WPR_ALL: "all"}
    return (raw.filter(pl.col("iso3_helper").is_not_null() & pl.col("users").is_not_null()
                       & (pl.col("users") > 0) & pl.col("platform").is_in(list(names)))
            .select(pl.col("iso3_helper").alias("iso3"),
                    pl.col("platform").replace_strict(names).alias("platform"),
                    pl.col("users").cast(pl.Float64))
            .group_by("iso3", "platform").agg(pl.col("users").max()))


#: the hand-set table of world users per platform (in data/, each row sourced)
WORLD_USERS_FILE = "platform_world_users.csv"


def world_reach(world_users: pl.DataFrame, users: pl.DataFrame) -> dict[str, float]:
    """World reach [0-1] of each platform: WPR's own ratio for the platforms it counts (users
    ÷ the social-media users of the same countries), else the company's world users ÷ WPR's
    world social-media users."""
    wide = users.pivot(on="platform", index="iso3", values="users")
    total_all = float(wide["all"].sum())
    out = {}
    for r in world_users.iter_rows(named=True):
        p = r["platform"]
        if p in wide.columns:
            both = wide.filter(pl.col(p).is_not_null() & pl.col("all").is_not_null())
            out[p] = float(np.minimum(both[p], both["all"]).sum() / both["all"].sum())
        else:
            out[p] = min(1.0, float(r["users_millions"]) * 1e6 / total_all)
    return out


def reach_table(shares: pl.DataFrame, users: pl.DataFrame, world_users: pl.DataFrame,
                countries: pl.DataFrame,
                report: Callable[[str], None] | None = None) -> pl.DataFrame:
    """Reach [0-1] of every platform in every country of ``countries`` (``iso3, region``)
    plus the world row (``iso3 == WLD``): columns `REACH_COLUMNS` (rules in the module
    docstring)."""
    world = world_reach(world_users, users)
    wsc = {r["platform"]: r["share"] for r in shares.filter(pl.col("iso3") == WORLD)
           .iter_rows(named=True)}
    sc = {(r["iso3"], r["platform"]): r["share"] for r in shares.iter_rows(named=True)}
    wide = users.pivot(on="platform", index="iso3", values="users")
    u = {r["iso3"]: r for r in wide.iter_rows(named=True)}
    rows: dict[tuple[str, str], tuple[float, str]] = {}
    isos = countries["iso3"].to_list()

    def users_reach(iso3: str, p: str) -> float | None:
        r = u.get(iso3)
        if r is None or r.get(p) is None or r.get("all") is None:
            return None
        return min(1.0, r[p] / r["all"])

    def referral(iso3: str, p: str) -> float | None:
        if (iso3, p) not in sc or not wsc.get(p):
            return None
        return min(1.0, world[p] * sc[(iso3, p)] / wsc[p])

    for iso3 in isos:  # first the direct evidence
        for p in ("facebook", "instagram", "youtube", "tiktok"):
            v = users_reach(iso3, p)
            if v is not None:
                rows[(iso3, p)] = (v, "users")
        for p in STATCOUNTER_COLUMNS.values():
            if (iso3, p) not in rows:
                v = referral(iso3, p)
                if v is not None:
                    rows[(iso3, p)] = (v, "referral_scaled")
    region = dict(countries.select("iso3", "region").iter_rows())
    for p in ("facebook", "instagram", "youtube", "tiktok", "x"):  # then regions, world
        by_region: dict[str, list[float]] = {}
        for (iso3, q), (v, _) in rows.items():
            if q == p and region.get(iso3):
                by_region.setdefault(region[iso3], []).append(v)
        for iso3 in isos:
            if (iso3, p) in rows:
                continue
            vals = by_region.get(region.get(iso3) or "", [])
            rows[(iso3, p)] = ((float(np.median(vals)), "region") if len(vals) >= MIN_REGION
                               else (world[p], "world"))
    fb_world = world["facebook"]
    for iso3 in isos:  # messaging apps from Facebook's reach
        fb = rows[(iso3, "facebook")][0]
        rows[(iso3, "whatsapp")] = (min(1.0, world["whatsapp"] * fb / fb_world), "meta_scaled")
        rows[(iso3, "telegram")] = (min(1.0, world["telegram"] * (1 - fb) / (1 - fb_world)),
                                    "non_meta_scaled")
        rows[(iso3, "signal")] = (world["signal"], "world")
    for p in PLATFORMS:
        rows[(WORLD, p)] = (world[p], "world")
    out = pl.DataFrame([(i, p, float(v), b) for (i, p), (v, b) in rows.items()],
                       schema=list(REACH_COLUMNS), orient="row")
    order = {p: k for k, p in enumerate(PLATFORMS)}
    out = (out.with_columns(pl.col("platform").replace_strict(order, return_dtype=pl.Int64)
                            .alias("_o"), pl.col("reach").round_sig_figs(6))
           .sort("iso3", "_o").drop("_o"))
    if report is not None:
        counts = dict(out.group_by("basis").len().sort("basis").iter_rows())
        report(f"platform_weights.csv: {out['iso3'].n_unique()} countries (+ world); "
               f"reach by basis {counts}")
    return out


def usage_table(reach: pl.DataFrame, shares: pl.DataFrame, countries: pl.DataFrame,
                report: Callable[[str], None] | None = None) -> pl.DataFrame:
    """The platform table: ``reach`` (`reach_table`) with each platform's **usage**, its
    share of the country's social-media activity [0-1], and ``usage_basis``:

    - ``referral_share``: Facebook, X, Instagram, YouTube: the StatCounter referral share in
      the country (``shares``, `statcounter_shares`);
    - ``region``: else the median share of the country's World Bank region (at least
      `MIN_REGION` measured countries); ``world``: else the world share;
    - ``reach_x_facebook_intensity`` (WhatsApp, Telegram, Signal) and
      ``reach_x_youtube_intensity`` (TikTok): platforms StatCounter does not measure: their
      reach × the per-user activity (usage ÷ reach) of the anchor `INTENSITY_ANCHOR` in the
      same country, at most 1 (the world's per-user activity where the anchor's reach is 0).

    The world row ``WLD`` takes the world shares and the same intensity rule.

    >>> reach = pl.DataFrame({"iso3": ["A"] * 8 + ["WLD"] * 8, "platform": list(PLATFORMS) * 2,
    ...     "reach": [0.2, 0.8, 0.4, 0.6, 1.0, 0.5, 0.3, 0.01] * 2, "basis": "world"})
    >>> shares = pl.DataFrame({"iso3": ["A", "A", "WLD", "WLD", "WLD", "WLD"],
    ...     "platform": ["facebook", "youtube", "x", "facebook", "instagram", "youtube"],
    ...     "share": [0.4, 0.05, 0.1, 0.7, 0.1, 0.05]})
    >>> t = usage_table(reach, shares, pl.DataFrame({"iso3": ["A"], "region": ["R"]}))
    >>> t.filter(pl.col("iso3") == "A").select("platform", "usage", "usage_basis").rows()[:6]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('x', 0.1, 'world'), ('facebook', 0.4, 'referral_share'), ('instagram', 0.1, 'world'),
     ('whatsapp', 0.3, 'reach_x_facebook_intensity'), ('youtube', 0.05, 'referral_share'),
     ('tiktok', 0.025, 'reach_x_youtube_intensity')]
    """
    sc = {(r["iso3"], r["platform"]): r["share"] for r in shares.iter_rows(named=True)}
    rch = {(r["iso3"], r["platform"]): r["reach"] for r in reach.iter_rows(named=True)}
    region = dict(countries.select("iso3", "region").iter_rows())
    isos = sorted({i for i, _ in rch})
    rows: dict[tuple[str, str], tuple[float, str]] = {}
    for p in STATCOUNTER_COLUMNS.values():
        by_region: dict[str, list[float]] = {}
        for iso3 in isos:
            if (iso3, p) in sc and iso3 != WORLD:
                rows[(iso3, p)] = (sc[(iso3, p)], "referral_share")
                if region.get(iso3):
                    by_region.setdefault(region[iso3], []).append(sc[(iso3, p)])
        for iso3 in isos:
            if (iso3, p) in rows:
                continue
            vals = by_region.get(region.get(iso3) or "", []) if iso3 != WORLD else []
            rows[(iso3, p)] = ((float(np.median(vals)), "region") if len(vals) >= MIN_REGION
                               else (sc[(WORLD, p)], "world"))

    def intensity(iso3: str, anchor: str) -> float:
        r = rch[(iso3, anchor)]
        if r > 0:
            return rows[(iso3, anchor)][0] / r
        return rows[(WORLD, anchor)][0] / rch[(WORLD, anchor)]

    for iso3 in isos:
        for p, anchor in INTENSITY_ANCHOR.items():
            rows[(iso3, p)] = (min(1.0, rch[(iso3, p)] * intensity(iso3, anchor)),
                               f"reach_x_{anchor}_intensity")
    usage = pl.DataFrame([(i, p, float(v), b) for (i, p), (v, b) in rows.items()],
                         schema=["iso3", "platform", "usage", "usage_basis"], orient="row")
    out = (reach.join(usage.with_columns(pl.col("usage").round_sig_figs(6)),
                      on=["iso3", "platform"], how="left", validate="1:1", maintain_order="left")
           .select(WEIGHT_COLUMNS))
    if report is not None:
        counts = dict(out.group_by("usage_basis").len().sort("usage_basis").iter_rows())
        report(f"platform_weights.csv: usage by basis {counts}")
    return out


def fit_level(frame: pl.DataFrame) -> pl.DataFrame:
    """OLS of log(published cost per hour ÷ ours per hour at level 1) on a constant over
    platform-block country-years (``frame``: ``published_usd``, ``hours_published``,
    ``ours_unit_usd``, ``hours_ours``). Per hour, because where the catalogue's hours and
    Top10VPN's disagree (Russia 2021: 7,128 against 6) the totals say nothing about the level.

    Returns a long fit table (`impact.bundled.fits.FIT_COLUMNS`): the level L = exp(b), its standard
    error, the residual variance, n, the 90 % prediction interval of L (``level_p05``,
    ``level_p95``) and of its mean, and leave-one-out figures (each country-year predicted
    from the others): median ratio ours ÷ published and share within ×2, of totals
    (``*_loo``) and per hour (``*_rate_loo``), with the in-sample totals alike.
    """
    import statsmodels.api as sm

    ours = frame["ours_unit_usd"].to_numpy()
    pub = frame["published_usd"].to_numpy()
    y = np.log(pub / frame["hours_published"].to_numpy()) - np.log(
        ours / frame["hours_ours"].to_numpy())
    x = np.ones((len(y), 1))
    res = sm.OLS(y, x).fit()
    pred = res.get_prediction(np.ones((1, 1))).summary_frame(alpha=_ALPHA)
    b_loo = np.array([sm.OLS(np.delete(y, i), np.delete(x, i, axis=0)).fit().params[0]
                      for i in range(len(y))])
    total_in = ours * np.exp(res.params[0]) / pub
    total_loo = ours * np.exp(b_loo) / pub
    rate_loo = np.exp(b_loo - y)

    def within(r: np.ndarray) -> float:
        return float(np.mean((r >= .5) & (r <= 2)))

    rows = [("coef", "log_level", "", float(res.params[0])),
            ("se", "log_level", "", float(res.bse[0])),
            ("stat", "n", "", float(res.nobs)),
            ("stat", "df_resid", "", float(res.df_resid)),
            ("stat", "resid_var", "", float(res.scale)),
            ("stat", "level", "", float(np.exp(res.params[0]))),
            ("stat", "level_p05", "", float(np.exp(pred["obs_ci_lower"].iloc[0]))),
            ("stat", "level_p95", "", float(np.exp(pred["obs_ci_upper"].iloc[0]))),
            ("stat", "level_ci_low", "", float(np.exp(pred["mean_ci_lower"].iloc[0]))),
            ("stat", "level_ci_high", "", float(np.exp(pred["mean_ci_upper"].iloc[0]))),
            ("stat", "median_ratio_in_sample", "", float(np.median(total_in))),
            ("stat", "within_2x_in_sample", "", within(total_in)),
            ("stat", "median_ratio_loo", "", float(np.median(total_loo))),
            ("stat", "within_2x_loo", "", within(total_loo)),
            ("stat", "median_ratio_rate_loo", "", float(np.median(rate_loo))),
            ("stat", "within_2x_rate_loo", "", within(rate_loo))]
    return pl.DataFrame(rows, schema=list(FIT_COLUMNS), orient="row").with_columns(
        pl.col("value").round_sig_figs(FIT_SIG_FIGS))


def unit_fit_table() -> pl.DataFrame:
    """A level fit of L = 1 with no interval: the placeholder the first pass of
    `build_platform_tables` prices the catalogue with."""
    rows = [("coef", "log_level", "", 0.0), ("se", "log_level", "", 0.0),
            ("stat", "n", "", 0.0), ("stat", "df_resid", "", 0.0),
            ("stat", "resid_var", "", 0.0), ("stat", "level", "", 1.0),
            ("stat", "level_p05", "", 1.0), ("stat", "level_p95", "", 1.0)]
    return pl.DataFrame(rows, schema=list(FIT_COLUMNS), orient="row")


#: Top10VPN country-years (calibration only, never written): ``<raw>/../validation/``
VALIDATION_FILE = Path("validation") / "top10vpn_country_year_2019_2022.csv"
YEARS = (2019, 2022)
#: Monte Carlo draws per event when the catalogue is priced for the fit
FIT_DRAWS = 400
PLATFORM_SCOPES = ("platforms", "platforms_other")


def platform_methods() -> list[str]:
    """Registry names of the methods that price platforms: those whose inputs for a platform
    block include the platform level (an attribute of what they do, not their name)."""
    ctx = build_context(parse_scenario({"country": "PAK", "duration_hours": 24,
                                          "scope": "platforms", "platforms": "x"}))
    return [name for name, m in REGISTRY.items()
            if any(s.name == "platform_level" for s in m.inputs(ctx))]


def catalogue_country_years(methods: list[str], draws: int = FIT_DRAWS) -> pl.DataFrame:
    """Per method, country-year 2019–2022 in which every catalogue event is a platform block:
    the P50 loss of the country-year's events summed [USD] at the level of the data in use
    (events split over years, each place and day counted once, blocks capped at 365 days: as
    scripts/validate.py does), and their exposed hours. Columns ``method, iso3, year,
    ours_usd, hours_ours, n_events``."""
    from datetime import date

    events = catalogue()
    first, last = date(YEARS[0], 1, 1), date(YEARS[1], 12, 31)
    active = events.filter((pl.col("start") <= last)
                           & (pl.col("end").fill_null(pl.col("start")) >= first))
    years = (active.select("iso3", "scope", pl.int_ranges(
        pl.col("start").dt.year().clip(YEARS[0], YEARS[1]),
        pl.col("end").fill_null(pl.col("start")).dt.year().clip(YEARS[0], YEARS[1]) + 1)
        .alias("year")).explode("year")
        .group_by("iso3", "year").agg(pl.col("scope").is_in(PLATFORM_SCOPES).all()
                                      .alias("only_platforms")))
    keep = years.filter("only_platforms").select("iso3", "year")
    blocks = active.filter(pl.col("scope") == "platforms")
    est = estimate_events(blocks, methods, draws=draws, cap_platform_days=True)
    est = est.filter((pl.col("status") == "ok") & pl.col("year").is_between(*YEARS))
    sums = est.group_by("method", "iso3", pl.col("year").cast(pl.Int64)).agg(
        pl.col("loss_usd_p50").sum().alias("ours_usd"),
        (pl.col("part_hours") * pl.col("overlap_factor")).sum().alias("hours_ours"),
        pl.col("event_id").n_unique().alias("n_events"))
    return sums.join(keep.with_columns(pl.col("year").cast(pl.Int64)), on=["iso3", "year"],
                     how="inner").sort("method", "iso3", "year")


def level_frame(sums: pl.DataFrame, published: pl.DataFrame, level_used: float
                ) -> pl.DataFrame:
    """Platform-block country-years for the fit: the published cost and ours at level 1 (the
    geometric mean over the platform-pricing methods of their sums ÷ the level they were
    priced at; every such method's loss is proportional to the level)."""
    per = (sums.filter(pl.col("ours_usd") > 0)
           .group_by("iso3", "year").agg(pl.col("ours_usd").log().mean().exp()
                                         .alias("ours_usd"), pl.len().alias("n_methods"),
                                         pl.col("n_events").max(), pl.col("hours_ours").max()))
    pub = published.filter(pl.col("iso3").is_not_null() & (pl.col("cost_usd") > 0)).select(
        "iso3", pl.col("year").cast(pl.Int64), pl.col("cost_usd").cast(pl.Float64)
        .alias("published_usd"), pl.col("duration_hours").cast(pl.Float64)
        .alias("hours_published")).group_by("iso3", "year").agg(
        pl.col("published_usd").sum(), pl.col("hours_published").sum())
    return (per.join(pub, on=["iso3", "year"], how="inner", validate="1:1")
            .with_columns((pl.col("ours_usd") / level_used).alias("ours_unit_usd"))
            .sort("year", "iso3"))


def build_platform_tables(raw_dir: Path, out_dir: Path, validation: Path | None = None, *,
                          report: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Write data/platform_weights.csv (usage and reach per country) and
    data/platform_level_fit.csv (the level fitted on the Top10VPN platform-block
    country-years) into ``out_dir``, which must already hold the rest of the curated tables
    (the catalogue is priced from it).
    ``validation``: the Top10VPN file (default ``<raw>/../validation/...``)."""
    import os

    say = report or (lambda _m: None)
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    validation = validation or raw_dir.parent / VALIDATION_FILE
    countries = pl.read_csv(out_dir / "countries.csv", infer_schema_length=None)
    shares = statcounter_shares(raw_dir / STATCOUNTER_FILE)
    world_users = out_dir / WORLD_USERS_FILE
    if not world_users.is_file():  # a new output folder: the hand-set table comes with us
        shutil.copyfile(REPO_DIR / "data" / WORLD_USERS_FILE, world_users)
    reach = reach_table(shares, wpr_users(raw_dir / WPR_FILE), pl.read_csv(world_users),
                        countries, say)
    table = usage_table(reach, shares, countries, say)
    paths = {"platform_weights": out_dir / "platform_weights.csv",
             "platform_level_fit": out_dir / "platform_level_fit.csv"}
    table.write_csv(paths["platform_weights"], line_terminator="\n")
    unit_fit_table().write_csv(paths["platform_level_fit"], line_terminator="\n")
    write_manifest(out_dir)
    old = os.environ.get(DATA_ENV)
    os.environ[DATA_ENV] = str(out_dir)
    forget_data_dir()
    try:
        methods = platform_methods()
        sums = catalogue_country_years(methods)
    finally:
        if old is None:
            os.environ.pop(DATA_ENV, None)
        else:
            os.environ[DATA_ENV] = old
        forget_data_dir()
    frame = level_frame(sums, pl.read_csv(validation, infer_schema_length=None), 1.0)
    fit = fit_level(frame)
    fit.write_csv(paths["platform_level_fit"], line_terminator="\n")
    write_manifest(out_dir)
    st = dict(fit.filter(pl.col("kind") == "stat").select("term", "value").iter_rows())
    se = fit.filter(pl.col("kind") == "se")["value"][0]
    say(f"platform level fit ({', '.join(methods)}): n={st['n']:.0f} platform-block "
        f"country-years, log L = {fit['value'][0]:.3f} (SE {se:.3f}), L = {st['level']:.3g}, "
        f"90 % prediction interval {st['level_p05']:.3g}–{st['level_p95']:.3g}; "
        f"leave-one-out, totals: median ratio {st['median_ratio_loo']:.2f}, "
        f"{st['within_2x_loo']:.0%} within ×2; per hour: median ratio "
        f"{st['median_ratio_rate_loo']:.2f}, {st['within_2x_rate_loo']:.0%} within ×2")
    return paths
