"""The parameter table: the bundled copy validates, broken copies are rejected with a message
naming the problem, and `ParamSpec.sample` honours its distribution."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from impact.errors import ParameterFileError
from impact.model.parameters import (
    DISTRIBUTIONS,
    PARAMETER_COLUMNS,
    ParamSpec,
    load_parameter_file,
    parameter_table,
)

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
    "unknown_distribution.csv": ["unknown distribution", "'gamma'", "triangular"],
    "empty_source.csv": ["impact.recovery_share", "empty source"],
    "non_numeric_value.csv": ["impact.indirect_multiplier", "must be numbers"],
    "duplicate_parameter.csv": ["duplicate parameter", "circumvention_full"],
    "lognormal_low_zero.csv": ["impact.indirect_multiplier", "lognormal", "low > 0"],
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
