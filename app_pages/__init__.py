"""The Streamlit app's pages (run by ``app.py`` through ``st.navigation``), their view models
(`app_pages.viewmodel`: widget keys and defaults, the link codec, the Estimate page's view and
downloads; `app_pages.events_view`: the Past events page's tables) and the cached
computations (`app_pages.cached`)."""
