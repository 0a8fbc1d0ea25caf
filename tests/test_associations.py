"""Per-scenario associations (effects on GDP growth, FDI, unemployment) and the year the risk
model predicts, checked against figures multiplied out by hand from the committed fits."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import impact
from impact.catalogue import associations as A
from impact.methods.panel import equivalent_days
from impact.model.context import build_context
from impact.vocab import Z95

# data/econometrics_fit.csv, model,kind,term rows coef/se/pvalue of full_days
HAND = {  # outcome -> (coef, se, p) of full_days
    "gdp_growth_pct": (-0.02466508703, 0.04194898402, 0.5565469427),
    "fdi_net_inflows_pct_gdp": (-0.01739894254, 0.01667395079, 0.2967258066),
    "unemployment_pct": (-0.003318816056, 0.008265668118, 0.6880386527),
}
# ... and of service_days
HAND_SERVICE = {"gdp_growth_pct": (-0.001687893042, 0.0009240237137, 0.06774831967)}


def _est(**fields):
    return impact.estimate(impact.parse_scenario(fields), ["panel"], draws=200)


@pytest.fixture(scope="module")
def pak10():
    return _est(country="Pakistan", duration_hours=10, scope="full")


def test_pakistan_10_hours_full_by_hand(pak10):
    effects = A.scenario_effects(pak10)
    assert effects["outcome"].to_list() == ["gdp_growth_pct", "fdi_net_inflows_pct_gdp",
                                            "unemployment_pct"]
    days = 10 / 24  # nationwide, intensity 1, full network: hours / 24
    for row in effects.iter_rows(named=True):
        b, se, p = HAND[row["outcome"]]
        assert row["status"] == "ok" and row["kind"] == "full"
        assert row["equivalent_days"] == pytest.approx(days)
        assert row["effect"] == pytest.approx(b * days, rel=1e-9)
        assert row["low"] == pytest.approx((b - Z95 * se) * days, rel=1e-9)
        assert row["high"] == pytest.approx((b + Z95 * se) * days, rel=1e-9)
        assert row["p_value"] == pytest.approx(p)
        assert row["verdict"].startswith(A.NOT_DISTINGUISHABLE)
    # -0.02466509 × 10/24 = -0.0102771; (-0.02466509 ∓ 1.6449 × 0.04194898) × 10/24
    text = effects.select("effect_text", "interval_text", "p_text").rows()
    assert text == [("-0.0103", "-0.039 to 0.0185", "0.56"),
                    ("-0.00725", "-0.0187 to 0.00418", "0.3"),
                    ("-0.00138", "-0.00705 to 0.00428", "0.69")]
    assert effects["verdict"][0].endswith(A.LOSS_NOTE)
    assert effects["label"].to_list() == [
        "GDP growth [percentage points of annual growth]",
        "FDI net inflows [percentage points of GDP]",
        "Unemployment rate [percentage points of the labour force]"]
    assert effects["sample_text"][0] == "1.87 k country-years, 211 countries, 2016–2024"


def test_the_effect_is_the_panel_methods_central_loss(pak10):
    """GDP effect × GDP / 100 is the panel method's central loss (same days, same β)."""
    gdp = A.scenario_effects(pak10).row(0, named=True)
    central = pak10.row("panel")["loss_usd_central"]
    assert -gdp["effect"] / 100 * pak10.context.gdp_usd == pytest.approx(central, rel=1e-9)


def test_days_follow_the_panel_method_for_mobile_and_platforms():
    ind = _est(country="India", duration_hours=48, scope="mobile")
    days, kind = A.scenario_days(ind)
    assert kind == "full"
    assert days == pytest.approx(float(equivalent_days(48, 1.0, 1.0, ind.context.mobile_share)))
    assert days < 2.0
    block = _est(country="Pakistan", duration_hours=240, scope="platforms", platforms="x")
    effects = A.scenario_effects(block)
    assert set(effects["kind"]) == {"service"}
    gdp = effects.row(0, named=True)
    b, se, _ = HAND_SERVICE["gdp_growth_pct"]
    assert gdp["effect"] == pytest.approx(b * 10, rel=1e-9)  # 240 h = 10 days, no weights
    assert gdp["high"] == pytest.approx((b + Z95 * se) * 10, rel=1e-9) and gdp["high"] < 0
    assert gdp["verdict"].startswith(f"{A.ASSOCIATION}: country-years with more "
                                     "platform-block shutdown days had lower GDP growth")
    assert gdp["p_text"] == "0.068"


def test_overrides_of_the_days_inputs_are_applied():
    est = impact.estimate(impact.parse_scenario({"country": "PAK", "duration_hours": 10}),
                          ["panel"], draws=200, overrides={"panel.affected_share": 0.5})
    assert A.scenario_days(est)[0] == pytest.approx(10 / 24 * 0.5)


@pytest.mark.parametrize(("low", "high", "expected"), [
    (-0.03, 0.004, A.NOT_DISTINGUISHABLE),
    (-0.004, 0.03, A.NOT_DISTINGUISHABLE),
    (0.0, 0.03, A.NOT_DISTINGUISHABLE),  # an end at 0 includes 0
    (-0.03, -0.001, "had lower"),
    (0.001, 0.03, "had higher"),
])
def test_verdict_on_both_sides_of_zero(low, high, expected):
    got = A.verdict(low, high, "full", "unemployment_pct")
    assert expected in got
    if expected != A.NOT_DISTINGUISHABLE:
        assert got.startswith(A.ASSOCIATION) and got.endswith("unemployment")


def test_a_country_outside_the_sample_says_so():
    ctx = build_context(impact.parse_scenario({"country": "ERI", "duration_hours": 24}))
    effects = A.scenario_effects(ctx)
    gdp = effects.row(0, named=True)
    assert gdp["status"] == "unavailable" and gdp["effect"] is None
    assert gdp["effect_text"] == "–"
    assert "Eritrea is outside this fit's estimation sample" in gdp["verdict"]
    outlook = A.risk_outlook("ERI", date(2026, 12, 2))
    assert outlook.probability is None and outlook.rank is None
    assert outlook.text.startswith("No risk estimate for Eritrea in 2026")


def test_display_has_no_raw_names_or_scientific_notation(pak10):
    shown = A.effects_display(A.scenario_effects(pak10))
    assert list(shown.columns) == list(A.DISPLAY_COLUMNS)
    cells = [c for row in shown.rows() for c in row] + shown.columns
    assert not any("_" in c for c in cells)
    assert not any("e-0" in c or "e+0" in c for c in cells)
    assert shown.schema == pl.Schema({c: pl.String for c in A.DISPLAY_COLUMNS})


@pytest.mark.parametrize(("today", "year", "phrase"), [
    (date(2024, 6, 1), 2025, "2025 is the next calendar year"),
    (date(2025, 12, 31), 2026, "2026 is the next calendar year"),
    (date(2026, 1, 1), 2026, "until the 2026 catalogue year is complete"),
    (date(2026, 12, 2), 2026, "2026 is already under way"),
    (date(2027, 3, 1), 2026, "2026 is over"),
    (date(2012, 1, 1), 2017, "2017 is the first year"),
])
def test_the_year_rule(today, year, phrase):
    ry = A.risk_year(today)
    assert ry.year == year and ry.covariates_year == year - 1
    assert ry.why.startswith(f"{year} is predicted from the {year - 1} covariates")
    assert phrase in ry.why


SNAPSHOT = "cannot be predicted from the catalogue snapshot of 20 May 2026)"


@pytest.mark.parametrize(("today", "short"), [
    (date(2024, 6, 1), "2025, the next calendar year"),
    (date(2026, 12, 2), f"2026, the year under way (2027 {SNAPSHOT}"),
    (date(2027, 3, 1), f"2026, a year already over (2028 {SNAPSHOT}"),
    (date(2012, 1, 1), "2017, the first year the bundled covariates support"),
])
def test_the_year_in_a_few_words(today, short):
    assert A.risk_year(today).short == short


def test_the_snapshot_and_latest_year_come_from_the_data():
    ry = A.risk_year(date(2026, 12, 2))
    assert ry.snapshot == date(2026, 5, 20) and ry.latest == 2026
    assert "snapshot 20 May 2026" in ry.why


def test_pakistan_risk_outlook():
    from impact.bundled.econometrics import risk_table

    outlook = A.risk_outlook("PAK", date(2026, 12, 2))
    table = risk_table(2026)
    row = table.filter(pl.col("iso3") == "PAK").row(0, named=True)
    assert outlook.probability == row["probability"]
    assert outlook.rank == 1 + table.filter(pl.col("probability") > row["probability"]).height
    assert outlook.text == ("Risk that a new shutdown starts in Pakistan in 2026: 76 % "
                            "(90 % CI 65 % – 84 %); rank 5 of 171 countries.")
    earlier = A.risk_outlook("PAK", date(2024, 6, 1))
    assert earlier.year == 2025 and earlier.text != outlook.text
