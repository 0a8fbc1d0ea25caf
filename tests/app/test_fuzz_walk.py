"""A seeded random walk over every page of the app: at least 500 widget and query-parameter
actions, each followed by a rerun that must raise nothing (no exception element, no
uncaught error).

Each walk starts a session (sometimes from a random scenario link), then acts as an
impatient user would: picks any widget on the page and gives it a random value it accepts —
an option of a select box, radio or multiselect (including none), a number anywhere in a
number input's range, a slider's end or middle, a date at the edge of its range, a toggle
flipped, a pill chosen — or moves to another page. The seed makes a failure reproducible:
the failing step and its action are in the assertion message.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import viewmodel as vm
from impact.vocab import PLATFORM_LABELS, SCOPE_TITLES

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "estimate": ROOT / "app_pages" / "estimate.py",
    "events": ROOT / "app_pages" / "events.py",
    "batch": ROOT / "app_pages" / "batch.py",
    "monitor": ROOT / "app_pages" / "monitor.py",
    "methods": ROOT / "app_pages" / "methods.py",
    "data": ROOT / "app_pages" / "data.py",
}
TIMEOUT = 120
#: (page, seed, actions); the actions add up to at least 500
WALKS = [("estimate", 11, 180), ("estimate", 12, 120), ("events", 21, 90), ("monitor", 31, 40),
         ("batch", 41, 25), ("methods", 51, 25), ("data", 61, 25)]
#: query parameters a link may carry, with values good and bad
QUERY = {
    "country": ["PAK", "IND", "Narnia", "", "pak", "PRK", "IMN"],
    "duration_hours": ["10", "0", "-3", "1e9", "abc", "8760", "1_000", "nan"],
    "scope": ["full", "mobile", "platforms", "throttling", "satellite"],
    "platforms": ["x", "x;whatsapp", "myspace", ""],
    "affected_share": ["0.3", "1.5", "-1", "x"],
    "intensity": ["0.5", "2"],
    "circumvention": ["0.2", "1", "7"],
    "start": ["2024-02-08T07:00", "2024-02-30T07:00", "yesterday"],
    "end": ["2024-02-08T20:00", "2024-02-07T20:00", "2024-02-08T20:00+05:00"],
    "currency": ["USD", "local", "EUR"],
    "methods": ["impact", "impact,panel", "guesswork", ","],
    "headline": ["ensemble", "panel", "guesswork"],
    "colour": ["red"],
}


#: the values behind the pills of each button group (the harness sees only their labels)
RAW_OPTIONS = {"preset": [p.key for p in vm.PRESETS]}


def _candidates() -> list:
    """Every raw option value the app's choice widgets use (the harness shows labels)."""
    from app_pages import events_filters as ef
    from app_pages import events_view as ev
    from app_pages import monitor_choices as mc
    from impact.estimation.ensemble import ENSEMBLE
    from impact.methods import REGISTRY

    values: list = [*REGISTRY, ENSEMBLE, *vm.SCOPE_LABELS, *PLATFORM_LABELS,
                    *vm.AREA_LABELS, *vm.PRESET_LABELS, "USD", "local", *vm.country_names(),
                    *SCOPE_TITLES, *ev.NORMALISATIONS, *ef.CAP_LABELS,
                    *ef.OPEN_ENDED_LABELS, ef.ANY_PLATFORM, *mc.SOURCE_LABELS]
    return list(dict.fromkeys(values))


CANDIDATES = _candidates()


def _label(w, value) -> str | None:
    """The label ``w`` shows for ``value``, or None when it is not one of its values."""
    try:
        return w.format_func(value)
    except Exception:  # noqa: BLE001 - a value of another widget
        return None


def _raw_options(w) -> list:
    """The raw values behind a choice widget's labels: each known candidate whose label is
    one of the widget's, and a label that is its own value (e.g. a country's name)."""
    labels = set(w.options)
    raw = [v for v in CANDIDATES if _label(w, v) in labels]
    found = {_label(w, v) for v in raw}
    raw += [label for label in labels - found if _label(w, label) == label]
    return raw


def _number(rng: random.Random, w) -> float | int:
    lo = w.min if w.min is not None else -1e6
    hi = w.max if w.max is not None else 1e6
    pick = rng.choice([lo, hi, rng.uniform(lo, hi), (lo + hi) / 2])
    return type(w.value)(pick) if isinstance(w.value, int) else float(pick)


def _date(rng: random.Random, w):
    lo = getattr(w, "min", None) or date(2010, 1, 1)
    hi = getattr(w, "max", None) or date(2030, 12, 31)
    return rng.choice([lo, hi, lo + timedelta(days=rng.randint(0, max((hi - lo).days, 0)))])


def _act(at: AppTest, rng: random.Random) -> str:
    """One random action on ``at``'s current page; returns what it did (for the message)."""
    kinds = [k for k in ("selectbox", "multiselect", "radio", "number_input", "slider",
                         "toggle", "checkbox", "date_input", "time_input", "button_group",
                         "select_slider", "text_input")
             if len(at.get(k)) and hasattr(at, k)]
    if not kinds:
        return "nothing to act on"
    kind = rng.choice(kinds)
    w = rng.choice(list(getattr(at, kind)))
    key = getattr(w, "key", None) or getattr(w, "label", "?")
    if kind in ("selectbox", "radio"):
        options = _raw_options(w)
        if not options:
            return f"{kind} {key}: no known values"
        value = rng.choice(options)
        w.set_value(value)
        return f"{kind} {key} = {value!r}"
    if kind == "select_slider":
        value = rng.choice(list(w.options))
        w.set_value(type(w.value)(value) if isinstance(w.value, int) else value)
        return f"select_slider {key} = {value!r}"
    if kind == "multiselect":
        options = _raw_options(w)
        chosen = rng.sample(options, k=rng.randint(0, min(3, len(options))))
        w.set_value(chosen)
        return f"multiselect {key} = {chosen!r}"
    if kind == "number_input":
        value = _number(rng, w)
        w.set_value(value)
        return f"number_input {key} = {value!r}"
    if kind == "slider":
        lo, hi = w.min, w.max
        value = rng.choice([lo, hi, lo + (hi - lo) * rng.random()])
        if isinstance(w.value, tuple | list):
            a, b = sorted([rng.choice([lo, hi, value]), rng.choice([lo, hi, value])])
            value = (type(lo)(a), type(lo)(b))
        elif isinstance(lo, int):
            value = int(value)
        w.set_value(value)
        return f"slider {key} = {value!r}"
    if kind in ("toggle", "checkbox"):
        w.set_value(not w.value)
        return f"{kind} {key} = {w.value!r}"
    if kind == "date_input":
        if isinstance(w.value, tuple | list):
            return f"date_input {key}: a range, left alone"
        value = _date(rng, w)
        w.set_value(value)
        return f"date_input {key} = {value}"
    if kind == "time_input":
        value = time(rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
        w.set_value(value)
        return f"time_input {key} = {value}"
    if kind == "button_group":  # the harness shows labels; it sets the values behind them
        options = RAW_OPTIONS.get(key, [])
        if not options:
            return f"button_group {key}: no known values"
        value = rng.choice(options)
        w.set_value(value)
        return f"button_group {key} = {value!r}"
    if kind == "text_input":
        value = rng.choice(["", "Pakistan", "=HYPERLINK(\"x\")", "é" * 50, "2024"])
        w.input(value)
        return f"text_input {key} = {value!r}"
    return "skipped"


def _session(page: str, rng: random.Random) -> tuple[AppTest, str]:
    at = AppTest.from_file(str(PAGES[page]), default_timeout=TIMEOUT)
    link = ""
    if page == "estimate" and rng.random() < 0.5:
        params = {k: rng.choice(v) for k, v in rng.sample(sorted(QUERY.items()),
                                                          k=rng.randint(1, 4))}
        at.query_params.update(params)
        link = f"link {params!r}"
    at.run()
    return at, link or "fresh session"


def _problems(at: AppTest) -> list[str]:
    return [getattr(e, "value", None) or str(e.proto) for e in at.exception]


@pytest.mark.parametrize(("page", "seed", "actions"), WALKS,
                         ids=[f"{p}-{s}" for p, s, _ in WALKS])
def test_a_random_walk_raises_nothing(page, seed, actions):
    rng = random.Random(seed)
    at, did = _session(page, rng)
    history = [did]
    refused = 0
    assert not _problems(at), (history, _problems(at))
    for step in range(actions):
        if rng.random() < 0.04:  # a new session, maybe from a link
            at, did = _session(page, rng)
        else:
            try:
                did = _act(at, rng)
            except Exception as err:  # noqa: BLE001 - the harness refused a value, not the app
                refused += 1
                history.append(f"harness refused: {type(err).__name__}: {err}"[:200])
                continue
            at.run()
        history.append(did)
        assert not _problems(at), (f"step {step}", history[-5:], _problems(at))
    assert refused <= actions // 10, [h for h in history if h.startswith("harness")][:5]


def test_the_walks_take_at_least_500_actions():
    assert sum(a for _, _, a in WALKS) >= 500
    assert {p for p, _, _ in WALKS} == set(PAGES)
