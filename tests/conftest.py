"""Shared test configuration: Hypothesis profiles, and empty Streamlit caches around every
AppTest check.

Profiles
--------
``ci``  : deadline=None, max_examples=60, derandomize=True (reproducible, bounded run time)
``dev`` : Hypothesis defaults (random examples, the default deadline)

The profile is taken from the ``HYPOTHESIS_PROFILE`` environment variable; when it is unset,
``ci`` is used if ``CI=true`` and ``dev`` otherwise.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,
    max_examples=60,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev")

_profile = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI", "").strip().lower() == "true" else "dev")
settings.load_profile(_profile)

# every test (and every app or CLI process a test starts) sees an empty user-level data store,
# so a refresh made on this machine never changes what the tests compute
os.environ["IMPACT_DATA_HOME"] = tempfile.mkdtemp(prefix="impact-test-home-")
os.environ.pop("IMPACT_DATA_DIR", None)

APP_TESTS = Path(__file__).resolve().parent / "app"


@pytest.fixture(autouse=True)
def _clear_app_caches(request):
    """Every AppTest check (``tests/app``) starts and ends with empty Streamlit caches."""
    if APP_TESTS not in Path(str(request.node.path)).resolve().parents:
        yield
        return
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
