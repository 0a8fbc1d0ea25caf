"""The Past events page's uploader "Add your own events": what was read, in a line of counts
and one line per refused record (as text: nothing in the file renders as markup)."""

from __future__ import annotations

import hashlib

import streamlit as st

from app_pages.events_cache import user_events
from impact import ImpactError
from impact.catalogue import events as ev

#: largest file of your own events [MB] (`impact.catalogue.events.USER_MAX_BYTES`)
YOURS_MAX_MB = ev.USER_MAX_BYTES // 2**20
#: refused records listed at most
REFUSED_SHOWN = 50


def draw_your_events() -> ev.UserEvents | None:
    """The uploader and what was read; the user's events when any was kept (its digest in
    ``ev_yours_digest``)."""
    box = st.expander("Add your own events", expanded=False)
    box.caption(f"Our events CSV (at least `country`, `start`, `scope`; see docs/events.md) or "
                f"an Access Now STOP sheet (CSV or .xlsx), up to {YOURS_MAX_MB} MB and "
                f"{ev.USER_MAX_ROWS:,} rows. Costed by the catalogue's rules and shown as "
                "**yours** beside the catalogue's events; rows the catalogue already holds "
                "are not added again.")
    upload = box.file_uploader("Your events file", type=["csv", "xlsx", "xls", "ods"],
                               key="ev_yours_file", max_upload_size=YOURS_MAX_MB)
    if upload is None:
        return None
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        mine = user_events(digest, data, upload.name)
    except ImpactError as err:
        box.error(str(err))
        return None
    box.text(f"{upload.name}: {mine.summary()}")
    if mine.refused:
        more = len(mine.refused) - REFUSED_SHOWN
        box.text("\n".join(f"refused: {line}" for line in mine.refused[:REFUSED_SHOWN])
                 + (f"\n… and {more} more" if more > 0 else ""))
    st.session_state["ev_yours_digest"] = digest if mine.kept else None
    return mine if mine.kept else None
