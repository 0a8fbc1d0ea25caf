"""The vectorised engine: one pass over many scenarios gives each scenario the figures of a
one-by-one evaluation, whatever else is in the pass and however the table is split."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from impact import estimate, parse_scenario
from impact.batch.read import CsvChunks
from impact.batch.run import assign_ids, estimate_rows, stream_batch
from impact.estimation.engine import apply_overrides, run
from impact.methods import REGISTRY
from impact.model.context import build_context
from impact.model.montecarlo import method_rng, scenario_seed
from impact.model.scenario import Scenario

SCENARIOS = [
    {"country": "PAK", "start": "2024-02-08T07:00", "end": "2024-02-08T17:00",
     "scope": "mobile"},
    {"country": "PAK", "start": "2024-02-17", "end": "2025-01-01", "scope": "platforms",
     "platforms": "x"},
    {"country": "IND", "duration_hours": 72, "affected_share": 0.01},
    {"country": "IRN", "duration_hours": 24, "scope": "throttling", "intensity": 0.7,
     "currency": "local"},
    {"country": "NGA", "duration_hours": 24, "affected_share": 0.3,
     "affected_share_low": 0.2, "affected_share_high": 0.5},
    {"country": "USA", "duration_hours": 5, "scope": "platforms",
     "platforms": "x;facebook;whatsapp", "circumvention": 0.3},
    {"country": "ETH", "duration_hours": 100, "price_basis": "constant"},
    # hours drawn: whole days (triangular, the top is the rule) and an open-ended event
    # (capped two-piece lognormal above its known part), a platform block past 365 days
    {"country": "BGD", "duration_hours": 240, "duration_hours_low": 30,
     "duration_hours_high": 240},
    {"country": "MMR", "duration_hours": 24, "duration_hours_low": 3,
     "duration_hours_high": 8760, "scope": "mobile"},
    {"country": "RUS", "duration_hours": 24, "duration_hours_low": 3,
     "duration_hours_high": 12000, "scope": "platforms", "platforms": "x"},
]


def _scenarios() -> list[Scenario]:
    return [parse_scenario(s) for s in SCENARIOS]


def _one_by_one(method, scenario: Scenario, draws: int, seed: int) -> np.ndarray:
    """The reference: each input sampled by `ParamSpec.sample` from the method's stream, in
    input order, and the formula evaluated on one scenario's draws."""
    ctx = build_context(scenario)
    specs = method.inputs(ctx)
    rng = method_rng(seed, method.name)
    p = {s.name: s.sample(rng, draws) for s in specs}
    raw = np.broadcast_to(np.asarray(method.loss_usd(ctx, p), dtype=float), (draws,))
    return np.clip(raw, 0.0, ctx.period_gdp_usd)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_contract_every_method_matches_its_one_by_one_evaluation(name):
    """One contract over every registered method: the pass gives exactly the quantiles of a
    scenario-by-scenario evaluation with the same streams."""
    method = REGISTRY[name]
    scenarios = _scenarios()
    seeds = [scenario_seed(11, str(i)) for i in range(len(scenarios))]
    result = run(scenarios, [name], draws=400, seeds=seeds, keep_samples=True)
    for i, sc in enumerate(scenarios):
        row = result.summary.filter(pl.col("index") == i).row(0, named=True)
        assert row["method"] == name and row["status"] in ("ok", "not_applicable",
                                                           "unavailable")
        if row["status"] != "ok":
            assert row["reason"]
            assert sc.scope not in method.scopes or "data" in row["reason"] or row["reason"]
            continue
        ref = _one_by_one(method, sc, 400, seeds[i])
        np.testing.assert_array_equal(result.samples[(i, name)], ref)
        q = np.quantile(ref, [0.05, 0.5, 0.95])
        assert (row["loss_usd_p05"], row["loss_usd_p50"], row["loss_usd_p95"]) == tuple(q)
        assert row["loss_usd_p05"] <= row["loss_usd_p50"] <= row["loss_usd_p95"]


def test_estimate_is_the_single_scenario_pass():
    sc = _scenarios()[0]
    est = estimate(sc, draws=500, seed=5)
    result = run([sc], draws=500, seeds=[5])
    assert est.summary.equals(result.summary.drop("index"))
    assert est.assumptions.equals(result.assumptions.drop("index"))
    assert est.sensitivity.equals(result.sensitivity.drop("index"))


def test_a_scenario_does_not_depend_on_the_others_in_the_pass():
    scenarios = _scenarios()
    seeds = [scenario_seed(3, f"s{i}") for i in range(len(scenarios))]
    together = run(scenarios, draws=300, seeds=seeds)
    for i in (0, 3, 6):
        alone = run([scenarios[i]], draws=300, seeds=[seeds[i]])
        mine = together.summary.filter(pl.col("index") == i).drop("index")
        assert mine.equals(alone.summary.drop("index"))
    reverse = run(scenarios[::-1], draws=300, seeds=seeds[::-1])
    n = len(scenarios)
    for i in range(n):
        a = together.summary.filter(pl.col("index") == i).drop("index")
        b = reverse.summary.filter(pl.col("index") == n - 1 - i).drop("index")
        assert a.equals(b)


def test_overrides_apply_once_and_unknown_names_fail_the_pass():
    sc = _scenarios()[0]
    est = estimate(sc, ["impact"], draws=200, overrides={"recovery_share": 0.0})
    assert est.assumptions.filter(pl.col("parameter") == "recovery_share")["value"][0] == 0.0
    with pytest.raises(Exception, match="did you mean recovery_share"):
        estimate(sc, ["impact"], draws=200, overrides={"recovery_shar": 0.0})
    ctx = build_context(sc)
    specs = REGISTRY["impact"].inputs(ctx)
    assert apply_overrides(REGISTRY["impact"], specs, {}) is specs


def test_unresolvable_rows_are_rows_not_failures():
    good = parse_scenario({"country": "PAK", "duration_hours": 5})
    bad = parse_scenario({"country": "PAK", "duration_hours": 5, "price_basis": "constant",
                          "price_year": 2099})
    result = run([good, bad], ["impact"], draws=200, seeds=[1, 2])
    assert result.summary["status"].to_list() == ["ok", "unavailable"]
    assert "price_year" in str(result.errors[1])


# ---- batch: chunking and engines give the same bytes ---------------------------------------
def _table(tmp_path, n=23):
    lines = ["id,country,duration_hours,scope,platforms,affected_share"]
    countries = ["PAK", "IND", "NGA", "IRN", "ETH", "USA"]
    scopes = ["full", "mobile", "platforms", "throttling"]
    for i in range(n):
        scope = scopes[i % 4]
        lines.append(f"r{i},{countries[i % 6]},{1 + 7 * i},{scope},"
                     f"{'x;whatsapp' if scope == 'platforms' else ''},{'' if i % 3 else '0.4'}")
    lines.insert(5, "bad,Pakistn,3,full,,")
    path = tmp_path / "in.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _stream(path, out, chunk_rows, **kw):
    return stream_batch(CsvChunks(path, chunk_rows), out, out.suffix.lstrip("."),
                        methods=["impact", "deloitte2016", "cost_compatible"], draws=200,
                        seed=9, progress=False, **kw)


def test_batch_output_does_not_depend_on_the_chunk_size(tmp_path):
    path = _table(tmp_path)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    sa, sb = _stream(path, a, 4), _stream(path, b, 1000)
    assert a.read_bytes() == b.read_bytes()
    assert sa.rows == sb.rows == 24 and sa.ok == 23
    assert [e.row for e in sa.errors] == [5] and sa.errors[0].field == "country"
    assert not (tmp_path / "a.csv.partial").exists()


def test_a_row_keeps_its_figures_in_any_batch(tmp_path):
    path = _table(tmp_path)
    rows = next(iter(CsvChunks(path, 1000).chunks()))
    good, _ = assign_ids(rows, set())
    every, _ = estimate_rows(good, ["impact"], draws=200, seed=9)
    alone, _ = estimate_rows([good[7]], ["impact"], draws=200, seed=9)
    rid = good[7][1]
    assert every[rid].summary.equals(alone[rid].summary)


def test_ragged_line_costs_only_itself(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,country,duration_hours\na,PAK,10\nb,IND,5,extra\nc,NGA,3\n")
    out = tmp_path / "o.csv"
    stats = _stream(path, out, 2)
    assert stats.ok == 2 and [e.row for e in stats.errors] == [2]
    assert "3 cells" in str(stats.errors[0])
    assert pl.read_csv(out)["id"].unique().sort().to_list() == ["a", "c"]


@pytest.mark.slow
def test_dask_engine_equals_local(tmp_path):
    pytest.importorskip("distributed")
    path = _table(tmp_path, n=12)
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    _stream(path, local, 3)
    _stream(path, dask, 5, engine="dask")
    assert local.read_bytes() == dask.read_bytes()


def test_batch_csv_rows_equal_the_per_estimate_export(tmp_path):
    """The chunk writer's column-wise CSV has exactly the cells of `export.csv_frame`."""
    from impact.batch.run import run_rows
    from impact.estimation.results import split
    from impact.report import export

    path = _table(tmp_path, n=9)
    good, _ = assign_ids(next(iter(CsvChunks(path, 1000).chunks())), set())
    result, ok, errors = run_rows(good, "all", draws=200, seed=4)
    lean, _, _ = run_rows(good, "all", draws=200, seed=4, details=False)
    assert [e.row for e in errors] == [5] and lean.assumptions.height == 0
    ids = [i for _, i in ok]
    fast = export.pass_csv_frame(lean, ids)
    slow = export.csv_frame(dict(zip(ids, split(result), strict=True)))
    assert fast.columns == slow.columns
    assert fast.write_csv() == slow.write_csv()


@pytest.mark.parametrize("method", ["impact", "cost_compatible", "", "é"])
def test_streams_are_numpys_streams(method):
    """The vectorised seeding gives exactly ``default_rng([seed, crc32(method)])``."""
    from impact.model.montecarlo import streams

    seeds = [0, 1, 2**32 - 1, 2**32, 2**63 - 1, 20240208] + [
        int(s) for s in np.random.default_rng(5).integers(0, 2**63, 50)]
    for chosen in (seeds, seeds[:3]):  # the vectorised path and the one for a handful
        for seed, rng in zip(chosen, streams(chosen, method), strict=True):
            got = (rng.random(3), rng.standard_normal(3))
            ref = method_rng(seed, method)
            np.testing.assert_array_equal(got[0], ref.random(3))
            np.testing.assert_array_equal(got[1], ref.standard_normal(3))


def test_vocabulary_names_every_scenario_field():
    """Flags, batch columns and the reproducing command come from `vocab.SCENARIO_FIELDS`."""
    from impact.batch.read import ACCEPTED_COLUMNS
    from impact.cli import SCENARIO_FLAGS
    from impact.vocab import SCENARIO_FIELDS

    assert set(SCENARIO_FIELDS) == set(Scenario.model_fields)
    assert set(ACCEPTED_COLUMNS) == set(SCENARIO_FIELDS) | {"id"}
    assert "time_weighting" not in SCENARIO_FLAGS


def test_open_ended_hours_keep_their_median_and_stay_below_the_cap():
    """An open-ended event (known part 24 h, at most a year): the hours' median is the known
    part, the draws never exceed the cap, and the loss's P50 is the fixed-hours loss."""
    from impact.methods.base import duration_input

    sc = parse_scenario({"country": "MMR", "duration_hours": 24, "duration_hours_low": 3,
                         "duration_hours_high": 8760})
    spec = duration_input(build_context(sc))
    assert spec.distribution == "lognormal_capped"
    draws = spec.sample(np.random.default_rng(1), 20_000)
    assert draws.max() <= 8760 and np.median(draws) == pytest.approx(24, rel=0.05)
    assert np.mean(draws >= 8760) == pytest.approx(0.01, abs=0.004)
    fixed = estimate(parse_scenario({"country": "MMR", "duration_hours": 24}), ["impact"],
                     draws=4000, seed=3).row("impact")
    drawn = estimate(sc, ["impact"], draws=4000, seed=3).row("impact")
    # the other inputs' spread pulls the product's median a little above the fixed-hours one
    assert fixed["loss_usd_p50"] <= drawn["loss_usd_p50"] <= 1.3 * fixed["loss_usd_p50"]
    assert drawn["loss_usd_p95"] > 10 * fixed["loss_usd_p95"]
    whole = duration_input(build_context(parse_scenario(
        {"country": "BGD", "duration_hours": 240, "duration_hours_low": 30,
         "duration_hours_high": 240})))
    assert whole.distribution == "triangular" and whole.value == whole.high
