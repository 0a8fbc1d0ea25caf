"""Two scenarios side by side on the Estimate page: "Keep this scenario for comparison" pins
the current scenario's figures (a `Snapshot`); while one is kept, a table shows it beside the
current scenario: the headline and its range, each method's P50, the key inputs, and the
difference.

`snapshot` and `compare_table` are pure; `draw_compare` draws the buttons and the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from app_pages.tables import draw_table
from impact import format as fmt
from impact.vocab import PLATFORM_LABELS

#: session-state key of the kept `Snapshot`
PIN_KEY = "pinned_scenario"
#: the columns of the side-by-side table
COLUMNS = ("", "Kept", "Current", "Difference")
SCOPE_WORDS = {"full": "Full internet", "mobile": "Mobile data only",
               "platforms": "Named platforms", "throttling": "Throttling"}


@dataclass(frozen=True)
class Row:
    """One line of a scenario's snapshot: ``kind`` is ``money`` (``value`` in the snapshot's
    currency), ``hours`` [hours], ``share`` [0-1] or ``text`` (``value`` None)."""

    label: str
    kind: str
    text: str
    value: float | None = None


@dataclass(frozen=True)
class Snapshot:
    """What the comparison keeps of one scenario: its money's currency and its rows."""

    currency: str
    rows: tuple[Row, ...]


def _money(label: str, usd: float | None, k: float, cur: str) -> Row:
    value = usd * k if usd is not None and math.isfinite(usd) else None
    return Row(label, "money", fmt.unbroken(fmt.money(value, cur)), value)


def snapshot(est: Any) -> Snapshot:
    """The figures and key inputs of an `impact.Estimate` to compare: the headline's P50,
    P5 and P95, each method's P50 (or why it has none), and country, year, hours, what was
    cut, the share of users affected and, for throttling, the intensity."""
    from impact.estimation.ensemble import ensemble

    ens, ctx = ensemble(est), est.context
    k, cur = ens.factor, ens.currency
    rows = [_money("Headline (P50)", ens.loss_usd_p50, k, cur),
            _money("Headline P5", ens.loss_usd_p05, k, cur),
            _money("Headline P95", ens.loss_usd_p95, k, cur)]
    for r in est.summary.iter_rows(named=True):
        if r["status"] == "ok":
            rows.append(_money(r["title"], r["loss_usd_p50"], k, cur))
        else:
            rows.append(Row(r["title"], "text", "no figure"))
    what = SCOPE_WORDS.get(ctx.scope, ctx.scope)
    if ctx.platforms:
        what += ": " + ", ".join(PLATFORM_LABELS.get(p, p) for p in ctx.platforms)
    rows += [Row("Country", "text", ctx.country), Row("Year", "text", str(ctx.year)),
             Row("Duration", "hours", fmt.unbroken(fmt.hours(ctx.hours)), ctx.hours),
             Row("What was cut", "text", what),
             Row("Internet users affected", "share", fmt.percent(ctx.affected_share),
                 ctx.affected_share)]
    if ctx.scope == "throttling":
        rows.append(Row("Service lost (intensity)", "share", fmt.percent(ctx.intensity),
                        ctx.intensity))
    return Snapshot(cur, tuple(rows))


def _signed(text: str, value: float) -> str:
    """``+`` or a true minus before a formatted difference (kept whole)."""
    return (fmt.MINUS if value < 0 else "+") + fmt.unbroken(text)


def difference(kept: Row | None, now: Row | None, kept_cur: str, now_cur: str) -> str:
    """The difference from the kept row to the current one, in words.

    >>> difference(Row("a", "money", "", 10e6), Row("a", "money", "", 15e6), "USD", "USD")
    '+USD\\xa05\\xa0m (×1.5)'
    >>> difference(Row("d", "hours", "", 10), Row("d", "hours", "", 4), "USD", "USD")
    '−6\\xa0hours'
    >>> difference(Row("s", "share", "", 1.0), Row("s", "share", "", 0.25), "USD", "USD")
    '−75 percentage points'
    """
    if kept is None or now is None:
        return "only in one"
    if kept.kind == "text" or now.kind == "text" or kept.value is None or now.value is None:
        return "same" if kept.text == now.text else "changed"
    delta = now.value - kept.value
    if delta == 0:
        return "same"
    if now.kind == "money":
        if kept_cur != now_cur:
            return f"not comparable ({kept_cur} and {now_cur})"
        ratio = f" (×{fmt.number(now.value / kept.value)})" if kept.value > 0 else ""
        return _signed(fmt.money(abs(delta), now_cur), delta) + ratio
    if now.kind == "hours":
        return _signed(fmt.hours(abs(delta)), delta)
    return (fmt.MINUS if delta < 0 else "+") + f"{fmt.number(abs(delta) * 100)} percentage points"


def compare_table(kept: Snapshot, now: Snapshot) -> pl.DataFrame:
    """The kept and the current scenario side by side, one row per figure or input (the
    current scenario's order, then rows only the kept one has), with the difference."""
    kept_rows = {r.label: r for r in kept.rows}
    now_rows = {r.label: r for r in now.rows}
    labels = [*now_rows, *(label for label in kept_rows if label not in now_rows)]
    rows = []
    for label in labels:
        a, b = kept_rows.get(label), now_rows.get(label)
        rows.append(dict(zip(COLUMNS, (label, a.text if a else fmt.MISSING,
                                       b.text if b else fmt.MISSING,
                                       difference(a, b, kept.currency, now.currency)),
                             strict=True)))
    return pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS, pl.String))


def _keep(snap: Snapshot) -> None:
    st.session_state[PIN_KEY] = snap


def _forget() -> None:
    st.session_state.pop(PIN_KEY, None)


def draw_compare(est: Any) -> None:
    """"Keep this scenario for comparison", and, while a scenario is kept, the side-by-side
    table of it and the current one."""
    snap = snapshot(est)
    kept = st.session_state.get(PIN_KEY)
    row = st.container(horizontal=True)
    row.button("Keep this scenario for comparison", key="pin_scenario", on_click=_keep,
               args=(snap,), icon=":material/push_pin:",
               help="Keep these figures; change the scenario to see both side by side.")
    if not isinstance(kept, Snapshot):
        return
    row.button("Stop comparing", key="unpin_scenario", on_click=_forget)
    st.markdown("**Kept scenario and this one, side by side**")
    if kept == snap:
        st.caption("The kept scenario is this one: change the scenario in the sidebar to "
                   "compare.")
    draw_table(compare_table(kept, snap), key="kept_table", right=[False, True, True, True])
