"""ICRIER (2018): cost = GDP(t−1) × population share × hours/8760 × ε, with ε the output
elasticity to internet traffic (0.16 mobile, 0.31 total).

References
----------
Kathuria, R., Kedia, M., Varma, G., Bagchi, K., Sekhani, R. (2018). The Anatomy of an
Internet Blackout: Measuring the Economic Impact of Internet Shutdowns in India. ICRIER.
"""

from __future__ import annotations

import numpy as np

from impact.methods.base import Draws, Method, common_inputs, data_spec
from impact.model.context import Context
from impact.model.parameters import ParamSpec, param


def icrier2018(gdp_prev_usd, hours, population_share, elasticity=0.31):
    """Loss [USD] = GDP of the previous year [USD/yr] × affected population share [0-1]
    × hours/8760 × elasticity [unitless].

    Examples
    --------
    >>> round(icrier2018(8760e6, 10, 0.5, 0.31))
    1550000
    """
    return gdp_prev_usd * population_share * np.asarray(hours) / 8760.0 * elasticity


def _inputs(ctx: Context) -> list[ParamSpec]:
    specs = [s for s in common_inputs(ctx) if s.name != "gdp_usd"]
    specs.insert(0, data_spec("gdp_prev_usd", ctx.gdp_prev.value, "USD per year",
                              f"World Bank {ctx.gdp_prev.source} {ctx.gdp_prev.year_used}",
                              "ICRIER uses the GDP of the year before the shutdown"))
    which = "elasticity_mobile" if ctx.scope == "mobile" else "elasticity_total"
    e = param("icrier2018", which)
    specs.append(ParamSpec("elasticity", e.value, e.low, e.high, e.unit, e.distribution,
                           e.source, f"{which}: {e.notes}"))
    return specs


def _loss(ctx: Context, p: Draws) -> np.ndarray:
    return icrier2018(p["gdp_prev_usd"], p["duration_hours"], p["affected_share"],
                      p["elasticity"] * p["intensity"])


METHOD = Method(
    name="icrier2018",
    title="ICRIER (Kathuria et al. 2018)",
    citation="Kathuria, R., Kedia, M., Varma, G., Bagchi, K., Sekhani, R. (2018). The Anatomy "
             "of an Internet Blackout: Measuring the Economic Impact of Internet Shutdowns in "
             "India. Indian Council for Research on International Economic Relations.",
    scopes=frozenset({"full", "mobile", "throttling"}),
    inputs=_inputs,
    loss_usd=_loss,
    domain_note="elasticities estimated on India's telecom circles; applied elsewhere by "
                "assumption",
    domain=frozenset({"IND"}),
    difference_note="an output elasticity to internet traffic: the whole regional output "
                    "responds to the traffic lost, not only the digital economy's share",
    formula="GDP(t−1) × affected population share × hours/8760 × ε (0.31 total, 0.16 mobile)",
    scope_note="estimated for India's telecom circles and applied here to any country; "
               "throttling scaled by intensity is our extension; no platform-block elasticity",
    circumvention_note="ICRIER's elasticities have no circumvention term: VPN use is "
                       "ignored",
)
