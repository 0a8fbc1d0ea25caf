"""Cost a restriction as it happens: cost so far, burn rate and projection from a timeline.

`monitor(timeline, until=...)` cuts the timeline (`impact.monitor.timeline`) at ``until`` (default:
its last moment), turns every UTC hour and kind of restriction into one scenario (the local
start of the hour from the country's time zone, the minutes restricted as its duration, the
minute-weighted intensity), and costs them all with every method in one engine pass.

Uncertainty: every piece of one timeline is costed with the same seed, so a method's draws
of different hours move together (one shutdown, one set of uncertain parameters); the cost so
far is the sum of the pieces' draws, draw by draw, and its P5–P95 are quantiles of that sum.
A one-block timeline at intensity 1 therefore costs what `impact.estimate` costs for the same
window (the time weights are additive over hours; tested).

The headline (`impact.estimation.ensemble`, docs/headline.md) is one more method, ``ensemble``, listed
first: the methods that apply, chosen by the rule of every other surface from their cost so
far (status ok, inside the method's domain for the timeline's country and scope
(`timeline_scope`), P5 > 0, within ×3 of the candidates' median P50), combined draw by draw
with `impact.estimation.ensemble.combine_draws`. Its cost so far combines the members' summed draws; its
hourly curve, burn rate and projections combine the members' draws of the same windows, so
every figure of the headline comes from the same members in the same way.

Burn rate and projection: the kinds restricted in the last hour continue at their intensity
— 1 hour and 1 day more give the cost per additional hour and day, and 1, 3, 7 and 30 days
more (or ``project``) what it will have cost. The restriction is *still on* when a row reaches
``until`` and ``until`` was given, or, with no ``until``, when the timeline's last moment is
within `LIVE_WINDOW` of the clock (a live file); the windows then start at the cut.
Otherwise it has been *lifted* and the windows start when it ended: what it would have cost
had it lasted longer. Money is USD at current prices of the year and, beside it, local
currency at the official rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from impact import __version__
from impact.bundled.countries import currency_code
from impact.bundled.io import data_version
from impact.bundled.prices import conversion
from impact.bundled.zones import country_timezone
from impact.errors import ImpactError, InputError
from impact.estimation.engine import run
from impact.estimation.ensemble import (
    ENSEMBLE,
    Ensemble,
    combine_draws,
    combine_draws_many,
    from_rows,
)
from impact.methods import get_methods
from impact.model.montecarlo import check_seed
from impact.model.scenario import Scenario, parse_scenario
from impact.monitor.timeline import (
    Piece,
    Timeline,
    hourly,
    local_naive,
    moment,
    now_utc,
    timeline_notes,
)
from impact.vocab import DEFAULT_SEED

DEFAULT_MONITOR_DRAWS = 2_000
DEFAULT_PROJECTION_DAYS = (1, 3, 7, 30)
#: with no ``until``, a timeline whose last moment is this recent is a live file [time]
LIVE_WINDOW = timedelta(hours=2)
QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class MonitorResult:
    """What `monitor` found; frames in USD (current prices) with local-currency columns."""

    timeline: Timeline
    until: datetime  #: the cut [UTC]
    zone: str  #: the country's tz database zone
    current: bool  #: a row reaches ``until`` (the restriction is still on)
    methods: tuple[str, ...]  #: `ENSEMBLE` (the headline) first, then the methods costed
    hourly: pl.DataFrame  #: per hour: restriction and cumulative P5/P50/P95 per method
    so_far: pl.DataFrame  #: per method (the headline first): cost so far
    burn: pl.DataFrame  #: per method: cost per additional hour and day
    projection: pl.DataFrame  #: per method and horizon: total if it lasts that much longer
    currency: str
    fx: float | None  #: local currency per USD (None when no official rate)
    notes: tuple[str, ...]
    draws: int
    seed: int
    data_version: str = field(default_factory=data_version)
    impact_version: str = __version__
    #: the headline's members and who is not in it and why (USD figures of the cost so far)
    headline: Ensemble | None = None


def _scenario(iso3: str, zone, piece: Piece, hours: float | None = None,
              start_utc: datetime | None = None) -> Scenario:
    start = local_naive(start_utc or piece.hour_utc, zone)
    data: dict[str, Any] = {
        "country": iso3, "start": start.isoformat(),
        "duration_hours": hours if hours is not None else piece.minutes / 60,
        "scope": piece.scope, "intensity": piece.intensity,
    }  # a timeline states clock times, so its hours are weighted (`hour_weighting`)
    if piece.platforms:
        data["platforms"] = list(piece.platforms)
    if piece.region:
        data["regions"] = piece.region.split(";")
    return parse_scenario(data)


def _quantiles(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.quantile(x, QUANTILES, axis=axis)


def timeline_scope(timeline: Timeline, pieces: Sequence[Piece]) -> str:
    """The scope the headline's domain checks use for a timeline: ``platforms`` when every
    row is a platform block, else the scope of the most restricted hours (the largest sum of
    minutes × intensity over the pieces; the first seen on a tie).

    >>> from impact.monitor.timeline import make_timeline, parse_row
    >>> rows = [parse_row({"start_utc": "2024-02-08T02:00Z", "end_utc": e, "country": "PAK",
    ...                    "scope": s, "platforms": p}) for e, s, p in (
    ...     ("2024-02-08T03:00Z", "mobile", None), ("2024-02-08T09:00Z", "platforms", "x"))]
    >>> t = make_timeline(rows)
    >>> timeline_scope(t, hourly(t)), timeline_scope(make_timeline(rows[1:]), [])
    ('platforms', 'platforms')
    """
    if all(r.scope == "platforms" for r in timeline.rows):
        return "platforms"
    weight: dict[str, float] = {}
    for p in pieces:
        weight[p.scope] = weight.get(p.scope, 0.0) + p.minutes * p.intensity
    return max(weight, key=weight.get) if weight else timeline.rows[0].scope


def _costed_methods(methods: str | Sequence[str]) -> list[str]:
    """The methods to cost for ``methods`` (names, comma-separated text or ``all``): naming
    `ENSEMBLE` costs every method, since the headline is made of the methods that apply."""
    names = ([n.strip() for n in methods.split(",")] if isinstance(methods, str)
             else list(methods) if isinstance(methods, list | tuple) else methods)
    if isinstance(names, list) and ENSEMBLE in names:
        return [m.name for m in get_methods("all")]
    try:
        return [m.name for m in get_methods(methods)]
    except InputError as err:  # the headline is a name `monitor` accepts too
        raise InputError(err.field, err.value, f"{err.accepted}; or {ENSEMBLE} for the "
                         "headline of the methods that apply") from None


def parse_horizons(text: str | Sequence[Any] | None) -> tuple[float, ...]:
    """``"1d,3d,7d"`` / ``"12h,2d"`` / ``[1, 3]`` (days) -> horizons [days]."""
    if text is None:
        return DEFAULT_PROJECTION_DAYS
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    accepted = "durations such as 1d,3d,7d or 12h (hours), up to 366 days"
    for item in items:
        raw = str(item).strip().lower()
        if not raw:
            continue
        try:
            value = float(raw[:-1]) / 24 if raw.endswith("h") else float(raw.rstrip("d"))
        except ValueError:
            raise InputError("project", item, accepted) from None
        if not 0 < value <= 366:
            raise InputError("project", item, accepted)
        out.append(value)
    if not out:
        raise InputError("project", text, accepted)
    return tuple(out)


def monitor(timeline: Timeline, *, until: datetime | str | None = None,
            methods: str | Sequence[str] = "all", draws: int = DEFAULT_MONITOR_DRAWS,
            seed: int = DEFAULT_SEED, project: str | Sequence[Any] | None = None,
            timezone: str | None = None) -> MonitorResult:
    """Cost so far, burn rate and projection of ``timeline`` at ``until`` (UTC; default the
    timeline's last moment). See the module docstring for the rules."""
    seed = check_seed(seed)
    horizons = parse_horizons(project)
    chosen = _costed_methods(methods)
    zone = country_timezone(timeline.iso3, timezone)
    said_now = isinstance(until, str) and until.strip().lower() == "now"
    if timeline.ongoing and (until is None or said_now):
        until = timeline.report.until  # the moment its rows still on were costed to
    cut = moment(until, "until") if until is not None else timeline.end
    if cut <= timeline.start:
        raise InputError("until", cut.isoformat(), f"a moment after the timeline starts "
                         f"({timeline.start.isoformat()})")
    pieces = hourly(timeline, cut)
    if not pieces:
        raise InputError("timeline", timeline.name, "rows with a restriction before until")
    reaches = any(r.start_utc < cut <= r.end_utc for r in timeline.rows)
    live = until is not None or (now_utc() - cut) <= LIVE_WINDOW
    current = reaches and live
    last_hour = max(p.hour_utc for p in pieces)
    last_pieces = [p for p in pieces if p.hour_utc == last_hour]
    # forward windows continue the last hour's restriction: from the cut while it is on,
    # from when it ended once lifted ("had it lasted longer")
    resume = cut if current else min(cut, max(r.end_utc for r in timeline.rows))
    scenarios = [_scenario(timeline.iso3, zone, p) for p in pieces]
    extra: list[tuple[str, float]] = []  # (label, hours) of each forward window
    for label, hours in [("hour", 1.0), ("day", 24.0)] + [
            (f"{d:g}d", d * 24.0) for d in horizons]:
        for p in last_pieces:
            scenarios.append(_scenario(timeline.iso3, zone, p, hours=hours,
                                       start_utc=resume))
            extra.append((label, hours))
    result = run(scenarios, chosen, draws=draws, seeds=[seed] * len(scenarios),
                 keep_samples=True, details=False)
    n = len(pieces)
    year = pieces[0].hour_utc.astimezone(zone).year
    fx, currency, fx_notes = _local_rate(timeline.iso3, year)
    notes = tuple(dict.fromkeys(x for i in range(len(scenarios)) for x in result.notes[i]))
    notes += tuple(fx_notes) + timeline_notes(timeline)
    summary = result.summary
    stacks: dict[str, np.ndarray] = {}  # method -> (pieces, draws) [USD]
    totals: dict[str, np.ndarray | None] = {}  # method -> cost so far, draws [USD]
    forwards: dict[str, dict[str, np.ndarray]] = {}  # method -> window label -> draws [USD]
    rows_so_far = []
    for m in chosen:
        status, reason = _status(summary, m, n)
        per_piece = [result.samples.get((i, m)) for i in range(n)]
        if status == "ok" and all(s is not None for s in per_piece):
            stacks[m] = np.vstack(per_piece)
            totals[m] = stacks[m].sum(axis=0)
            forward: dict[str, np.ndarray] = {}
            for j, (label, _hours) in enumerate(extra):
                drawn = result.samples.get((n + j, m))
                if drawn is not None:
                    forward[label] = forward.get(label, 0) + drawn
            forwards[m] = forward
        rows_so_far.append({"method": m, "status": status, "reason": reason,
                            **_q_row(totals.get(m))})
    domain_scope = timeline_scope(timeline, pieces)
    head = from_rows(rows_so_far, timeline.iso3, domain_scope, 1.0, "USD")
    members = [m for m in head.members if m in stacks]
    totals[ENSEMBLE] = (combine_draws(np.vstack([totals[m] for m in members]))
                        if members else None)
    rows_so_far.insert(0, {"method": ENSEMBLE, "status": "ok" if members else
                           "not_applicable", "reason": headline_reason(head, domain_scope),
                           **_q_row(totals[ENSEMBLE])})
    if members:
        forwards[ENSEMBLE] = {
            label: combine_draws(np.vstack([forwards[m][label] for m in members]))
            for label, _hours in extra if all(label in forwards[m] for m in members)}
    rows_burn, rows_proj = [], []
    for m in (ENSEMBLE, *chosen):
        total, ahead = totals.get(m), forwards.get(m, {})
        for label, key in (("per_hour", "hour"), ("per_day", "day")):
            rows_burn.append({"method": m, "rate": label, **_q_row(
                ahead.get(key) if total is not None else None)})
        for d in horizons:
            label = f"{d:g}d"
            if total is None:
                after = None
            elif m == ENSEMBLE:  # the members' own totals, combined: as for the cost so far
                after = combine_draws(np.vstack([
                    totals[k] + forwards[k].get(label, 0.0) for k in members]))
            else:
                after = total + ahead.get(label, 0.0)
            rows_proj.append({"method": m, "more_days": float(d), **_q_row(after)})
    money = ["loss_usd_p05", "loss_usd_p50", "loss_usd_p95"]
    so_far = _with_local(pl.DataFrame(rows_so_far, schema=_schema(
        ["method", "status", "reason"], money)), fx)
    burn = _with_local(pl.DataFrame(rows_burn, schema=_schema(["method", "rate"], money)), fx)
    projection = _with_local(pl.DataFrame(rows_proj, schema=_schema(
        ["method"], money, floats=("more_days",))), fx)
    return MonitorResult(
        timeline=timeline, until=cut, zone=zone.key, current=current,
        methods=(ENSEMBLE, *chosen),
        hourly=_hourly_frame(pieces, zone, stacks, members), so_far=so_far, burn=burn,
        projection=projection, currency=currency, fx=fx, notes=notes, draws=draws, seed=seed,
        headline=head)


def headline_reason(head: Ensemble, scope: str) -> str:
    """The ``reason`` cell of the headline's row: its members, how they are combined, the
    scope of the domain checks, and who is not in it and why."""
    left = "; ".join(f"{m} not in it: {why}" for m, why in head.excluded.items())
    if head.members:
        text = (f"headline of {', '.join(head.members)}: their draws combined quantile by "
                f"quantile (geometric means, equal weights; domains checked for {scope})")
    else:
        text = ("no method applies inside its domain with a range of a loss (domains "
                f"checked for {scope})")
    return text + (f"; {left}" if left else "")


def _q_row(draws: np.ndarray | None) -> dict[str, float | None]:
    """P5/P50/P95 of ``draws`` [USD] as ``loss_usd_*`` (None without draws)."""
    q = (None, None, None) if draws is None else _quantiles(draws)
    return {f"loss_usd_{k}": _f(v) for k, v in zip(("p05", "p50", "p95"), q, strict=True)}


def _f(x) -> float | None:
    return None if x is None else float(x)


def _schema(text: Sequence[str], money: Sequence[str], floats: Sequence[str] = ()
            ) -> dict[str, pl.DataType]:
    out: dict[str, pl.DataType] = {c: pl.String for c in text}
    out |= {c: pl.Float64 for c in floats}
    out |= {c: pl.Float64 for c in money}
    return out


def _status(summary: pl.DataFrame, method: str, n: int) -> tuple[str, str | None]:
    rows = summary.filter((pl.col("method") == method) & (pl.col("index") < n))
    statuses = rows["status"].to_list()
    if statuses and all(s == "ok" for s in statuses):
        return "ok", None
    bad = rows.filter(pl.col("status") != "ok")
    return (bad["status"][0] if bad.height else "unavailable",
            bad["reason"][0] if bad.height else "no piece costed")


def _local_rate(iso3: str, year: int) -> tuple[float | None, str, list[str]]:
    code = currency_code(iso3)
    try:
        conv = conversion(iso3, year, "local", "current", None, code)
        return conv.factor, code, list(conv.notes)
    except ImpactError as exc:
        return None, code, [f"no official exchange rate: {exc}"]


def _with_local(frame: pl.DataFrame, fx: float | None) -> pl.DataFrame:
    factor = pl.lit(fx, dtype=pl.Float64)
    return frame.with_columns([(pl.col(f"loss_usd_{q}") * factor).alias(f"loss_local_{q}")
                               for q in ("p05", "p50", "p95")])


def _hourly_frame(pieces: list[Piece], zone, curve: dict[str, np.ndarray],
                  members: Sequence[str] = ()) -> pl.DataFrame:
    """Per piece in time order: the hour (UTC and local), kind, minutes, intensity, and for
    the headline (of ``members``, when there are any) and each costed method the cumulative
    P5/P50/P95 [USD] up to the end of that hour."""
    base: dict[str, list] = {
        "hour_utc": [p.hour_utc for p in pieces],
        "hour_local": [local_naive(p.hour_utc, zone) for p in pieces],
        "scope": [p.scope for p in pieces],
        "platforms": [";".join(p.platforms) for p in pieces],
        "region": [p.region for p in pieces],
        "minutes": [p.minutes for p in pieces],
        "intensity": [p.intensity for p in pieces],
    }
    quantiles = {ENSEMBLE: _headline_curve([curve[m] for m in members])} if members else {}
    quantiles |= {m: _quantiles(np.cumsum(stack, axis=0), axis=1) for m, stack in curve.items()}
    for m, q in quantiles.items():
        for k, name in enumerate(("p05", "p50", "p95")):
            base[f"{m}_cum_usd_{name}"] = q[k].tolist()
    frame = pl.DataFrame(base).with_columns(
        pl.col("hour_utc").cast(pl.Datetime("us", "UTC")))
    return frame


def _headline_curve(stacks: Sequence[np.ndarray], block: int = 256) -> np.ndarray:
    """(3, pieces) cumulative P5/P50/P95 [USD] of the headline: at every piece, the members'
    cumulative draws combined (`combine_draws`), ``block`` pieces at a time to bound memory.
    ``stacks`` are the members' (pieces, draws) draws [USD]."""
    n = stacks[0].shape[0]
    running = np.zeros((len(stacks), stacks[0].shape[1]))
    out = np.empty((3, n))
    for start in range(0, n, block):
        part = np.stack([r + np.cumsum(s[start:start + block], axis=0)
                         for r, s in zip(running, stacks, strict=True)], axis=1)
        mask = np.ones(part.shape[:2], dtype=bool)
        out[:, start:start + part.shape[0]] = _quantiles(combine_draws_many(part, mask), axis=1)
        running = part[-1]
    return out


def lifted_at(timeline: Timeline, until: datetime) -> datetime | None:
    """When the restriction ended: the end of the last row that started before ``until``,
    at the latest ``until`` (an old file whose last row ends at the cut ended then)."""
    ends = [min(r.end_utc, until) for r in timeline.rows if r.start_utc < until]
    return max(ends) if ends else None
