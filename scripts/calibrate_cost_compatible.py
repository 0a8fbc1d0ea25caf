"""Fit the cost_compatible method on Top10VPN 2019-2022 country-year figures.

    python scripts/calibrate_cost_compatible.py [--shared ../shared] [--out data]

Writes data/cost_compatible_fit.csv (coefficients, covariance, fit statistics only: no
Top10VPN figure is shipped) and prints the fit and the worst rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from impact.build import default_raw_dir
from impact.build.calibration import (
    calibration_frame,
    fit,
    fit_table,
    loo_ratios,
    service_share_by_country_year,
    usage_weights,
)
from impact.bundled.fits import COST_COMPATIBLE_TERMS as TERMS


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=default_raw_dir().parent,
                    help="folder holding data/ and validation/ (default: the parent of "
                         "$IMPACT_RAW_DATA, else <repo>/../shared)")
    ap.add_argument("--out", type=Path, default=ROOT / "data")
    args = ap.parse_args()
    validation = pl.read_csv(args.shared / "validation" / "top10vpn_country_year_2019_2022.csv")
    accessnow = pl.read_csv(args.shared / "data" / "shutdowns" /
                            "accessnow_keepiton_stop_2016_2025.csv", infer_schema_length=None)
    indicators = pl.read_csv(ROOT / "data" / "indicators.csv")
    weights = usage_weights(pl.read_csv(ROOT / "data" / "platform_weights.csv"))
    frame = calibration_frame(validation, indicators, service_share_by_country_year(accessnow),
                              weights)
    table = fit_table(frame)
    table.write_csv(args.out / "cost_compatible_fit.csv")
    print(fit(frame).summary(xname=list(TERMS)))
    with pl.Config(tbl_rows=-1):
        print(table.filter(pl.col("kind") == "stat"))
    stats = dict(table.filter(pl.col("kind") == "stat").select("term", "value").iter_rows())
    print(f"in sample: median ratio {stats['median_ratio_in_sample']:.3f}, within x2 "
          f"{stats['within_2x_in_sample']:.1%}; leave-one-out: median ratio "
          f"{stats['median_ratio_loo']:.3f}, within x2 {stats['within_2x_loo']:.1%}")
    verdict = ("identified: platform blocks use the fitted platform term"
               if stats["platform_term_identified"] else
               "NOT identified: platform blocks fall back to COST's Brookings branch")
    print(f"platform term t = {stats['platform_term_t']:.2f} "
          f"({stats['n_platform_only']:.0f} platform-only country-years, "
          f"{stats['n_with_platforms']:.0f} naming platforms): {verdict}")
    loo = loo_ratios(frame)
    worst = frame.select("year", "iso3", "cost_usd", "duration_hours", "affected_share",
                         "service_share", "platforms").with_columns(pl.Series("loo_ratio", loo)).with_columns(
        pl.col("loo_ratio").log().abs().alias("abs_log_ratio")).sort("abs_log_ratio",
                                                                     descending=True)
    print(worst.head(10))
    dropped = validation.height - frame.height
    print(f"{frame.height} country-years used, {dropped} dropped (no ISO3, no GDP or no "
          f"internet-use data); median LOO ratio {np.median(loo):.3f}")


if __name__ == "__main__":
    main()
