"""ICRIER (Kathuria et al. 2018): the output lost to a shutdown through the elasticity of
output to internet traffic, estimated on India's telecom circles.

The formula is `icrier2018`; its elasticities (`ELASTICITY_TOTAL`, `ELASTICITY_MOBILE`) are
the paper's and data/parameters.csv carries them with our ranges. The citation is
``METHOD.citation``; docs/methods.md describes the method for users.
"""

from __future__ import annotations

import numpy as np

from impact import format as fmt
from impact.methods.base import Draws, Method, common_inputs, data_spec
from impact.methods.terms import HOURS, YEAR_HOURS, coefficient, data_input
from impact.model.context import Context
from impact.model.parameters import ParamSpec, param

#: output elasticity to total internet traffic [unitless] (Kathuria et al. 2018)
ELASTICITY_TOTAL = 0.31
#: output elasticity to mobile internet traffic [unitless], for mobile-only cuts
ELASTICITY_MOBILE = 0.16


def icrier2018(gdp_prev_usd, hours, population_share, elasticity=ELASTICITY_TOTAL):
    """Loss of output to an internet shutdown, by ICRIER's elasticity method.

    Parameters
    ----------
    gdp_prev_usd : array_like
        GDP of the affected region (here the country) in the year before the shutdown
        [USD per year].
    hours : array_like
        Duration of the shutdown [hours].
    population_share : array_like
        Share of the region's population affected [0-1].
    elasticity : array_like, default `ELASTICITY_TOTAL`
        Output elasticity to internet traffic [unitless]: `ELASTICITY_TOTAL` (0.31) for a
        shutdown of all traffic, `ELASTICITY_MOBILE` (0.16) for a mobile-only cut.

    Returns
    -------
    loss_usd : numpy.ndarray or float
        Output lost [USD], broadcast over the inputs.

    Notes
    -----
    .. math::

        L = \\mathrm{GDP}_{t-1} \\cdot a \\cdot \\frac{h}{8760} \\cdot \\varepsilon

    with :math:`a` the affected population share, :math:`h` the hours and
    :math:`\\varepsilon` the elasticity, from an instrumental-variable panel of Indian
    telecom circles. Applied outside India by assumption (``METHOD.domain``).

    References
    ----------
    .. [1] Kathuria, R., Kedia, M., Varma, G., Bagchi, K., Sekhani, R. (2018). The Anatomy
       of an Internet Blackout: Measuring the Economic Impact of Internet Shutdowns in
       India. Indian Council for Research on International Economic Relations, New Delhi.
       https://icrier.org/pdf/Anatomy_of_an_Internet_Blackout.pdf

    Examples
    --------
    >>> round(icrier2018(8760e6, 10, 0.5))
    1550000
    >>> round(icrier2018(8760e6, 10, 1.0, ELASTICITY_MOBILE))
    1600000
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


#: the symbols of ``METHOD.formula``, in order, and how each is described
TERMS = (
    ("GDP(t−1)", data_input("gdp_prev_usd", "t is the year of the shutdown")),
    ("affected population share", data_input("affected_share",
                                             "the scenario's affected share")),
    ("hours", HOURS), ("8760", YEAR_HOURS),
    ("ε", coefficient("elasticity", "elasticity_total", "elasticity_mobile",
                      note="total for a full shutdown, mobile for a mobile-only cut")),
)

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
    formula=f"GDP(t−1) × affected population share × hours/8760 × ε "
            f"({fmt.number(ELASTICITY_TOTAL)} total, {fmt.number(ELASTICITY_MOBILE)} mobile)",
    scope_note="estimated for India's telecom circles and applied here to any country; "
               "throttling scaled by intensity is our extension; no platform-block elasticity",
    circumvention_note="ICRIER's elasticities have no circumvention term: VPN use is "
                       "ignored",
    terms=TERMS,
    coefficients={"elasticity_total": ELASTICITY_TOTAL, "elasticity_mobile": ELASTICITY_MOBILE},
)
