"""The headline: who is in it (applies, inside its domain, a range of a loss, not far from
the others), quantile averaging, the sentence, the single-method choice and the line on why
the methods differ."""

from __future__ import annotations

import numpy as np
import pytest

from impact import estimate, parse_scenario
from impact.errors import InputError
from impact.estimation.ensemble import (
    ENSEMBLE,
    day_share,
    ensemble,
    headline,
    members,
    why_they_differ,
)
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


def test_members_follow_status_domain_range_and_distance(pakistan, india):
    inside, out = members(pakistan)
    assert "icrier2018" in out and "outside its domain" in out["icrier2018"]
    assert set(inside) | set(out) == set(REGISTRY) and not set(inside) & set(out)
    assert {"impact", "cost_compatible", "brookings2016"} <= set(inside)
    for why in out.values():  # every method left out says why, in words
        assert why and not why.startswith("ok")
    inside, out = members(india)
    assert "icrier2018" not in out or "outside its domain" not in out["icrier2018"]
    platform = estimate(parse_scenario({"country": "PAK", "duration_hours": 24,
                                        "scope": "platforms", "platforms": "x",
                                        "year": 2024}), draws=500)
    inside, out = members(platform)
    assert "deloitte2016" in out and out["deloitte2016"] == (
        "Deloitte for GNI (2016) has no figure for platform blocks: it costs whole-internet "
        "shutdowns, mobile-data shutdowns and throttling only")
    # the panel method is platform-blind: outside its domain for a platform block
    assert "panel" in out and "outside its domain (platform-blind" in out["panel"]


def test_combine_by_hand():
    """Candidates: methods 0-2 (method 3's P5 is a gain). Median P50 of the candidates is
    4 (P50s 4, 8, 0.5 → median 4); 0.5 is 8× below: beside. Members 0 and 1: geometric means
    of (1, 2), (4, 8), (16, 32) = 1.414, 5.657, 22.63."""
    from impact.estimation.ensemble import FAR_FACTOR, combine

    assert FAR_FACTOR == 3.0
    q = np.array([[[1, 2, 0.1, -5]], [[4, 8, 0.5, 9]], [[16, 32, 2.5, 40]]], dtype=float)
    member, far, head = combine(q, np.ones((1, 4), dtype=bool))
    assert member.tolist() == [[True, True, False, False]]
    assert far.tolist() == [[False, False, True, False]]
    assert head[:, 0] == pytest.approx([2 ** 0.5, 32 ** 0.5, 512 ** 0.5])
    # out of domain (eligible False) is never a member, whatever its figures
    member, _, head = combine(q, np.array([[True, False, False, False]]))
    assert member.tolist() == [[True, False, False, False]]
    assert head[:, 0] == pytest.approx([1, 4, 16])
    # nothing eligible: no headline
    member, far, head = combine(q, np.zeros((1, 4), dtype=bool))
    assert not member.any() and np.isnan(head).all()
    # two candidates 100× apart: each is 10× from their median; both kept, not hidden
    two = np.array([[[1, 100]], [[2, 200]], [[4, 400]]], dtype=float)
    member, far, head = combine(two, np.ones((1, 2), dtype=bool))
    assert member.tolist() == [[True, True]] and not far.any()
    assert head[1, 0] == pytest.approx(20.0)


def test_the_headline_averages_the_members_quantiles(pakistan):
    ens = ensemble(pakistan)
    for k, col in enumerate(("loss_usd_p05", "loss_usd_p50", "loss_usd_p95")):
        own = [pakistan.row(m)[col] for m in ens.members]
        assert getattr(ens, col) == pytest.approx(float(np.exp(np.mean(np.log(own)))))
        assert min(own) <= getattr(ens, col) <= max(own)
    assert ens.loss_usd_p05 < ens.loss_usd_p50 < ens.loss_usd_p95
    only = ensemble(pakistan, methods=["impact"])
    assert only.loss_usd_p50 == pytest.approx(pakistan.row("impact")["loss_usd_p50"])
    assert only.members == ("impact",)


def test_headline_sentence(pakistan):
    text = headline(pakistan)
    assert text.startswith("A 10-hour nationwide mobile-data shutdown in Pakistan in 2024 "
                           "costs an estimated USD ")
    ens = ensemble(pakistan)
    assert "(90 % range USD " in text
    assert f"the {len(ens.members)} methods that apply put it between USD" in text
    # the spread stated is the members' own, never a method left out
    from impact import format as fmt

    p50s = [pakistan.row(m)["loss_usd_p50"] for m in ens.members]
    assert fmt.money(min(p50s)) in text and fmt.money(max(p50s)) in text
    for m in ens.excluded:
        assert fmt.money(pakistan.row(m)["loss_usd_p50"]) not in text
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
    assert REGISTRY["icrier2018"].title not in line  # outside its domain in Pakistan


def test_ensemble_row_has_the_summary_columns(pakistan):
    from impact.estimation.ensemble import ensemble_row

    row = ensemble_row(pakistan)
    assert row.columns == pakistan.summary.columns and row.height == 1
    r = row.row(0, named=True)
    ens = ensemble(pakistan)
    assert r["method"] == ENSEMBLE and r["status"] == "ok"
    assert r["loss_usd_p50"] == ens.loss_usd_p50 and "icrier2018 not in it" in r["reason"]


def test_cli_prints_the_headline_in_the_output_currency(capsys):
    from impact.cli import main

    assert main(["estimate", "--country", "PAK", "--duration-hours", "10", "--scope",
                 "mobile", "--currency", "local", "--draws", "300"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("A 10-hour nationwide mobile-data shutdown in Pakistan")
    assert "PKR" in first and "USD P50" in out and "Why they differ" in out


# ---- the ensemble row of every export ------------------------------------------------------
def test_batch_row_equals_the_single_estimate_row():
    """The engine combines each scenario's members in one pass; a batch row's headline is
    exactly `ensemble_row` of the same scenario estimated alone with the row's seed."""
    import polars as pl

    from impact.batch.run import run_rows
    from impact.estimation.ensemble import ensemble_row
    from impact.model.montecarlo import scenario_seed
    from impact.report import export

    cells = [{"country": "PAK", "start": "2024-02-08T07:00", "duration_hours": "10",
              "scope": "mobile"},
             {"country": "IND", "duration_hours": "8", "year": "2023", "scope": "mobile",
              "affected_share": "0.02"},
             {"country": "PAK", "duration_hours": "24", "scope": "platforms",
              "platforms": "x"}]
    rows = [(n, f"r{n}", c) for n, c in enumerate(cells, start=1)]
    result, ok, errors = run_rows(rows, "all", draws=700, seed=11, details=False)
    assert errors == [] and result.ensemble_summary.height == 3
    assert "ensemble" not in result.summary["method"]
    fast = export.pass_csv_frame(result, [i for _, i in ok])
    for n, id_, c in rows:
        alone = estimate(parse_scenario(c), draws=700, seed=scenario_seed(11, id_))
        single = ensemble_row(alone)
        batch = fast.filter((pl.col("id") == id_) & (pl.col("method") == ENSEMBLE))
        assert batch.height == 1
        for col in single.columns:
            assert batch[col][0] == single[col][0], (id_, col)
        # and it is the geometric mean of the members' P50s
        ens = ensemble(alone)
        own = [alone.row(m)["loss_usd_p50"] for m in ens.members]
        assert ens.loss_usd_p50 == pytest.approx(float(np.exp(np.mean(np.log(own)))))
    # the rows of a scenario: its methods, then its ensemble
    assert fast.filter(pl.col("id") == "r1")["method"].to_list() == [*REGISTRY, ENSEMBLE]


def test_ensemble_row_is_in_every_export_not_in_the_summary(pakistan):
    import io
    import json

    import polars as pl

    from impact.estimation.ensemble import ENSEMBLE_TITLE
    from impact.report.export import full_csv, report_markdown, to_json

    assert ENSEMBLE not in pakistan.summary["method"]
    ens = ensemble(pakistan)
    frame = pl.read_csv(io.StringIO(full_csv(pakistan)))
    row = frame.filter(pl.col("method") == ENSEMBLE).row(0, named=True)
    assert frame["method"][-1] == ENSEMBLE and row["title"] == ENSEMBLE_TITLE
    assert row["loss_usd_p50"] == pytest.approx(ens.loss_usd_p50, rel=1e-12)
    assert row["status"] == "ok" and row["loss_usd_central"] is None
    assert "icrier2018 not in it: outside its domain" in row["reason"]
    assert "quantile averaging" in row["assumptions"] and "impact" in row["assumptions"]
    assert row["loss_usd_per_day_p50"] == pytest.approx(
        ens.loss_usd_p50 / (pakistan.context.hours / 24))
    summary = json.loads(to_json(pakistan))["summary"]
    assert summary[-1]["method"] == ENSEMBLE
    text = report_markdown(pakistan)
    line = next(x for x in text.splitlines() if x.startswith(f"| {ENSEMBLE_TITLE} |"))
    from impact import format as fmt

    assert fmt.money(ens.loss_usd_p50) in line
    assert "geometric mean of the P5s, P50s and P95s of impact" in text


def test_ensemble_row_in_local_currency_and_without_members():
    from impact.estimation.ensemble import ensemble_row

    local = estimate(parse_scenario({"country": "PAK", "duration_hours": 24, "year": 2024,
                                     "currency": "local"}), draws=300)
    r = ensemble_row(local).row(0, named=True)
    ens = ensemble(local)
    assert r["currency"] == "PKR" and r["loss_p50"] == pytest.approx(
        ens.loss_usd_p50 * ens.factor)
    none = estimate(parse_scenario({"country": "PAK", "duration_hours": 24, "year": 2024,
                                    "scope": "platforms", "platforms": "x"}),
                    ["deloitte2016"], draws=300)
    r = ensemble_row(none).row(0, named=True)
    assert r["status"] == "not_applicable" and r["loss_usd_p50"] is None
    assert r["reason"].startswith("no method applies; deloitte2016 not in it: "
                                  "Deloitte for GNI (2016) has no figure for platform blocks")


def test_the_range_line_says_how_wide_and_why(pakistan):
    """The headline's P95/P5 is the geometric mean of its members' own P95/P5 (quantile
    averaging), and the line under the headline gives both."""
    from impact import format as fmt
    from impact.estimation.ensemble import range_text

    ens = ensemble(pakistan)
    widths = [pakistan.row(m)["loss_usd_p95"] / pakistan.row(m)["loss_usd_p05"]
              for m in ens.members]
    width = ens.loss_usd_p95 / ens.loss_usd_p05
    assert width == pytest.approx(float(np.exp(np.mean(np.log(widths)))))
    line = range_text(pakistan, ens)
    assert line.startswith(f"Why the range is this wide: P95 is ×{fmt.number(width)} P5")
    for m, w in zip(ens.members, widths, strict=True):
        assert f"{REGISTRY[m].title} ×{fmt.number(w)}" in line
    from impact.estimation.ensemble import Ensemble

    assert range_text(pakistan, Ensemble((), {}, None, None, None, 1.0, "USD")) == ""
