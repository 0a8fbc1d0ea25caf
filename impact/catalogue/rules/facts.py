"""Facts read from the Access Now text at build time: stated hours, titles, links.

Nothing here returns source text. `stated_hours` reads a number of hours (or clock-time
ranges) from the narrative ``event`` and the ``duration`` column with regular expressions
and returns numbers only; `event_title` and `event_description` are built from the
catalogue's own fact columns; `split_links` keeps well-formed http(s) URLs.

The hours rules (conservative: anything ambiguous falls back to whole days):

- **times stated** (window of one day): every clock-time range ``T1 <to|-|until|till> T2``
  (or ``between T1 and T2``) where both ends are clock times (``17:15``, ``7.20``,
  ``8 AM``, ``12 PM``; a bare hour right after *from*/*between* takes the other end's
  am/pm); a range ending before it starts crosses midnight; distinct ranges are summed; a
  sum over 24 h is ambiguous and dropped. A range with a date inside ("from 17:00 on
  Jan. 9 to 13:00 on Jan. 10") is not read.
- **hours stated**: ``N hours`` / ``N-hour`` after *for/lasted/lasting/during/of/a* (or a
  number of hours in the ``duration`` column); words one–twelve and 24/36/48/72 as
  digits; "a few hours" = `FEW_HOURS`; several different numbers are ambiguous. Accepted
  only when it fits the day count: 24 (days - 1) < N <= 24 days.
- **hours per day** (window of several days): ``N hours per day/a day/each day/every day/
  daily`` (a range ``2-3`` takes the upper value), or a clock-time range with
  daily/every day/nightly/curfew-style; nightly / curfew-style without a span =
  `NIGHTLY_HOURS` (19:00-05:00).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

#: hours of "a few hours"
FEW_HOURS = 3.0
#: hours of a nightly (curfew-style) cut whose span is not stated: 19:00-05:00
NIGHTLY_HOURS = 10.0
#: separator of ``links`` (cannot occur in a kept URL: URLs with it are dropped)
LINK_SEP = "|"

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "an": 1,
}  # fmt: skip
_NUM = r"(\d{1,3}(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_AMPM = r"(a\.?\s?m\.?|p\.?\s?m\.?)"
# a clock time: 17:15, 7.20, 8 AM, 8:30pm; never part of a date such as 16.06.2020
_TIME = (
    r"(?<![\d.:/])(\d{1,2})(?:[:.](\d{2}))?\s*" + _AMPM + r"?(?![\d]|[.:/]\d)"
)
_TZ = r"(?:\s*(?:hrs|hours|h|local\s+time|utc\s*[+-]?\s*\d{0,2}(?::\d{2})?|gmt\s*[+-]?\s*\d{0,2}|[a-z]{2,4}t))?"
_RANGE = re.compile(
    r"(?:\b(from|between)\s+(?:around\s+|about\s+)?)?" + _TIME + _TZ + r"\s*(-|–|—|to|until|till|and)\s*(?:around\s+|about\s+)?"
    + _TIME,
    re.IGNORECASE,
)
_HOURS = re.compile(
    r"\b(?:for|lasted|lasting|during|of|a|an|some|about|around|approximately|nearly|roughly|"
    r"~|over|just)\s+(?:about\s+|around\s+|approximately\s+|nearly\s+|roughly\s+|~\s*|"
    r"over\s+|some\s+|the\s+next\s+|a\s+period\s+of\s+)?"
    + _NUM + r"[\s-]*(?:hours?|hrs?)\b(?!\s+(?:later|after|before|earlier|ago|per|a\s+day|"
    r"each|every|daily))",
    re.IGNORECASE,
)
_N_HOUR = re.compile(r"\b" + _NUM + r"-hours?\b(?!\s+(?:later|after|before|per|a\s+day))",
                     re.IGNORECASE)
_FEW = re.compile(r"\b(?:for|lasted|lasting)\s+(?:only\s+)?a\s+few\s+hours\b(?!\s+(?:later|after|"
                  r"before|earlier|ago))", re.IGNORECASE)
_PER_DAY = re.compile(
    _NUM + r"(?:\s*(?:-|–|to)\s*" + _NUM + r")?[\s-]*(?:hours?|hrs?)\s+"
    r"(?:per\s+day|a\s+day|each\s+day|every\s*days?|everyday|daily|per\s+night|a\s+night|"
    r"each\s+night|every\s+night|nightly)",
    re.IGNORECASE,
)
_DAILY = re.compile(r"\b(?:daily|every\s*days?|everyday|each\s+day|per\s+day)\b", re.IGNORECASE)
_NIGHTLY = re.compile(
    r"\b(?:nightly|every\s+night|each\s+night|curfew[\s-]*style|internet\s+curfews?)\b",
    re.IGNORECASE,
)


def _number(text: str) -> float:
    text = text.lower()
    return float(_WORDS[text]) if text in _WORDS else float(text)


def _clock(hour: str, minute: str | None, ampm: str | None, other: str | None) -> float | None:
    h, m = int(hour), int(minute or 0)
    mark = (ampm or other or "").lower().replace(".", "").replace(" ", "")
    if minute is None and not mark:
        return None  # a bare number is not a clock time
    if mark:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if mark == "pm" else 0)
    if h > 24 or m > 59:
        return None
    return h + m / 60


def time_ranges(text: str | None) -> list[tuple[float, float]]:
    """Clock-time ranges ``(from, to)`` [h of the day] stated in ``text`` (distinct, in order).

    Examples
    --------
    >>> time_ranges("cut from 17:15 to 22:00 on the day")
    [(17.25, 22.0)]
    >>> time_ranges("off from around 8 AM to 12 PM")
    [(8.0, 12.0)]
    >>> time_ranges("on 16.06.2020 and 17.06.2020")
    []
    """
    out: list[tuple[float, float]] = []
    for m in _RANGE.finditer(text or ""):
        lead, h1, m1, a1, sep, h2, m2, a2 = m.groups()
        if sep.lower() == "and" and (lead or "").lower() != "between":
            continue  # "and" joins a range only after "between"
        bare = m1 is None and a1 is None
        if bare and not lead:
            continue  # "June 10 to 12:00pm": a bare number counts only after from/between
        # "8 to 11am": a bare first hour takes the second's mark (or the other half-day
        # when that would cross midnight: "from 10 to 2pm" is 10:00-14:00)
        t1 = _clock(h1, m1, a1, a2 if bare else None)
        t2 = _clock(h2, m2, a2, None)
        if t1 is None or t2 is None or t1 == t2:
            continue
        if bare and t1 > t2 and t1 - 12 >= 0:
            t1 -= 12
        if (t1, t2) not in out:
            out.append((t1, t2))
    return out


def range_hours(ranges: list[tuple[float, float]]) -> float:
    """Summed length [h] of clock ranges; a range ending before its start crosses midnight.

    >>> range_hours([(22.0, 2.5), (7.0, 8.0)])
    5.5
    """
    return sum((b - a) % 24 for a, b in ranges)


def _stated_hours(text: str) -> float | None:
    """One number of hours stated in ``text`` (None if none or several different)."""
    values = {_number(m.group(1)) for m in _HOURS.finditer(text)}
    values |= {_number(m.group(1)) for m in _N_HOUR.finditer(text)}
    if _FEW.search(text):
        values.add(FEW_HOURS)
    values = {v for v in values if v > 0}
    return values.pop() if len(values) == 1 else None


def _duration_hours(text: str) -> float | None:
    """Hours in the ``duration`` column ("2 hours", "For about two hours", "a few hours")."""
    if re.search(r"\ba\s+few\s+hours\b", text, re.IGNORECASE):
        return FEW_HOURS
    values = {_number(m.group(1))
              for m in re.finditer(r"\b" + _NUM + r"[\s-]*(?:hours?|hrs?)\b", text, re.IGNORECASE)}
    return values.pop() if len(values) == 1 else None


def _per_day_hours(text: str) -> float | None:
    values = set()
    for m in _PER_DAY.finditer(text):
        values.add(_number(m.group(2) or m.group(1)))
    values = {v for v in values if 0 < v <= 24}
    return values.pop() if len(values) == 1 else None


def stated_hours(
    event: str | None, duration: str | None, days: int, *, open_ended: bool = False
) -> tuple[str, float] | None:
    """``(basis, daily_hours)`` stated in the source text, or None for the whole-day rule.

    ``days`` is the number of days of the costed window (>= 1). Bases: ``times_stated``,
    ``hours_stated`` (one-day windows, or a total that fits the day count: the daily hours
    are then total / days), ``hours_per_day_stated`` (windows of several days, and the first
    day of an open-ended event). See the module docstring.

    Examples
    --------
    >>> stated_hours("Mobile data was off from 22:00 to 04:30.", None, 1)
    ('times_stated', 6.5)
    >>> stated_hours("The outage lasted for about two hours.", None, 1)
    ('hours_stated', 2.0)
    >>> stated_hours("Cut for 5 hours every day of the exams.", None, 10)
    ('hours_per_day_stated', 5.0)
    >>> stated_hours("Nightly blackouts.", None, 4)
    ('hours_per_day_stated', 10.0)
    >>> stated_hours("Cut for 72 hours, then extended.", None, 5) is None
    True
    """
    text = event or ""
    dur = duration or ""
    if days > 1 or open_ended:
        per_day = _per_day_hours(text) or _per_day_hours(dur)
        if per_day is None and (_DAILY.search(text) or _NIGHTLY.search(text)
                                or _NIGHTLY.search(dur)):
            ranges = time_ranges(text)
            hours = range_hours(ranges)
            if ranges and 0 < hours <= 24:
                per_day = hours
            elif _NIGHTLY.search(text) or _NIGHTLY.search(dur):
                per_day = NIGHTLY_HOURS
        if per_day is not None:
            return "hours_per_day_stated", round(per_day, 4)
        if open_ended:
            return None
    if days == 1:
        ranges = time_ranges(text)
        hours = range_hours(ranges)
        if ranges and 0 < hours <= 24:
            return "times_stated", round(hours, 4)
    total = _duration_hours(dur)
    if total is None:
        total = _stated_hours(text)
    if total is not None and 24 * (days - 1) < total <= 24 * days:
        return "hours_stated", round(total / days, 4)
    return None


# ----------------------------------------------------------------------------- links
def split_links(*fields: str | None) -> list[str]:
    """Well-formed http(s) URLs in the fields, split on ``;``, ``,`` and whitespace,
    trimmed and de-duplicated in order (URLs with `LINK_SEP` in them are dropped).

    Examples
    --------
    >>> split_links("https://a.org/x", "https://b.org/y; http://a.org/x, www.c.org https://a.org/x")
    ['https://a.org/x', 'https://b.org/y', 'http://a.org/x']
    """
    out: list[str] = []
    for field in fields:
        for token in re.split(r"[;,\s]+", field or ""):
            url = token.strip().strip("<>\"'()[]").rstrip(".")
            if not url or LINK_SEP in url:
                continue
            try:
                parts = urlsplit(url)
            except ValueError:
                continue
            if parts.scheme not in ("http", "https") or "." not in (parts.hostname or ""):
                continue
            if url not in out:
                out.append(url)
    return out


# ----------------------------------------------------------------------------- titles
PLATFORM_NAMES = {
    "x": "X", "facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp",
    "youtube": "YouTube", "tiktok": "TikTok", "telegram": "Telegram", "signal": "Signal",
}  # fmt: skip
SERVICE_NAMES = {
    "sms": "SMS", "phone_calls": "phone calls", "vpn": "VPNs", "voip": "VoIP calls",
    "social_media_generic": "social media", "other": "other services",
}  # fmt: skip
#: ``actual_cause`` category -> the short reason of a title (no entry: no reason shown)
CAUSE_REASONS = {
    "Elections": "election", "Exam cheating": "exams", "Protests": "protests",
    "Conflict": "conflict", "Communal violence": "communal violence",
    "Political instability": "political instability",
    "Information control": "information control",
    "Religious holiday/anniversary": "religious holiday",
    "Visits by government officials": "official visit",
}  # fmt: skip
GEO_SCOPE_TEXT = {
    "one_city": "one city, county or village",
    "cities_one_region": "several cities of one region",
    "several_regions": "several states or regions",
}
BASIS_TEXT = {
    "dates_whole_days": "whole days between the reported dates",
    "duration_whole_days": "whole days of the reported duration",
    "same_day_24h": "one whole day (the source gives no times; an upper bound)",
    "times_stated": "times stated in the source",
    "hours_stated": "hours stated in the source",
    "hours_per_day_stated": "hours per day stated in the source",
    "open_ended_first_day": "open-ended: the source gives no end date; first day costed",
    "open_ended_listed_years": ("open-ended: the source gives no end date but lists the event "
                                "as active in later years; costed to the start of the last "
                                "year listed"),
    "open_ended_regional_capped": ("open-ended: the source gives no end date but lists the "
                                   "event as active in later years; a regional event, costed "
                                   "for at most its first 90 days"),
    "exam_hours_default": ("an exam cut whose hours the source does not state; 6 h a day "
                           "assumed"),
}


def _names(items: list[str], limit: int = 3) -> str:
    if len(items) > limit:
        return ", ".join(items[: limit - 1]) + f" and {len(items) - limit + 1} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def split_places(text: str | None) -> list[str]:
    """Area text split on ``,`` / ``;`` outside parentheses.

    >>> split_places("Jammu and Kashmir (Kupwara, Baramulla); Ladakh")
    ['Jammu and Kashmir (Kupwara, Baramulla)', 'Ladakh']
    """
    parts, depth, cur = [], 0, ""
    for ch in " ".join((text or "").split()):
        depth += (ch == "(") - (ch == ")")
        if ch in ",;" and depth <= 0:
            parts.append(cur)
            cur, depth = "", 0
        else:
            cur += ch
    parts.append(cur)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def what_was_cut(r: dict) -> str:
    """``"mobile data cut"``, ``"internet throttled"``, ``"Facebook, WhatsApp blocked"`` …"""
    scope = r.get("scope")
    throttled = r.get("shutdown_type") == "throttle"
    if scope in ("platforms", "platforms_other"):
        names = [PLATFORM_NAMES.get(p, p) for p in (r.get("platforms") or "").split(";") if p]
        if not names:
            names = [SERVICE_NAMES.get(s, s) for s in (r.get("other_services") or "").split(";")
                     if s and s != "other"]
        what = _names(names) if names else "services"
        return f"{what} {'throttled' if throttled else 'blocked'}"
    mobile, fixed = r.get("network_mobile"), r.get("network_broadband")
    net = "mobile data" if mobile and not fixed else "broadband" if fixed and not mobile \
        else "internet"
    return f"{net} {'throttled' if scope == 'throttling' else 'cut'}"


def short_places(text: str | None, width: int = 40) -> list[str]:
    """`split_places` without parenthesised parts, each cut at a word to ``width`` chars.

    >>> short_places("13 districts of Haryana (Jind, Hisar); Delhi")
    ['13 districts of Haryana', 'Delhi']
    """
    out = []
    for p in split_places(text):
        p = " ".join(re.sub(r"\([^()]*\)?|\)", " ", p).split()).strip(" .,;-")
        if len(p) > width:
            p = p[:width].rsplit(" ", 1)[0].rstrip(" ,;-") + "…"
        if p and p not in out:
            out.append(p)
    return out


def network_name(key: str | None) -> str:
    """A folded operator name for display: ``"mtn"`` -> ``"MTN"``, ``"china telecom"`` ->
    ``"China Telecom"``, ``"AS25292"`` unchanged.

    >>> network_name("vgtrk"), network_name("ethio telecom")
    ('VGTRK', 'Ethio Telecom')
    """
    if not key:
        return ""
    if key.startswith("AS") or " " in key or len(key) > 5:
        return key if key.startswith("AS") else key.title()
    return key.upper()


def where(r: dict) -> str:
    """``"nationwide"``, ``"in Quetta"``, ``"in A, B and 3 more"``, ``"on one network (MTN)"``
    or ``""``."""
    net = f"on one network ({network_name(r['network'])})" if r.get("network") else ""
    if r.get("nationwide"):
        return "nationwide"
    places = [p for p in short_places(r.get("area_names"))
              if not (net and _NATIONWIDE_WORDS.search(p))]
    if not places:
        return net
    if len(places) > 2:
        text = f"in {places[0]}, {places[1]} and {len(places) - 2} more"
    else:
        text = "in " + " and ".join(places)
    return f"{net} {text}" if net else text


_NATIONWIDE_WORDS = re.compile(r"(?i)\b(nation\s*-?\s*wide|national|whole|country\s*-?\s*wide|"
                               r"entire\s+country)\b")


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def date_span(start: dt.date, last: dt.date | None, open_ended: bool) -> str:
    """``"8 Feb 2024"``, ``"8–10 Feb 2024"``, ``"8 Feb – 3 Mar 2024"``,
    ``"Dec 2019 – Mar 2020"`` or ``"from 8 Feb 2024"``.

    >>> date_span(dt.date(2024, 2, 8), dt.date(2024, 2, 10), False)
    '8–10 Feb 2024'
    """
    if open_ended:
        return "from " + _day(start)
    if last is None or last <= start:
        return _day(start)
    if last.year != start.year:
        return f"{start:%b %Y} – {last:%b %Y}"
    if last.month != start.month:
        return f"{start.day} {start:%b} – {_day(last)}"
    return f"{start.day}–{_day(last)}"


def event_title(r: dict) -> str:
    """A title from the event's facts, e.g. "Pakistan — mobile data cut nationwide, 8 Feb 2024
    (election)". ``r`` holds catalogue columns plus ``last_day`` (the last reported date)."""
    head = r.get("country") or r.get("iso3") or "Unknown country"
    body = " ".join(x for x in (what_was_cut(r), where(r)) if x)
    body += ", " + date_span(r["start"], r.get("last_day"), bool(r.get("open_ended")))
    reason = CAUSE_REASONS.get(r.get("cause") or "")
    if reason is None and r.get("election"):
        reason = "election"
    return f"{head} — {body}" + (f" ({reason})" if reason else "")


def _hours(h: float) -> str:
    return f"{h:,.0f}" if h >= 100 or h == int(h) else f"{h:.1f}"


def event_description(r: dict) -> str:
    """One or two sentences from the event's facts (no source text)."""
    what = what_was_cut(r)
    what = what[0].upper() + what[1:]
    parts = [what]
    if r.get("scope") in ("full", "throttling"):
        nets = [n for n, f in (("mobile", r.get("network_mobile")),
                               ("fixed broadband", r.get("network_broadband"))) if f]
        parts.append(f"({' and '.join(nets)} networks)" if len(nets) > 1
                     else f"({nets[0]} network)")
    else:
        services = [SERVICE_NAMES[s] for s in (r.get("other_services") or "").split(";")
                    if s in SERVICE_NAMES and s != "other"]
        if services and r.get("platforms"):
            parts.append(f"(also {_names(services)})")
    places = short_places(r.get("area_names"), 60)
    if r.get("network"):
        parts.append(f"on one network ({network_name(r['network'])})")
    if r.get("nationwide"):
        parts.append("nationwide")
    elif places:
        parts.append("in " + _names(places, 6))
    scope = GEO_SCOPE_TEXT.get(r.get("geo_scope") or "")
    if scope and not r.get("nationwide"):
        parts.append(f"({scope})")
    first = " ".join(parts) + f", {r.get('country') or r.get('iso3')}, "
    first += date_span(r["start"], r.get("last_day"), bool(r.get("open_ended"))) + "."
    why = []
    if r.get("cause") and r["cause"] not in ("Unknown", "Other"):
        why.append(f"cause: {r['cause'].lower()}")
    if r.get("justification") and r["justification"] not in ("Other", "No"):
        just = ", ".join(p.strip() for p in r["justification"].lower().split("/"))
        why.append(f"official justification: {just}")
    days = int(r["days_active"])
    hours = float(r["duration_hours"])
    basis = BASIS_TEXT[r["hours_basis"]]
    if r["hours_basis"] == "hours_per_day_stated":
        basis += f" ({_hours(float(r['daily_hours']))} h a day over {days} days)"
    second = f"Costed {_hours(hours)} h: {basis}"
    if why:
        second = "; ".join(why).capitalize() + ". " + second
    return f"{first} {second}."
