"""Panel method: loss = −β/100 × GDP × hours/24 × affected share × intensity (× mobile)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from impact.bundled.io import data_dir
from impact.errors import DataError
from impact.methods.panel import METHOD, equivalent_days
from impact.model.montecarlo import draw, method_rng, quantiles
from impact.model.parameters import ParamSpec

needs_events = pytest.mark.skipif(not (data_dir() / "events.csv").is_file(),
                                  reason="data/events.csv not bundled yet")


def _draws(**kw):
    base = {"gdp_usd": np.array([100e9]), "duration_hours": np.array([48.0]),
            "affected_share": np.array([0.5]), "intensity": np.array([1.0]),
            "beta_full": np.array([-0.01]), "beta_service": np.array([-0.002]),
            "mobile_share": np.array([0.8])}
    base.update({k: np.asarray(v, dtype=float) for k, v in kw.items()})
    return base


def test_loss_by_hand():
    # 48 h × 0.5 = 1 national-equivalent day; 0.01/100 × 100e9 = 10 m per day
    assert METHOD.loss_usd(SimpleNamespace(scope="full"), _draws()) == pytest.approx([10e6])
    assert METHOD.loss_usd(SimpleNamespace(scope="mobile"), _draws()) == pytest.approx([8e6])
    assert METHOD.loss_usd(SimpleNamespace(scope="platforms"), _draws()) == pytest.approx([2e6])


def test_zero_loss_at_zero_affected_share():
    out = METHOD.loss_usd(SimpleNamespace(scope="full"),
                          _draws(affected_share=[0.0, 0.0], beta_full=[-0.02, 0.03]))
    assert np.all(out == 0)


def test_equivalent_days():
    assert equivalent_days(72, 1.0, 0.5, 0.5) == pytest.approx(0.75)


def test_normal_param_spec_samples_and_quantiles():
    spec = ParamSpec("beta_full", -0.01, -0.03, 0.01, "pp", "normal", "test")
    x = spec.sample(np.random.default_rng(0), 200_000)
    assert x.mean() == pytest.approx(-0.01, abs=2e-4)
    assert np.quantile(x, 0.05) == pytest.approx(-0.03, abs=5e-4)
    assert spec.quantile(0.05) == pytest.approx(-0.03) and spec.quantile(0.95) == pytest.approx(
        0.01)
    assert (x > 0).any()  # a gain is possible when the interval crosses zero
    moved = spec.with_value(-0.02)
    assert moved.value == -0.02
    assert (moved.low, moved.high) == pytest.approx((-0.04, 0.0))  # shifted, same width


@needs_events
@pytest.mark.parametrize("scope", ["full", "mobile", "throttling", "platforms"])
def test_quantiles_are_ordered(scope):
    from impact import parse_scenario
    from impact.model.context import build_context

    extra = {"platforms": "whatsapp"} if scope == "platforms" else {}
    ctx = build_context(parse_scenario({"country": "PAK", "duration_hours": 72, "year": 2022,
                                        "scope": scope, "affected_share": 0.4, **extra}))
    specs = METHOD.inputs(ctx)
    names = {s.name for s in specs}
    assert ("beta_service" if scope == "platforms" else "beta_full") in names
    p = draw(specs, 2000, method_rng(1, "panel"))
    q05, q50, q95 = quantiles(np.asarray(METHOD.loss_usd(ctx, p)))
    assert q05 <= q50 <= q95
    zero = dict(p, affected_share=np.zeros(2000))
    assert np.all(METHOD.loss_usd(ctx, zero) == 0)


@needs_events
def test_country_without_growth_data_is_a_data_error():
    from impact import parse_scenario
    from impact.model.context import build_context

    ctx = build_context(parse_scenario({"country": "ERI", "duration_hours": 24,
                                        "year": 2020}))
    with pytest.raises(DataError, match="no World Bank GDP growth data"):
        METHOD.inputs(ctx)
