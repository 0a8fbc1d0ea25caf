"""The scenario: what was cut, where, for how long, for whom. Validated completely at the edge.

A `Scenario` is frozen and forbids unknown fields. Use `parse_scenario` to turn user input
(CLI flags, a batch row, app widgets, JSON) into a scenario: every problem becomes one
`InputError` naming the field, the bad value and what is accepted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from impact.bundled.countries import resolve_country
from impact.bundled.indicators import internet_users, latest_year
from impact.bundled.regions import region_share
from impact.bundled.zones import elapsed_hours, exists_locally, to_local, zone_or_none
from impact.errors import InputError
from impact.format import DIGIT_SEPARATOR_NOTE
from impact.vocab import (
    HOURS_PER_YEAR,
    PLATFORM_ALIASES,
    PLATFORMS,
    SCOPES,
    Platform,
    Scope,
)

#: the longest scenario label [characters]
MAX_LABEL = 200


def _unsafe_in_label(ch: str) -> bool:
    """A control character, a line or paragraph break, or a bidirectional override (which
    can reorder what a reader sees); joiners such as Persian's zero-width non-joiner are
    fine."""
    import unicodedata

    return (unicodedata.category(ch) in ("Cc", "Zl", "Zp")
            or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069")
MAX_HOURS = 20 * HOURS_PER_YEAR  # 20 years: longer than any recorded block (Access Now from 2009)
DEFAULT_THROTTLING_INTENSITY = 0.5

ACCEPTED = {
    "country": "an ISO 3166 alpha-3 code such as PAK, or a name such as Pakistan",
    "duration_hours": f"a number of hours > 0 and <= {MAX_HOURS:.0f} (20 years)",
    "duration_hours_low": "a number of hours >= 0 and <= duration_hours, given with "
                          "duration_hours_high",
    "duration_hours_high": f"a number of hours >= duration_hours and <= {MAX_HOURS:.0f}, given "
                           "with duration_hours_low",
    "start": "an ISO date-time such as 2024-02-08T07:00, or a date such as 2024-02-08 when "
             "the time of day is not known",
    "end": "an ISO date-time after start, such as 2024-02-08T19:00",
    "year": "a year from 2010 to 2100",
    "scope": f"one of {', '.join(SCOPES)}",
    "platforms": f"one or more of {', '.join(PLATFORMS)} (twitter is accepted for x)",
    "affected_share": "a share between 0 and 1",
    "affected_share_low": "a share between 0 and affected_share, given with affected_share_high",
    "affected_share_high": "a share between affected_share and 1, given with affected_share_low",
    "regions": "admin-1 region names of the country (`impact regions COUNTRY` lists them)",
    "affected_users": "a whole number of people >= 0, at most the country's internet users",
    "intensity": "a share between 0 and 1 (1 = service fully lost)",
    "circumvention": "a share between 0 and 1",
    "recovery": "a share between 0 and 1",
    "currency": "USD or local",
    "price_basis": "current or constant",
    "price_year": "a year from 2010 to the latest year with data",
    "connectivity_tier": "auto, high, medium or low",
    "time_weighting": "true or false",
    "label": "free text",
}

#: the fields that take a number (true/false and digit separators are refused in them)
NUMBER_FIELDS = ("duration_hours", "duration_hours_low", "duration_hours_high", "year",
                 "affected_share", "affected_share_low",
                 "affected_share_high", "affected_users", "intensity", "circumvention",
                 "recovery", "price_year")


class Scenario(BaseModel):
    """A shutdown scenario.

    Units: durations in hours; shares in [0, 1]; counts in people; money in USD unless
    ``currency="local"``. ``start``/``end`` are local times of the affected country.
    """

    # defer_build: the validator is built on first use, not when `impact --help` imports this
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, defer_build=True)

    country: str = Field(description="the affected country (kept as its ISO3 code)")
    duration_hours: float | None = Field(None, gt=0, le=MAX_HOURS,
                                         description="length of the restriction [hours]")
    duration_hours_low: float | None = Field(
        None, ge=0, le=MAX_HOURS, description="lower end of uncertain hours (the source gives "
        "no times or no end) [hours]")
    duration_hours_high: float | None = Field(
        None, ge=0, le=MAX_HOURS, description="upper end of uncertain hours [hours]")
    start: datetime | None = Field(None, description="local start date-time (a date alone: "
                                   "no time of day known, so no hour-of-day weighting)")
    end: datetime | None = Field(None, description="local end date-time")
    year: int | None = Field(None, ge=2010, le=2100,
                             description="event year when no start is given [year]")
    scope: Scope = Field("full", description="what was cut: every network, mobile data, "
                         "named platforms, or service slowed (throttling)")
    platforms: tuple[Platform, ...] = Field(
        (), description="the platforms blocked when scope is platforms (; or , separated)")
    affected_share: float | None = Field(None, ge=0, le=1,
                                         description="share of internet users affected [0-1]")
    affected_share_low: float | None = Field(
        None, ge=0, le=1, description="lower end of an uncertain affected share [0-1]")
    affected_share_high: float | None = Field(
        None, ge=0, le=1, description="upper end of an uncertain affected share [0-1]")
    affected_users: int | None = Field(None, ge=0, description="internet users affected [people]")
    regions: tuple[str, ...] = Field(
        (), description="affected admin-1 regions (; separated); their population share is "
        "the affected share")
    intensity: float | None = Field(None, ge=0, le=1,
                                    description="share of service lost (throttling) [0-1]")
    circumvention: float | None = Field(None, ge=0, le=1,
                                        description="share of activity continuing via VPN [0-1]")
    recovery: float | None = Field(None, ge=0, le=1,
                                   description="share of lost activity made up later [0-1]")
    currency: Literal["USD", "local"] = Field(
        "USD", description="currency of the loss figures (local: the country's, at the "
        "official rate of the year)")
    price_basis: Literal["current", "constant"] = Field(
        "current", description="prices of the loss figures: current prices of the event "
        "year, or constant prices of price_year")
    price_year: int | None = Field(None, ge=2010, le=2100,
                                   description="year of the constant prices [year]")
    connectivity_tier: Literal["auto", "high", "medium", "low"] = Field(
        "auto", description="Deloitte connectivity tier (auto: from the country's internet "
        "and broadband data)")
    time_weighting: bool = Field(True, description="weight the hours by the time of day "
                                 "and week when the start states a time of day (false: every "
                                 "hour alike; a start given as a date alone sets it false)")
    label: str | None = Field(None, description="a name for the scenario, kept in the "
                              "outputs")
    #: elapsed hours from start to end, daylight saving counted (set by validation) [hours]
    _elapsed_hours: float | None = PrivateAttr(None)

    @model_validator(mode="before")
    @classmethod
    def _date_only_start(cls, data: Any) -> Any:
        """A start given as a date alone (``2024-02-08``, a `date`) states no time of day:
        it begins at midnight and turns ``time_weighting`` off (`start_states_time`)."""
        if isinstance(data, Mapping) and not start_states_time(data.get("start")):
            return {**data, "time_weighting": False}
        return data

    @field_validator(*NUMBER_FIELDS, mode="before")
    @classmethod
    def _plain_number(cls, value: Any, info: ValidationInfo) -> Any:
        """Refuse what pydantic would coerce but a person did not mean as a number: true or
        false (``True`` is not 1 hour) and text with digit separators (``"1_000"``)."""
        field = info.field_name
        if isinstance(value, bool | np.bool_):
            raise InputError(field, value, f"a number, not true or false; {ACCEPTED[field]}")
        if isinstance(value, str) and "_" in value:
            raise InputError(field, value, f"{DIGIT_SEPARATOR_NOTE}; {ACCEPTED[field]}")
        return value

    @field_validator("country", mode="before")
    @classmethod
    def _resolve_country(cls, value: Any) -> str:
        return resolve_country(value)

    @field_validator("label", mode="before")
    @classmethod
    def _one_line_label(cls, value: Any) -> Any:
        """A label is one line of at most `MAX_LABEL` printable characters (it is quoted in
        reports and commands: a line break or a control character could forge them)."""
        if value is None:
            return None
        text = str(value).strip()
        if len(text) > MAX_LABEL or any(_unsafe_in_label(ch) for ch in text):
            raise InputError("label", value, f"one line of at most {MAX_LABEL} printable "
                             "characters (no line breaks or control characters)")
        return text or None

    @field_validator("currency", mode="before")
    @classmethod
    def _currency_any_case(cls, value: Any) -> Any:
        """``usd``, ``Usd``, ``LOCAL``: the case of a currency word does not matter."""
        if isinstance(value, str) and value.strip().lower() in ("usd", "local"):
            return "USD" if value.strip().lower() == "usd" else "local"
        return value

    @field_validator("platforms", mode="before")
    @classmethod
    def _normalise_platforms(cls, value: Any) -> Any:
        return platform_keys(value)

    @field_validator("regions", mode="before")
    @classmethod
    def _split_regions(cls, value: Any) -> Any:
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            value = value.split(";")
        if not isinstance(value, list | tuple | set | frozenset):
            raise InputError("regions", value, ACCEPTED["regions"] + ", separated by ;")
        if not all(isinstance(v, str) for v in value):
            raise InputError("regions", value, "region names as text: "
                             + ACCEPTED["regions"])
        return tuple(v.strip() for v in value if v.strip())

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Scenario:
        if self.start is not None:
            self._to_local_times()
        if self.start is not None and self.end is not None:
            if self.hours <= 0:
                raise InputError("end", self.end.isoformat(), "a date-time after start "
                                 f"({self.start.isoformat()})")
            hours = self.hours
            if hours > MAX_HOURS:
                raise InputError("end", self.end.isoformat(), ACCEPTED["duration_hours"])
            if self.duration_hours is not None and not math.isclose(
                    hours, self.duration_hours, abs_tol=1 / 60):
                raise InputError("duration_hours", self.duration_hours,
                                 f"leave it blank or give {hours:g}, the hours from start to end")
        elif self.end is not None:
            raise InputError("start", None, "a start date-time whenever end is given")
        elif self.duration_hours is None:
            raise InputError("duration_hours", None,
                             "give duration_hours, or start and end date-times")
        if self.start is not None and self.year is not None and self.year != self.start.year:
            raise InputError("year", self.year, f"leave it blank or give {self.start.year}, "
                             "the year of start")
        for field in ("start", "end"):
            moment = getattr(self, field)
            if moment is not None and not 2010 <= moment.year <= 2100:
                raise InputError(field, moment.isoformat(), "a date from 2010-01-01 to "
                                 "2100-12-31")
        if self.scope == "platforms" and not self.platforms:
            raise InputError("platforms", "", "at least one platform when scope is platforms: "
                             + ACCEPTED["platforms"])
        if self.scope != "platforms" and self.platforms:
            raise InputError("platforms", ";".join(self.platforms),
                             "no platforms unless scope is platforms")
        if self.affected_share is not None and self.affected_users is not None:
            raise InputError("affected_users", self.affected_users,
                             "either affected_share or affected_users, not both")
        if self.regions and (self.affected_share is not None or self.affected_users is not None):
            raise InputError("regions", ";".join(self.regions),
                             "either regions or affected_share/affected_users, not both")
        if self.regions:
            region_share(self.country, self.regions, self.event_year)
        low, high = self.affected_share_low, self.affected_share_high
        if (low is None) != (high is None):
            raise InputError("affected_share_low" if low is None else "affected_share_high",
                             None, "give both ends of the affected-share range, or neither")
        if low is not None and high is not None:
            if self.affected_share is None:
                raise InputError("affected_share", None,
                                 "a central affected_share whenever a range is given")
            if not low <= self.affected_share <= high:
                raise InputError("affected_share_low", low,
                                 f"low <= affected_share ({self.affected_share:g}) <= high "
                                 f"({high:g})")
        low, high = self.duration_hours_low, self.duration_hours_high
        if (low is None) != (high is None):
            raise InputError("duration_hours_low" if low is None else "duration_hours_high",
                             None, "give both ends of the hours range, or neither")
        if low is not None and high is not None and not low <= self.hours <= high:
            raise InputError("duration_hours_low", low,
                             f"low <= duration_hours ({self.hours:g}) <= high ({high:g})")
        if self.price_basis == "current" and self.price_year is not None:
            raise InputError("price_year", self.price_year,
                             "no price_year unless price_basis is constant")
        if self.affected_users is not None:
            users = internet_users(self.country, self.event_year)
            if self.affected_users > users.value:
                raise InputError(
                    "affected_users", self.affected_users,
                    f"at most the internet users of {self.country} in {self.event_year}: "
                    f"{users.value:,.0f} ({users.detail})")
        return self

    # ---- resolved values -------------------------------------------------------------------
    @property
    def iso3(self) -> str:
        return self.country

    def _to_local_times(self) -> None:
        """Start and end as the country's local wall clock (`impact.bundled.zones`): a time with a
        UTC offset is converted; a local time skipped by daylight saving is refused; the
        elapsed hours between them are kept (daylight saving counted)."""
        if self.end is not None:
            _same_zone_rule(self.start, self.end)
        for field in ("start", "end"):  # before any zone arithmetic (year 1 or 9999 overflow)
            moment = getattr(self, field)
            if moment is not None and not 2010 <= moment.year <= 2100:
                raise InputError(field, moment.isoformat(), "a date from 2010-01-01 to "
                                 "2100-12-31")
        zone = zone_or_none(self.country)
        for field in ("start", "end"):
            given = getattr(self, field)
            if given is not None and given.tzinfo is None and not exists_locally(given, zone):
                raise InputError(field, given.isoformat(), f"a local time that exists in "
                                 f"{zone.key}: the clocks skipped it (daylight saving); give "
                                 "a time after the change, or a UTC offset")
        if self.end is not None:
            self._elapsed_hours = elapsed_hours(self.start, self.end, zone)
        object.__setattr__(self, "start", to_local(self.start, zone))
        if self.end is not None:
            object.__setattr__(self, "end", to_local(self.end, zone))

    @property
    def hours(self) -> float:
        """Duration [hours]: elapsed time from start to end (daylight saving counted), else
        ``duration_hours``."""
        if self.start is not None and self.end is not None:
            if self._elapsed_hours is not None:
                return self._elapsed_hours
            return (self.end - self.start).total_seconds() / 3600
        assert self.duration_hours is not None
        return float(self.duration_hours)

    @property
    def hours_range(self) -> tuple[float, float]:
        """(low, high) of the hours [hours]: the range given, else the hours twice."""
        if self.duration_hours_low is not None and self.duration_hours_high is not None:
            return float(self.duration_hours_low), float(self.duration_hours_high)
        return self.hours, self.hours

    @property
    def event_year(self) -> int:
        """Year whose indicators are used: start's year, else ``year``, else the latest year
        with GDP data for the country."""
        if self.start is not None:
            return self.start.year
        if self.year is not None:
            return self.year

        return latest_year(self.country)

    @property
    def effective_intensity(self) -> float:
        if self.intensity is not None:
            return self.intensity
        return DEFAULT_THROTTLING_INTENSITY if self.scope == "throttling" else 1.0


_DATE_ONLY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")


def start_states_time(value: Any) -> bool:
    """Whether a start value states a time of day: a `date` or an ISO date alone
    (``"2024-02-08"``) does not; a `datetime`, a date-time text or no start (nothing to say)
    do. The one test of the hour-of-day rule (`impact.model.context.hour_weighting`).

    >>> start_states_time("2024-02-08"), start_states_time("2024-02-08T00:00")
    (False, True)
    """
    if isinstance(value, datetime) or value is None:
        return True
    if isinstance(value, date):
        return False
    return not (isinstance(value, str) and _DATE_ONLY.fullmatch(value) is not None)


def _zoned(moment: datetime) -> bool:
    return moment.utcoffset() is not None


def _same_zone_rule(start: datetime, end: datetime) -> None:
    """Both ends carry a UTC offset, or neither (a naive end cannot be compared with a zoned
    start: which zone would it be in?)."""
    if _zoned(start) == _zoned(end):
        return
    naive, zoned, moment = (("end", "start", start) if _zoned(start)
                            else ("start", "end", end))
    value = (end if naive == "end" else start).isoformat()
    raise InputError(naive, value, f"a date-time with a UTC offset like {zoned} "
                     f"({moment.isoformat()}): both start and end must have a zone, or "
                     "neither")


def platform_keys(value: Any, accepted: str | None = None) -> tuple[str, ...]:
    """Platform keys of ``value`` (``"x;Facebook"``, ``"twitter, whatsapp"`` or a list), in
    the order given, without repeats; an unknown name raises `InputError` with ``accepted``.

    >>> platform_keys("Twitter, whatsapp;x")
    ('x', 'whatsapp')
    """
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items = value.replace(",", ";").split(";")
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(value)
    else:
        raise InputError("platforms", value, accepted or ACCEPTED["platforms"])
    out: list[str] = []
    for p in items:
        if not isinstance(p, str):
            raise InputError("platforms", p, accepted or ACCEPTED["platforms"])
        key = p.strip().lower()
        if not key:
            continue
        key = PLATFORM_ALIASES.get(key, key)
        if key not in PLATFORMS:
            raise InputError("platforms", p, accepted or ACCEPTED["platforms"])
        if key not in out:
            out.append(key)
    return tuple(out)


def _first_error(exc: ValidationError) -> InputError:
    err = exc.errors(include_url=False)[0]
    original = (err.get("ctx") or {}).get("error")
    if isinstance(original, InputError):
        return original
    field = ".".join(str(p) for p in err["loc"] if not isinstance(p, int)) or "scenario"
    if err["type"] == "extra_forbidden":
        return InputError(field, err.get("input"),
                          f"unknown field; accepted fields are {', '.join(Scenario.model_fields)}")
    top = field.split(".")[0]
    accepted = ACCEPTED.get(top, "see `impact estimate --help`")
    value = None if err["type"] == "missing" else err.get("input")  # not the whole mapping
    msg = err["msg"][:1].lower() + err["msg"][1:]  # keep the case of quoted values ('USD')
    return InputError(field, value, f"{msg}; accepted: {accepted}")


def parse_scenario(data: dict[str, Any] | str) -> Scenario:
    """Validate a mapping (or a JSON string) into a `Scenario`, or raise one `InputError`.

    Keys whose value is ``None`` or ``""`` are treated as not given (the default applies).
    """
    if not isinstance(data, str | Mapping):
        raise InputError("scenario", data, "a mapping of field names to values, or a JSON "
                         "object as text")
    try:
        if isinstance(data, str):
            return Scenario.model_validate_json(data)
        clean = {k: v for k, v in data.items()
                 if v is not None and not (isinstance(v, str) and v == "")}
        return Scenario.model_validate(clean)
    except ValidationError as exc:
        raise _first_error(exc) from None


def with_changes(scenario: Scenario, **changes: Any) -> Scenario:
    """A validated copy with ``changes`` applied (``model_copy`` would skip validation)."""
    data = scenario.model_dump(exclude_none=True) | changes
    return parse_scenario(data)
