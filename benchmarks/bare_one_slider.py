"""Bare comparison app for `bench_app.py`'s cold start: one slider, nothing else."""

import streamlit as st

st.slider("Duration [hours]", 1, 8760, 10, key="duration_hours")
