"""The Estimate page's scenario controls, their defaults and what they say: the platform and
region a scope or an area starts from, each scope's intensity and circumvention defaults, which
methods use circumvention (from the inputs each method declares), and the percent sliders'
conversion to shares.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from impact import ImpactError, Scenario, parse_scenario
from impact.bundled.countries import resolve_country
from impact.bundled.regions import ADMIN1_KINDS, default_index
from impact.methods import OWN_METHOD, REGISTRY
from impact.model.context import build_context
from impact.model.parameters import platform_usage
from impact.vocab import PLATFORMS

#: the scenario field a method lists among its inputs when its loss uses the VPN share
CIRCUMVENTION = "circumvention"
#: the widget key of each percent slider (0 to 100 [%]) and the session key of the share
#: [0-1] it stands for
PERCENT_KEYS = {"affected_share": "affected_share_pct", "intensity": "intensity_pct",
                "circumvention": "circumvention_pct"}


def most_used_platforms(country: str, n: int = 1) -> list[str]:
    """The ``n`` platforms with the largest usage share in ``country`` (a name or ISO3), by
    the bundled platform table (`impact.model.parameters.platform_usage`: the world row where
    the country has none); the world's most used for an unknown country.

    >>> most_used_platforms("Pakistan")
    ['facebook']
    """
    try:
        iso3 = resolve_country(country)
    except ImpactError:
        iso3 = None
    return sorted(PLATFORMS, key=lambda p: -platform_usage(p, iso3)[0])[:n]


def most_populous_regions(country: str, n: int = 1) -> list[str]:
    """The ``n`` most populous first-level regions of ``country`` (bundled populations);
    empty for a country without them.

    >>> most_populous_regions("Pakistan"), most_populous_regions("Nowhere")
    (['Punjab'], [])
    """
    try:
        iso3 = resolve_country(country)
    except ImpactError:
        return []
    units = [u for u in default_index().units(iso3) if u.kind in ADMIN1_KINDS]
    return [u.name for u in sorted(units, key=lambda u: -u.population)[:n]]


def default_intensity(scope: str) -> float:
    """The intensity [share 0-1 of the service lost] a scenario of ``scope`` has when none
    is given (`impact.Scenario.effective_intensity`): half for throttling, whole otherwise.

    >>> default_intensity("throttling"), default_intensity("platforms")
    (0.5, 1.0)
    """
    return Scenario.model_construct(scope=scope, intensity=None).effective_intensity


@dataclass(frozen=True)
class Circumvention:
    """What the methods declare about the VPN share for one scope.

    Attributes
    ----------
    default : our own method's default share [0-1] (its parameter's central value), or None
        when our method does not use it
    low, high : that parameter's range [0-1]
    users : the methods whose declared inputs include the share
    ignoring : the methods that cost the scope but ignore the share
    """

    default: float | None
    low: float | None
    high: float | None
    users: tuple[str, ...]
    ignoring: tuple[str, ...]


@functools.lru_cache(maxsize=64)
def circumvention_inputs(scope: str, country: str = "PAK") -> Circumvention:
    """Which methods use the VPN share in a scenario of ``scope`` (a method uses it when one
    of its declared inputs, `impact.methods.base.Method.inputs`, is the scenario field
    `CIRCUMVENTION`), and our own method's default for it [0-1].

    ``country`` (a name or ISO3) gives the probe scenario its context; a country that
    cannot be estimated falls back to Pakistan (the share does not depend on the country).

    >>> c = circumvention_inputs("platforms")
    >>> c.default == c.default  # read from the parameter table
    True
    """
    ctx = None
    for place in (country, "PAK"):
        data: dict[str, Any] = {"country": place, "duration_hours": 1.0, "scope": scope}
        if scope == "platforms":
            data["platforms"] = most_used_platforms(place)
        try:
            ctx = build_context(parse_scenario(data))
            break
        except ImpactError:
            continue
    users, ignoring, own = [], [], None
    for name, method in REGISTRY.items():
        if scope not in method.scopes:
            continue
        spec = next((s for s in method.inputs(ctx) if s.name == CIRCUMVENTION), None)
        (users if spec is not None else ignoring).append(name)
        if name == OWN_METHOD:
            own = spec
    return Circumvention(own.value if own else None, own.low if own else None,
                         own.high if own else None, tuple(users), tuple(ignoring))


def short_title(method: str) -> str:
    """A method's title without its parenthesis: ``Brookings (West 2016)`` -> ``Brookings``."""
    return REGISTRY[method].title.split(" (")[0]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def circumvention_line(info: Circumvention, chosen: Iterable[str]) -> str:
    """One short line beside the VPN control: which of the ``chosen`` methods ignore the
    share (their formulas have no term for it); ``""`` when none of them does.

    >>> import impact.methods as m
    >>> names = list(m.REGISTRY)
    >>> line = circumvention_line(Circumvention(0.25, 0.05, 0.5, (names[0],),
    ...                                         tuple(names[1:3])), names)
    >>> line.startswith("Ignored by ") and line.endswith("used by impact.")
    True
    """
    chosen = set(chosen)
    ignoring = [short_title(m) for m in info.ignoring if m in chosen]
    if not ignoring:
        return ""
    users = [short_title(m) for m in info.users if m in chosen]
    return (f"Ignored by {_listed(ignoring)} (no VPN term); "
            + (f"used by {_listed(users)}." if users else "used by none of the chosen methods."))


def percent(fraction: float) -> int:
    """A share [0-1] as a percent slider's whole value [%].

    >>> percent(0.25), percent(0.5), percent(1.0), percent(0.013)
    (25, 50, 100, 1)
    """
    return round(float(fraction) * 100)


def share(pct: float) -> float:
    """A percent slider's value [%] as the share [0-1] the model takes.

    >>> share(25), share(100), share(0)
    (0.25, 1.0, 0.0)
    """
    return float(pct) / 100.0


def slider_out_of_step(state: Mapping[str, Any], key: str) -> bool:
    """Whether the percent slider of the share ``key`` no longer shows the share in
    ``state`` (the share was set elsewhere: a link, a preset, another control), so it must
    be set again before it is drawn. A share finer than the slider's 1 % (``0.013`` from a
    link) stays as it is while the slider shows its nearest percent.

    >>> slider_out_of_step({"intensity": 0.5, "intensity_pct": 50}, "intensity")
    False
    >>> slider_out_of_step({"intensity": 1.0, "intensity_pct": 50}, "intensity")
    True
    >>> slider_out_of_step({"circumvention": 0.013, "circumvention_pct": 1}, "circumvention")
    False
    """
    shown = state.get(PERCENT_KEYS[key])
    return shown is None or shown != percent(state[key])
