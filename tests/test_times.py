"""One instant, one cost: times with a UTC offset are converted to the country's local wall
clock, durations are elapsed hours (daylight saving counted), a local time skipped by the
clocks is refused and a repeated one is its first occurrence (`impact.bundled.zones`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact import estimate
from impact.bundled.zones import country_timezone
from impact.errors import InputError
from impact.model.scenario import parse_scenario


def test_the_same_instant_written_three_ways_costs_the_same():
    ways = [("2024-02-08T07:00Z", "2024-02-08T09:00Z"),        # UTC
            ("2024-02-08T12:00", "2024-02-08T14:00"),          # Pakistan's wall clock
            ("2024-02-08T02:00-05:00", "2024-02-08T04:00-05:00")]  # another offset
    p50 = set()
    for start, end in ways:
        s = parse_scenario({"country": "PAK", "scope": "mobile", "start": start, "end": end})
        assert s.start == datetime(2024, 2, 8, 12) and s.hours == 2.0
        r = estimate(s, methods=["impact"], draws=500, seed=7)
        p50.add(round(r.summary["loss_usd_p50"][0], 6))
    assert len(p50) == 1


def test_daylight_saving_counts_elapsed_hours():
    # London, 31 March 2024: clocks go from 01:00 to 02:00
    s = parse_scenario({"country": "GBR", "start": "2024-03-31T00:30", "end": "2024-03-31T02:30"})
    assert s.hours == 1.0
    # 27 October 2024: 01:00-02:00 happens twice; a repeated local time is its first occurrence
    s = parse_scenario({"country": "GBR", "start": "2024-10-27T00:30", "end": "2024-10-27T02:30"})
    assert s.hours == 3.0
    with pytest.raises(InputError, match=r"start: '2024-03-31T01:30:00'.*clocks skipped it"):
        parse_scenario({"country": "GBR", "start": "2024-03-31T01:30", "end": "2024-03-31T03:00"})
    with pytest.raises(InputError, match=r"^end: .*clocks skipped it"):
        parse_scenario({"country": "GBR", "start": "2024-03-31T00:00", "end": "2024-03-31T01:15"})


def test_mixed_zones_are_refused():
    with pytest.raises(InputError, match="both start and end must have a zone"):
        parse_scenario({"country": "PAK", "start": "2024-02-08T07:00Z",
                        "end": "2024-02-08T14:00"})


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["PAK", "GBR", "USA", "IRN", "AUS", "IND"]),
       st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2025, 12, 1)),
       st.integers(min_value=1, max_value=72 * 60),
       st.integers(min_value=-11, max_value=12))
def test_an_instant_gives_one_local_start_and_one_duration(iso3, t, minutes, offset_h):
    zone = country_timezone(iso3)
    t0 = t.replace(second=0, microsecond=0, tzinfo=UTC)
    t1 = t0 + timedelta(minutes=minutes)
    other = timezone(timedelta(hours=offset_h))
    as_utc = parse_scenario({"country": iso3, "start": t0, "end": t1})
    as_other = parse_scenario({"country": iso3, "start": t0.astimezone(other),
                               "end": t1.astimezone(other)})
    assert as_utc.start == as_other.start == t0.astimezone(zone).replace(tzinfo=None)
    assert as_utc.hours == pytest.approx(minutes / 60) == as_other.hours


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31T23:59", "9999-12-31T23:59Z"])
def test_dates_at_the_calendars_ends_are_one_line(start):
    with pytest.raises(InputError, match=r"^start: .*a date from 2010-01-01 to 2100-12-31"):
        parse_scenario({"country": "PAK", "start": start, "duration_hours": 3})
