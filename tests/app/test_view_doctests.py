"""The examples in the docstrings of the app's view modules (those that import no
streamlit) run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

#: the app's modules without streamlit whose docstrings have examples
MODULES = ("estimate_query", "estimate_tables", "estimate_view", "events_display",
           "events_filters", "events_labels", "events_specs", "events_view", "viewmodel")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"app_pages.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert not result.failed
