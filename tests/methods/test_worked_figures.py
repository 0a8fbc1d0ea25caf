"""Each published method reproduces its source's own worked figures within the tolerance.

Data-driven from ``tests/worked_figures.csv``: ``inputs`` is the JSON of the keyword
arguments of the method's plain formula function, with the same inputs the publication used.
An input may be a reference to bundled data instead of a number:

- ``{"$indicator": [iso3, indicator, year]}`` -> `impact.bundled.indicators.lookup(...).value`
- ``{"$digital_share": [iso3, year]}`` -> our imputed digital-economy share (central)

Rows whose ``inputs`` hold ``numerator``/``denominator`` or ``terms`` are arithmetic checks of
published aggregates (ratio or sum). Rows with an ``xfail_reason`` cannot be reproduced because
the source did not publish its inputs; they are strict xfails, so they fail loudly if they ever
start passing. Expectations are published figures, never outputs of this code.

Not tested (no published output to compare with): West's US illustration (GDP USD 18.438 tn,
6 % internet sector) gives no cost, and the Brazil WhatsApp day (USD 39 m) needs West's
unpublished per-app weight; Deloitte's per-10-million-people form is not the form we use.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from impact.bundled.indicators import lookup
from impact.methods.brookings2016 import brookings2016
from impact.methods.cost_compatible import cost_compatible
from impact.methods.deloitte2016 import deloitte2016
from impact.methods.icrier2018 import icrier2018
from impact.methods.impact_model import impact2024
from impact.model.context import digital_share

TABLE = Path(__file__).resolve().parents[1] / "worked_figures.csv"
FORMULAS = {"brookings2016": brookings2016, "deloitte2016": deloitte2016,
            "icrier2018": icrier2018, "cost_compatible": cost_compatible, "impact": impact2024}
COLUMNS = ["method", "case", "inputs", "expected_usd", "tolerance", "source", "xfail_reason"]


def _rows() -> list[dict]:
    return pl.read_csv(TABLE, infer_schema_length=None).to_dicts()


def _resolve(value):
    if isinstance(value, dict) and "$indicator" in value:
        iso3, indicator, year = value["$indicator"]
        return lookup(iso3, indicator, int(year)).value
    if isinstance(value, dict) and "$digital_share" in value:
        iso3, year = value["$digital_share"]
        return digital_share(iso3, int(year))[0].central
    return value


def _compute(method: str, inputs: dict) -> float:
    kw = {k: _resolve(v) for k, v in inputs.items()}
    if set(kw) == {"numerator", "denominator"}:
        return kw["numerator"] / kw["denominator"]
    if set(kw) == {"terms"}:
        return float(sum(kw["terms"]))
    return float(FORMULAS[method](**kw))


def _params():
    out = []
    for r in _rows():
        marks = []
        if r["xfail_reason"]:
            marks.append(pytest.mark.xfail(strict=True, reason=r["xfail_reason"]))
        out.append(pytest.param(r, id=f"{r['method']}-{r['case']}", marks=marks))
    return out


def test_table_is_well_formed():
    frame = pl.read_csv(TABLE, infer_schema_length=None)
    assert frame.columns == COLUMNS
    assert frame.select(pl.struct("method", "case").is_unique().all()).item()
    for r in frame.to_dicts():
        assert r["method"] in FORMULAS
        assert r["source"], r["case"]
        assert 0 < r["tolerance"] <= 0.05
        assert r["expected_usd"] > 0
        json.loads(r["inputs"])
    # every published method has at least one worked figure
    assert {"brookings2016", "deloitte2016", "icrier2018", "cost_compatible"} <= set(
        frame["method"])


@pytest.mark.parametrize("row", _params())
def test_worked_figure(row):
    got = _compute(row["method"], json.loads(row["inputs"]))
    expected = row["expected_usd"]
    assert got == pytest.approx(expected, rel=row["tolerance"]), (
        f"{row['case']}: got {got:,.0f}, published {expected:,.0f} "
        f"({got / expected - 1:+.1%}); source: {row['source']}")


def test_icrier_parts_add_up_in_hours():
    # published: mobile-only 12,615 h + mobile-and-fixed 3,700 h = 16,315 h (exact)
    assert 12_615 + 3_700 == 16_315


def test_icrier_elasticities_are_the_published_ones():
    # "a 10% increase in mobile traffic ... 1.6% increase ... 10% in Internet traffic ... 3.1%"
    from impact.model.parameters import param

    assert param("icrier2018", "elasticity_mobile").value == 0.16
    assert param("icrier2018", "elasticity_total").value == 0.31
    # and the formula at ε = 0.31: 1e6/h × 1 h × 0.31 = 310,000
    assert icrier2018(8760e6, 1, 1.0, 0.31) == pytest.approx(310_000)


def test_deloitte_tiers_are_the_published_ones():
    from impact.model.parameters import param

    assert [param("deloitte2016", f"loss_share_{t}").value
            for t in ("high", "medium", "low")] == [0.019, 0.010, 0.004]


def test_bcg_uk_share_is_the_published_one():
    from impact.model.context import bcg_2016_share

    # "12.4 percent in the U.K. to 1.4 percent in Indonesia" (MIT Technology Review, 2016)
    assert bcg_2016_share("GBR") == 0.124


def test_bcg_indonesia_share_is_the_published_one():
    """West (2016) used BCG's 2016 projection for every G20 country, and the low end of his
    range is Indonesia at 1.4 % (MIT Technology Review, 24 Oct 2016; docs/methods.md):
    brookings2016 reads it from data/digital_share_anchors.csv, not our imputed share."""
    from impact.model.context import bcg_2016_share

    assert bcg_2016_share("IDN") == pytest.approx(0.014)
