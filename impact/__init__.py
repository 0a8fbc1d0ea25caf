"""impact: open, reproducible estimates of what internet shutdowns cost an economy.

>>> from impact import parse_scenario, estimate
>>> est = estimate(parse_scenario({"country": "Pakistan", "duration_hours": 10,
...                                "scope": "mobile"}), draws=1000)
>>> sorted(est.summary["method"].to_list())[:2]
['brookings2016', 'cost_compatible']
"""

from impact.errors import DataError, ImpactError, InputError
from impact.estimate import Estimate, estimate
from impact.scenario import Scenario, parse_scenario, with_changes

__all__ = ["DataError", "Estimate", "ImpactError", "InputError", "Scenario", "estimate",
           "parse_scenario", "with_changes"]
__version__ = "0.1.0"
