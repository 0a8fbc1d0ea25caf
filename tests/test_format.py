"""impact.format: one rule for money, shares, counts and hours (examples and properties)."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact import format as fmt

FIGURE = re.compile(r"^\u2212?(\d{1,3}(,\d{3})*)(\.\d+)?( (k|m|bn|tn))?$")
amounts = st.floats(min_value=-1e18, max_value=1e18, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-9, max_value=1e18, allow_nan=False, allow_infinity=False)


def _significant(figure: str) -> int:
    digits = figure.split()[0].lstrip("\u2212").replace(",", "").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if digits else 0


@pytest.mark.parametrize(("value", "text"), [
    (42_700_000, "USD 42.7 m"), (1_234_000_000, "USD 1.23 bn"), (999.0, "USD 999"),
    (999.5, "USD 1 k"), (999_499, "USD 999 k"), (999_500, "USD 1 m"),
    (999_999_999, "USD 1 bn"), (2.5e12, "USD 2.5 tn"), (1.5e15, "USD 1,500 tn"),
    (12_345, "USD 12.3 k"), (0.134, "USD 0.134"), (0.004, "USD 0.004"),
    (0.0001234, "USD 0.000123"), (2.675, "USD 2.68"), (0, "USD 0"), (-0.0, "USD 0"),
    (-2.5e6, "USD \u22122.5 m"), (None, "–"), (float("nan"), "–"), (float("inf"), "–"),
])
def test_money_examples(value, text):
    assert fmt.money(value) == text


def test_currency_codes_and_missing_mark():
    assert fmt.money(3_000_000, "PKR") == "PKR 3 m"
    assert fmt.money(3_000_000, "") == "3 m"
    assert fmt.money(None, "PKR") == fmt.percent(None) == fmt.count(None) == fmt.MISSING
    assert fmt.money_range(1e6, 2.5e9, "INR") == "INR 1 m – 2.5 bn"


@given(amounts)
def test_money_is_three_significant_figures_in_a_proper_unit(x):
    text = fmt.money(x)
    assert text.startswith("USD ")
    figure = text.removeprefix("USD ")
    assert FIGURE.match(figure), text
    assert "e" not in figure.split()[0].lower() and "1000 " not in figure
    assert _significant(figure) <= 3
    mantissa = float(figure.split()[0].lstrip("\u2212").replace(",", ""))
    if " " in figure and not figure.endswith(" tn"):
        assert 1 <= mantissa < 1000, text  # never "1000 m": it rolls over to "1 bn"
    if " " not in figure:
        assert mantissa < 1000


@given(positive)
def test_money_parses_back_within_half_a_percent(x):
    back = fmt.parse_number(fmt.money(x))
    assert back == pytest.approx(x, rel=0.005, abs=0)


@given(amounts, amounts)
def test_rounding_keeps_the_order(x, y):
    lo, hi = sorted((x, y))
    assert fmt.parse_number(fmt.money(lo)) <= fmt.parse_number(fmt.money(hi))


@given(positive)
def test_negative_amounts_mirror_the_positive_ones(x):
    assert fmt.money(-x) == fmt.money(x).replace("USD ", "USD \u2212", 1)


def test_negative_money_takes_a_true_minus_sign():
    """A hyphen is not a minus: "USD -5.13 m" is typeset "USD −5.13 m" (U+2212)."""
    assert fmt.MINUS == "\u2212"
    assert fmt.money(-5_130_000) == "USD \u22125.13 m"
    assert fmt.money(-5_130_000, "") == "\u22125.13 m"
    assert fmt.money_range(-5.13e6, -1e6, "PKR") == "PKR \u22125.13 m – \u22121 m"
    assert "-" not in fmt.money(-0.004) + fmt.money_range(-2e9, 3e9)
    assert fmt.parse_number("USD \u22125.13 m") == fmt.parse_number("USD -5.13 m") == -5.13e6


@given(st.floats(min_value=1e-9, max_value=100, allow_nan=False))
def test_percent_parses_back_and_has_no_exponent(share):
    text = fmt.percent(share)
    assert text.endswith(" %") and "e" not in text
    assert fmt.parse_number(text) == pytest.approx(share, rel=0.005)


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_counts_are_whole_below_a_thousand(x):
    text = fmt.count(x)
    assert " " in text or text.isdigit(), text  # a unit, or a whole number
    assert fmt.parse_number(text) == pytest.approx(x, rel=0.005, abs=0.5)


@given(st.floats(min_value=0.001, max_value=1e6, allow_nan=False))
def test_hours_parse_back(h):
    text = fmt.hours(h)
    assert text.endswith(" hours") or text == "1 hour"
    assert fmt.parse_number(text) == pytest.approx(h, rel=0.005, abs=0.5)


def test_hours_are_whole_from_100_up():
    assert fmt.hours(8784.4) == "8,784 hours"
    assert fmt.hours(72) == "72 hours" and fmt.hours(1) == "1 hour"
    assert fmt.hours(8760, unit=False) == "8,760"


def test_parse_number_rejects_other_text():
    with pytest.raises(ValueError):
        fmt.parse_number("about 3 apples")
    assert math.isclose(fmt.parse_number("PKR 1.23 bn"), 1.23e9)
