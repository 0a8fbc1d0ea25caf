"""Cloudflare Radar outage annotations (``/radar/annotations/outages``) and traffic anomalies
(``/radar/traffic_anomalies``) as a timeline.

Outage annotations, ``result.annotations[]``: ``id``, ``startDate``, ``endDate`` (null or
absent while ongoing), ``locations`` (ISO2 codes; ``locationsDetails[].code`` when it is
missing), ``asns``, ``asnsDetails[]`` (``asn``, ``name`` and the network's country as
``location`` or ``locations``: ``{code, name}``), ``outage.outageType``,
``outage.outageCause``, ``scope`` (free text: where a regional outage was, or null).

Traffic anomalies, ``result.trafficAnomalies[]``: ``uuid``, ``startDate``, ``endDate``,
``status`` (VERIFIED / UNVERIFIED), ``type`` (LOCATION / AS), ``locationDetails {code}``,
``asnDetails {asn, location(s) {code}}``. They carry no cause.

Rule (`docs/monitor_formats.md`):

- **Causes.** Only restrictions are costed by default: causes a government ordered
  (``GOVERNMENT_DIRECTED``, shutdown-like causes, `is_restriction`). Power outages, cable
  cuts, weather, technical problems, maintenance, military action … are outages but not
  restrictions: they are skipped with a note counting them; ``causes=`` takes a comma-
  separated list (``power_outage,weather``; ``restrictions`` for the default set) or
  ``all``. Traffic anomalies have no cause (``traffic_anomaly``): ``causes=all`` or
  ``causes=traffic_anomaly`` costs the verified ones.
- **Intensity 1** (``intensity=`` overrides): Radar lists outages its analysts verified,
  with no magnitude, and they are mostly full losses of traffic.
- **Where.** ``NATIONWIDE`` → the country, no region; ``REGIONAL`` → region = ``scope`` when
  it names a known admin-1 region, else (null or vague scope such as "Multiple regions")
  the whole country at the catalogue's share for such an area (`vague_share`), not all of it,
  with a note; ``NETWORK`` → one row per ASN in the
  network's own country (``asnsDetails``) or the annotation's only country.
- **Ongoing.** No ``endDate``: the row has no end and `finish` costs it to ``until=``
  (ISO, epoch or ``now``) as ongoing.

Each record is read on its own: a bad one is refused and reported, never costs the others.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from impact.bundled.areas import GEO_SCOPE_SHARES
from impact.errors import InputError, TimelineError
from impact.monitor.importers._common import (
    Ctx,
    Source,
    _iso3_or_none,
    check_options,
    finish,
    iso,
    load_text,
    parse_json,
    wanted_country,
)
from impact.monitor.timeline import Timeline, _admin1

FORMAT = "cloudflare_radar"
DOC_URL = "https://developers.cloudflare.com/api/resources/radar/subresources/annotations/"
OUTAGE_TYPES = ("NATIONWIDE", "REGIONAL", "NETWORK")
ANOMALY_TYPES = ("LOCATION", "AS")
OPTIONS = ("intensity", "causes")
#: the cause given to traffic anomalies, which carry none
ANOMALY_CAUSE = "TRAFFIC_ANOMALY"
#: causes a government ordered: restrictions, costed by default
RESTRICTION_CAUSES = ("GOVERNMENT_DIRECTED", "GOVERNMENT", "SHUTDOWN", "STATE_DIRECTED")
#: outageCause values Radar uses (causes= accepts these and any cause found in the file)
KNOWN_CAUSES = (*RESTRICTION_CAUSES, "POWER_OUTAGE", "CABLE_CUT", "WEATHER",
                "NATURAL_DISASTER", "EARTHQUAKE", "FIRE", "TECHNICAL_PROBLEM", "MAINTENANCE",
                "MILITARY_ACTION", "CYBERATTACK", "CYBER_ATTACK", "UNKNOWN", ANOMALY_CAUSE)


def cause_key(text: Any) -> str:
    """``"Power outage"`` / ``"power-outage"`` → ``POWER_OUTAGE`` (missing → ``UNKNOWN``).

    Examples
    --------
    >>> cause_key("Government directed")
    'GOVERNMENT_DIRECTED'
    """
    key = re.sub(r"[^A-Z0-9]+", "_", str(text or "").upper()).strip("_")
    return key or "UNKNOWN"


def cause_label(key: str) -> str:
    """``POWER_OUTAGE`` → ``power outage``."""
    return key.lower().replace("_", " ")


def is_restriction(key: str) -> bool:
    """A cause a government ordered (a shutdown), costed by default.

    Examples
    --------
    >>> is_restriction("GOVERNMENT_DIRECTED"), is_restriction("POWER_OUTAGE")
    (True, False)
    """
    return key in RESTRICTION_CAUSES or "GOVERNMENT" in key or "SHUTDOWN" in key


@dataclass(frozen=True)
class Causes:
    """Which causes are costed: every one, the restrictions, and/or the ones named."""

    every: bool = False
    restrictions: bool = True
    named: frozenset[str] = frozenset()

    def wants(self, key: str) -> bool:
        return self.every or key in self.named or (self.restrictions and is_restriction(key))


def parse_causes(value: Any) -> Causes:
    """``causes=`` as a `Causes`: None → restrictions only; ``all``; or a comma-separated
    list (or a list) of causes, ``restrictions`` naming the default set."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Causes()
    parts = value.split(",") if isinstance(value, str) else list(value)
    keys = {cause_key(p) for p in parts if str(p).strip()}
    if "ALL" in keys:
        return Causes(every=True)
    return Causes(restrictions="RESTRICTIONS" in keys,
                  named=frozenset(keys - {"RESTRICTIONS"}))


def _records(doc: Any) -> tuple[list | None, str]:
    """(records, JSON path of the list): annotations or traffic anomalies."""
    if not isinstance(doc, dict):
        return None, ""
    result = doc.get("result")
    for key in ("annotations", "trafficAnomalies"):
        if isinstance(result, dict) and key in result:
            return result[key], f"result.{key}"
        if key in doc:
            return doc[key], key
    return None, ""


def looks_like(doc: Any) -> bool:
    return isinstance(_records(doc)[0], list)


def _code(detail: Any) -> str | None:
    """The ISO2 ``code`` of a ``{code, name}`` object, or of the first of a list of them."""
    if isinstance(detail, list):
        detail = next((d for d in detail if isinstance(d, dict)), None)
    code = detail.get("code") if isinstance(detail, dict) else None
    return code if isinstance(code, str) and code.strip() else None


def _asn_country(detail: dict) -> str | None:
    """ISO2 of a network from ``asnsDetails[]``: ``location`` (real answers) or ``locations``
    (the generated API types)."""
    return _code(detail.get("location")) or _code(detail.get("locations"))


def _countries(a: dict, path: str, ctx: Ctx, required: bool) -> list[str]:
    """ISO3 codes of ``locations`` (ISO2 strings or ``{code}`` objects), else of
    ``locationsDetails[].code``."""
    field = "locations" if a.get("locations") not in (None, []) else "locationsDetails"
    items = ctx.need(a, field, path, list, "a list of ISO 3166 alpha-2 codes",
                     required=False) or []
    if not items and required:
        raise ctx.fail(path, "locations", a.get("locations"),
                       "at least one ISO 3166 alpha-2 code")
    codes = [_code(x) if isinstance(x, dict) else x for x in items]
    return [ctx.country(c, path, f"{field}[{k}]") for k, c in enumerate(codes)]


def _span(rec: dict, path: str, ctx: Ctx) -> tuple[str, str | None]:
    """(start, end) as ISO UTC; end None while the record is ongoing."""
    ctx.need(rec, "startDate", path, str, "an ISO date-time")
    start = ctx.time(rec["startDate"], path, "startDate")
    if rec.get("endDate") in (None, ""):
        return iso(start), None
    end = ctx.time(ctx.need(rec, "endDate", path, str, "an ISO date-time"), path, "endDate")
    if end <= start:
        raise ctx.fail(path, "endDate", rec["endDate"],
                       f"a date-time after startDate ({rec['startDate']})")
    return iso(start), iso(end)


def _asn(value: Any, path: str, field: str, ctx: Ctx) -> int:
    text = str(value).strip().upper().removeprefix("AS")
    if isinstance(value, bool) or not text.isdigit():
        raise ctx.fail(path, field, value, "an AS number such as 17557")
    return int(text)


def _region(countries: Iterable[str], scope: Any) -> tuple[str | None, bool]:
    """(region, vague): the ``scope`` text (or what follows its last " in ", as in "Multiple
    cities in Sindh") when it names a known admin-1 region of every country, else (None,
    True): costed as nationwide."""
    if not isinstance(scope, str) or not scope.strip():
        return None, True
    for text in dict.fromkeys([scope.strip(), scope.rpartition(" in ")[2].strip()]):
        try:
            for iso3 in countries:
                _admin1(iso3, text)
        except InputError:
            continue
        return text, False
    return None, True


def annotation_rows(a: Any, path: str, ctx: Ctx, intensity: float,
                    country: str | None) -> tuple[list[dict], bool]:
    """(rows, vague) of one outage annotation; ``vague`` when a REGIONAL one names no known
    region and is costed as nationwide."""
    outage = ctx.need(a, "outage", path, dict, "an object with outageType and outageCause")
    start, end = _span(a, path, ctx)
    kind = ctx.need(outage, "outageType", f"{path}.outage", str, ", ".join(OUTAGE_TYPES))
    if kind.strip().upper() not in OUTAGE_TYPES:
        raise ctx.fail(f"{path}.outage", "outageType", kind, ", ".join(OUTAGE_TYPES))
    kind = kind.strip().upper()
    cause = outage.get("outageCause")
    src = f"Cloudflare Radar {a.get('id', path)}" + (f" ({cause})" if cause else "")
    common = {"start_utc": start, "end_utc": end, "scope": "full", "intensity": intensity,
              "source": src}
    countries = _countries(a, path, ctx, required=kind != "NETWORK")
    if kind == "NETWORK":
        return _network_rows(a, path, ctx, common, countries, country), False
    region, vague = (None, False) if kind == "NATIONWIDE" else _region(countries, a.get("scope"))
    share = vague_share(a.get("scope")).share if vague else None
    return [{**common, "country": c, "region": region, "affected_share": share}
            for c in countries], vague


def vague_share(scope: Any):
    """The catalogue's share of the country for an area it cannot place
    (`impact.bundled.areas.GEO_SCOPE_SHARES`), by the words of a REGIONAL annotation's
    ``scope``: "cities in …" one region's cities, "regions" several regions, a city, else
    unknown.

    >>> vague_share("Multiple cities in Florida").share, vague_share("Multiple regions").share
    (0.015, 0.12)
    """
    text = scope.lower() if isinstance(scope, str) else ""
    if "cities in" in text or "city in" in text:
        return GEO_SCOPE_SHARES["cities_one_region"]
    if "region" in text or "province" in text or "state" in text:
        return GEO_SCOPE_SHARES["several_regions"]
    if "city" in text or "cities" in text:
        return GEO_SCOPE_SHARES["one_city"]
    return GEO_SCOPE_SHARES["unknown"]


def _network_rows(a: dict, path: str, ctx: Ctx, common: dict, countries: list[str],
                  country: str | None) -> list[dict]:
    """One row per ASN of a NETWORK outage, in the network's country."""
    details = [d for d in ctx.need(a, "asnsDetails", path, list, "a list of {asn, name, "
                                   "location}", required=False) or [] if isinstance(d, dict)]
    asns = ctx.need(a, "asns", path, list, "a list of AS numbers", required=False) or [
        d.get("asn") for d in details]
    if not asns:
        raise ctx.fail(path, "asns", a.get("asns"), "at least one AS number for a NETWORK "
                       "outage (asns or asnsDetails[].asn)")
    by_asn = {str(d.get("asn")).strip().upper().removeprefix("AS"): (j, d)
              for j, d in enumerate(details)}
    fallback = countries[0] if len(countries) == 1 else country
    rows = []
    for k, value in enumerate(asns):
        asn = _asn(value, path, f"asns[{k}]", ctx)
        j, detail = by_asn.get(str(asn), (k, {}))
        cc = _asn_country(detail)
        iso3 = ctx.country(cc, path, f"asnsDetails[{j}].location.code") if cc else fallback
        if iso3 is None:
            raise ctx.fail(path, "locations", a.get("locations"), "one country, or "
                           "asnsDetails[].location.code for each ASN (or give country=)")
        rows.append({**common, "country": iso3, "asn": asn})
    return rows


def anomaly_rows(t: Any, path: str, ctx: Ctx, intensity: float,
                 country: str | None) -> list[dict]:
    """Rows of one verified traffic anomaly: a country (LOCATION) or a network (AS)."""
    kind = ctx.need(t, "type", path, str, ", ".join(ANOMALY_TYPES)).strip().upper()
    start, end = _span(t, path, ctx)
    common = {"start_utc": start, "end_utc": end, "scope": "full", "intensity": intensity,
              "source": f"Cloudflare Radar anomaly {t.get('uuid', path)}"}
    if kind == "LOCATION":
        detail = ctx.need(t, "locationDetails", path, dict, "an object with code (ISO2)")
        code = _code(detail)
        return [{**common, "country": ctx.country(code, path, "locationDetails.code")}]
    if kind == "AS":
        detail = ctx.need(t, "asnDetails", path, dict, "an object with asn and location")
        asn = _asn(detail.get("asn"), path, "asnDetails.asn", ctx)
        cc = _asn_country(detail)
        iso3 = ctx.country(cc, path, "asnDetails.location.code") if cc else country
        if iso3 is None:
            raise ctx.fail(path, "asnDetails", detail, "asnDetails.location.code (the "
                           "network's country), or give country=")
        return [{**common, "country": iso3, "asn": asn}]
    raise ctx.fail(path, "type", t["type"], ", ".join(ANOMALY_TYPES))


def _concerns(rec: Any, want: str | None) -> bool:
    """Whether a record may be of country ``want`` (for notes and counts only; `finish`
    keeps the country's rows): its locations or its networks' countries, or none given."""
    if want is None or not isinstance(rec, dict):
        return True
    locs = rec.get("locations") or rec.get("locationsDetails")
    codes = [_code(x) if isinstance(x, dict) else x for x in locs] if isinstance(
        locs, list) else []
    details = rec.get("asnsDetails") if isinstance(rec.get("asnsDetails"), list) else []
    codes += [_asn_country(d) for d in details if isinstance(d, dict)]
    codes += [_code(rec.get("locationDetails"))]
    if isinstance(rec.get("asnDetails"), dict):
        codes.append(_asn_country(rec["asnDetails"]))
    found = {_iso3_or_none(c) for c in codes if c}
    return not found or want in found


def _intensity(value: Any) -> float:
    try:
        share = float(value)
    except (TypeError, ValueError):
        share = -1.0
    if not 0 <= share <= 1:
        raise TimelineError("intensity", value, "a share between 0 and 1 (1 = service "
                            "fully lost)")
    return share


def _cause_of(rec: Any, anomalies: bool) -> str:
    if anomalies:
        return ANOMALY_CAUSE
    outage = rec.get("outage") if isinstance(rec, dict) else None
    return cause_key(outage.get("outageCause") if isinstance(outage, dict) else None)


def _counted(counts: Counter) -> str:
    return ", ".join(f"{cause_label(k)} ({n})" for k, n in counts.most_common())


def _check_named(causes: Causes, found: Iterable[str]) -> None:
    unknown = sorted(causes.named - set(KNOWN_CAUSES) - set(found))
    if unknown:
        raise TimelineError("causes", cause_label(unknown[0]), "all, restrictions, or "
                            "causes such as government_directed, power_outage, cable_cut, "
                            "weather, technical_problem, maintenance, military_action, "
                            "traffic_anomaly (comma separated)")


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """Rows of a Radar outage-annotations or traffic-anomalies file (module docstring for
    the rule)."""
    check_options(options, OPTIONS, FORMAT)
    intensity = _intensity(options.get("intensity", 1.0))
    causes = parse_causes(options.get("causes"))
    text, label = load_text(source, name)
    ctx = Ctx(label)
    doc = parse_json(text, label)
    items, base = _records(doc)
    if not isinstance(items, list):
        raise TimelineError(base or "result.annotations", type(items).__name__,
                            "a list of outage annotations or traffic anomalies", where=label)
    anomalies = base.endswith("trafficAnomalies")
    found = [_cause_of(r, anomalies) for r in items]
    _check_named(causes, found)
    want = wanted_country(country)
    rows: list[tuple[str, dict]] = []
    skipped: Counter = Counter()
    vague: list[str] = []
    unverified = 0
    for i, (rec, cause) in enumerate(zip(items, found, strict=True)):
        path = f"{base}[{i}]"
        mine = _concerns(rec, want)
        if not causes.wants(cause):
            skipped[cause] += mine
            ctx.records += 1
            continue
        if anomalies and isinstance(rec, dict) and str(rec.get("status", "VERIFIED")).upper() \
                != "VERIFIED":
            unverified += mine
            ctx.records += 1
            continue
        with ctx.record(path, rows):
            if anomalies:
                got = anomaly_rows(rec, path, ctx, intensity, country)
            else:
                got, is_vague = annotation_rows(rec, path, ctx, intensity, country)
                if is_vague and mine:
                    vague.append(repr(rec.get("scope")) if rec.get("scope") else "none")
            rows.extend((path, r) for r in got)
    skipped = +skipped  # drop the causes of other countries only
    _notes(ctx, skipped, vague, unverified)
    if not rows and skipped and not ctx.refused:
        raise _only_other_causes(skipped, label)
    return finish(rows, ctx, country, options.get("until"))


def _only_other_causes(skipped: Counter, label: str) -> TimelineError:
    """The one-line error of a file whose records all have causes not asked for."""
    named = ",".join(k.lower() for k in skipped)
    if set(skipped) == {ANOMALY_CAUSE}:
        return TimelineError("cause", _counted(skipped), "a restriction to cost by default; "
                             "traffic anomalies carry no cause: give causes=all (--causes "
                             "all) or causes=traffic_anomaly to cost them", where=label)
    return TimelineError("outageCause", _counted(skipped), "a restriction (government "
                         "directed) to cost by default; these are other outages: give "
                         f"causes=all (--causes all), or causes={named}, to cost them",
                         where=label)


def _notes(ctx: Ctx, skipped: Counter, vague: list[str], unverified: int) -> None:
    n = sum(skipped.values())
    if n:
        ctx.note(f"{n} outage{'s' if n > 1 else ''} with other causes skipped: "
                 f"{_counted(skipped)}; give causes=all (--causes all) to cost them")
    if vague:
        scopes = ", ".join(dict.fromkeys(vague))
        ctx.note(f"{len(vague)} REGIONAL outage{'s' if len(vague) > 1 else ''} naming no "
                 f"admin-1 region we know (scope {scopes}): costed on the whole country at "
                 "the catalogue's share for such an area (several cities of one region 1.5 %, "
                 "several regions 12 %, one city 0.5 %, unknown 10 %)")
    if unverified:
        ctx.note(f"{unverified} unverified traffic anomal{'ies' if unverified > 1 else 'y'} "
                 "skipped (status not VERIFIED)")
