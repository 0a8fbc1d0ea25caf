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
import shutil
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


# --- markers given from here, so that no test file needs editing ---------------------------------

#: browser tests: every test under tests/e2e/ is marked ``e2e``, and ``slow`` (each loads the
#: app in a browser: 2 to 30 s)
E2E_DIR = "tests/e2e/"

#: tests that took more than about 2 s each (setup, call and teardown added up, as
#: ``--durations=0`` shows them on the project's 2-core machine), by test file: the names of
#: tests (a parametrised test with all its cases, or one case ``name[case]``), or ``()`` for the
#: whole file. A test that reads a module-scoped fixture which takes that long is listed with
#: the test that first reads it, or the fixture's time would only move to the next one. Tests
#: marked ``slow`` in their own file (all of tests/test_refresh.py, a few more) stay so.
SLOW: dict[str, tuple[str, ...]] = {
    "tests/app/test_downloads.py": (
        "test_estimate_downloads_equal_the_cli_exports[mobile]",
    ),
    "tests/app/test_events_charts.py": (
        "test_whole_catalogue_map_and_top_twelve_timeline",
    ),
    "tests/app/test_fuzz_walk.py": (
        "test_a_random_walk_raises_nothing[estimate-11]",
        "test_a_random_walk_raises_nothing[estimate-12]",
        "test_a_random_walk_raises_nothing[events-21]",
    ),
    "tests/app/test_link_fuzz.py": (
        "test_a_link_at_the_widgets_limits",
        "test_a_link_never_breaks_the_estimate_page",
        "test_a_link_never_breaks_the_router",
        "test_other_pages_ignore_a_link[app_pages/batch.py]",
        "test_other_pages_ignore_a_link[app_pages/data.py]",
        "test_other_pages_ignore_a_link[app_pages/events.py]",
        "test_other_pages_ignore_a_link[app_pages/methods.py]",
    ),
    "tests/app/test_monitor_page.py": (
        "test_brief_is_built_from_the_result",
        "test_watching_server_files_is_off_unless_the_operator_allows_it",
    ),
    "tests/app/test_pages.py": (
        "test_estimate_writes_its_non_default_fields_into_the_url",
        "test_events_filters_survive_a_visit_to_another_page",
        "test_filters_with_no_event_show_an_info_not_an_error",
        "test_link_with_every_field_sets_every_widget",
        "test_normalisation_changes_the_shown_column[per_capita-per capita (P50) [USD]]",
        "test_normalisation_changes_the_shown_column[share_of_gdp-% of GDP (P50)]",
        "test_risk_panel_is_fitted_only_when_opened",
        "test_search_and_open_ended_choice",
        "test_type_platform_and_election_filters",
    ),
    "tests/app/test_viewmodel.py": (
        "test_downloads_have_a_row_per_method",
    ),
    "tests/build/test_calibration.py": (
        "test_refit_reproduces_committed_fit",
    ),
    "tests/build/test_catalogue.py": (
        "test_area_units_sum_to_the_matched_share",
        "test_events_columns_and_no_narrative",
        "test_events_values",
        "test_events_year_is_the_start_year",
        "test_real_durations_match_dates",
        "test_real_events_with_a_source_link_have_links",
        "test_real_multi_country_rows_split",
    ),
    "tests/build/test_panel_models.py": (
        "test_bundled_fits_are_reproducible",
        "test_committed_fit_tables_are_current",
        "test_event_loss_keeps_negative_draws",
        "test_fit_is_reproducible_and_recovers_beta",
        "test_numpy_prediction_equals_statsmodels",
        "test_runtime_fits_equal_statsmodels",
    ),
    "tests/build/test_tables.py": (
        "test_rebuild_is_byte_identical",
    ),
    "tests/methods/test_cost_compatible.py": (
        "test_throttling_loss_over_intensity",
    ),
    "tests/test_batch_files.py": (
        "test_ten_thousand_rows_with_one_ragged_line",
    ),
    "tests/test_brief.py": (
        "test_charts_render_offline",
        "test_lifted_timeline_says_what_it_would_have_cost",
        "test_monitor_does_not_import_the_chart_stack",
        "test_not_applicable_method_is_said",
        "test_pdf_is_one_a4_page",
    ),
    "tests/test_brief_scripts.py": (
        "test_estimate_brief_shows_a_label_in_every_script",
        "test_every_script_is_shown_when_the_fonts_are_installed",
    ),
    "tests/test_catalogue_estimates.py": (
        "test_every_bundled_event_gets_every_method_or_a_reason",
    ),
    "tests/test_engine.py": (
        "test_dask_engine_equals_local",
    ),
    "tests/test_errors_doc.py": (
        "test_every_named_test_exists",
    ),
    "tests/test_estimate_brief.py": (
        "test_cli_writes_the_brief",
        "test_local_currency_and_a_platform_block",
        "test_pdf_is_one_page",
    ),
    "tests/test_event_charts.py": (
        "test_specs_are_valid_vega_lite",
        "test_the_full_catalogue_renders_with_a_bounded_timeline",
    ),
    "tests/test_event_headline.py": (
        "test_one_headline_row_per_event_year_and_no_figure_without_members",
    ),
    "tests/test_export.py": (
        "test_render_is_the_one_path_of_every_format",
    ),
    "tests/test_exposure.py": (
        "test_properties_bounded_and_never_more_than_reported",
        "test_whole_catalogue_is_bounded[to_snapshot_uncapped]",
    ),
    "tests/test_fault_matrix.py": (
        "test_fault_matrix[brief-ctrl-c]",
        "test_fault_matrix[brief-disk full]",
        "test_fault_matrix[brief-read-only]",
        "test_refresh_faults_change_nothing_and_the_next_refresh_works[ctrl-c]",
        "test_refresh_faults_change_nothing_and_the_next_refresh_works[disk full]",
    ),
    "tests/test_importers_accessnow.py": (
        "test_a_file_of_many_countries_needs_country",
        "test_india_2021_counts_and_hours",
        "test_reading_stop_data_imports_no_build_code",
        "test_workbook_and_csv_of_2022_agree",
        "test_workbook_every_sheet_counts",
    ),
    "tests/test_importers_radar.py": (
        "test_real_docs_example_on_the_command_line",
    ),
    "tests/test_input_errors.py": (
        "test_fuzz_cli_exits_0_or_2_and_never_prints_a_traceback",
        "test_fuzz_parse_and_estimate_succeed_or_raise_an_impact_error",
    ),
    "tests/test_io_faults.py": (
        "test_a_closed_pipe_is_not_an_error",
        "test_estimate_out_and_brief_are_whole_or_absent",
    ),
    "tests/test_method_counts.py": (
        "test_stated_method_counts_match_the_registry",
    ),
    "tests/test_monitor.py": (
        "test_cli_monitor",
    ),
    "tests/test_properties.py": (
        "test_continuous_in_intensity",
        "test_hours_range_is_bracketed_by_its_ends_and_holds_the_fixed_hours_p50",
        "test_monotone_in_affected_share",
        "test_monotone_in_duration",
        "test_monotone_in_intensity",
    ),
    "tests/test_user_events.py": (
        "test_real_access_now_workbook",
    ),
    "tests/test_validate.py": (),
}

#: tests that must share one pytest-xdist worker (``--dist loadgroup``), by group. The browser
#: tests share one `streamlit run app.py` per worker and write their screenshots, downloads and
#: the server's log under fixed names in tests/e2e/artifacts/: in one worker there is one
#: server and one writer.
WORKER_GROUPS: dict[str, tuple[str, ...]] = {
    "browser": (E2E_DIR,),
}


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Under pytest-xdist (``-n``): schedule by group (``--dist loadgroup``) unless another
    grouped mode is asked for, as plain ``load`` would spread a group over the workers; and
    give the workers a short temporary folder (``/tmp/ptXXXXXXXX/popen-gwN/``, no longer than
    pytest's own ``/tmp/pytest-of-USER/pytest-N/``), as tests echo their file names in
    messages that cut a name past `impact.errors.MAX_ECHO` characters."""
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadgroup"
    distributed = getattr(config.option, "dist", "no") != "no" and getattr(
        config.option, "tx", None)
    if distributed and not hasattr(config, "workerinput") and config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="pt")
        config.stash[_SHORT_BASETEMP] = Path(config.option.basetemp)


_SHORT_BASETEMP = pytest.StashKey[Path]()


def pytest_sessionfinish(session, exitstatus):
    """Remove the workers' short temporary folder after a run that passed (kept otherwise,
    like pytest's own)."""
    folder = session.config.stash.get(_SHORT_BASETEMP, None)
    if folder is not None and exitstatus == 0:
        shutil.rmtree(folder, ignore_errors=True)


def _in(nodeid: str, entries: dict[str, tuple[str, ...]]) -> bool:
    """Whether the test ``nodeid`` (``file::name[case]``) is one that ``entries`` names: its
    file with ``()``, its name (then with every case) or its one case."""
    file, _, name = nodeid.partition("::")
    if file not in entries:
        return False
    names = entries[file]
    return not names or any(
        name == n or name.startswith((n + "[", n + "::")) for n in names)


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests ``e2e`` and ``slow``, and the `SLOW` tests ``slow``; put the tests of each of
    `WORKER_GROUPS` (folders) in that ``xdist_group``."""
    for item in items:
        nodeid = item.nodeid
        if nodeid.startswith(E2E_DIR):
            for marker in ("e2e", "slow"):
                if item.get_closest_marker(marker) is None:
                    item.add_marker(getattr(pytest.mark, marker))
        if item.get_closest_marker("slow") is None and _in(nodeid, SLOW):
            item.add_marker(pytest.mark.slow)
        for group, folders in WORKER_GROUPS.items():
            if nodeid.startswith(folders):
                item.add_marker(pytest.mark.xdist_group(group))
