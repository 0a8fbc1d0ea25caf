"""Cloudflare Radar outage annotations (``/radar/annotations/outages``) as a timeline.

Fields read: ``result.annotations[]`` with ``id``, ``startDate``, ``endDate`` (absent while
ongoing), ``locations`` (ISO2 codes), ``asns``, ``asnsDetails[].locations.code``,
``outage.outageType``, ``outage.outageCause``, ``scope`` (free text naming the region
when the outage is regional).

Rule (`docs/monitor_formats.md`): every annotation is an outage Cloudflare verified and
reports without a magnitude, so rows are at intensity 1 (``intensity=`` overrides it);
``NATIONWIDE`` → scope full, no region; ``REGIONAL`` → region = the annotation's ``scope``
text; ``NETWORK`` → one row per ASN (``asn`` set), in the ASN's own country when
``asnsDetails`` gives it. An annotation without ``endDate`` runs to ``until=`` or is an
error naming it.
"""

from __future__ import annotations

from typing import Any

from impact.importers._common import (
    Ctx,
    Source,
    check_options,
    finish,
    iso,
    load_text,
    parse_json,
)
from impact.timeline import Timeline, TimelineError

FORMAT = "cloudflare_radar"
DOC_URL = "https://developers.cloudflare.com/api/resources/radar/subresources/annotations/"
OUTAGE_TYPES = ("NATIONWIDE", "REGIONAL", "NETWORK")
OPTIONS = ("until", "intensity")


def _annotations(doc: Any) -> tuple[list | None, str]:
    if not isinstance(doc, dict):
        return None, ""
    if isinstance(doc.get("result"), dict) and "annotations" in doc["result"]:
        return doc["result"]["annotations"], "result.annotations"
    if "annotations" in doc:
        return doc["annotations"], "annotations"
    return None, ""


def looks_like(doc: Any) -> bool:
    return isinstance(_annotations(doc)[0], list)


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """Rows of a Radar outage-annotations file (module docstring for the rule)."""
    check_options(options, OPTIONS, FORMAT)
    intensity = float(options.get("intensity", 1.0))
    text, label = load_text(source, name)
    ctx = Ctx(label)
    doc = parse_json(text, label)
    items, base = _annotations(doc)
    if not isinstance(items, list):
        raise TimelineError("result.annotations", type(items).__name__ if items is not None
                            else None, "a list of outage annotations", where=label)
    until = ctx.time(options["until"], "", "until") if options.get("until") else None
    rows: list[tuple[str, dict]] = []
    for i, a in enumerate(items):
        path = f"{base}[{i}]"
        ctx.need(a, "startDate", path, str, "an ISO date-time")
        start = ctx.time(a["startDate"], path, "startDate")
        if a.get("endDate") is None:
            if until is None:
                raise ctx.fail(path, "endDate", None, "an ISO date-time; the annotation is "
                               "ongoing: give until= to cost it to a date")
            end = until
        else:
            end = ctx.time(ctx.need(a, "endDate", path, str, "an ISO date-time"), path,
                           "endDate")
        if end <= start:
            raise ctx.fail(path, "endDate", a.get("endDate") or iso(end),
                           f"a date-time after startDate ({a['startDate']})")
        outage = ctx.need(a, "outage", path, dict, "an object with outageType and outageCause")
        kind = ctx.need(outage, "outageType", f"{path}.outage", str, ", ".join(OUTAGE_TYPES))
        if kind.upper() not in OUTAGE_TYPES:
            raise ctx.fail(f"{path}.outage", "outageType", kind, ", ".join(OUTAGE_TYPES))
        kind = kind.upper()
        cause = outage.get("outageCause")
        src = f"Cloudflare Radar {a.get('id', i)}" + (f" ({cause})" if cause else "")
        locations = ctx.need(a, "locations", path, list, "a list of ISO 3166 alpha-2 codes",
                             required=kind != "NETWORK") or []
        countries = [ctx.country(c, path, f"locations[{k}]") for k, c in enumerate(locations)]
        common = {"start_utc": iso(start), "end_utc": iso(end), "scope": "full",
                  "intensity": intensity, "source": src}
        if kind == "NETWORK":
            asns = ctx.need(a, "asns", path, list, "a list of AS numbers (a NETWORK outage "
                            "names its networks)")
            if not asns:
                raise ctx.fail(path, "asns", asns, "at least one AS number for a NETWORK "
                               "outage")
            details = {str(d.get("asn")): d for d in a.get("asnsDetails") or []
                       if isinstance(d, dict)}
            for k, asn in enumerate(asns):
                if isinstance(asn, bool) or not str(asn).strip().isdigit():
                    raise ctx.fail(path, f"asns[{k}]", asn, "an AS number such as 17557")
                loc = (details.get(str(asn)) or {}).get("locations") or {}
                cc = loc.get("code") if isinstance(loc, dict) else None
                iso3 = ctx.country(cc, path, f"asnsDetails[{k}].locations.code") if cc else (
                    countries[0] if len(countries) == 1 else None)
                if iso3 is None:
                    raise ctx.fail(path, "locations", locations, "one country, or "
                                   "asnsDetails[].locations.code for each ASN")
                rows.append((path, {**common, "country": iso3, "asn": int(asn)}))
            continue
        if not countries:
            raise ctx.fail(path, "locations", locations, "at least one ISO 3166 alpha-2 code")
        region = None
        if kind == "REGIONAL":
            region = a.get("scope") if isinstance(a.get("scope"), str) else None
            if not region or not region.strip():
                raise ctx.fail(path, "scope", a.get("scope"), "the region's name (a "
                               "REGIONAL outage names where it was)")
        for iso3 in countries:
            rows.append((path, {**common, "country": iso3, "region": region}))
    return finish(rows, ctx, country)
