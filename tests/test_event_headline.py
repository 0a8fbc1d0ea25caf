"""Each catalogue event's headline (`impact.catalogue.events.add_headline`): the same rule as an
estimate's headline, over the whole catalogue, and the figure a preset of the event gives."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from impact import estimate
from impact.catalogue.events import add_headline, estimate_events, event_scenario, load_events
from impact.estimation.ensemble import ENSEMBLE, combine_draws, ensemble
from impact.model.montecarlo import scenario_seed
from impact.vocab import DEFAULT_SEED

DRAWS = 200


@pytest.fixture(scope="module")
def whole():
    return add_headline(estimate_events(load_events(), "all", draws=DRAWS,
                                        cap_platform_days=True, open_ended="known"))


def test_one_headline_row_per_event_year_and_no_figure_without_members(whole):
    heads = whole.filter(pl.col("method") == ENSEMBLE)
    parts = whole.filter(pl.col("method") != ENSEMBLE).select("variant", "event_id",
                                                                "year").unique()
    assert heads.height == parts.height
    ok = heads.filter(pl.col("status") == "ok")
    assert ok["loss_usd_p50"].null_count() == 0 and ok.height > 0.8 * heads.height
    assert (ok["loss_usd_p05"] <= ok["loss_usd_p50"]).all()
    assert (ok["loss_usd_p50"] <= ok["loss_usd_p95"]).all()
    assert heads.filter(pl.col("status") != "ok")["loss_usd_p50"].null_count() == \
        heads.filter(pl.col("status") != "ok").height
    # the headline sits between its members' P50s (a geometric mean of them)
    methods = whole.filter((pl.col("method") != ENSEMBLE) & (pl.col("status") == "ok"))
    spread = methods.group_by("variant", "event_id", "year").agg(
        pl.col("loss_usd_p50").min().alias("lo"), pl.col("loss_usd_p50").max().alias("hi"))
    joined = ok.join(spread, on=["variant", "event_id", "year"])
    assert (joined["loss_usd_p50"] >= joined["lo"] * (1 - 1e-9)).all()
    assert (joined["loss_usd_p50"] <= joined["hi"] * (1 + 1e-9)).all()


def test_an_events_headline_is_its_scenarios_headline():
    """The election day (one part, stated hours): the event's headline on Past events is the
    headline of the same scenario estimated alone with the event's stream."""
    row = load_events().filter(pl.col("event_id") == "AN-128b3eb3d9").row(0, named=True)
    parts = add_headline(estimate_events(["AN-128b3eb3d9"], "all", draws=DRAWS))
    head = parts.filter((pl.col("method") == ENSEMBLE) & (pl.col("variant") == "capped"))
    alone = estimate(event_scenario(row), draws=DRAWS,
                     seed=scenario_seed(DEFAULT_SEED, row["iso3"]))
    ens = ensemble(alone)
    assert head["loss_usd_p50"][0] == pytest.approx(ens.loss_usd_p50, rel=1e-12)
    assert head["loss_usd_p05"][0] == pytest.approx(ens.loss_usd_p05, rel=1e-12)
    assert head["reason"][0] == "headline of " + "; ".join(ens.members)


def test_headline_draws_average_the_members_quantile_by_quantile():
    parts = add_headline(estimate_events(["AN-fb3ac49592"], "all", draws=DRAWS,
                                         keep_draws=True)).filter(pl.col("variant") == "capped")
    head = parts.filter(pl.col("method") == ENSEMBLE).row(0, named=True)
    members = head["reason"].removeprefix("headline of ").split("; ")
    draws = np.vstack([parts.filter(pl.col("method") == m)["draws_usd"][0].to_numpy()
                       for m in members])
    assert np.asarray(head["draws_usd"]) == pytest.approx(combine_draws(draws))
    assert np.sort(head["draws_usd"])[DRAWS // 2] == pytest.approx(
        np.exp(np.log(np.sort(draws, axis=1)[:, DRAWS // 2]).mean()))
