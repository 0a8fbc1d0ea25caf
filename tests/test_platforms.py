"""The platform table: loader, per-country reach, weights, and that every method reads it."""

import numpy as np
import polars as pl
import pytest

from impact import estimate, parse_scenario
from impact.errors import ParameterFileError
from impact.parameters import (
    platform_level,
    platform_param,
    platform_table,
    validate_platform_table,
)
from impact.vocab import PLATFORMS


def _table():
    return platform_table().clone()


@pytest.mark.parametrize("broken", [
    lambda t: t.drop("basis"),
    lambda t: t.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(1.5)
                             .otherwise(pl.col("reach")).alias("reach")),
    lambda t: t.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("guess"))
                             .otherwise(pl.col("basis")).alias("basis")),
    lambda t: t.filter(pl.int_range(pl.len()) != 0),
    lambda t: t.filter(pl.col("iso3") != "WLD"),
])
def test_loader_rejects_a_broken_table(broken):
    with pytest.raises(ParameterFileError):
        validate_platform_table(broken(_table()))


def test_telegram_higher_in_iran_and_russia():
    t = platform_table().filter(pl.col("platform") == "telegram")
    elsewhere = float(t.filter(~pl.col("iso3").is_in(["IRN", "RUS"]))["reach"].median())
    for iso3 in ("IRN", "RUS"):
        assert platform_param("telegram", iso3).value > platform_param("telegram").value
        assert t.filter(pl.col("iso3") == iso3)["reach"][0] > elsewhere


def test_weights_are_shares():
    for iso3 in ("PAK", "IRN", "USA", "XXX"):
        for p in PLATFORMS:
            s = platform_param(p, iso3)
            assert 0 <= s.low <= s.value <= s.high <= 1


def _central(method, **changes):
    sc = {"country": "PAK", "year": 2022, "duration_hours": 24, "scope": "platforms",
          "platforms": "x"} | changes
    return estimate(parse_scenario(sc), [method], draws=200,
                    overrides=changes.pop("overrides", None)).row(method)["loss_usd_central"]


@pytest.mark.parametrize("method", ["impact", "brookings2016", "cost_compatible"])
def test_adding_a_platform_raises_the_loss(method):
    previous = 0.0
    for k in range(1, len(PLATFORMS) + 1):
        loss = _central(method, platforms=";".join(PLATFORMS[:k]))
        assert loss >= previous
        previous = loss


@pytest.mark.parametrize("method", ["impact", "brookings2016", "cost_compatible"])
def test_every_platform_method_reads_the_level(method):
    sc = parse_scenario({"country": "PAK", "year": 2022, "duration_hours": 24,
                         "scope": "platforms", "platforms": "x"})
    base = estimate(sc, [method], draws=200).row(method)["loss_usd_central"]
    half = estimate(sc, [method], draws=200,
                    overrides={"platform_level": platform_level().value / 2}
                    ).row(method)["loss_usd_central"]
    assert half == pytest.approx(base / 2, rel=1e-6)


def test_the_level_interval_reaches_the_draws():
    sc = parse_scenario({"country": "PAK", "year": 2022, "duration_hours": 24,
                         "scope": "platforms", "platforms": "x"})
    est = estimate(sc, ["brookings2016"], draws=4000)
    r = est.row("brookings2016")
    lv = platform_level()
    # the level alone spans lv.high / lv.low; the loss range is at least most of it
    assert r["loss_usd_p95"] / r["loss_usd_p05"] > 0.5 * lv.high / lv.low
    assert np.isfinite(r["loss_usd_p50"])
