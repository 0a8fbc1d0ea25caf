"""The Streamlit app's pages (run by ``app.py`` through ``st.navigation``) and their view
model (`app_pages.viewmodel`: widget keys and defaults, the link codec, page tables)."""
