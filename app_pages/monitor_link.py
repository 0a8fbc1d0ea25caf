"""The Monitor page's shareable link: the view's choices (source, zone, method, horizons,
the cut and how the file is read) as query parameters, and back.

An uploaded file cannot travel in a link: a link with ``source=upload`` opens the upload
box, and the page says so. Watching a file on the server is not carried either (the path
is the server's). The codec (`link_params`, `state_from_params`) is pure, so it can be
tested on its own; `read_link`, `link_warning` and `write_link` are the page's edge.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

from app_pages import monitor_choices as mc
from app_pages.links import read_once, warn_once, write_params
from app_pages.monitor_charts import ZONES

#: session-state key: the link of this session was read (once, on its first Monitor run)
LINK_READ_KEY = "_mon_link_read"
#: session-state key: why a link's choices could not be used (shown once)
LINK_WARNING_KEY = "_mon_link_warning"

#: sources a link may carry (an upload opens the upload box; watching stays on the server)
LINK_SOURCES = ("seed", "upload", "fetch")

#: free-text choices carried as they are: parameter -> widget key
TEXT_PARAMS = {"country": "mon_country", "datasource": "mon_datasource",
               "platform": "mon_platform", "causes": "mon_causes", "sheet": "mon_sheet",
               "fetch_country": "mon_fetch_country"}

#: the longest free-text value a link may carry [characters]
MAX_TEXT = 80

#: what the page says under the link
UPLOAD_NOTE = ("An uploaded file cannot be carried in a link: whoever opens it sees the same "
               "choices and is asked to upload the file.")


def _until_param(state: dict[str, Any]) -> str:
    """``end``, ``now`` or the chosen moment as ``2024-02-08T09:00Z``."""
    mode = state.get("mon_until_mode", "end")
    if mode != "at":
        return mode
    moment = mc.until_text(state.get("mon_until_date"), state.get("mon_until_time"))
    return "end" if moment is None else datetime.fromisoformat(moment).strftime(
        "%Y-%m-%dT%H:%MZ")


def link_params(state: dict[str, Any]) -> dict[str, str]:
    """The query parameters of the view in ``state`` (the page's session state): only what
    differs from the defaults, so the example's link is the bare page.

    >>> link_params(dict(mc.MONITOR_DEFAULTS))
    {}
    >>> link_params(dict(mc.MONITOR_DEFAULTS) | {"mon_zone": "utc", "mon_method": "impact",
    ...             "mon_horizons": ["30d", "1d"], "mon_source": "upload"})
    {'source': 'upload', 'zone': 'utc', 'method': 'impact', 'horizons': '1d,30d'}
    """
    d = mc.MONITOR_DEFAULTS
    source = state.get("mon_source", d["mon_source"])
    out = {"source": source if source in LINK_SOURCES else d["mon_source"],
           "zone": state.get("mon_zone", d["mon_zone"]),
           "method": state.get("mon_method", d["mon_method"]),
           "horizons": mc.horizons_text(state.get("mon_horizons", d["mon_horizons"])),
           "until": _until_param(state)}
    defaults = {"source": d["mon_source"], "zone": d["mon_zone"], "method": d["mon_method"],
                "horizons": mc.horizons_text(d["mon_horizons"]), "until": "end"}
    out = {k: v for k, v in out.items() if v != defaults[k]}
    for param, key in TEXT_PARAMS.items():
        if param == "fetch_country" and source != "fetch":
            continue
        text = str(state.get(key) or "").strip()
        if text and text != str(d[key]):
            out[param] = text[:MAX_TEXT]
    if source == "fetch":
        for param in ("fetch_source", "fetch_days"):
            value = state.get(f"mon_{param}", d[f"mon_{param}"])
            if value != d[f"mon_{param}"]:
                out[param] = str(value)
    return out


def _until_state(text: str) -> dict[str, Any]:
    if text in ("end", "now"):
        return {"mon_until_mode": text}
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return {"mon_until_mode": "at", "mon_until_date": moment.date(),
            "mon_until_time": moment.time().replace(second=0, microsecond=0),
            "mon_until_for": "link"}


def state_from_params(params: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """(widget state, problems) of a link's query parameters: each good value is used, each
    bad one is left at its default and named in a problem (one line each); unknown
    parameters are ignored.

    >>> state, problems = state_from_params({"zone": "utc", "horizons": "1d,30d",
    ...                                      "until": "2024-02-08T09:00Z", "method": "xx"})
    >>> state["mon_zone"], state["mon_horizons"], str(state["mon_until_time"])
    ('utc', ['1d', '30d'], '09:00:00')
    >>> problems
    ["method: 'xx' is not accepted; one of ensemble, impact, cost_compatible, brookings2016, deloitte2016, icrier2018, panel"]
    """
    state: dict[str, Any] = {}
    problems: list[str] = []

    def bad(name: str, value: str, accepted: str) -> None:
        problems.append(f"{name}: {value[:MAX_TEXT]!r} is not accepted; {accepted}")

    checks = {
        "source": (LINK_SOURCES, "mon_source"),
        "zone": (tuple(ZONES), "mon_zone"),
        "method": (tuple(mc.method_options()), "mon_method"),
        "fetch_source": (tuple(mc.FETCH_SOURCES), "mon_fetch_source"),
    }
    for name, (allowed, key) in checks.items():
        if name in params:
            value = params[name]
            if value in allowed:
                state[key] = value
            else:
                bad(name, value, "one of " + ", ".join(allowed))
    if "horizons" in params:
        chosen = [h.strip() for h in params["horizons"].split(",") if h.strip()]
        if chosen and set(chosen) <= set(mc.HORIZONS):
            state["mon_horizons"] = [h for h in mc.HORIZONS if h in chosen]
        else:
            bad("horizons", params["horizons"],
                "a comma-separated list of " + ", ".join(mc.HORIZONS))
    if "until" in params:
        try:
            state |= _until_state(params["until"].strip())
        except ValueError:
            bad("until", params["until"], "end, now or a UTC moment such as 2024-02-08T09:00Z")
    if "fetch_days" in params:
        text = params["fetch_days"].strip()
        if text.isdigit() and 1 <= int(text) <= 90:
            state["mon_fetch_days"] = int(text)
        else:
            bad("fetch_days", text, "a whole number of days from 1 to 90")
    for name, key in TEXT_PARAMS.items():
        if name in params:
            text = params[name].strip()
            if len(text) <= MAX_TEXT and text.isprintable():
                state[key] = text
            else:
                bad(name, text, f"printable text of at most {MAX_TEXT} characters")
    return state, problems


def read_link() -> None:
    """On the session's first Monitor run, set the widgets from the link (before any widget
    is drawn); a bad value keeps its default and is named once (`link_warning`)."""
    read_once(LINK_READ_KEY, LINK_WARNING_KEY, state_from_params, what="Monitor")


def link_warning() -> None:
    """Say once which of a link's choices could not be used."""
    warn_once(LINK_WARNING_KEY, "Some of this link's choices could not be used; the "
                                "defaults are shown for them.")


def write_link() -> dict[str, str]:
    """Put the view's choices into the address bar (only when they changed); returns them."""
    params = link_params(dict(st.session_state))
    write_params(params)
    return params
