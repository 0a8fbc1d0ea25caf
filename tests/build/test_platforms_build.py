"""Build time: the usage columns of the platform table (`impact.build.platforms.usage_table`)."""

import polars as pl
import pytest

from impact.build.platforms import usage_table
from impact.vocab import PLATFORMS

REACH = [0.2, 0.8, 0.4, 0.6, 1.0, 0.5, 0.3, 0.01]  # in the order of PLATFORMS


def _reach(isos):
    return pl.DataFrame({"iso3": [i for i in isos for _ in PLATFORMS],
                         "platform": list(PLATFORMS) * len(isos),
                         "reach": REACH * len(isos), "basis": "world"})


def _shares(rows):
    return pl.DataFrame(rows, schema=["iso3", "platform", "share"], orient="row")


WORLD = [("WLD", "x", 0.1), ("WLD", "facebook", 0.7), ("WLD", "instagram", 0.1),
         ("WLD", "youtube", 0.05)]


def _usage(t, iso3, p):
    r = t.filter((pl.col("iso3") == iso3) & (pl.col("platform") == p)).row(0, named=True)
    return r["usage"], r["usage_basis"]


def test_region_median_needs_three_countries():
    isos = ["A", "B", "C", "D", "E", "WLD"]
    countries = pl.DataFrame({"iso3": isos[:-1], "region": ["R", "R", "R", "R", "S"]})
    shares = _shares(WORLD + [("A", "facebook", 0.2), ("B", "facebook", 0.6),
                              ("C", "facebook", 0.5)])
    t = usage_table(_reach(isos), shares, countries)
    assert _usage(t, "A", "facebook") == (0.2, "referral_share")
    assert _usage(t, "D", "facebook") == (0.5, "region")  # median of 0.2, 0.6, 0.5
    assert _usage(t, "E", "facebook") == (0.7, "world")   # its region has no measured country
    assert _usage(t, "D", "x") == (0.1, "world")          # no country of R measures X
    # WhatsApp in D: reach 0.6 × Facebook's usage per user there, 0.5 / 0.8
    assert _usage(t, "D", "whatsapp") == (pytest.approx(0.375), "reach_x_facebook_intensity")
    assert t.columns == ["iso3", "platform", "reach", "basis", "usage", "usage_basis"]
    assert t.height == len(isos) * len(PLATFORMS)


def test_intensity_is_capped_at_one():
    # Facebook carries 0.9 of activity for a reach of 0.3: 3 × per user; Telegram's reach
    # 0.5 × 3 = 1.5 is capped at 1
    reach = _reach(["A", "WLD"]).with_columns(
        pl.when((pl.col("iso3") == "A") & (pl.col("platform") == "facebook")).then(0.3)
        .when((pl.col("iso3") == "A") & (pl.col("platform") == "telegram")).then(0.5)
        .otherwise(pl.col("reach")).alias("reach"))
    t = usage_table(reach, _shares(WORLD + [("A", "facebook", 0.9)]),
                    pl.DataFrame({"iso3": ["A"], "region": ["R"]}))
    assert _usage(t, "A", "telegram") == (1.0, "reach_x_facebook_intensity")
    assert _usage(t, "A", "signal")[0] == pytest.approx(0.03)
