"""The platform table: loader, per-country usage, weights, and that every method reads it."""

import numpy as np
import polars as pl
import pytest

from impact import estimate, parse_scenario
from impact.errors import ParameterFileError
from impact.methods import REGISTRY
from impact.model.context import build_context
from impact.model.parameters import (
    platform_level,
    platform_param,
    platform_reach,
    platform_table,
    platform_usage,
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
    lambda t: t.drop("usage"),
    lambda t: t.with_columns(pl.when(pl.int_range(pl.len()) == 3).then(-0.1)
                             .otherwise(pl.col("usage")).alias("usage")),
    lambda t: t.with_columns(pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("users"))
                             .otherwise(pl.col("usage_basis")).alias("usage_basis")),
    lambda t: t.filter(pl.int_range(pl.len()) != 0),
    lambda t: t.filter(pl.col("iso3") != "WLD"),
])
def test_loader_rejects_a_broken_table(broken):
    with pytest.raises(ParameterFileError):
        validate_platform_table(broken(_table()))


def test_telegram_higher_in_iran_and_russia():
    t = platform_table().filter(pl.col("platform") == "telegram")
    elsewhere = float(t.filter(~pl.col("iso3").is_in(["IRN", "RUS"]))["usage"].median())
    for iso3 in ("IRN", "RUS"):
        assert platform_param("telegram", iso3).value > platform_param("telegram").value
        assert t.filter(pl.col("iso3") == iso3)["usage"][0] > elsewhere


def test_usage_by_hand_from_the_table():
    # Pakistan: WhatsApp's usage is its reach × Facebook's usage per user there,
    # TikTok's its reach × YouTube's; a country not in the table takes the world row
    wa, fb, yt, tt = (platform_reach(p, "PAK")[0] for p in ("whatsapp", "facebook", "youtube",
                                                            "tiktok"))
    assert platform_usage("whatsapp", "PAK") == (
        pytest.approx(wa * platform_usage("facebook", "PAK")[0] / fb, rel=1e-5),
        "reach_x_facebook_intensity")
    assert platform_usage("tiktok", "PAK") == (
        pytest.approx(tt * platform_usage("youtube", "PAK")[0] / yt, rel=1e-5),
        "reach_x_youtube_intensity")
    assert platform_usage("x", "PAK")[1] == "referral_share"
    assert platform_usage("x", "XXX") == (platform_usage("x", "WLD")[0], "world")
    # W = min(1, L × (1 − Π(1 − usage))): the weight of one platform is L × its usage
    level = platform_level().value
    assert platform_param("youtube", "PAK").value == pytest.approx(
        min(1.0, level * platform_usage("youtube", "PAK")[0]))


def test_every_intensity_row_follows_its_rule():
    """Over the whole table: a platform StatCounter does not measure has usage = its reach ×
    (usage ÷ reach) of Facebook (messaging) or YouTube (TikTok) in the same country, at most
    1; the measured platforms carry a StatCounter, region or world basis."""
    t = platform_table()
    wide = {(r["iso3"], r["platform"]): r for r in t.iter_rows(named=True)}
    anchors = {"whatsapp": "facebook", "telegram": "facebook", "signal": "facebook",
               "tiktok": "youtube"}
    for (iso3, p), r in wide.items():
        if p in anchors:
            a = wide[(iso3, anchors[p])]
            assert r["usage_basis"] == f"reach_x_{anchors[p]}_intensity"
            assert r["usage"] == pytest.approx(min(1.0, r["reach"] * a["usage"] / a["reach"]),
                                               rel=1e-5, abs=1e-9), (iso3, p)
        else:
            assert r["usage_basis"] in ("referral_share", "region", "world"), (iso3, p)
    # the StatCounter shares of one country are shares of one total
    sums = (t.filter(pl.col("usage_basis") == "referral_share").group_by("iso3")
            .agg(pl.col("usage").sum()))
    assert sums["usage"].max() <= 1.0 + 1e-6


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


def _platform_methods():
    """The methods that price platforms: those whose inputs for a block include the level."""
    ctx = build_context(parse_scenario({"country": "PAK", "duration_hours": 24,
                                        "scope": "platforms", "platforms": "x"}))
    return [name for name, m in REGISTRY.items()
            if any(s.name == "platform_level" for s in m.inputs(ctx))]


def test_every_platform_method_is_covered():
    assert set(_platform_methods()) >= {"impact", "brookings2016", "cost_compatible"}


@pytest.mark.parametrize("method", _platform_methods())
def test_youtube_alone_costs_well_below_facebook_and_whatsapp_in_pakistan(method):
    # YouTube carries a small share of Pakistan's social-media activity, Facebook and
    # WhatsApp most of it: reach (YouTube's ~1) priced them the other way round
    youtube = _central(method, platforms="youtube")
    meta = _central(method, platforms="facebook;whatsapp")
    assert 0 < youtube < 0.25 * meta


@pytest.mark.parametrize("method", _platform_methods())
def test_india_tiktok_ban_costs_under_a_tenth_of_a_blackout(method):
    # India's TikTok ban from 2020-06-29, one year: against a nationwide blackout as long
    base = {"country": "IND", "start": "2020-06-29", "duration_hours": 8760}
    tiktok = estimate(parse_scenario({**base, "scope": "platforms", "platforms": "tiktok"}),
                      [method], draws=200).row(method)["loss_usd_central"]
    blackout = estimate(parse_scenario(base), [method], draws=200).row(method)[
        "loss_usd_central"]
    assert 0 < tiktok < 0.1 * blackout


@pytest.mark.parametrize("method", _platform_methods())
def test_india_tiktok_ban_weight_is_under_a_tenth(method):
    # what the platform table gives every method: W = L × usage of TikTok in India < 0.1
    sc = parse_scenario({"country": "IND", "start": "2020-06-29", "duration_hours": 8760,
                         "scope": "platforms", "platforms": "tiktok"})
    inputs = {s.name: s for s in REGISTRY[method].inputs(build_context(sc))}
    usage = inputs["platform_usage_tiktok"].value
    assert usage == platform_usage("tiktok", "IND")[0]
    assert inputs["platform_level"].high * usage < 0.1
