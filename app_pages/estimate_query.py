"""The Estimate page's shareable link: a scenario as compact, human-readable query parameters,
and query parameters read back into the page's widget values (with what was wrong).

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time
from typing import Any

from app_pages.estimate_controls import circumvention_inputs, default_intensity
from app_pages.viewmodel import APP_HOURS, ESTIMATE_DEFAULTS, country_names
from impact.bundled.countries import country_name
from impact.methods import REGISTRY

#: query parameters of a scenario link, in the order they are written
QUERY_FIELDS = ("country", "duration_hours", "scope", "platforms", "affected_share", "regions",
                "intensity", "circumvention", "start", "end", "currency", "methods", "headline")


#: session-state flag: the session's scenario link was read (or the session began elsewhere)
LINK_READ_KEY = "_estimate_link_read"


_QUERY_ACCEPTED = {
    "duration_hours": f"a number of hours from {APP_HOURS[0]:g} to {APP_HOURS[1]:g} on this page",
    "intensity": "an intensity only with scope=throttling or scope=platforms",
    "methods": f"comma-separated method names: {', '.join(REGISTRY)}",
    "dates": "a date from 2010-01-01 to 2100-12-31 (YYYY-MM-DD, or YYYY-MM-DDTHH:MM)",
    "headline": f"ensemble or one of the chosen methods: {', '.join(REGISTRY)}",
}

#: the scopes whose intensity the page sets (a throttled network, a throttled platform)
INTENSITY_SCOPES = ("throttling", "platforms")


def _num(value: float) -> str:
    """A number for a URL: ``10``, ``10.5``, ``0.25`` (no trailing ``.0``)."""
    return f"{float(value):.10g}"


def scenario_query(scenario: Any, methods: Sequence[str] = (),
                   headline: str = "ensemble",
                   circumvention: float | None = None) -> dict[str, str]:
    """Compact, human-readable query parameters of a scenario shown on the Estimate page.

    ``country`` (ISO3) and ``duration_hours`` (or, for a scenario given by its start and
    end, ``end``) are always written; the other fields only when they differ from the page's
    defaults: ``scope``, ``platforms`` and ``regions`` (joined with ``;``),
    ``affected_share``, ``intensity`` (unless the scope's default), ``circumvention``,
    ``start`` and ``end`` (``YYYY-MM-DDTHH:MM``), ``currency``, ``methods``
    (comma-separated) unless all are chosen, and ``headline`` (a method's name) unless it
    is the ensemble. ``circumvention`` [0-1] is the share the page shows when the scenario
    has none (a VPN share left at our own method's default keeps its range).
    `state_from_query` reads them back.

    >>> from impact import parse_scenario
    >>> sc = parse_scenario({"country": "Pakistan", "duration_hours": 10, "scope": "mobile"})
    >>> scenario_query(sc, ["impact", "icrier2018"])
    {'country': 'PAK', 'duration_hours': '10', 'scope': 'mobile', 'methods': 'impact,icrier2018'}
    """
    out = {"country": scenario.country}
    if scenario.end is None:
        out["duration_hours"] = _num(scenario.hours)
    if scenario.scope != "full":
        out["scope"] = scenario.scope
    if scenario.platforms:
        out["platforms"] = ";".join(scenario.platforms)
    if scenario.affected_share is not None:
        out["affected_share"] = _num(scenario.affected_share)
    if scenario.regions:
        out["regions"] = ";".join(scenario.regions)
    if scenario.intensity is not None \
            and scenario.intensity != default_intensity(scenario.scope):
        out["intensity"] = _num(scenario.intensity)
    if scenario.circumvention is not None or circumvention is not None:
        out["circumvention"] = _num(scenario.circumvention if scenario.circumvention
                                    is not None else circumvention)
    if scenario.start is not None:  # a date alone (no time of day) stays a date
        out["start"] = scenario.start.strftime("%Y-%m-%dT%H:%M" if _timed(scenario)
                                               else "%Y-%m-%d")
    if scenario.end is not None:
        out["end"] = scenario.end.strftime("%Y-%m-%dT%H:%M")
    if scenario.currency != "USD":
        out["currency"] = scenario.currency
    chosen = [m for m in REGISTRY if m in set(methods)]
    if methods and chosen != list(REGISTRY):
        out["methods"] = ",".join(chosen)
    if headline != "ensemble":
        out["headline"] = headline
    return out


def _timed(scenario: Any) -> bool:
    """Whether the page shows a start time: every start but a date alone (the page has no
    time-weighting switch, so weighting off means a date-only start)."""
    from impact.model.context import hour_weighting

    return hour_weighting(scenario)[0] or scenario.start.time() != time(0, 0)


def query_url(params: Mapping[str, str]) -> str:
    """The relative link of the Estimate page for ``params`` (readable: ``;``, ``,`` and ``:``
    are left as they are).

    >>> query_url({"country": "IND", "duration_hours": "48", "regions": "Jammu & Kashmir"})
    '/?country=IND&duration_hours=48&regions=Jammu%20%26%20Kashmir'
    """
    from urllib.parse import quote, urlencode

    return "/?" + urlencode(dict(params), safe=";,:", quote_via=quote) if params else "/"


def _in_years(text: str) -> bool:
    """Whether a link's date ``text`` begins with a year the page accepts (2010 to 2100)."""
    return text[:4].isdigit() and 2010 <= int(text[:4]) <= 2100


def state_from_query(params: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Estimate-page widget values from a scenario link's query parameters.

    Returns ``(state, problems)``: ``state`` maps widget keys (those of `ESTIMATE_DEFAULTS`)
    to the link's values; it is empty when there are no parameters or when any parameter is
    wrong, and then ``problems`` has one line per bad parameter naming it and saying what is
    accepted (the page keeps its defaults). Validation is `impact.parse_scenario` and
    `impact.methods.get_methods`, plus the page's own limits (1 to 8,760 hours, a country of
    its list).

    >>> state, problems = state_from_query({"country": "IND", "duration_hours": "48"})
    >>> state["country"], state["duration_hours"], problems
    ('India', 48.0, [])
    >>> state_from_query({"country": "IND", "affected_share": "1.5"})[1]
    ["affected_share: '1.5' is not accepted; input should be less than or equal to 1; accepted: a share between 0 and 1"]
    """
    from impact import ImpactError, InputError, parse_scenario
    from impact.methods import get_methods

    params = {str(k): str(v) for k, v in params.items()}
    if not params:
        return {}, []
    problems = [f"{k}: unknown parameter; accepted parameters are {', '.join(QUERY_FIELDS)}"
                for k in params if k not in QUERY_FIELDS]
    methods = list(REGISTRY)
    raw_methods = params.get("methods", "").replace(";", ",").strip()
    if raw_methods:
        try:
            methods = [m.name for m in get_methods(raw_methods)]
        except InputError as err:
            problems.append(f"methods: {err.value!r} is not accepted; "
                            f"{_QUERY_ACCEPTED['methods']}")
    headline = params.get("headline", "ensemble")
    if headline != "ensemble" and headline not in methods:
        problems.append(f"headline: {headline!r} is not accepted; {_QUERY_ACCEPTED['headline']}")
    data: dict[str, Any] = {"country": ESTIMATE_DEFAULTS["country"]}
    if "end" not in params:  # a start and an end give the duration
        data["duration_hours"] = ESTIMATE_DEFAULTS["duration_hours"]
    data |= {k: v for k, v in params.items()
             if k in QUERY_FIELDS and k not in ("methods", "headline")}
    try:
        scenario = parse_scenario(data)
    except ImpactError as err:
        problems.append(str(err))
        return {}, problems
    except OverflowError:  # a date at the calendar's ends (year 1, 9999) has no local time
        bad = [k for k in ("start", "end") if k in params and not _in_years(params[k])]
        problems += [f"{k}: {params[k]!r} is not accepted; {_QUERY_ACCEPTED['dates']}"
                     for k in bad or [k for k in ("start", "end") if k in params]]
        return {}, problems
    if not APP_HOURS[0] <= scenario.hours <= APP_HOURS[1]:
        problems.append(
            f"end: {params['end']!r} is not accepted; an end {APP_HOURS[0]:g} to "
            f"{APP_HOURS[1]:g} hours after start on this page (here {scenario.hours:.10g} hours)"
            if scenario.end is not None else
            f"duration_hours: {params.get('duration_hours')!r} is not accepted; "
            f"{_QUERY_ACCEPTED['duration_hours']}")
    if scenario.intensity is not None and scenario.scope not in INTENSITY_SCOPES:
        problems.append(f"intensity: {params.get('intensity')!r} is not accepted; "
                        f"{_QUERY_ACCEPTED['intensity']}")
    name = country_name(scenario.country)
    if name not in country_names():
        problems.append(f"country: {params.get('country')!r} is not accepted; a country of "
                        "the Estimate page's list")
    if problems:
        return {}, problems
    state: dict[str, Any] = {
        "country": name,
        "duration_hours": float(scenario.hours),
        "scope": scenario.scope,
        "platforms": list(scenario.platforms),
        "currency": scenario.currency,
        "methods": methods,
        "use_start": scenario.start is not None,
        "use_end": scenario.end is not None,
        "headline_method": headline,
        "use_circumvention": scenario.circumvention is not None,
        "area_mode": ("regions" if scenario.regions
                      else "share" if scenario.affected_share is not None else "country"),
        "regions": list(scenario.regions),
    }
    if scenario.start is not None:
        state["start_date"] = scenario.start.date()
        state["start_time"] = (scenario.start.time().replace(second=0, microsecond=0)
                               if _timed(scenario) else None)
    if scenario.end is not None:
        state["end_date"] = scenario.end.date()
        state["end_time"] = scenario.end.time().replace(second=0, microsecond=0)
    if scenario.affected_share is not None:
        state["affected_share"] = float(scenario.affected_share)
    state["intensity"] = float(scenario.effective_intensity)
    own = circumvention_inputs(scenario.scope).default
    state["circumvention"] = float(scenario.circumvention if scenario.circumvention is not None
                                   else own or 0.0)
    return state, []
