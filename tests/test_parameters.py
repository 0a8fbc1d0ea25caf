"""The parameter table: the bundled copy validates, broken copies are rejected with a message
naming the problem, and `ParamSpec.sample` honours its distribution."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from impact.errors import ParameterFileError
from impact.model.parameters import (
    ParamSpec,
    load_parameter_file,
    parameter_table,
)
from impact.vocab import DISTRIBUTIONS, PARAMETER_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).resolve().parent / "fixtures" / "bad_parameters"


def test_bundled_table_validates():
    frame = load_parameter_file(ROOT / "data" / "parameters.csv")
    assert frame.height > 0
    assert set(PARAMETER_COLUMNS) <= set(frame.columns)
    assert set(frame["distribution"]) <= set(DISTRIBUTIONS)
    assert parameter_table().height == frame.height


# file -> fragments the message must contain (lower-cased comparison)
BROKEN = {
    "missing_column.csv": ["missing column", "unit"],
    "low_above_value.csv": ["impact.indirect_multiplier", "low <= value <= high", "0.6"],
    "unknown_distribution.csv": ["distribution must be one of", "'gamma'", "triangular"],
    "empty_source.csv": ["impact.recovery_share", "source must not be empty"],
    "non_numeric_value.csv": ["impact.indirect_multiplier", "must be numbers"],
    "duplicate_parameter.csv": ["must not repeat together", "circumvention_full"],
    "lognormal_low_zero.csv": ["impact.indirect_multiplier", "lognormal", "column low",
                               "> 0"],
}


def test_every_fixture_is_covered():
    assert {p.name for p in BAD.glob("*.csv")} == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_copy_is_rejected(name):
    with pytest.raises(ParameterFileError) as info:
        load_parameter_file(BAD / name)
    message = str(info.value).lower()
    assert str(BAD / name).lower() in message  # names the file
    for fragment in BROKEN[name]:
        assert fragment.lower() in message, (fragment, message)


def test_unreadable_file_is_rejected(tmp_path):
    with pytest.raises(ParameterFileError, match="not a readable CSV"):
        load_parameter_file(tmp_path / "does_not_exist.csv")


def _spec(dist, value, low, high):
    return ParamSpec("x", value, low, high, "unit", dist, "test")


@pytest.mark.parametrize("dist,value,low,high", [
    ("triangular", 0.5, 0.1, 1.0),
    ("triangular", 0.1, 0.1, 1.0),     # mode at the lower bound
    ("triangular", 1.0, 0.1, 1.0),     # mode at the upper bound
    ("uniform", 3.0, 2.0, 5.0),
])
def test_bounded_samples_stay_within_range(dist, value, low, high):
    draws = _spec(dist, value, low, high).sample(np.random.default_rng(1), 20_000)
    assert draws.min() >= low and draws.max() <= high
    # and they actually use the range
    assert draws.max() - draws.min() > 0.9 * (high - low)


def test_triangular_mean_matches_formula():
    # mean of a triangular distribution = (a + c + b) / 3 = (0.1 + 0.5 + 1.0) / 3 = 0.5333
    draws = _spec("triangular", 0.5, 0.1, 1.0).sample(np.random.default_rng(2), 200_000)
    assert draws.mean() == pytest.approx(1.6 / 3, rel=0.01)


@pytest.mark.parametrize("value,low,high", [(0.05, 0.025, 0.1), (2.0, 1.0, 3.0)])
def test_lognormal_median_is_value(value, low, high):
    draws = _spec("lognormal", value, low, high).sample(np.random.default_rng(3), 200_000)
    assert np.median(draws) == pytest.approx(value, rel=0.01)
    assert (draws > 0).all()


def test_lognormal_symmetric_range_gives_p5_p95():
    # value 0.05, low 0.025, high 0.1: ln 2 either side, so P5 = 0.025 and P95 = 0.1
    draws = _spec("lognormal", 0.05, 0.025, 0.1).sample(np.random.default_rng(4), 400_000)
    p5, p95 = np.quantile(draws, [0.05, 0.95])
    assert p5 == pytest.approx(0.025, rel=0.02)
    assert p95 == pytest.approx(0.1, rel=0.02)


def test_fixed_and_degenerate_specs_are_constant():
    assert (_spec("fixed", 0.3, 0.1, 0.9).sample(np.random.default_rng(0), 10) == 0.3).all()
    assert (_spec("triangular", 0.3, 0.3, 0.3).sample(np.random.default_rng(0), 10) == 0.3).all()


def test_with_value_keeps_relative_range():
    # 0.5 in [0.1, 1.0] overridden to 0.8 -> ratio 1.6 -> [0.16, 1.6]
    s = _spec("triangular", 0.5, 0.1, 1.0).with_value(0.8)
    assert (s.value, s.low, s.high) == pytest.approx((0.8, 0.16, 1.6))
    assert "overridden" in s.notes


# ---- one source per published coefficient: the method's constant ----------------------------


def _coefficients():
    from impact.methods import REGISTRY

    return [(m.name, name, value) for m in REGISTRY.values()
            for name, value in m.coefficients.items()]


@pytest.mark.parametrize("method,name,value", _coefficients())
def test_the_table_carries_the_formula_coefficient(method, name, value):
    """data/parameters.csv's central value is the constant the formula defaults to; edit
    both together (the table adds the range and the source)."""
    from impact.model.parameters import param

    assert param(method, name).value == pytest.approx(value, rel=0, abs=1e-12), (
        f"data/parameters.csv {method}.{name} = {param(method, name).value}, "
        f"the formula's constant is {value}")


def test_every_method_coefficient_is_checked():
    names = {(m, n) for m, n, _ in _coefficients()}
    assert ("icrier2018", "elasticity_total") in names
    assert len(names) >= 10


def test_formula_defaults_and_text_use_the_constants():
    import inspect

    from impact import format as fmt
    from impact.methods import REGISTRY, cost_compatible, icrier2018, impact_model

    def default(fn, arg):
        return inspect.signature(fn).parameters[arg].default

    assert default(icrier2018.icrier2018, "elasticity") == icrier2018.ELASTICITY_TOTAL
    assert default(impact_model.impact2024, "indirect_multiplier") == \
        impact_model.INDIRECT_MULTIPLIER
    assert default(impact_model.impact2024, "recovery_share") == impact_model.RECOVERY_SHARE
    assert default(cost_compatible.brookings_rate, "escalator") == \
        cost_compatible.BROOKINGS_ESCALATOR
    assert default(cost_compatible.throttling_share, "threshold") == \
        cost_compatible.SEVERE_THROTTLING_THRESHOLD
    icrier = REGISTRY["icrier2018"].formula
    assert f"{fmt.number(icrier2018.ELASTICITY_TOTAL)} total" in icrier
    assert f"{fmt.number(icrier2018.ELASTICITY_MOBILE)} mobile" in icrier
    cost = REGISTRY["cost_compatible"].formula
    assert f"≤ {cost_compatible.PLATFORM_BLOCK_MAX_DAYS} days" in cost
    assert f"{fmt.number(1 + cost_compatible.BROOKINGS_ESCALATOR)}^(year" in cost


def test_a_drifted_table_is_caught(tmp_path):
    """A copy of the table whose ICRIER elasticity no longer matches the formula fails the
    comparison above."""
    from impact.methods.icrier2018 import ELASTICITY_TOTAL

    text = (ROOT / "data" / "parameters.csv").read_text(encoding="utf-8")
    drifted = tmp_path / "parameters.csv"
    drifted.write_text(text.replace("icrier2018,elasticity_total,0.31,",
                                    "icrier2018,elasticity_total,0.33,"), encoding="utf-8")
    frame = load_parameter_file(drifted)
    row = frame.filter((frame["method"] == "icrier2018")
                       & (frame["parameter"] == "elasticity_total"))
    assert row["value"][0] != pytest.approx(ELASTICITY_TOTAL)
