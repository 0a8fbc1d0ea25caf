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
)


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
    frame = calibration_frame(validation, indicators, service_share_by_country_year(accessnow))
    table = fit_table(frame)
    table.write_csv(args.out / "cost_compatible_fit.csv")
    print(fit(frame).summary())
    print(table.filter(pl.col("kind") == "stat"))
    loo = loo_ratios(frame)
    worst = frame.select("year", "iso3", "cost_usd", "duration_hours", "affected_share",
                         "service_share").with_columns(pl.Series("loo_ratio", loo)).with_columns(
        pl.col("loo_ratio").log().abs().alias("abs_log_ratio")).sort("abs_log_ratio",
                                                                     descending=True)
    print(worst.head(10))
    dropped = validation.height - frame.height
    print(f"{frame.height} country-years used, {dropped} dropped (no ISO3, no GDP or no "
          f"internet-use data); median LOO ratio {np.median(loo):.3f}")


if __name__ == "__main__":
    main()
