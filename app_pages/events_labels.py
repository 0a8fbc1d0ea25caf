"""Labels of the catalogue's events: each event's title (unique on the page, your own events
marked), its first source link, and one row per event of the chosen method and variant.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import polars as pl

from impact.catalogue import events as ev

#: the mark before the label of an event from the user's own file, in tables and charts
YOURS_MARK = "[yours]"


def first_link(links: str | None) -> str | None:
    """The first of an event's ``|``-separated links (its Access Now entry when it has one).

    >>> first_link("https://a.org/x|https://b.org/y"), first_link(None)
    ('https://a.org/x', None)
    """
    if not links:
        return None
    head = str(links).split("|")[0].strip()
    return head or None


def event_labels(events: pl.DataFrame) -> dict[str, str]:
    """event_id -> its title (``"Pakistan — mobile data cut nationwide, 8 Feb 2024
    (election)"``), or ``"Pakistan · 2024-02-08 · mobile"`` for a catalogue without titles;
    a title shared by several events gets its id in brackets so that each label is unique."""
    out = {}
    for r in events.iter_rows(named=True):
        title = r.get("title")
        if not title:
            scope = r["scope"]
            if r.get("platforms"):
                scope += f": {r['platforms'].replace(';', ', ')}"
            title = f"{r['country']} · {r['start']} · {scope}"
        if str(r["event_id"]).startswith(ev.USER_ID_PREFIX):
            title = f"{YOURS_MARK} {title}"
        out[r["event_id"]] = title
    counts: dict[str, int] = {}
    for label in out.values():
        counts[label] = counts.get(label, 0) + 1
    return {k: (v if counts[v] == 1 else f"{v} ({k})") for k, v in out.items()}


def pick_variant(estimates: pl.DataFrame, method: str, variant: str) -> pl.DataFrame:
    """One row per event of the chosen method and variant, its calendar years added up
    (`impact.catalogue.events.event_totals`)."""
    from impact.catalogue.events import event_totals

    rows = estimates.filter((pl.col("method") == method) & (pl.col("variant") == variant))
    return event_totals(rows.drop("draws_usd", strict=False))
