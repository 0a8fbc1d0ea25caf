"""The Monitor page's choices: its widget keys and defaults, the sources, horizons and reader
options it offers, and the texts of what was chosen.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from impact.estimation.ensemble import ENSEMBLE, ENSEMBLE_TITLE
from impact.methods import REGISTRY

#: options passed to a reader, as sorted ``(name, value)`` pairs (hashable: a cache key)
Options = tuple[tuple[str, str], ...]


ROOT = Path(__file__).resolve().parents[1]


#: the preloaded seed case: the bundled example once it is in ``data/examples/``, until then
#: the copy the tests use (the one place to change)
SEED_CASE = next((p for p in (ROOT / "data" / "examples" / "pakistan_2024-02-08.csv",
                              ROOT / "tests" / "fixtures" / "monitor_page"
                              / "pakistan_2024-02-08.csv") if p.is_file()),
                 ROOT / "data" / "examples" / "pakistan_2024-02-08.csv")


SEED_LABEL = "Pakistan, election day, 8 February 2024"


#: the environment variable naming the folders whose files visitors may watch (separated
#: by the system's path separator); unset or empty: watching files on the server is off
WATCH_ENV = "IMPACT_WATCH_DIRS"


#: the largest watched file read [bytes]
WATCH_MAX_BYTES = 20_000_000


WATCH_SECONDS = 30


#: projection horizons offered, and those chosen at first
HORIZONS = ("12h", "1d", "3d", "7d", "14d", "30d", "90d")


DEFAULT_HORIZONS = ("1d", "3d", "7d", "30d")


SOURCE_LABELS = {
    "seed": "Example: " + SEED_LABEL,
    "upload": "Upload a timeline file",
    "fetch": "Fetch from IODA, Cloudflare Radar or OONI",
    "watch": "Watch a file on this server",
}


#: file types the uploader takes: our CSV, monitor exports (CSV, JSON) and workbooks
UPLOAD_TYPES = ["csv", "json", "xlsx", "xlsm", "xls", "ods"]


#: what the figures are as of: the file's last moment, now, or a chosen moment
UNTIL_MODES = {
    "end": "the file's last moment",
    "now": "now (rows still on are costed to now)",
    "at": "a chosen moment",
}


#: monitors the page can fetch from (`impact.monitor.fetch`), and the token each needs
FETCH_SOURCES = {"ioda": "IODA", "cloudflare": "Cloudflare Radar", "ooni": "OONI"}


#: reader options the page offers (beyond country and until), with their labels and help
OPTION_WIDGETS = {
    "datasource": ("IODA signal", "e.g. ping-slash24, bgp, merit-nt or gtr"),
    "platform": ("OONI platform", "the platform a file of one test measures, e.g. whatsapp"),
    "causes": ("Cloudflare Radar causes", "comma separated, or all (default: restrictions)"),
}


#: widget keys of the Monitor page and their defaults (kept in session state across pages)
MONITOR_DEFAULTS: dict[str, Any] = {
    "mon_source": "seed",
    "mon_method": ENSEMBLE,
    "mon_until_mode": "end",
    "mon_zone": "local",
    "mon_horizons": list(DEFAULT_HORIZONS),
    "mon_watch_path": "",
    "mon_country": "",
    "mon_datasource": "",
    "mon_platform": "",
    "mon_causes": "",
    "mon_sheet": "all",
    "mon_fetch_source": "ioda",
    "mon_fetch_country": "",
    "mon_fetch_days": 2,
}


#: session-state key of the last uploaded file, ``(name, bytes)`` (a file uploader forgets
#: its file when another page is shown)
UPLOADED_KEY = "mon_uploaded"


#: session-state key of the last fetched answer, ``(name, bytes)``
FETCHED_KEY = "mon_fetched"


MONITOR_KEYS = (*MONITOR_DEFAULTS, "mon_until_date", "mon_until_time", UPLOADED_KEY,
                FETCHED_KEY)


SCOPE_WORDS = {"full": "full internet", "mobile": "mobile data", "platforms": "platforms",
               "throttling": "throttling"}


def method_options() -> list[str]:
    """The methods the page's picker offers: the headline first, then every method."""
    return [ENSEMBLE, *REGISTRY]


def method_title(method: str) -> str:
    """What the picker, the chart and the tables call ``method``.

    >>> method_title("ensemble")
    'Headline: the methods that apply, combined'
    """
    return ENSEMBLE_TITLE if method == ENSEMBLE else REGISTRY[method].title


def card_label(method: str) -> str:
    """The cost-so-far card's label: short for the headline.

    >>> card_label("ensemble")
    'Cost so far (headline)'
    """
    return "Cost so far (headline)" if method == ENSEMBLE else (
        f"Cost so far ({REGISTRY[method].title})")


def watch_roots() -> tuple[Path, ...]:
    """The folders the operator allowed for watching (`WATCH_ENV`), resolved; () when off."""

    raw = os.environ.get(WATCH_ENV, "")
    return tuple(Path(p).expanduser().resolve() for p in raw.split(os.pathsep) if p.strip())


def source_labels() -> dict[str, str]:
    """The sources offered: watching a file on the server only when the operator allowed it."""
    return {k: v for k, v in SOURCE_LABELS.items() if k != "watch" or watch_roots()}


def now_text(now: datetime | None = None) -> str:
    """The current UTC minute as ISO text (the "now" cut; a new minute is a new result).

    >>> now_text(datetime(2024, 2, 8, 12, 30, 59, tzinfo=UTC))
    '2024-02-08T12:30:00+00:00'
    """
    return (now or datetime.now(UTC)).replace(second=0, microsecond=0).isoformat()


def until_choice(mode: str, day: date | None = None, clock: time | None = None,
                 now: datetime | None = None) -> str | None:
    """The cut of `UNTIL_MODES` ``mode`` as ISO UTC text (None: the file's last moment).

    >>> until_choice("end"), until_choice("at", date(2024, 2, 8), time(9, 0))
    (None, '2024-02-08T09:00:00+00:00')
    """
    if mode == "now":
        return now_text(now)
    if mode == "at":
        return until_text(day, clock)
    return None


def horizons_text(chosen: list[str] | tuple[str, ...]) -> str:
    """The chosen horizons in `HORIZONS` order, as `impact.monitor.costing.monitor` takes them.

    >>> horizons_text(["30d", "1d", "12h"])
    '12h,1d,30d'
    """
    return ",".join(h for h in HORIZONS if h in set(chosen))


def until_text(day: date | None, clock: time | None) -> str | None:
    """The chosen cut as an ISO UTC moment (None: the timeline's end).

    >>> until_text(date(2024, 2, 8), time(12, 30))
    '2024-02-08T12:30:00+00:00'
    """
    if day is None:
        return None
    return datetime.combine(day, clock or time(0, 0), tzinfo=UTC).isoformat()
