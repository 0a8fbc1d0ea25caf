"""Numbers for people: money, shares, counts and hours, one rule for the app, the command
line, the exports and the scripts.

The rule
--------
- **Three significant figures**, rounded half up on the decimal value as written
  (``2.675`` gives ``2.68``), trailing zeros dropped (``USD 2.5 tn``, ``USD 1 bn``).
- **Units** ``k``, ``m``, ``bn``, ``tn`` from a thousand up, chosen *after* rounding, so
  999,999,999 is ``1 bn`` and 999,500 is ``1 m`` (never ``1000 m``); beyond 999 tn the
  figure is grouped: ``1,230 tn``.
- **No scientific notation**; small values keep their three figures: ``USD 0.004``,
  ``0.00814 %``.
- **Negative values** carry the sign after the currency; money takes a true minus sign
  (`MINUS`, U+2212, as typeset): ``USD −2.5 m``.
- **Missing values** (None, NaN, ±inf) are `MISSING`, an en dash.
- **Currency** is a prefix code (``USD``, ``PKR``); an empty code gives the bare figure.

Machine-readable exports (CSV, JSON, Excel) keep full-precision numbers; this module is only
for text that people read. `parse_number` reads every form back (for tests and tools).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

#: the mark of a missing value (None, NaN or an infinite value), everywhere
MISSING = "–"
#: the minus sign of negative money (U+2212), not a hyphen
MINUS = "\u2212"
#: a space a line never breaks at (U+00A0)
NBSP = "\u00a0"
SIGNIFICANT = 3
_UNITS = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"),
          (Decimal(10) ** 3, "k"))
_SCALE = {"k": 1e3, "m": 1e6, "bn": 1e9, "tn": 1e12}


def is_missing(value: object) -> bool:
    """None, NaN or an infinite number (shown as `MISSING`).

    >>> is_missing(None), is_missing(float("nan")), is_missing(float("inf")), is_missing(0)
    (True, True, True, False)
    """
    if value is None:
        return True
    try:
        return not math.isfinite(value)  # type: ignore[arg-type]
    except TypeError:
        return False


def _decimal(value: Real) -> Decimal:
    """The decimal value as Python writes it (``0.1`` is 0.1, not its binary expansion)."""
    return Decimal(repr(float(value)))


def _round(d: Decimal, digits: int) -> Decimal:
    """``d`` (>= 0) rounded half up to ``digits`` significant figures."""
    if d == 0:
        return Decimal(0)
    quantum = Decimal(1).scaleb(d.adjusted() - digits + 1)
    return d.quantize(quantum, rounding=ROUND_HALF_UP)


def _plain(d: Decimal) -> str:
    """Positional notation, thousands grouped, no trailing zeros (``1,230``, ``0.004``)."""
    text = format(d.normalize(), ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(value: float | None, digits: int = SIGNIFICANT) -> str:
    """A quantity with ``digits`` significant figures and a k/m/bn/tn unit from a thousand up.

    Parameters
    ----------
    value : the number [any unit]
    digits : significant figures [count]

    Examples
    --------
    >>> number(42_700_000), number(999_999_999), number(999_499), number(999.5)
    ('42.7 m', '1 bn', '999 k', '1 k')
    >>> number(950), number(0.036751), number(-0.0033341), number(0)
    ('950', '0.0368', '-0.00333', '0')
    >>> number(1.234e15), number(None)
    ('1,230 tn', '–')
    """
    if is_missing(value):
        return MISSING
    d = _decimal(value)
    sign = "-" if d < 0 else ""
    rounded = _round(abs(d), digits)
    if rounded == 0:
        return "0"
    for scale, unit in _UNITS:
        if rounded >= scale:
            return f"{sign}{_plain(rounded / scale)} {unit}"
    return f"{sign}{_plain(rounded)}"


def money(value: float | None, currency: str = "USD", digits: int = SIGNIFICANT) -> str:
    """An amount of money: the currency code, then `number`.

    Parameters
    ----------
    value : the amount [``currency``]
    currency : ISO 4217 code shown before the figure (``""`` for none)
    digits : significant figures [count]

    Examples
    --------
    >>> money(42_700_000), money(1_234_000_000, "PKR"), money(2.5e12)
    ('USD 42.7 m', 'PKR 1.23 bn', 'USD 2.5 tn')
    >>> money(0.134), money(0.004), money(-2.5e6), money(12_345)
    ('USD 0.134', 'USD 0.004', 'USD −2.5 m', 'USD 12.3 k')
    >>> money(None), money(float("nan"), "PKR")
    ('–', '–')
    """
    if is_missing(value):
        return MISSING
    figure = _signed(number(value, digits))
    return f"{currency} {figure}" if currency else figure


def _signed(figure: str) -> str:
    """``figure`` (from `number`) with a true minus sign (`MINUS`) for a hyphen."""
    return MINUS + figure[1:] if figure.startswith("-") else figure


def money_range(low: float | None, high: float | None, currency: str = "USD") -> str:
    """A range of money with the currency written once.

    >>> money_range(14_800_000, 1_720_000_000)
    'USD 14.8 m – 1.72 bn'
    >>> money_range(-5.13e6, 2e6)
    'USD −5.13 m – 2 m'
    >>> money_range(None, 3.0)
    '–'
    """
    if is_missing(low) or is_missing(high):
        return MISSING
    body = f"{_signed(number(low))} – {_signed(number(high))}"
    return f"{currency} {body}" if currency else body


def count(value: float | None) -> str:
    """A count of people or things: whole below a thousand, else `number`.

    >>> count(146_120_851), count(2_345_000_000), count(950), count(999.6), count(12.4)
    ('146 m', '2.35 bn', '950', '1 k', '12')
    """
    if is_missing(value):
        return MISSING
    whole = _decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if abs(whole) >= 1000:
        return number(value)
    return _plain(whole) if whole != 0 else "0"


def percent(share: float | None, digits: int = SIGNIFICANT) -> str:
    """A 0-1 share as a percentage with ``digits`` significant figures.

    Parameters
    ----------
    share : the share [0-1; values above 1 are shown above 100 %]
    digits : significant figures [count]

    Examples
    --------
    >>> percent(1.0), percent(0.4567), percent(0.009443), percent(0.0000814)
    ('100 %', '45.7 %', '0.944 %', '0.00814 %')
    >>> percent(0.0112), percent(0), percent(-0.25), percent(12.3456), percent(None)
    ('1.12 %', '0 %', '-25 %', '1,230 %', '–')
    """
    if is_missing(share):
        return MISSING
    d = _decimal(share) * 100
    sign = "-" if d < 0 else ""
    rounded = _round(abs(d), digits)
    return f"{sign if rounded else ''}{_plain(rounded)} %"


def hours(value: float | None, unit: bool = True) -> str:
    """A duration: whole hours from 100 up (hours are counted: ``8,784``), else three
    significant figures; with ``unit``, followed by ``hour(s)``.

    >>> hours(10), hours(1), hours(2.5), hours(0.25), hours(8784), hours(99.96)
    ('10 hours', '1 hour', '2.5 hours', '0.25 hours', '8,784 hours', '100 hours')
    >>> hours(8784.4, unit=False), hours(None)
    ('8,784', '–')
    """
    if is_missing(value):
        return MISSING
    d = _decimal(value)
    sign = "-" if d < 0 else ""
    rounded = _round(abs(d), SIGNIFICANT)
    if rounded >= 100:
        rounded = abs(d).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    text = f"{sign if rounded else ''}{_plain(rounded)}"
    if not unit:
        return text
    return f"{text} {'hour' if text == '1' else 'hours'}"


def parse_number(text: str) -> float | None:
    """Read back what `number`, `money`, `count`, `percent` (as a share) or `hours` wrote.

    A leading currency code, a trailing ``%`` (divided by 100) or ``hours``, and a minus
    sign (`MINUS`) or a hyphen are accepted; `MISSING` gives None. Raises ValueError for anything else.

    >>> parse_number("USD −2.5 m"), parse_number("1,230 tn"), parse_number("45.7 %")
    (-2500000.0, 1230000000000000.0, 0.457)
    >>> parse_number("–") is None
    True
    """
    if "_" in text:
        raise ValueError(f"not a formatted number: {text!r}")
    parts = text.strip().replace(",", "").replace(MINUS, "-").split()
    if parts == [MISSING]:
        return None
    if parts and parts[0].isalpha() and parts[0].isupper() and len(parts[0]) == 3:
        parts = parts[1:]  # currency code
    factor = 1.0
    if len(parts) == 2 and parts[1] in _SCALE:
        factor = _SCALE[parts[1]]
    elif len(parts) == 2 and parts[1] == "%":
        factor = 0.01
    elif len(parts) == 2 and parts[1] in ("hour", "hours"):
        pass
    elif len(parts) != 1:
        raise ValueError(f"not a formatted number: {text!r}")
    return float(parts[0]) * factor


#: what `plain_number` refuses that Python's ``float()`` accepts: digit separators
DIGIT_SEPARATOR_NOTE = "a plain number without digit separators (1000, not 1_000)"


def plain_number(text: str) -> float:
    """``text`` typed by a person as a number [float]; raises ValueError otherwise.

    Python's ``float()`` also reads digit separators (``"1_000"`` is 1000.0): a person who
    types them may mean a list or a typo, so they are refused here (``nan`` and ``inf`` are
    read, and left to the caller's range check).

    >>> plain_number(" 2.5e3 "), plain_number("-1")
    (2500.0, -1.0)
    >>> plain_number("1_000")
    Traceback (most recent call last):
    ...
    ValueError: not a plain number: '1_000'
    """
    if not isinstance(text, str) or "_" in text:
        raise ValueError(f"not a plain number: {text!r}")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"not a plain number: {text!r}") from None


#: characters Markdown (and Streamlit's LaTeX and emoji shortcodes) give a meaning to
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:=")


def md_text(text: object) -> str:
    """``text`` escaped so Markdown shows it as written: no link, image, emphasis, heading,
    HTML or formula (every special character gets a backslash; line breaks become spaces).
    The one rule for any text a visitor or a data file supplies that the app or a Markdown
    report renders.

    >>> md_text("[Click here](https://evil.example)")
    '\\\\[Click here\\\\]\\\\(https\\\\://evil\\\\.example\\\\)'
    >>> md_text("plain words, 12 %")
    'plain words, 12 %'
    """
    out = []
    for ch in " ".join(str(text).splitlines()):
        out.append("\\" + ch if ch in _MARKDOWN_SPECIAL else ch)
    return "".join(out)


def unbroken(text: str) -> str:
    """``text`` (a figure such as ``USD 2.51 bn``) with unbreakable spaces, so that a narrow
    screen never wraps it inside itself.

    >>> unbroken("USD 2.51 bn") == "USD\u00a02.51\u00a0bn"
    True
    """
    return text.replace(" ", NBSP)


def md_table(columns: Sequence[object], rows: Iterable[Sequence[object]],
             right: Sequence[bool] | None = None) -> str:
    """A Markdown (GFM) table of ``rows`` under ``columns``, every cell escaped with
    `md_text` (so no cell renders as a link, emphasis or markup) and blank for None;
    ``right`` marks the columns aligned right (figures).

    >>> print(md_table(["method", "P50"], [["impact", "USD 2 m"], ["a|b", None]], [False, True]))
    | method | P50 |
    | :--- | ---: |
    | impact | USD 2 m |
    | a\\|b |  |
    """
    right = list(right) if right is not None else [False] * len(columns)
    rule = " | ".join("---:" if r else ":---" for r in right)
    lines = ["| " + " | ".join(md_text(c) for c in columns) + " |", f"| {rule} |"]
    lines += ["| " + " | ".join("" if v is None else md_text(v) for v in row) + " |"
              for row in rows]
    return "\n".join(lines)
