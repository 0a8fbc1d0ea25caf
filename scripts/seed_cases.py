"""Print the README's seed cases (Pakistan 2024) as a markdown table, per method.

    python scripts/seed_cases.py
"""

from __future__ import annotations

from impact import estimate, parse_scenario
from impact import format as fmt

SEED_CASES = {
    "Pakistan, election-day mobile data shutdown, 8 Feb 2024 07:00–17:00 (10 h, nationwide)":
        {"country": "PAK", "start": "2024-02-08T07:00", "end": "2024-02-08T17:00",
         "scope": "mobile"},
    "Pakistan, block of X from 17 Feb 2024 to 31 Dec 2024 (nationwide, platform block)":
        {"country": "PAK", "start": "2024-02-17T00:00", "end": "2025-01-01T00:00",
         "scope": "platforms", "platforms": "x"},
}


def main() -> None:
    for title, fields in SEED_CASES.items():
        est = estimate(parse_scenario(fields))
        print(f"**{title}**\n")
        print("| method | P50 | P5–P95 | per day (P50) | % of annual GDP (P50) | main driver |")
        print("|---|---|---|---|---|---|")
        for r in est.summary.iter_rows(named=True):
            if r["status"] != "ok":
                print(f"| {r['method']} | {fmt.MISSING} | {r['status'].replace('_', ' ')} | | | |")
                continue
            print(f"| {r['method']} | {fmt.money(r['loss_usd_p50'])} | "
                  f"{fmt.money(r['loss_usd_p05'])} – {fmt.money(r['loss_usd_p95'])} | "
                  f"{fmt.money(r['loss_usd_per_day_p50'])} | {fmt.percent(r['share_of_gdp_p50'])} "
                  f"| {r['main_driver']} |")
        if est.notes:
            print("\nData notes: " + "; ".join(est.notes))
        print()


if __name__ == "__main__":
    main()
