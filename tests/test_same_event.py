"""One event, one figure: each preset's catalogue event costs the same per-method P50 on the
Past events page (`estimate_events` + `event_totals`, variant capped), as the Estimate page's
preset (`preset_state` -> `estimate_input`), in Batch (`run_batch` on a one-row table of the
event) and in the Monitor (a timeline of the event, built as the Monitor page reads one),
with the same seed and draws.

Seeds: Past events draws every event of a country from the country's stream,
``scenario_seed(seed, iso3)`` (its ``seed`` column); Batch seeds a row by
``scenario_seed(seed, id)``, so the row's id here is the country; the Estimate page and the
Monitor take their seed as is, so they get the event's seed. Hours: where the source states
none, Past events draws them (`impact.catalogue.exposure.hours_range`) and the preset carries the same
range (`preset_state`'s ``hours_range``), as does the batch row. Where the surfaces
legitimately differ the relation is tested instead:

- Past events counts an event's hours once other reports of the same place and days are
  counted (``costed_hours``) and costs each calendar year with that year's data; a preset is
  one scenario of the event's own hours with its start year's data. Costs are linear in
  hours, so the start year's part is the preset's P50 × costed hours / preset hours, exactly.
- The Monitor's rows are clock times, so its hours are always weighted by time of day (the
  one rule, `impact.model.context.hour_weighting`); a catalogue event given by dates is not. For
  such an event the Monitor costs the impact method's P50 × the mean weight of its pieces
  and every other method exactly the same.
- The headline (`impact.estimation.ensemble`): the Monitor chooses its members by the rule of the
  Estimate page and combines their draws (`combine_draws`: the k-th smallest headline draw
  is the geometric mean of the members' k-th smallest), the Estimate page their P5, P50 and
  P95. With an odd number of draws each quantile is one draw, so the two are the same
  number: the Monitor's headline equals the Estimate preset's, × the mean weight ^ (1/k)
  when the impact method is one of its k members and the event is given by dates (the
  geometric mean of the members, one of them weighted). With an even number of draws a
  P50 interpolates between two draws and the two differ by that interpolation (1e-4 at
  200 draws).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

from app_pages.viewmodel import ESTIMATE_DEFAULTS, PRESETS, estimate_input, preset_state
from impact import estimate, parse_scenario
from impact.batch.run import run_batch
from impact.bundled.zones import country_timezone
from impact.catalogue.events import (
    STATED_START_TIMES,
    estimate_events,
    event_scenario,
    event_start,
    event_totals,
    load_events,
)
from impact.estimation.ensemble import ENSEMBLE, ensemble
from impact.model.context import hour_weighting, time_weight
from impact.model.montecarlo import scenario_seed
from impact.monitor.costing import monitor
from impact.monitor.timeline import make_timeline, parse_row
from impact.vocab import DEFAULT_SEED

DRAWS = 200
EXACT = {"rel": 1e-9, "abs": 1e-6}
#: events the Monitor is compared on: one calendar year (its timeline sums draws across years,
#: Past events adds each year's P50) and at most a year of hours (the Monitor's limit)
MONITORED = ("pak-2024-election", "bgd-2024", "irn-2019", "mmr-2021")
#: an odd number of draws: every quantile is one draw (see the module docstring)
HEADLINE_DRAWS = 201


def _event(preset) -> dict:
    return load_events().filter(pl.col("event_id") == preset.event_id).row(0, named=True)


def _p50(frame: pl.DataFrame, key: str = "method") -> dict[str, float | None]:
    return dict(zip(frame[key].to_list(), frame["loss_usd_p50"].to_list(), strict=True))


def _seed(event) -> int:
    """The event's seed on Past events: its country's stream."""
    return scenario_seed(DEFAULT_SEED, event["iso3"])


def _page(preset, event):
    """The Estimate page's scenario and figures for the preset (seeded as Past events)."""
    state, _ = preset_state(preset, event)
    scenario = parse_scenario(estimate_input(ESTIMATE_DEFAULTS | state))
    est = estimate(scenario, draws=DRAWS, seed=_seed(event))
    return scenario, _p50(est.summary)


def _past(preset):
    parts = estimate_events([preset.event_id], draws=DRAWS, seed=DEFAULT_SEED).filter(
        pl.col("variant") == "capped")
    return parts, _p50(event_totals(parts))


def _batch(preset, event, hours: float) -> dict[str, float | None]:
    """A one-row batch table of the event, written from its catalogue columns."""
    state, _ = preset_state(preset, event)
    row = {"id": event["iso3"], "country": event["iso3"],
           "start": event_start(event).isoformat(), "duration_hours": f"{hours:g}",
           "scope": event["scope"], "platforms": event["platforms"] or "",
           "affected_share": str(event["affected_share"]),
           "affected_share_low": str(event["affected_share_low"]),
           "affected_share_high": str(event["affected_share_high"])}
    if state["hours_range"] is not None:
        row["duration_hours_low"], row["duration_hours_high"] = (
            f"{h:g}" for h in state["hours_range"][1:])
    results, errors = run_batch(pl.DataFrame({k: [v] for k, v in row.items()}), draws=DRAWS,
                                seed=DEFAULT_SEED)
    assert not errors
    return _p50(results)


@pytest.mark.parametrize("preset", PRESETS, ids=[p.key for p in PRESETS])
def test_the_preset_costs_what_past_events_and_batch_cost(preset):
    event = _event(preset)
    scenario, page = _page(preset, event)
    parts, past = _past(preset)
    assert scenario.label is None and scenario.hours == min(event["duration_hours"], 8760)
    # the same rule for the hours: weighted exactly when a source states the start time
    assert hour_weighting(scenario)[0] == (preset.event_id in STATED_START_TIMES)
    assert hour_weighting(scenario) == hour_weighting(event_scenario(event))
    batch = _batch(preset, event, scenario.hours)
    assert {m: batch[m] for m in page} == pytest.approx(page, **EXACT)
    first = parts.filter(pl.col("year") == scenario.start.year)
    share = first["costed_hours"][0] / scenario.hours  # hours Past events counts in year 1
    for method, p50 in page.items():
        if p50 is None:
            assert past[method] is None
            continue
        start_year = first.filter(pl.col("method") == method)["loss_usd_p50"][0]
        if share == 1 or scenario.hours_range[0] == scenario.hours_range[1]:
            assert start_year == pytest.approx(p50 * share, **EXACT), method
        else:  # drawn hours of a part are its own range, not the event's range × share
            assert start_year == pytest.approx(p50 * share, rel=0.15), method
        if parts["year"].n_unique() == 1 and share == 1:
            assert past[method] == pytest.approx(p50, **EXACT), method


def test_one_day_one_year_events_agree_exactly_everywhere():
    """Where neither overlaps nor calendar years intervene, the figure is one figure."""
    same = [p for p in PRESETS if p.key in ("pak-2024-election", "bgd-2024", "irn-2019")]
    for preset in same:
        event = _event(preset)
        _, page = _page(preset, event)
        parts, past = _past(preset)
        assert parts["costed_hours"][0] == event["duration_hours"]
        assert past == pytest.approx(page, **EXACT)


def _timeline(event, hours: float):
    """The event as the Monitor page reads a restriction: one row, UTC start and end."""
    begins = event_start(event)
    if not isinstance(begins, datetime):
        begins = datetime.combine(begins, datetime.min.time())
    start = begins.replace(tzinfo=country_timezone(event["iso3"]))
    data = {"start_utc": start.isoformat(), "end_utc": (start + timedelta(hours=hours)).isoformat(),
            "country": event["iso3"], "scope": event["scope"],
            "platforms": event["platforms"] or None}
    if event["affected_share"] is not None and event["affected_share"] < 1:
        data["affected_share"] = event["affected_share"]
    return make_timeline([parse_row(data)])


@pytest.mark.parametrize("key", MONITORED)
def test_the_monitor_costs_the_event_with_clock_hours_weighted(key):
    preset = next(p for p in PRESETS if p.key == key)
    event = _event(preset)
    scenario, _ = _page(preset, event)
    # the Monitor's rows state their hours by the clock: the page's figures at those hours
    known = scenario.model_copy(update={"duration_hours_low": None, "duration_hours_high": None})
    page = _p50(estimate(parse_scenario(known.model_dump()), draws=DRAWS,
                         seed=_seed(event)).summary)
    result = monitor(_timeline(event, scenario.hours), draws=DRAWS,
                     seed=_seed(event))
    ours = _p50(result.so_far)
    pieces = result.hourly.select("hour_local", "minutes").iter_rows()
    weighted = sum(time_weight(t, m / 60) * m / 60 for t, m in pieces) / scenario.hours
    weighted_page = hour_weighting(scenario)[0]
    for method, p50 in page.items():
        factor = weighted if method == "impact" and not weighted_page else 1.0
        assert ours[method] == pytest.approx(p50 * factor, **EXACT), method
    if weighted_page:  # the election day: a stated start, one figure on every surface
        methods_only = {m: v for m, v in ours.items() if m != ENSEMBLE}
        assert methods_only == pytest.approx(_past(preset)[1], **EXACT)
        assert weighted == pytest.approx(time_weight(scenario.start, scenario.hours))


def test_the_election_day_is_weighted_from_the_start_the_source_states():
    stated = STATED_START_TIMES["AN-128b3eb3d9"]
    event = load_events().filter(pl.col("event_id") == "AN-128b3eb3d9").row(0, named=True)
    assert event["hours_basis"] == "times_stated"
    start = event_start(event)
    assert start == datetime(2024, 2, 8, 7, 0)
    assert "02:00" in stated.source and "https://" in stated.source
    # every stated start fits its event's stated hours within the day
    for event_id, s in STATED_START_TIMES.items():
        row = load_events().filter(pl.col("event_id") == event_id).row(0, named=True)
        assert row["hours_basis"] == "times_stated"
        assert s.local_time.hour + s.local_time.minute / 60 + row["duration_hours"] <= 24
    sc = event_scenario(event)
    assert sc.time_weighting and sc.start == start
    assert time_weight(start, 13) == pytest.approx(1.5349, abs=1e-4)  # daytime hours


def test_a_date_alone_is_not_weighted_on_any_surface():
    """The rule at the edge: a date alone turns weighting off, a date-time keeps it."""
    base = {"country": "PAK", "duration_hours": 13, "scope": "mobile"}
    by_date = parse_scenario(base | {"start": "2024-02-08"})
    at_midnight = parse_scenario(base | {"start": "2024-02-08T00:00"})
    assert not by_date.time_weighting and at_midnight.time_weighting
    assert by_date.start == at_midnight.start
    assert not hour_weighting(by_date)[0] and "without a time of day" in hour_weighting(by_date)[1]
    assert hour_weighting(at_midnight) == (True, "the start states a time of day")
    # explicitly on is still off for a date alone (nothing says when the hours fell)
    assert not parse_scenario(base | {"start": "2024-02-08", "time_weighting": True}).time_weighting
    notes = estimate(by_date, ["impact"], draws=100).notes
    assert any(n.startswith("hours not weighted by time of day") for n in notes)
    notes = estimate(at_midnight, ["impact"], draws=100).notes
    assert any(n.startswith("hours weighted by time of day") for n in notes)
    # the week limit is gone: a long stated window is weighted, whole weeks weigh exactly 1
    week = parse_scenario(base | {"start": "2024-02-05T00:00", "duration_hours": 24 * 14})
    assert hour_weighting(week)[0]
    assert time_weight(week.start, week.hours) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("key", MONITORED)
def test_the_monitor_headline_is_the_estimate_preset_headline(key):
    """The Monitor leads with the headline: the same members as the Estimate preset's, and
    the same P5, P50 and P95 where the hours are weighted alike (the documented factor
    where they are not)."""
    preset = next(p for p in PRESETS if p.key == key)
    event = _event(preset)
    state, _ = preset_state(preset, event)
    scenario = parse_scenario(estimate_input(ESTIMATE_DEFAULTS | state))
    known = scenario.model_copy(update={"duration_hours_low": None, "duration_hours_high": None})
    page = ensemble(estimate(parse_scenario(known.model_dump()), draws=HEADLINE_DRAWS,
                             seed=_seed(event)))
    result = monitor(_timeline(event, scenario.hours), draws=HEADLINE_DRAWS, seed=_seed(event))
    assert result.methods[0] == ENSEMBLE and result.so_far["method"][0] == ENSEMBLE
    assert result.headline.members == page.members and len(page.members) >= 2
    ours = result.so_far.row(0, named=True)
    assert ours["status"] == "ok" and all(m in ours["reason"] for m in page.members)
    pieces = result.hourly.select("hour_local", "minutes").iter_rows()
    weighted = sum(time_weight(t, m / 60) * m / 60 for t, m in pieces) / scenario.hours
    factor = 1.0
    if "impact" in page.members and not hour_weighting(scenario)[0]:
        factor = weighted ** (1 / len(page.members))
    for q in ("p05", "p50", "p95"):
        assert ours[f"loss_usd_{q}"] == pytest.approx(getattr(page, f"loss_usd_{q}") * factor,
                                                      **EXACT), q
    if hour_weighting(scenario)[0]:  # the election day: one figure on both pages
        assert ours["loss_usd_p50"] == pytest.approx(page.loss_usd_p50, **EXACT)
