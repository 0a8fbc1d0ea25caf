"""The Past events page's shareable link: the page's filters and display choices as short,
readable query parameters, and query parameters read back into the page's widget values
(with what was wrong).

Only what differs from the page's defaults is written, e.g.
``/events?countries=IRN,PAK&years=2019-2025&search=X``. A user's own events are not in the
link (they stay in the browser that uploaded them).

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from app_pages.events_filters import ANY_PLATFORM, CAP_LABELS, OPEN_ENDED_LABELS
from app_pages.events_view import NORMALISATIONS
from impact.estimation.ensemble import ENSEMBLE
from impact.methods import REGISTRY
from impact.model.parameters import PLATFORMS
from impact.vocab import SCOPE_TITLES

#: the page's address (its `st.Page` url path)
PAGE_PATH = "/events"
#: session-state flag: the session's Past events link was read
LINK_READ_KEY = "_events_link_read"
#: query parameter -> widget key, in the order they are written
QUERY_KEYS = {"countries": "ev_countries", "years": "ev_years", "search": "ev_search",
              "types": "ev_types", "platform": "ev_platform", "election": "ev_election",
              "method": "ev_method", "norm": "ev_norm", "cap": "ev_variant",
              "open_ended": "ev_open_ended"}
_CHOICES = {"types": tuple(SCOPE_TITLES), "platform": (ANY_PLATFORM, *PLATFORMS),
            "method": (ENSEMBLE, *REGISTRY), "norm": tuple(NORMALISATIONS),
            "cap": tuple(CAP_LABELS), "open_ended": tuple(OPEN_ENDED_LABELS)}
_ELECTION = {"yes": True, "no": False}


def _list(values: Any) -> str:
    return ",".join(str(v) for v in values)


def _write(key: str, value: Any) -> str:
    """A widget value as the text of its query parameter."""
    if key == "years":
        lo, hi = value
        return str(lo) if lo == hi else f"{lo}-{hi}"
    if key in ("countries", "types"):
        return _list(value)
    if key == "election":
        return "yes" if value else "no"
    return str(value)


def filters_query(state: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, str]:
    """Query parameters of the page's widget values ``state`` that differ from
    ``defaults`` (both keyed by widget key), in `QUERY_KEYS` order.

    >>> defaults = {"ev_countries": ["PAK"], "ev_years": (2024, 2025), "ev_search": ""}
    >>> filters_query(defaults | {"ev_countries": ["IRN", "PAK"], "ev_search": "X"}, defaults)
    {'countries': 'IRN,PAK', 'search': 'X'}
    >>> filters_query(defaults | {"ev_countries": [], "ev_years": (2019, 2019)}, defaults)
    {'countries': '', 'years': '2019'}
    """
    out = {}
    for name, key in QUERY_KEYS.items():
        if key not in state or key not in defaults:
            continue
        value, default = state[key], defaults[key]
        if name == "search":
            value, default = (value or "").strip(), (default or "").strip()
        if name in ("countries", "types", "years"):
            value, default = list(value), list(default)
        if value != default:
            out[name] = _write(name, value)
    return out


def view_url(params: Mapping[str, str]) -> str:
    """The page's relative link for ``params`` (``,`` and ``-`` left readable).

    >>> view_url({"countries": "IRN,PAK", "search": "X Twitter"})
    '/events?countries=IRN,PAK&search=X%20Twitter'
    >>> view_url({})
    '/events'
    """
    if not params:
        return PAGE_PATH
    return f"{PAGE_PATH}?" + urlencode(dict(params), safe=",", quote_via=quote)


def _years(text: str, span: tuple[int, int]) -> tuple[int, int]:
    parts = text.replace("–", "-").split("-")
    if len(parts) not in (1, 2) or not all(p.strip().isdigit() for p in parts):
        raise ValueError
    lo, hi = int(parts[0]), int(parts[-1])
    if not span[0] <= lo <= hi <= span[1]:
        raise ValueError
    return lo, hi


def _accepted(name: str, names: Mapping[str, str], span: tuple[int, int]) -> str:
    """What a query parameter accepts, in words."""
    if name == "countries":
        return f"ISO3 codes of the catalogue, comma-separated, e.g. {_list(list(names)[:3])}"
    if name == "years":
        return f"a year or two, from {span[0]} to {span[1]}, e.g. {span[1] - 1}-{span[1]}"
    if name == "election":
        return "yes or no"
    if name == "search":
        return "words"
    sep = "comma-separated: " if name == "types" else "one of "
    return sep + ", ".join(_CHOICES[name])


def _read(name: str, text: str, names: Mapping[str, str], span: tuple[int, int]) -> Any:
    """The widget value of one query parameter; ValueError when it is not accepted."""
    if name == "years":
        return _years(text, span)
    if name == "search":
        return text
    if name == "election":
        return _ELECTION[text.strip().lower()]
    if name in ("countries", "types"):
        items = [t.strip() for t in text.split(",") if t.strip()]
        known = names if name == "countries" else _CHOICES["types"]
        items = [t.upper() if name == "countries" else t.lower() for t in items]
        if any(t not in known for t in items):
            raise ValueError
        return list(dict.fromkeys(items))
    if text not in _CHOICES[name]:
        raise ValueError
    return text


def state_from_query(params: Mapping[str, str], names: Mapping[str, str],
                     span: tuple[int, int]) -> tuple[dict[str, Any], str | None]:
    """Widget values of a link's query parameters, for countries ``names`` (ISO3 -> name)
    and the catalogue's years ``span``.

    Returns ``(state, problem)``: ``state`` maps widget keys to the link's values, empty
    when any parameter is wrong; ``problem`` is then one line naming each bad parameter,
    its value and what is accepted (the page keeps its defaults), else None.

    >>> names = {"IRN": "Iran, Islamic Rep.", "PAK": "Pakistan"}
    >>> state_from_query({"countries": "irn", "years": "2019-2025"}, names, (2009, 2025))
    ({'ev_countries': ['IRN'], 'ev_years': (2019, 2025)}, None)
    >>> state_from_query({"years": "2030"}, names, (2009, 2025))[1]
    "This link's view could not be used (years '2030': accepted a year or two, from 2009 to 2025, e.g. 2024-2025); showing the default view."
    """
    bad = []
    state: dict[str, Any] = {}
    for name, text in params.items():
        name, text = str(name), str(text)
        if name not in QUERY_KEYS:
            bad.append(f"{name!s} is not a parameter of this page (use "
                       f"{', '.join(QUERY_KEYS)})")
            continue
        try:
            state[QUERY_KEYS[name]] = _read(name, text, names, span)
        except (ValueError, KeyError):
            bad.append(f"{name} {text[:40]!r}: accepted {_accepted(name, names, span)}")
    if bad:
        return {}, (f"This link's view could not be used ({'; '.join(bad)}); showing the "
                    "default view.")
    return state, None

