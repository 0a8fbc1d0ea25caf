"""The headline ensemble: who is in it (applies, inside its domain), pooled draws, the
sentence, the single-method choice and the line on why the methods differ."""

from __future__ import annotations

import numpy as np
import pytest

from impact import estimate, parse_scenario
from impact.ensemble import ENSEMBLE, day_share, ensemble, headline, members, why_they_differ
from impact.errors import InputError
from impact.methods import REGISTRY

DRAWS = 2000


@pytest.fixture(scope="module")
def pakistan():
    return estimate(parse_scenario({"country": "PAK", "start": "2024-02-08T07:00",
                                    "duration_hours": 10, "scope": "mobile"}), draws=DRAWS)


@pytest.fixture(scope="module")
def india():
    return estimate(parse_scenario({"country": "IND", "duration_hours": 8, "year": 2023,
                                    "scope": "mobile", "affected_share": 0.02}), draws=DRAWS)


def test_members_follow_status_and_domain(pakistan, india):
    inside, out = members(pakistan)
    assert "icrier2018" in out and "outside its domain" in out["icrier2018"]
    assert set(inside) == {m for m in REGISTRY if m != "icrier2018"}
    inside, out = members(india)
    assert "icrier2018" in inside and not out
    platform = estimate(parse_scenario({"country": "PAK", "duration_hours": 24,
                                        "scope": "platforms", "platforms": "x",
                                        "year": 2024}), draws=500)
    inside, out = members(platform)
    assert "deloitte2016" in out and out["deloitte2016"].startswith("not applicable")


def test_the_pool_is_the_members_draws_with_equal_weight(pakistan):
    ens = ensemble(pakistan)
    pool = np.concatenate([pakistan.samples[m] for m in ens.members])
    assert ens.loss_usd_p50 == pytest.approx(float(np.quantile(pool, 0.5)))
    assert ens.loss_usd_p05 < ens.loss_usd_p50 < ens.loss_usd_p95
    p50s = [pakistan.row(m)["loss_usd_p50"] for m in ens.members]
    assert min(p50s) <= ens.loss_usd_p50 <= max(p50s)
    only = ensemble(pakistan, methods=["impact"])
    assert only.loss_usd_p50 == pytest.approx(pakistan.row("impact")["loss_usd_p50"], rel=1e-3)


def test_headline_sentence(pakistan):
    text = headline(pakistan)
    assert text.startswith("A 10-hour nationwide mobile-data shutdown in Pakistan in 2024 "
                           "costs an estimated USD ")
    assert "(90 % range USD " in text and "the 6 methods put it between USD" in text
    single = headline(pakistan, "impact")
    from impact import format as fmt

    own = pakistan.row("impact")
    assert fmt.money(own["loss_usd_p50"]) in single and REGISTRY["impact"].title in single
    with pytest.raises(InputError, match="headline"):
        headline(pakistan, "astrology")
    assert ENSEMBLE not in REGISTRY


def test_headline_in_local_currency():
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 24 * 30, "year": 2024,
                                   "scope": "platforms", "platforms": "x",
                                   "currency": "local"}), draws=500)
    text = headline(est)
    assert text.startswith("A 30-day nationwide block of X in Pakistan in 2024") and "PKR" in text
    assert "USD" not in text


def test_why_they_differ(pakistan):
    shares = day_share(pakistan)
    assert set(shares) == set(REGISTRY) and all(0 < v < 1 for v in shares.values())
    line = why_they_differ(pakistan)
    assert line.startswith("Why they differ") and "%" in line
    assert REGISTRY[min(shares, key=shares.get)].title in line


def test_ensemble_row_has_the_summary_columns(pakistan):
    from impact.ensemble import ensemble_row

    row = ensemble_row(pakistan)
    assert row.columns == pakistan.summary.columns and row.height == 1
    r = row.row(0, named=True)
    ens = ensemble(pakistan)
    assert r["method"] == ENSEMBLE and r["status"] == "ok"
    assert r["loss_usd_p50"] == ens.loss_usd_p50 and "icrier2018 left out" in r["reason"]


def test_cli_prints_the_headline_in_the_output_currency(capsys):
    from impact.cli import main

    assert main(["estimate", "--country", "PAK", "--duration-hours", "10", "--scope",
                 "mobile", "--currency", "local", "--draws", "300"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("A 10-hour nationwide mobile-data shutdown in Pakistan")
    assert "PKR" in first and "USD P50" in out and "Why they differ" in out
