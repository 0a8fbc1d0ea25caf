"""Print the README's comparison of Pakistan's 2024 events with three well-known others,
from the bundled event catalogue (Access Now #KeepItOn facts), as a markdown table.

    python scripts/compare_cases.py
"""

from __future__ import annotations

import polars as pl

from impact import format as fmt
from impact.catalogue.events import estimate_events, event_totals, events_by_id

CASES = {
    "AN-128b3eb3d9": "Pakistan, election-day mobile shutdown",
    "AN-9677a4227a": "Pakistan, block of X",
    "AN-97cb30ab26": "Nigeria, block of Twitter",
    "AN-4201574ec4": "Iran, November 2019 blackout",
    "AN-7107c99500": "Myanmar, coup-period nightly shutdowns",
}
METHODS = ["impact", "cost_compatible", "brookings2016"]


def main() -> None:
    events = events_by_id(list(CASES))
    est = event_totals(estimate_events(events, METHODS, draws=10_000,
                                       cap_platform_days="both"))
    print("| event | dates (catalogue) | scope | hours basis | costed hours | method | "
          "P50 (P5–P95) | per day | per person | % of GDP |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for event_id, label in CASES.items():
        rows = est.filter(pl.col("event_id") == event_id)
        if rows["loss_usd_p50"].n_unique() == 1 or rows.filter(
                pl.col("variant") == "capped")["costed_hours"].equals(rows.filter(
                pl.col("variant") == "uncapped")["costed_hours"]):
            rows = rows.filter(pl.col("variant") == "capped")  # the cap changes nothing
        for r in rows.sort("variant", "method").iter_rows(named=True):
            variant = "" if r["variant"] == "capped" and rows["variant"].n_unique() == 1 \
                else f" ({r['variant']})"
            if r["status"] != "ok":
                continue
            print(f"| {label}{variant} | {r['start']} – {r['end']} | {r['scope']} | "
                  f"{r.get('hours_basis') or '–'} | "
                  f"{fmt.hours(r['costed_hours'], unit=False)} | {r['method']} | "
                  f"{fmt.money(r['loss_usd_p50'])} "
                  f"({fmt.money(r['loss_usd_p05'])} – {fmt.money(r['loss_usd_p95'])}) | "
                  f"{fmt.money(r['loss_usd_per_day_p50'])} | "
                  f"{fmt.money(r['loss_usd_per_capita_p50'])} | "
                  f"{fmt.percent(r['share_of_gdp_p50'])} |")


if __name__ == "__main__":
    main()
