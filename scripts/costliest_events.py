"""Print the costliest catalogue events as a markdown table (docs/events.md).

The run time costs the whole bundled catalogue with every method and takes each event's
headline, as the Past events page ranks it (`impact.catalogue.events.estimate_events`,
`impact.catalogue.events.add_headline`, `impact.catalogue.events.event_totals`, variant ``capped``), and this
script lists the ``--top`` events by P50 loss with their costed hours, affected share (and
its range), share rule and hours flag. The "what was checked" and "verdict" columns of the
docs are written by hand in ``docs/costliest_checked.csv`` (``event_id,checked,verdict``),
which fills them (``--checked FILE`` for another file); an event not in it gets blank cells.

Usage: ``PYTHONPATH=. python scripts/costliest_events.py [--top 30] [--checked FILE]``, or
``--flagged`` for every flagged event with its reason.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import polars as pl

from impact.catalogue.events import add_headline, estimate_events, event_totals, load_events
from impact.estimation.ensemble import ENSEMBLE

CHECKED = Path(__file__).resolve().parents[1] / "docs" / "costliest_checked.csv"


def totals(method: str = ENSEMBLE, variant: str = "capped", draws: int = 2_000
           ) -> pl.DataFrame:
    """Every catalogue event's totals (`impact.catalogue.events.event_totals`) by ``method``: the
    headline, ``ensemble``, or one method's name; variant ``variant``."""
    events = load_events()
    if method == ENSEMBLE:
        estimates = add_headline(estimate_events(events, "all", draws=draws))
        estimates = estimates.filter(pl.col("method") == ENSEMBLE)
    else:
        estimates = estimate_events(events, method, draws=draws)
    return event_totals(estimates).filter(pl.col("variant") == variant)


def costliest(top: int = 30, method: str = ENSEMBLE, variant: str = "capped",
              draws: int = 2_000) -> pl.DataFrame:
    """The ``top`` events by P50 loss [USD] with their catalogue facts."""
    found = totals(method, variant, draws).filter(pl.col("status") == "ok")
    keep = ["event_id", "affected_share", "affected_share_low", "affected_share_high",
            "share_method", "geo_scope", "hours_basis", "network_share_basis",
            "hours_flag", "flag_reason"]
    events = load_events()
    facts = events.select([c for c in keep if c in events.columns])
    return (found.select("event_id", "title", "costed_hours", "loss_usd_p50",
                         "share_of_gdp_p50")
            .join(facts, on="event_id", how="left")
            .sort("loss_usd_p50", descending=True).head(top))


def flagged(method: str = ENSEMBLE, variant: str = "capped", draws: int = 2_000
            ) -> pl.DataFrame:
    """Every event with a ``flag`` (`impact.catalogue.events.event_flags`: above 0.5 % of its
    country's GDP or 2,000 costed hours), costliest first, with the share of GDP."""
    return (totals(method, variant, draws).filter(pl.col("flag").is_not_null())
            .select("event_id", "title", "costed_hours", "loss_usd_p50", "share_of_gdp_p50",
                    "flag").sort("loss_usd_p50", descending=True, nulls_last=True))


def flagged_markdown(table: pl.DataFrame) -> str:
    """The flagged events as markdown: id, title, hours, loss P50, % of GDP, why."""
    lines = ["| id | title | hours | loss P50 (USD) | % GDP | flag |",
             "|---|---|---:|---:|---:|---|"]
    for r in table.iter_rows(named=True):
        loss = _usd(r["loss_usd_p50"]) if r["loss_usd_p50"] is not None else "—"
        gdp = f"{100 * r['share_of_gdp_p50']:.2f}" if r["share_of_gdp_p50"] is not None else "—"
        lines.append(f"| `{r['event_id']}` | {r['title']} | {r['costed_hours']:,.0f} | {loss} "
                     f"| {gdp} | {r['flag']} |")
    return "\n".join(lines)


def _usd(x: float) -> str:
    return f"{x / 1e9:,.2f} bn" if x >= 1e9 else f"{x / 1e6:,.1f} m"


def _share(r: dict) -> str:
    s, lo, hi = r["affected_share"], r["affected_share_low"], r["affected_share_high"]
    if s is None:
        return ""
    if lo is None or hi is None or (lo == s == hi):
        return f"{s:.3g}"
    return f"{s:.3g} [{lo:.3g}–{hi:.3g}]"


def markdown(table: pl.DataFrame, checked: dict[str, tuple[str, str]] | None = None) -> str:
    """The table as markdown: rank, id, title, hours, share [range], loss P50, % of GDP,
    checked, verdict."""
    checked = checked or {}
    lines = [("| # | id | title | hours | share [range] | loss P50 (USD) | % GDP | "
              "what was checked | verdict |"), "|---:|---|---|---:|---|---:|---:|---|---|"]
    for i, r in enumerate(table.iter_rows(named=True), 1):
        what, verdict = checked.get(r["event_id"], ("", ""))
        title = r["title"].replace("|", "/")
        lines.append(
            f"| {i} | `{r['event_id']}` | {title} | {r['costed_hours']:,.0f} | {_share(r)} | "
            f"{_usd(r['loss_usd_p50'])} | {100 * (r['share_of_gdp_p50'] or 0):.3f} | "
            f"{what} | {verdict} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--draws", type=int, default=2_000)
    parser.add_argument("--checked", type=Path, default=CHECKED,
                        help="CSV event_id,checked,verdict (default: docs/costliest_checked.csv)")
    parser.add_argument("--csv", type=Path, help="also write the numbers as CSV here")
    parser.add_argument("--flagged", action="store_true",
                        help="list every flagged event instead (docs/events.md)")
    args = parser.parse_args(argv)
    if args.flagged:
        sys.stdout.write(flagged_markdown(flagged(draws=args.draws)) + "\n")
        return 0
    table = costliest(args.top, draws=args.draws)
    checked = {}
    if args.checked and args.checked.is_file():
        with args.checked.open(newline="", encoding="utf-8") as fh:
            checked = {r["event_id"]: (r["checked"], r["verdict"]) for r in csv.DictReader(fh)}
    if args.csv:
        table.write_csv(args.csv)
    sys.stdout.write(markdown(table, checked) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
