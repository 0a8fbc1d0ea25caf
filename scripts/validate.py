"""Check the catalogue's 2019–2022 estimates against Top10VPN's published country-year costs.

    python scripts/validate.py [--validation ../shared/validation/top10vpn_country_year_2019_2022.csv]
                               [--draws 2000] [--no-write] [--docs docs]

Estimates every catalogue event that started in 2019–2022 with every method (platform blocks
capped at 365 days, as Top10VPN does), sums each method's per-event P50 per country-year and
compares the sums with Top10VPN, "The Cost of Internet Shutdowns" (2019, 2020, 2021 and 2022
reports; figures © Top10VPN, read from ../shared/validation/ for checking only and never
written to data/ or the package). Prints, per method, the number of matched country-years,
the median ratio ours/published and the share within ×2, then the worst country-years of
`cost_compatible` with the likely reasons. Writes docs/validation.md and
docs/validation_ratio.svg unless ``--no-write``. Nothing is fitted here.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from impact import format as fmt
from impact.context import internet_users
from impact.errors import ImpactError
from impact.events import catalogue, estimate_events
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


def estimate_catalogue(draws: int, seed: int | None = None) -> tuple[pl.DataFrame,
                                                                     pl.DataFrame, float]:
    """(catalogue events active at some time in 2019–2022, their estimates with every method,
    platform blocks capped at 365 days, seconds taken)."""
    events = catalogue().filter(
        (pl.col("start") <= date(YEARS[1], 12, 31))
        & (pl.col("end").fill_null(pl.col("start")) >= date(YEARS[0], 1, 1)))
    t0 = time.perf_counter()
    kwargs = {} if seed is None else {"seed": seed}
    est = estimate_events(events, "all", draws=draws, cap_platform_days=True, **kwargs)
    return events, est, time.perf_counter() - t0


def event_years(estimates: pl.DataFrame, events: pl.DataFrame, method: str,
                basis: str) -> pl.DataFrame:
    """One row per event and year of one method's capped estimates.

    ``basis="start"``: the whole event in its start year (as `impact.events.summarise`);
    ``basis="calendar"``: hours and loss split pro rata over the calendar years the costed
    window (start + costed hours) covers, Top10VPN's convention of counting each year's
    hours in that year's report. Only 2019–2022 rows are kept.
    """
    rows = estimates.filter((pl.col("method") == method)
                            & pl.col("variant").is_in(["as_reported", "capped_365d"]))
    traits = events.select("event_id", pl.col("affected_share").fill_null(1.0),
                           pl.col("scope").alias("catalogue_scope"))
    out = []
    for r in rows.iter_rows(named=True):
        start = datetime(r["start"].year, r["start"].month, r["start"].day)
        hours = r["costed_hours"]
        stop = start + timedelta(hours=hours)
        ok = r["status"] == "ok"
        if basis == "start":
            parts = [(start.year, 1.0)]
        else:
            parts = []
            for y in range(start.year, stop.year + 1):
                lo, hi = max(start, datetime(y, 1, 1)), min(stop, datetime(y + 1, 1, 1))
                if hi > lo:
                    parts.append((y, (hi - lo).total_seconds() / 3600 / hours))
        for y, frac in parts:
            if YEARS[0] <= y <= YEARS[1]:
                out.append({"event_id": r["event_id"], "iso3": r["iso3"], "year": y,
                            "ok": ok, "hours": hours * frac,
                            "loss_usd_p50": r["loss_usd_p50"] * frac if ok else None})
    frame = pl.DataFrame(out, schema={"event_id": pl.String, "iso3": pl.String,
                                      "year": pl.Int64, "ok": pl.Boolean,
                                      "hours": pl.Float64, "loss_usd_p50": pl.Float64})
    return frame.join(traits, on="event_id", how="left", validate="m:1")


def country_years(parts: pl.DataFrame) -> pl.DataFrame:
    """Per country-year: events costed, not costed, hours, summed P50, hours-weighted
    affected share and platform-block counts."""
    ok = pl.col("ok")
    platform = pl.col("catalogue_scope").is_in(["platforms", "platforms_other"])
    return parts.group_by("iso3", "year").agg(
        ok.sum().alias("n_events"), (~ok).sum().alias("n_not_costed"),
        pl.col("hours").filter(ok).sum().alias("hours_ours"),
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
                   method: str, basis: str = "calendar") -> pl.DataFrame:
    """Top10VPN country-years joined with the method's summed estimates, ratio and reason.

    Published country-years without a costed catalogue event have ``ours_usd`` null."""
    ours = country_years(event_years(estimates, events, method, basis))
    frame = (published.select("iso3", "year", "country", pl.col("cost_usd").alias("published_usd"),
                              pl.col("duration_hours").alias("hours_published"))
             .join(ours, on=["iso3", "year"], how="left", validate="1:1")
             .join(_published_share(published), on=["iso3", "year"], how="left",
                   validate="1:1")
             .with_columns((pl.col("ours_usd") / pl.col("published_usd")).alias("ratio")))
    reasons = [_reason(r) for r in frame.iter_rows(named=True)]
    return frame.with_columns(pl.Series("reason", reasons, dtype=pl.String),
                              pl.lit(method).alias("method"),
                              pl.lit(basis).alias("basis")).sort("year", "iso3")


def metrics(compared: pl.DataFrame) -> dict:
    """n published, n matched, n missing, median ratio, share within ×2 (of matched rows)."""
    matched = compared.filter(pl.col("ratio").is_not_null() & (pl.col("ratio") > 0))
    ratio = matched["ratio"].to_numpy()
    return {
        "method": compared["method"][0] if compared.height else "",
        "n_published": compared.height,
        "n_matched": len(ratio),
        "n_missing": int(compared["ours_usd"].is_null().sum()),
        "median_ratio": float(np.median(ratio)) if len(ratio) else math.nan,
        "within_2x": float(np.mean((ratio >= 0.5) & (ratio <= 2))) if len(ratio) else math.nan,
        "median_hours_ratio": float(np.median(
            (matched["hours_ours"] / matched["hours_published"]).to_numpy()))
        if len(ratio) else math.nan,
    }


def worst(compared: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    """The ``n`` matched country-years furthest from Top10VPN (by |log ratio|)."""
    return (compared.filter(pl.col("ratio") > 0)
            .with_columns(pl.col("ratio").log().abs().alias("_d"))
            .sort("_d", descending=True).head(n).drop("_d"))


def run(path: Path, draws: int = 2000) -> dict:
    """Everything the report needs: per-method comparisons and metrics, and timing."""
    published = read_published(path)
    events, est, seconds = estimate_catalogue(draws)
    methods = [m for m in REGISTRY if m in est["method"].unique().to_list()]
    compared = {m: compare_method(est, events, published, m, "start") for m in methods}
    by_calendar = {m: compare_method(est, events, published, m, "calendar") for m in methods}
    catalogue_cy = event_years(est, events, MAIN_METHOD, "calendar").select(
        "iso3", "year").unique()
    ours_only = catalogue_cy.join(published.select("iso3", "year"), on=["iso3", "year"],
                                  how="anti").height
    return {"published": published, "events": events, "estimates": est,
            "compared": compared, "metrics": [metrics(c) for c in compared.values()],
            "metrics_calendar": [metrics(c) for c in by_calendar.values()],
            "seconds": seconds, "n_events": events.height, "ours_only": ours_only,
            "draws": draws}


# ---- report -----------------------------------------------------------------------------------
def _fmt_ratio(x: float | None) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x:.2f}"


def _metric_lines(ms: list[dict]) -> list[str]:
    out = [(f"{'method':<16} {'matched':>8} {'no estimate':>12} {'median ratio':>13} "
           f"{'within x2':>10} {'hours ratio':>12}")]
    for m in ms:
        out.append(f"{m['method']:<16} {m['n_matched']:>4}/{m['n_published']:<3} "
                   f"{m['n_missing']:>12} {_fmt_ratio(m['median_ratio']):>13} "
                   f"{m['within_2x']:>10.0%} {_fmt_ratio(m['median_hours_ratio']):>12}")
    return out


def print_report(result: dict) -> None:
    print(f"{result['n_events']} catalogue events active in 2019–2022, estimated with every "
          f"method in {result['seconds']:.1f} s ({result['draws']} draws)")
    print(f"catalogue country-years without a Top10VPN figure: {result['ours_only']}\n")
    print("Start-year basis (events that started in 2019–2022, each in its start year, as "
          "`impact events summary`):")
    print("\n".join(_metric_lines(result["metrics"])))
    print("\nCalendar-year basis (every event active in 2019–2022, hours and loss split over "
          "the calendar years its costed window covers):")
    print("\n".join(_metric_lines(result["metrics_calendar"])))
    main = result["compared"][MAIN_METHOD]
    print(f"\n10 worst country-years ({MAIN_METHOD}, start-year basis, ours/published):")
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


FINDINGS = [
    ("- Hours: our summed hours are about twice Top10VPN's at the median. Ongoing events run "
    "to 2026-05-20 in the catalogue and are costed in full in their start year (start-year "
    "basis); Top10VPN counts only the hours of the report's year and appears not to count "
    "many long regional shutdowns at all. The calendar-year split moves hours back into each "
    "year but also brings in events begun before 2019, so it does not close the gap."),
    ("- Extent: where the catalogue's affected share and Top10VPN's users affected disagree "
    "by more than ×2 the row says so; Top10VPN scales regional events by regional GDP, and "
    "its users-affected figure is sometimes national for regional events (and vice versa)."),
    ("- Platform blocks: `cost_compatible` costs a platform block by the platforms blocked; "
    "the Top10VPN fit does not identify a platform term, so blocks use COST's Brookings "
    "branch (internet-economy share × platform-dependence weights), which prices X alone far "
    "below a block of every social network (docs/cost_compatible.md)."),
    ("- Coding: a single-platform throttling (e.g. Russia's throttling of Twitter in 2021) "
    "coded as national `throttling` is costed like a nationwide slowdown of all traffic; "
    "such rows dominate the worst ratios."),
    "",
]


def _metric_table(ms: list[dict]) -> list[str]:
    lines = [("| method | country-years matched | published, no estimate | median ratio "
             "ours/published | within ×2 | median hours ratio ours/published |"),
             "|---|---|---|---|---|---|"]
    for m in ms:
        lines.append(f"| {m['method']} | {m['n_matched']} of {m['n_published']} | "
                     f"{m['n_missing']} | {_fmt_ratio(m['median_ratio'])} | "
                     f"{m['within_2x']:.0%} | {_fmt_ratio(m['median_hours_ratio'])} |")
    return lines


def markdown(result: dict) -> str:
    main = result["compared"][MAIN_METHOD]
    m0 = next(m for m in result["metrics"] if m["method"] == MAIN_METHOD)
    lines = [
        "# Validation against Top10VPN (2019–2022)", "",
        (f"Source of the published figures: {CITATION}. They live in "
        "`../shared/validation/` and are never copied into `data/` or the package; this page "
        "shows them only side by side with ours."), "",
        ("How: `python scripts/validate.py` estimates every catalogue event (`data/events.csv`) "
        "that started in 2019–2022 with every method, platform blocks capped at 365 days "
        "(Top10VPN's convention, variant `capped_365d`), sums the per-event P50s per "
        "country-year (`impact.events.summarise`) and divides by Top10VPN's cost. Nothing is "
        "fitted here. `cost_compatible` itself was calibrated on the same Top10VPN figures, "
        "but from Top10VPN's own hours and users affected; here it gets the catalogue's "
        "events, hours and affected shares instead, so this is a check of the whole chain "
        "(catalogue + method), not of the fit alone."), "",
        (f"{result['n_events']} events active in 2019–2022; estimating them with every method took "
        f"{result['seconds']:.1f} s at {result['draws']} draws. "
        f"{result['ours_only']} catalogue country-years have no Top10VPN figure (Top10VPN "
        "did not cost them)."), "",
        "## Summary", "",
        ("Start-year basis (events that started in 2019–2022, each costed in its start year — "
        "what `impact events summary` does):"), "",
    ]
    lines += _metric_table(result["metrics"])
    lines += ["", ("Calendar-year basis (every event active in 2019–2022, its hours and loss "
              "split pro rata over the calendar years its costed window covers — closer to how "
              "annual reports count multi-year events):"), ""]
    lines += _metric_table(result["metrics_calendar"])
    lines += [
        "", ("Only `cost_compatible` aims at Top10VPN's numbers; the other methods are shown "
        "for context (they cost a different quantity: lost digital value added, not a share "
        "of total output)."), "",
        f"![ours vs Top10VPN, {MAIN_METHOD}](validation_ratio.svg)", "",
        f"## Worst country-years ({MAIN_METHOD}, start-year basis)", "",
        "| country-year | ours (P50 sum) | Top10VPN | ratio | likely reason |", "|---|---|---|---|---|"]
    for r in worst(main).iter_rows(named=True):
        lines.append(f"| {r['iso3']} {r['year']} | {fmt.money(r['ours_usd'])} | "
                     f"{fmt.money(r['published_usd'])} | {r['ratio']:.2g} | {r['reason']} |")
    lines += ["", f"## Every country-year ({MAIN_METHOD}, start-year basis)", "",
              ("| country-year | events | hours ours | hours Top10VPN | ours (P50 sum) | "
              "Top10VPN | ratio |"), "|---|---|---|---|---|---|---|"]
    for r in main.iter_rows(named=True):
        ours = fmt.money(r["ours_usd"]) if r["ours_usd"] is not None else "no event"
        hours = f"{r['hours_ours']:,.0f}" if r["hours_ours"] is not None else "—"
        lines.append(f"| {r['iso3']} {r['year']} | {r['n_events'] or 0} | {hours} | "
                     f"{r['hours_published']:,.0f} | {ours} | {fmt.money(r['published_usd'])} | "
                     f"{_fmt_ratio(r['ratio'])} |")
    lines += ["", "## Reading the differences", "",
              (f"- Median ratio {m0['median_ratio']:.2f}, {m0['within_2x']:.0%} within ×2 "
              f"({m0['n_matched']} country-years); the median of our summed hours over "
              f"Top10VPN's is {m0['median_hours_ratio']:.2f}."),
              ("- Summed P50s: each total is the sum of its events' P50s (summed P5/P95 are not "
              "quantiles of the sum)."), ""]
    lines += FINDINGS
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
            svg_scatter(result["compared"][MAIN_METHOD],
                        f"{MAIN_METHOD} vs Top10VPN, country-years 2019–2022"),
            encoding="utf-8")
        print(f"wrote {args.docs / 'validation.md'} and {args.docs / 'validation_ratio.svg'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
