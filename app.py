"""Streamlit entry point: only a router over the pages in ``app_pages/``.

Run with ``streamlit run app.py``.
"""

import streamlit as st

from app_pages.estimate_query import LINK_READ_KEY
from app_pages.events_filters import EVENTS_KEYS
from app_pages.monitor_choices import MONITOR_KEYS
from app_pages.viewmodel import ESTIMATE_DEFAULTS
from impact.errors import ImpactError
from impact.format import md_text

st.set_page_config(page_title="impact — cost of internet shutdowns", layout="wide")

# Keep the Estimate, Past events and Monitor pages' inputs while another page is shown (Streamlit
# drops the state of widgets that are not drawn in a run unless it is re-assigned).
for key in (*ESTIMATE_DEFAULTS, *EVENTS_KEYS, *MONITOR_KEYS):
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]



def monitor() -> None:
    """The Monitor page: a callable page, so its module (caches, watch fragment) is imported
    once, on the first visit, and not re-run."""
    from app_pages.monitor import main

    main()


estimate_page = st.Page("app_pages/estimate.py", title="Estimate", default=True)
page = st.navigation([
    estimate_page,
    st.Page("app_pages/events.py", title="Past events"),
    st.Page("app_pages/batch.py", title="Batch"),
    st.Page(monitor, title="Monitor", url_path="monitor"),
    st.Page("app_pages/methods.py", title="Methods & assumptions"),
    st.Page("app_pages/data.py", title="Data & sources"),
])
# A scenario link (query parameters) is read only when a session starts on the Estimate page.
if page.url_path != estimate_page.url_path:
    st.session_state.setdefault(LINK_READ_KEY, True)
try:
    page.run()
except ImpactError as err:  # e.g. a bundled data file that fails its check: one line, no trace
    st.error(md_text(err))
