"""Scenario validation at the edge: one `InputError` per bad input, naming the field, echoing
the value and saying what is accepted; round-trips; immutability; the committed JSON Schema."""

from __future__ import annotations

import json
from datetime import datetime

import pydantic
import pytest

from impact import InputError, Scenario, parse_scenario, with_changes
from impact.model.schema import SCHEMA_PATH, scenario_json_schema

BASE = {"country": "PAK", "duration_hours": 10}


def _error(data) -> InputError:
    with pytest.raises(InputError) as info:
        parse_scenario(data)
    err = info.value
    message = str(err)
    assert "\n" not in message, "InputError must be one line"
    assert message.startswith(f"{err.field}: ")
    assert isinstance(err, ValueError)
    return err


def _check(err: InputError, field: str, echoed: str, *accepted: str) -> None:
    message = str(err)
    assert err.field == field, message
    assert echoed in message, message
    for fragment in accepted:
        assert fragment in message, (fragment, message)


# ---- country -------------------------------------------------------------------------------
def test_unknown_country_suggests_closest():
    err = _error({**BASE, "country": "Pakistn"})
    # "did you mean Pakistan (PAK)" also checks that the closest match comes first
    _check(err, "country", "'Pakistn'", "did you mean Pakistan (PAK)", "ISO 3166 alpha-3")


def test_blank_country_is_rejected():
    err = _error({"country": "   ", "duration_hours": 10})
    _check(err, "country", "'   '", "ISO 3166 alpha-3")


@pytest.mark.parametrize("text", ["pakistan", "PAK", "Pakistan", "PAKISTAN", "pak", "PK"])
def test_country_names_resolve_case_insensitively(text):
    assert parse_scenario({**BASE, "country": text}).country == "PAK"


# ---- duration and dates --------------------------------------------------------------------
@pytest.mark.parametrize("hours,echo,fragment", [
    (-1, "-1", "greater than 0"),
    (0, "0", "greater than 0"),
    (20 * 8760 + 1, "175201", "less than or equal to 175200"),
    (1e9, "1000000000", "less than or equal to 175200"),
])
def test_bad_duration(hours, echo, fragment):
    err = _error({**BASE, "duration_hours": hours})
    _check(err, "duration_hours", echo, fragment, "a number of hours > 0 and <= 175200",
           "20 years")


def test_nan_duration_is_rejected():
    err = _error({**BASE, "duration_hours": float("nan")})
    _check(err, "duration_hours", "nan", "a number of hours > 0")


def test_twenty_years_is_accepted():
    assert parse_scenario({**BASE, "duration_hours": 20 * 8760}).hours == 175200


def test_missing_duration_and_dates():
    err = _error({"country": "PAK"})
    _check(err, "duration_hours", "None", "start and end")


def test_end_before_start():
    err = _error({"country": "PAK", "start": "2024-02-08T19:00", "end": "2024-02-08T07:00"})
    _check(err, "end", "2024-02-08T07:00", "after start", "2024-02-08T19:00")


def test_end_equal_to_start():
    err = _error({"country": "PAK", "start": "2024-02-08T07:00", "end": "2024-02-08T07:00"})
    _check(err, "end", "2024-02-08T07:00", "after start")


def test_end_without_start():
    err = _error({"country": "PAK", "end": "2024-02-08T07:00"})
    _check(err, "start", "None", "whenever end is given")


def test_span_longer_than_twenty_years():
    err = _error({"country": "PAK", "start": "2010-01-01T00:00", "end": "2031-01-01T00:00"})
    _check(err, "end", "2031-01-01", "20 years")


def test_duration_disagreeing_with_dates():
    err = _error({"country": "PAK", "start": "2024-02-08T07:00", "end": "2024-02-08T17:00",
                  "duration_hours": 12})
    _check(err, "duration_hours", "12", "give 10")


def test_year_mismatch_with_start():
    err = _error({"country": "PAK", "start": "2024-02-08T07:00", "end": "2024-02-08T17:00",
                  "year": 2023})
    _check(err, "year", "2023", "2024", "year of start")


def test_unparseable_start():
    err = _error({"country": "PAK", "start": "8 Feb, morning", "end": "2024-02-08T17:00"})
    _check(err, "start", "8 Feb, morning", "ISO date-time")


# ---- shares and users -----------------------------------------------------------------------
@pytest.mark.parametrize("field", ["affected_share", "intensity", "circumvention", "recovery"])
@pytest.mark.parametrize("value,fragment", [(1.5, "less than or equal to 1"),
                                            (-0.1, "greater than or equal to 0")])
def test_share_outside_unit_interval(field, value, fragment):
    err = _error({**BASE, field: value})
    _check(err, field, repr(value), fragment, "a share between 0 and 1")


def test_affected_users_above_internet_users():
    err = _error({**BASE, "year": 2024, "affected_users": 10**10})
    _check(err, "affected_users", "10000000000", "at most the internet users of PAK in 2024")


def test_negative_affected_users():
    err = _error({**BASE, "affected_users": -5})
    _check(err, "affected_users", "-5", "greater than or equal to 0", "whole number")


def test_both_affected_share_and_users():
    err = _error({**BASE, "affected_share": 0.5, "affected_users": 1000})
    _check(err, "affected_users", "1000", "either affected_share or affected_users, not both")


# ---- scope and platforms --------------------------------------------------------------------
def test_unknown_platform():
    err = _error({**BASE, "scope": "platforms", "platforms": "whatsapp;myspace"})
    _check(err, "platforms", "'myspace'", "one or more of x, facebook", "twitter is accepted")


def test_platform_scope_without_platforms():
    err = _error({**BASE, "scope": "platforms"})
    _check(err, "platforms", "''", "at least one platform when scope is platforms", "whatsapp")


@pytest.mark.parametrize("scope", ["full", "mobile", "throttling"])
def test_platforms_with_another_scope(scope):
    err = _error({**BASE, "scope": scope, "platforms": "x"})
    _check(err, "platforms", "'x'", "no platforms unless scope is platforms")


def test_unknown_scope():
    err = _error({**BASE, "scope": "regional"})
    _check(err, "scope", "'regional'", "full, mobile, platforms, throttling")


def test_platform_aliases_and_separators():
    s = parse_scenario({**BASE, "scope": "platforms", "platforms": "Twitter, WA;x;youtube"})
    assert s.platforms == ("x", "whatsapp", "youtube")


# ---- other fields ---------------------------------------------------------------------------
def test_extra_unknown_field():
    err = _error({**BASE, "colour": "red"})
    _check(err, "colour", "'red'", "unknown field", "accepted fields are country")


def test_price_year_without_constant_basis():
    err = _error({**BASE, "price_year": 2015})
    _check(err, "price_year", "2015", "price_basis is constant")


def test_unknown_currency():
    err = _error({**BASE, "currency": "EUR"})
    _check(err, "currency", "'EUR'", "USD or local")


def test_blank_values_mean_default():
    s = parse_scenario({**BASE, "affected_share": "", "label": None, "scope": ""})
    assert s.affected_share is None and s.scope == "full" and s.label is None


def test_with_changes_validates():
    s = parse_scenario(BASE)
    assert with_changes(s, affected_share=0.5).affected_share == 0.5
    with pytest.raises(InputError) as info:
        with_changes(s, affected_share=2)
    assert info.value.field == "affected_share"


# ---- round trip, immutability, properties ---------------------------------------------------
SCENARIOS = [
    BASE,
    {"country": "Pakistan", "start": "2024-02-08T07:00", "end": "2024-02-08T17:00",
     "scope": "mobile", "affected_share": 0.9, "label": "election day"},
    {"country": "nigeria", "duration_hours": 24 * 61, "year": 2021, "scope": "platforms",
     "platforms": ["twitter"], "circumvention": 0.3, "recovery": 0.1},
    {"country": "IRN", "duration_hours": 100, "year": 2019, "scope": "throttling",
     "intensity": 0.7, "currency": "local", "price_basis": "constant", "price_year": 2015,
     "connectivity_tier": "medium", "time_weighting": False},
    {"country": "IND", "duration_hours": 5, "year": 2020, "affected_users": 1_000_000},
]


@pytest.mark.parametrize("data", SCENARIOS)
def test_json_round_trip(data):
    s = parse_scenario(data)
    assert Scenario.model_validate_json(s.model_dump_json()) == s
    assert parse_scenario(s.model_dump_json()) == s


def test_scenario_is_frozen():
    s = parse_scenario(BASE)
    with pytest.raises(pydantic.ValidationError):
        s.duration_hours = 20  # type: ignore[misc]
    assert s.duration_hours == 10


def test_resolved_properties():
    s = parse_scenario(SCENARIOS[1])
    assert s.iso3 == "PAK"
    assert s.hours == 10.0
    assert s.event_year == 2024
    assert s.start == datetime(2024, 2, 8, 7, 0)
    assert s.effective_intensity == 1.0
    assert parse_scenario({**BASE, "scope": "throttling"}).effective_intensity == 0.5


# ---- JSON Schema ----------------------------------------------------------------------------
def test_schema_is_valid_json_with_all_fields():
    schema = json.loads(scenario_json_schema())
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(Scenario.model_fields)
    assert schema["required"] == ["country"]


def test_committed_schema_is_current():
    assert SCHEMA_PATH.exists(), "docs/scenario.schema.json is missing: run " \
                                 "`python -m impact.model.schema --write`"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == scenario_json_schema(), (
        "docs/scenario.schema.json is out of date: run `python -m impact.model.schema --write`")


def test_affected_share_range_needs_both_ends_and_a_centre_inside() -> None:
    with pytest.raises(InputError, match="affected_share_high.*both ends"):
        parse_scenario({"country": "IND", "duration_hours": 5, "affected_share": 0.1,
                        "affected_share_low": 0.05})
    with pytest.raises(InputError, match="low <= affected_share"):
        parse_scenario({"country": "IND", "duration_hours": 5, "affected_share": 0.1,
                        "affected_share_low": 0.2, "affected_share_high": 0.3})
    ok = parse_scenario({"country": "IND", "duration_hours": 5, "affected_share": 0.1,
                         "affected_share_low": 0.05, "affected_share_high": 0.3})
    assert ok.affected_share_low == 0.05


def test_regions_give_the_affected_share_with_a_range() -> None:
    from impact import estimate

    s = parse_scenario({"country": "India", "duration_hours": 24,
                        "regions": "Jammu & Kashmir;Manipur"})
    assert s.regions == ("Jammu & Kashmir", "Manipur")
    ctx = estimate(s, methods="impact", draws=200).context
    # J&K 13.70 m + Manipur 3.25 m (2024 projection) of India's population: about 1.2 %
    assert 0.010 < ctx.affected_share < 0.014
    assert ctx.affected_share_low < ctx.affected_share < ctx.affected_share_high


def test_unknown_region_lists_accepted_names_and_closest() -> None:
    with pytest.raises(InputError) as info:
        parse_scenario({"country": "IND", "duration_hours": 5, "regions": "Kashmr"})
    msg = str(info.value)
    assert msg.startswith("regions: 'Kashmr'") and "closest: Jammu & Kashmir" in msg


def test_regions_and_affected_share_are_exclusive() -> None:
    with pytest.raises(InputError, match="either regions or affected_share"):
        parse_scenario({"country": "PAK", "duration_hours": 5, "regions": "Sindh",
                        "affected_share": 0.2})


def test_hours_range_needs_both_ends_around_the_hours() -> None:
    base = {"country": "IND", "duration_hours": 24}
    with pytest.raises(InputError, match="duration_hours_high.*both ends"):
        parse_scenario(base | {"duration_hours_low": 3})
    with pytest.raises(InputError, match="low <= duration_hours"):
        parse_scenario(base | {"duration_hours_low": 30, "duration_hours_high": 40})
    with pytest.raises(InputError, match="low <= duration_hours"):
        parse_scenario(base | {"duration_hours_low": 3, "duration_hours_high": 12})
    with pytest.raises(InputError, match="duration_hours_low"):
        parse_scenario(base | {"duration_hours_low": True, "duration_hours_high": 48})
    ok = parse_scenario(base | {"duration_hours_low": 3, "duration_hours_high": 240})
    assert ok.hours_range == (3.0, 240.0)
    assert parse_scenario(base).hours_range == (24.0, 24.0)
    # with start and end, the range is around the hours between them
    timed = parse_scenario({"country": "IND", "start": "2024-02-08T07:00",
                            "end": "2024-02-08T19:00", "duration_hours_low": 6,
                            "duration_hours_high": 24})
    assert timed.hours == 12 and timed.hours_range == (6.0, 24.0)
