"""impact: open, reproducible estimates of what internet shutdowns cost an economy.

>>> from impact import parse_scenario, estimate
>>> est = estimate(parse_scenario({"country": "Pakistan", "duration_hours": 10,
...                                "scope": "mobile"}), draws=1000)
>>> sorted(est.summary["method"].to_list())[:2]
['brookings2016', 'cost_compatible']

The public names load on first use, so ``impact --help`` reads no table and builds no model.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

from impact.errors import DataError, ImpactError, InputError

if TYPE_CHECKING:
    from impact.estimation.engine import estimate
    from impact.estimation.results import Estimate
    from impact.model.scenario import Scenario, parse_scenario, with_changes

__all__ = ["DataError", "Estimate", "ImpactError", "InputError", "Scenario", "estimate",
           "parse_scenario", "with_changes"]
__version__ = "0.1.0"
_LAZY = {"Estimate": "impact.estimation.results",
         "estimate": "impact.estimation.engine",
         "Scenario": "impact.model.scenario", "parse_scenario": "impact.model.scenario",
         "with_changes": "impact.model.scenario"}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        setattr(sys.modules[__name__], name, value)
        return value
    raise AttributeError(f"module 'impact' has no attribute {name!r}")
