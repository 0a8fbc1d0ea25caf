"""Every method either uses the scenario's circumvention or says on its row that it ignores
it (tested through the `Method` attributes, never through a method's name)."""

from __future__ import annotations

import pytest

from impact import estimate, parse_scenario
from impact.methods import REGISTRY

DRAWS = 400
QUANTILES = ("loss_usd_central", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95", "loss_usd_mean")


def _scenario(method, circumvention):
    scope = "platforms" if "platforms" in method.scopes else "mobile"
    data = {"country": "PAK", "year": 2022, "duration_hours": 24, "scope": scope,
            "platforms": "x;whatsapp" if scope == "platforms" else None}
    if circumvention is not None:
        data["circumvention"] = circumvention
    return parse_scenario(data)


def _row(method, circumvention):
    return estimate(_scenario(method, circumvention), [method.name], draws=DRAWS).row(method.name)


@pytest.mark.parametrize("method", REGISTRY.values(), ids=list(REGISTRY))
def test_uses_circumvention_or_says_it_ignores_it(method):
    without, half = _row(method, 0.0), _row(method, 0.5)
    changed = half["loss_usd_central"] != pytest.approx(without["loss_usd_central"])
    if method.circumvention_note:
        assert not changed, "a method that says it ignores circumvention must ignore it"
        assert method.circumvention_note in half["reason"]
        assert "circumvention" in half["reason"]
        assert method.circumvention_note not in (without["reason"] or "")
        assert method.circumvention_note not in (_row(method, None)["reason"] or "")
    else:
        assert changed, f"{method.name} neither uses circumvention nor says it ignores it"
        assert half["loss_usd_central"] < without["loss_usd_central"]


@pytest.mark.parametrize("method", [m for m in REGISTRY.values() if not m.circumvention_note],
                         ids=lambda m: m.name)
def test_full_circumvention_costs_nothing_at_every_quantile(method):
    row = _row(method, 1.0)
    for col in QUANTILES:
        assert row[col] == 0.0, col
