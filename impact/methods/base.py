"""The one interface every estimation method implements.

A method is a plain formula over numpy arrays (named after its paper, coefficients as
keyword defaults) plus an ``inputs`` function that lists every input it uses for a given
scenario context as `ParamSpec` rows: data inputs as fixed values with their source, literature
coefficients with their ranges. The same formula is evaluated once at the central values and
once, vectorised, over the Monte Carlo draws.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from impact.model.context import Context, digital_share
from impact.model.parameters import ParamSpec, param, platform_level, platform_usage_param


class Draws(dict):
    """A method's inputs for a group of scenarios: name -> array of draws, shape (n, D)
    (or anything that broadcasts, e.g. (n, 1) or a scalar), plus ``central``: name -> the
    central values, shape (n, 1). Formulas are elementwise, so they run unchanged on one
    scenario's draws, on many scenarios' draws, or on the central values alone."""

    central: Mapping[str, np.ndarray] | None = None


@dataclass(frozen=True)
class Method:
    """An estimation method.

    Attributes
    ----------
    name : registry key, e.g. ``brookings2016``
    title : human title
    citation : full reference of the paper (docs/methods.md for our own model), without a
        link: it is printed in briefs; the links are in the formula's References and
        docs/methods.md
    scopes : scenario scopes the method can cost; others get a "not applicable" row
    inputs : context -> list of `ParamSpec` (every input, data and literature)
    loss_usd : (context, draws) -> loss [USD], elementwise over scenarios × draws; the
        context is only asked for ``scope`` and ``platforms`` (shared by a group)
    formula : the equation, as shown to users
    scope_note : how the method treats scopes other than a full shutdown
    components : (context, draws) -> named parts of the loss [USD] shown beside it, or None
    platform_cap_param : ``method.parameter`` of the longest platform block [days] the method
        costs on its own (e.g. the COST convention of 365 days), or None
    domain_note : where the method's coefficients were estimated, when narrower than the
        world (shown beside its figure; empty when it applies anywhere)
    domain : ISO3 codes of the countries it was estimated on (empty: anywhere); a scenario
        elsewhere is outside its domain and left out of the headline
    domain_scopes : the scopes inside its domain (empty: every scope it costs); a scope it
        costs but was not built for (e.g. a platform block for a platform-blind method) is
        shown beside the headline, not in it
    domain_scopes_note : why the other scopes are outside its domain (shown beside its figure)
    difference_note : what makes its figure differ from the share-based methods, shown when
        it is far from the headline's members (`impact.estimation.ensemble`); empty when nothing is known
    circumvention_note : why the method ignores the scenario's circumvention (VPN use),
        shown in the summary row's reason whenever a scenario sets circumvention above 0;
        empty for a method whose loss uses it (then circumvention 1 costs nothing)
    note : (context, inputs) -> how this scenario is costed, in words for the scenario's
        notes (e.g. the share of a blackout a throttling is costed as); ``inputs`` are its
        `ParamSpec` rows with overrides applied; ``""`` when there is nothing to say. None
        for a method that never adds a note
    terms : the symbols of ``formula`` in the order they appear, each with how it is
        described (`impact.methods.terms.Describe`): the "where" list under the formula
    coefficients : ``parameter -> value`` of the published (or our central) coefficients the
        formula takes as keyword defaults, keyed by their name in data/parameters.csv; the
        module's constant is the one source, and tests/test_parameters.py checks the table
        against it
    """

    name: str
    title: str
    citation: str
    scopes: frozenset[str]
    inputs: Callable[[Context], list[ParamSpec]]
    loss_usd: Callable[[Context, Draws], np.ndarray]
    formula: str
    scope_note: str = ""
    components: Callable[[Context, Draws], Mapping[str, np.ndarray]] | None = None
    platform_cap_param: str | None = None
    domain_note: str = ""
    domain: frozenset[str] = frozenset()
    domain_scopes: frozenset[str] = frozenset()
    domain_scopes_note: str = ""
    difference_note: str = ""
    circumvention_note: str = ""
    note: Callable[[Context, Sequence[ParamSpec]], str] | None = None
    terms: tuple[tuple[str, Callable], ...] = ()
    coefficients: Mapping[str, float] = field(default_factory=dict, compare=False)

    def outside_domain(self, iso3: str, scope: str) -> str:
        """Why a scenario in ``iso3`` of ``scope`` is outside the method's domain, in words;
        ``""`` inside it.

        Examples
        --------
        >>> m = Method("m", "M", "", frozenset({"full"}), list, list, "", domain=frozenset(
        ...     {"IND"}), domain_note="estimated on India")
        >>> m.outside_domain("PAK", "full"), m.outside_domain("IND", "full")
        ('estimated on India', '')
        """
        if self.domain and iso3 not in self.domain:
            return self.domain_note or f"estimated on {', '.join(sorted(self.domain))} only"
        if self.domain_scopes and scope not in self.domain_scopes:
            return self.domain_scopes_note or f"not built for scope {scope}"
        return ""

    @property
    def platform_cap_hours(self) -> float | None:
        """Longest platform block the method costs on its own [hours], or None."""
        if self.platform_cap_param is None:
            return None
        method, name = self.platform_cap_param.split(".")
        return param(method, name).value * 24.0


@functools.lru_cache(maxsize=65_536)  # immutable; the same data inputs recur across scenarios
def data_spec(name: str, value: float, unit: str, source: str, notes: str = "") -> ParamSpec:
    """A fixed input taken from data or from the scenario."""
    return ParamSpec(name, float(value), float(value), float(value), unit, "fixed", source, notes)


def common_inputs(ctx: Context) -> list[ParamSpec]:
    """GDP, duration, affected share and intensity: shared by every method."""
    return [
        data_spec("gdp_usd", ctx.gdp.value, "USD per year", f"World Bank {ctx.gdp.source} "
                  f"{ctx.gdp.year_used}", ctx.gdp.note or ""),
        duration_input(ctx),
        affected_share_input(ctx),
        data_spec("intensity", ctx.intensity, "share 0-1", "scenario",
                  "1 = service fully lost; throttling below 1"),
    ]


#: how hours with a range are drawn (`duration_input`, chosen on the Top10VPN dev set,
#: docs/events.md "Hours drawn"): hours whose central value is the top of their range (whole
#: days, an upper bound) are triangular with the mode there; hours that can run on above
#: their central value (an open-ended event's known part) are a two-piece lognormal with its
#: median at the central hours and its 1st and 99th percentiles at the ends, kept within them
HOURS_DISTRIBUTION = "triangular"
HOURS_TAIL_DISTRIBUTION = "lognormal_capped"


def duration_input(ctx: Context, cap_hours: float | None = None, note: str = "") -> ParamSpec:
    """Duration [hours]: fixed, or drawn over the scenario's hours range (`HOURS_DISTRIBUTION`
    when the central hours are its top, else `HOURS_TAIL_DISTRIBUTION`, both centred on the
    central hours); ``cap_hours`` caps the value and both ends (a method's own
    cap, e.g. 365 days of a platform block), so every draw is capped too.

    >>> from types import SimpleNamespace as NS
    >>> duration_input(NS(hours=24.0, hours_range=(3.0, 240.0)), cap_hours=100.0)[1:4]
    (24.0, 3.0, 100.0)
    """
    low, high = ctx.hours_range
    value = ctx.hours
    if cap_hours is not None:
        value, low, high = (min(x, cap_hours) for x in (value, low, high))
    if high > low:
        words = f"range {low:,.4g}–{high:,.4g} h (the source gives no times or no end)"
        dist = HOURS_TAIL_DISTRIBUTION if high > value * (1 + 1e-9) else HOURS_DISTRIBUTION
        return ParamSpec("duration_hours", value, low, high, "hours", dist,
                         "scenario", f"{note}; {words}" if note else words)
    return data_spec("duration_hours", value, "hours", "scenario", note)


def affected_share_input(ctx: Context) -> ParamSpec:
    """Affected share [0-1]: fixed, or triangular over the scenario's range."""
    if ctx.affected_share_high > ctx.affected_share_low:
        return ParamSpec("affected_share", ctx.affected_share, ctx.affected_share_low,
                         ctx.affected_share_high, "share 0-1", "triangular", "scenario",
                         f"{ctx.affected_detail}; range {ctx.affected_share_low:g}–"
                         f"{ctx.affected_share_high:g}")
    return data_spec("affected_share", ctx.affected_share, "share 0-1", "scenario",
                     ctx.affected_detail)


def platform_inputs(ctx: Context) -> list[ParamSpec]:
    """The blocked platforms' usage in the scenario's country (fixed data inputs) and the one
    level of platform dependence (lognormal over its fitted 90 % confidence interval): the same
    table, data/platform_weights.csv and data/platform_level_fit.csv, for every method that
    prices platforms. Empty when no platform is blocked."""
    if not ctx.platforms:
        return []
    return [platform_usage_param(p, ctx.iso3) for p in ctx.platforms] + [platform_level()]


def combined_platform_weight(ctx: Context, p: Draws) -> np.ndarray | float:
    """min(1, L × (1 − Π(1 − u_i))): share of digital activity that depends on any blocked
    platform [0-1]; ``u_i`` the platforms' usage (share of social-media activity), ``L`` the
    fitted level (`impact.build.platforms`)."""
    keep = 1.0
    for platform in ctx.platforms:
        keep = keep * (1.0 - p[f"platform_usage_{platform}"])
    return np.minimum(p["platform_level"] * (1.0 - keep), 1.0)


def scope_factor(ctx: Context, p: Draws, *, platform_weights: bool = True):
    """Share of the country's internet activity a scope cuts [0-1]: the mobile share of access
    for a mobile-only cut, the combined platform-dependence weight for a platform block (1
    when the method has no platform weights), 1 otherwise. Intensity is applied separately."""
    if ctx.scope == "mobile":
        return p["mobile_share"]
    if ctx.scope == "platforms" and platform_weights:
        return combined_platform_weight(ctx, p)
    return 1.0


def central_value(p: Draws, ctx: Context, name: str, fallback: str):
    """The central value of input ``name`` [(n, 1) array], or ``ctx.<fallback>`` when the
    draws carry no central values (a formula called by hand)."""
    central = getattr(p, "central", None)
    if central is not None and name in central:
        return central[name]
    return getattr(ctx, fallback)


def mobile_input(ctx: Context) -> ParamSpec:
    return data_spec("mobile_share", ctx.mobile_share, "share 0-1 of internet access",
                     "ITU i911mw mobile broadband and WDI IT.NET.BBND.P2 fixed broadband "
                     "subscriptions per 100", ctx.mobile_detail)


#: how a digital-economy share was obtained, in words (``basis`` of data/digital_share.csv)
_BASIS_WORDS = {"published": "published",
                "imputed": "imputed from ICT indicators",
                "imputed_anchored": "imputed from ICT indicators, pulled towards the country's "
                                    "published values"}


def digital_share_input(ctx: Context, name: str, why: str = "") -> ParamSpec:
    """The digital-economy share of GDP [0-1] as a lognormal input (published or imputed,
    with its 90 % range), plus the scope inputs every share-based method needs."""
    share, note = digital_share(ctx.iso3, ctx.year)
    notes = f"{_BASIS_WORDS.get(share.basis, share.basis)} ({share.definition}, {share.year_used})"
    notes += "".join(f"; {n}" for n in (why, note) if n)
    return ParamSpec(name, share.central, share.low, share.high, "share 0-1 of GDP",
                     "lognormal", share.source, notes)


def scope_inputs(ctx: Context) -> list[ParamSpec]:
    """Mobile share for mobile-only cuts, platform weights for platform blocks."""
    return ([mobile_input(ctx)] if ctx.scope == "mobile" else []) + platform_inputs(ctx)
