"""The Streamlit app's pages (run by ``app.py`` through ``st.navigation``): each page file only
lays out, each of its parts is a module of its own (``estimate_*``, ``events_*``,
``monitor_*``), the view models import no streamlit (``viewmodel``, ``estimate_view``,
``events_view``, ``monitor_view`` and their neighbours), the cached computations are defined
once at import (``cached``, ``events_cache``, ``monitor_cache``, ``data_sources``) and the CSS
and JavaScript are files under ``assets/`` (``static``)."""
