"""`estimate`: reproducibility, ordering of quantiles, not-applicable rows, fallback notes,
currency and price conversions, and errors."""

from __future__ import annotations

import polars as pl
import pytest

from impact import DataError, InputError, estimate, parse_scenario
from impact import format as fmt
from impact.bundled.indicators import lookup
from impact.estimation.results import SUMMARY_COLUMNS, draw_notes
from impact.methods import REGISTRY

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
DRAWS = 1000
PAK_MOBILE = {"country": "Pakistan", "duration_hours": 10, "scope": "mobile", "year": 2024}

SCENARIOS = [
    PAK_MOBILE,
    {"country": "IND", "duration_hours": 72, "year": 2020, "affected_share": 0.1},
    {"country": "ETH", "duration_hours": 24 * 23, "year": 2020},
    {"country": "NGA", "duration_hours": 24 * 61, "year": 2021, "scope": "platforms",
     "platforms": "x"},
    {"country": "IRN", "duration_hours": 100, "year": 2019, "scope": "throttling"},
    {"country": "PAK", "start": "2024-02-08T07:00", "end": "2024-02-08T17:00", "scope": "mobile"},
]


@pytest.fixture(scope="module")
def pak():
    return estimate(parse_scenario(PAK_MOBILE), draws=DRAWS)


def test_summary_shape(pak):
    assert pak.summary.columns == SUMMARY_COLUMNS
    assert sorted(pak.summary["method"].to_list()) == sorted(
        ["impact", "cost_compatible", "brookings2016", "deloitte2016", "icrier2018", "panel"])
    assert set(pak.samples) == set(pak.summary.filter(pl.col("status") == "ok")["method"])
    assert all(len(v) == DRAWS for v in pak.samples.values())
    assert pak.vintages.height > 0
    assert pak.assumptions.height > 0 and pak.sensitivity.height > 0


def test_same_seed_same_summary():
    s = parse_scenario(PAK_MOBILE)
    a = estimate(s, draws=DRAWS, seed=7)
    b = estimate(s, draws=DRAWS, seed=7)
    assert a.summary.equals(b.summary)
    assert a.sensitivity.equals(b.sensitivity)
    for m in a.samples:
        assert (a.samples[m] == b.samples[m]).all()


def test_different_seed_different_p50():
    s = parse_scenario(PAK_MOBILE)
    a = estimate(s, draws=DRAWS, seed=1).summary
    b = estimate(s, draws=DRAWS, seed=2).summary
    for m in ("impact", "brookings2016", "cost_compatible", "deloitte2016", "icrier2018"):
        pa = a.filter(pl.col("method") == m)["loss_usd_p50"][0]
        pb = b.filter(pl.col("method") == m)["loss_usd_p50"][0]
        assert pa != pb, m
    # but central values do not depend on the seed
    assert a["loss_usd_central"].equals(b["loss_usd_central"])


@pytest.mark.parametrize("data", SCENARIOS, ids=lambda d: f"{d['country']}-{d.get('scope')}")
def test_quantiles_are_ordered(data):
    est = estimate(parse_scenario(data), draws=DRAWS)
    ok = est.summary.filter(pl.col("status") == "ok")
    assert ok.height >= 3
    for r in ok.iter_rows(named=True):
        assert 0 <= r["loss_usd_p05"] <= r["loss_usd_p50"] <= r["loss_usd_p95"], r["method"]
        assert r["share_of_gdp_p05"] <= r["share_of_gdp_p50"] <= r["share_of_gdp_p95"]
        assert r["loss_usd_per_day_p50"] == pytest.approx(
            r["loss_usd_p50"] / (est.context.hours / 24))
        assert r["main_driver"]


def test_platform_blocks_not_applicable_for_deloitte_and_icrier():
    est = estimate(parse_scenario(SCENARIOS[3]), draws=DRAWS)
    for m in ("deloitte2016", "icrier2018"):
        r = est.row(m)
        assert r["status"] == "not_applicable"
        assert r["reason"].startswith(f"{REGISTRY[m].title} has no figure for platform blocks: it costs ")
        assert r["loss_usd_p50"] is None
        assert m not in est.samples
    for m in ("impact", "cost_compatible", "brookings2016"):
        assert est.row(m)["status"] == "ok"


def test_notes_record_internet_users_fallback():
    ind = pl.read_csv(ROOT / "data" / "indicators.csv", infer_schema_length=None)
    last = ind.filter((pl.col("iso3") == "PAK") & (pl.col("indicator") == "internet_users_pct")
                      )["year"].max()
    if last >= 2025:
        pytest.skip("PAK internet-use data now reaches 2025; pick another country")
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 10, "year": 2025}),
                   ["impact"], draws=DRAWS)
    assert f"internet users (% of population) of {last} used for 2025 (PAK)" in est.notes
    assert any("internet users (% of population)" in n for n in est.context.notes)


def test_notes_record_gdp_fallback():
    ind = pl.read_csv(ROOT / "data" / "indicators.csv", infer_schema_length=None)
    last = ind.filter((pl.col("iso3") == "PAK") & (pl.col("indicator") == "gdp_usd"))["year"].max()
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 10, "year": last + 2}),
                   ["impact"], draws=DRAWS)
    assert f"GDP (current USD) of {last} used for {last + 2} (PAK)" in est.notes


def test_default_year_is_latest_gdp_year():
    ind = pl.read_csv(ROOT / "data" / "indicators.csv", infer_schema_length=None)
    last = ind.filter((pl.col("iso3") == "PAK") & (pl.col("indicator") == "gdp_usd"))["year"].max()
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 10}), ["impact"],
                   draws=DRAWS)
    assert est.context.year == last


def test_local_currency_multiplies_by_exchange_rate():
    usd = estimate(parse_scenario(PAK_MOBILE), draws=DRAWS)
    local = estimate(parse_scenario({**PAK_MOBILE, "currency": "local"}), draws=DRAWS)
    fx = lookup("PAK", "lcu_per_usd", 2024).value
    assert 200 < fx < 400  # PKR per USD in 2024
    for m in ("impact", "brookings2016"):
        u, loc = usd.row(m), local.row(m)
        assert loc["currency"] == "PKR" and u["currency"] == "USD"
        assert loc["loss_usd_p50"] == pytest.approx(u["loss_usd_p50"])  # USD columns unchanged
        for q in ("p05", "p50", "p95"):
            assert loc[f"loss_{q}"] == pytest.approx(u[f"loss_usd_{q}"] * fx)
            assert u[f"loss_{q}"] == pytest.approx(u[f"loss_usd_{q}"])


def _us_deflator_ratio(event_year: int, target: int) -> float:
    """Chain the US GDP deflator growth rates (WDI NY.GDP.DEFL.KD.ZG) by hand."""
    ind = pl.read_csv(ROOT / "data" / "indicators.csv", infer_schema_length=None)
    g = dict(ind.filter((pl.col("iso3") == "USA")
                        & (pl.col("indicator") == "gdp_deflator_growth_pct"))
             .select("year", "value").rows())
    ratio = 1.0
    for y in range(min(event_year, target) + 1, max(event_year, target) + 1):
        ratio *= 1 + g[y] / 100
    return ratio if target > event_year else 1 / ratio


@pytest.mark.parametrize("price_year", [2015, 2024])
def test_constant_prices_use_us_deflator(price_year):
    base = {"country": "IND", "duration_hours": 24, "year": 2020}
    cur = estimate(parse_scenario(base), ["impact"], draws=DRAWS).row("impact")
    est = estimate(parse_scenario({**base, "price_basis": "constant", "price_year": price_year}),
                   ["impact"], draws=DRAWS)
    const = est.row("impact")
    ratio = _us_deflator_ratio(2020, price_year)
    assert const["price_basis"] == "constant" and const["price_year"] == price_year
    assert const["loss_p50"] == pytest.approx(cur["loss_usd_p50"] * ratio, rel=1e-9)
    assert (f"constant {price_year} prices via the US GDP deflator (×{fmt.number(ratio)})"
            in est.notes)
    # prices rose over 2015-2024: 2015 prices shrink the figure, 2024 prices enlarge it
    assert (ratio < 1) if price_year == 2015 else (ratio > 1)


def test_price_year_beyond_deflator_data():
    with pytest.raises(InputError) as info:
        estimate(parse_scenario({"country": "IND", "duration_hours": 24, "year": 2020,
                                 "price_basis": "constant", "price_year": 2100}),
                 ["impact"], draws=DRAWS)
    assert info.value.field == "price_year"


def test_unknown_override_is_an_input_error():
    with pytest.raises(InputError) as info:
        estimate(parse_scenario(PAK_MOBILE), draws=DRAWS, overrides={"indirect_multipler": 0.8})
    assert info.value.field == "set"
    assert "indirect_multipler" in str(info.value)
    assert "a parameter name used by the chosen methods" in str(info.value)
    assert "did you mean indirect_multiplier" in str(info.value)  # closest accepted name


@pytest.mark.parametrize("value", [-0.1, float("inf"), float("nan")])
def test_bad_override_value_is_an_input_error(value):
    with pytest.raises(InputError, match="a finite number >= 0"):
        estimate(parse_scenario(PAK_MOBILE), draws=DRAWS,
                 overrides={"indirect_multiplier": value})


def test_override_of_another_methods_parameter_is_scoped():
    est = estimate(parse_scenario(PAK_MOBILE), ["impact", "icrier2018"], draws=DRAWS,
                   overrides={"icrier2018.elasticity": 0.2})
    a = est.assumptions
    assert a.filter((pl.col("method") == "icrier2018") & (pl.col("parameter") == "elasticity")
                    )["value"][0] == 0.2


@pytest.mark.parametrize("draws", [0, 99, 1_000_001, 1000.0, "1000"])
def test_bad_draws(draws):
    with pytest.raises(InputError) as info:
        estimate(parse_scenario(PAK_MOBILE), draws=draws)
    assert info.value.field == "draws"


def test_unknown_method():
    with pytest.raises(InputError) as info:
        estimate(parse_scenario(PAK_MOBILE), ["impact", "netloss"], draws=DRAWS)
    assert info.value.field == "method" and "brookings2016" in str(info.value)


def test_methods_as_comma_string():
    est = estimate(parse_scenario(PAK_MOBILE), "impact, icrier2018", draws=DRAWS)
    assert est.summary["method"].to_list() == ["impact", "icrier2018"]


def _countries_without_gdp() -> list[str]:
    countries = pl.read_csv(ROOT / "data" / "countries.csv", infer_schema_length=None)
    ind = pl.read_csv(ROOT / "data" / "indicators.csv", infer_schema_length=None)
    have = set(ind.filter(pl.col("indicator") == "gdp_usd")["iso3"])
    return sorted(set(countries["iso3"]) - have)


def test_country_without_gdp_is_a_data_error():
    missing = _countries_without_gdp()
    if not missing:
        pytest.skip("every country in data/countries.csv has GDP data")
    iso3 = missing[0]
    with pytest.raises(DataError, match="GDP"):
        estimate(parse_scenario({"country": iso3, "duration_hours": 10, "year": 2020}),
                 draws=DRAWS)
    # without a year the default year needs GDP too: still a DataError naming GDP
    with pytest.raises(DataError, match="GDP"):
        estimate(parse_scenario({"country": iso3, "duration_hours": 10}), draws=DRAWS)


def test_samples_are_capped_at_period_gdp():
    # impact with an indirect multiplier of 1,000 for a whole year would exceed annual GDP
    # (an elasticity of 50 would too, but it is refused: outside 0-1): every draw is capped
    est = estimate(parse_scenario({"country": "IND", "duration_hours": 8760, "year": 2020}),
                   ["impact"], draws=DRAWS, overrides={"indirect_multiplier": 1000})
    cap = est.context.gdp.value
    assert est.samples["impact"].max() <= cap
    assert est.row("impact")["capped_share"] == 1.0
    assert "impact: 100 % of draws capped at the GDP of the period" in est.notes


def test_no_capping_note_without_capping():
    est = estimate(parse_scenario(PAK_MOBILE), draws=DRAWS)
    assert (est.summary.filter(pl.col("status") == "ok")["capped_share"] == 0).all()
    assert not [n for n in est.notes if "capped" in n]


def test_draw_notes_never_show_a_zero_share():
    # 4 of 10,000 draws: 0.04 %, not "0.0%"; a share of 0 makes no note at all
    assert draw_notes("impact", 0.0, 0.0004) == [
        "impact: 0.04 % of draws capped at the GDP of the period"]
    assert draw_notes("panel", 0.00005, 0.0) == [
        ("panel: 0.005 % of draws imply a gain rather than a loss (counted as 0: the fitted "
         "effect's interval crosses zero)")]
    assert draw_notes("impact", 0.0, 0.0) == []


def test_default_throttling_intensity_note():
    est = estimate(parse_scenario({**PAK_MOBILE, "scope": "throttling"}), ["impact"],
                   draws=DRAWS)
    assert "throttling: 50 % of service lost assumed (no intensity given)" in est.notes
    given = estimate(parse_scenario({**PAK_MOBILE, "scope": "throttling", "intensity": 0.7}),
                     ["impact"], draws=DRAWS)
    assert not [n for n in given.notes if "service lost" in n]


def test_official_exchange_rate_note_words():
    est = estimate(parse_scenario({"country": "IRN", "duration_hours": 24, "year": 2022,
                                   "currency": "local"}), ["impact"], draws=DRAWS)
    fx = lookup("IRN", "lcu_per_usd", 2022)
    assert (f"official exchange rate of {fx.year_used}, {fmt.number(fx.value)} IRR per USD, may "
            "differ widely from the market rate") in est.notes


def test_affected_users_become_share():
    users = estimate(parse_scenario({"country": "PAK", "duration_hours": 10, "year": 2024}),
                     ["impact"], draws=DRAWS).context.users.value
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 10, "year": 2024,
                                   "affected_users": int(users // 4)}), ["impact"], draws=DRAWS)
    assert est.context.affected_share == pytest.approx(0.25, rel=1e-6)
    r = est.row("impact")
    assert r["loss_usd_per_affected_user_p50"] == pytest.approx(
        r["loss_usd_p50"] / (users * est.context.affected_share))


def test_full_scope_does_not_need_mobile_data() -> None:
    # Guam has GDP and internet data but no mobile-subscription series: a full blackout
    # must still be estimated; only a mobile-only scenario needs the mobile share.
    est = estimate(parse_scenario({"country": "GUM", "duration_hours": 5}), draws=200)
    assert (est.summary["status"] == "ok").all()
    with pytest.raises(DataError, match="mobile"):
        estimate(parse_scenario({"country": "GUM", "duration_hours": 5, "scope": "mobile"}),
                 draws=200)


def test_scenario_sentence_and_affected_detail_read_as_words():
    from impact.report.export import scenario_words

    est = estimate(parse_scenario({"country": "IRN", "duration_hours": 24,
                                   "scope": "throttling", "intensity": 0.7}))
    words = scenario_words(est)
    assert words.startswith("Throttling of internet service (70 % of service lost) in Iran")
    assert "affected: nationwide: every user affected (the default)" in words
    given = estimate(parse_scenario({"country": "PAK", "duration_hours": 10,
                                     "affected_share": 0.3}))
    assert given.context.affected_detail == "30 % of users affected (as given)"
    users = estimate(parse_scenario({"country": "PAK", "duration_hours": 10,
                                     "affected_users": 1_000_000}))
    assert users.context.affected_detail.startswith(f"{fmt.count(1_000_000)} affected users ÷ ")
    assert users.context.affected_detail.endswith(" internet users = "
                                                  f"{fmt.percent(users.context.affected_share)}")
