"""AppTest checks of the Batch page: the method picker speaks in the Estimate page's titles, and
the result table is formatted like the Estimate page's comparison (`impact.format`)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from app_pages.batch_view import short_methods
from impact import format as fmt
from impact.estimation.ensemble import ENSEMBLE_TITLE
from impact.methods import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
BATCH = str(ROOT / "app_pages" / "batch.py")
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
FIXTURE = ROOT / "tests" / "fixtures" / "batch_bad.csv"
TIMEOUT = 60
MONEY = ("P5", "P50", "P95", "per day (P50)", "per capita (P50)")


def _uploaded() -> AppTest:
    at = AppTest.from_file(BATCH, default_timeout=TIMEOUT).run()
    at.file_uploader(key="batch_file").set_value((FIXTURE.name, FIXTURE.read_bytes(),
                                                  "text/csv"))
    at.run()
    assert not at.exception and not at.error
    return at


def test_method_picker_shows_the_estimate_pages_titles():
    batch = AppTest.from_file(BATCH, default_timeout=TIMEOUT).run()
    estimate = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT).run()
    picker, theirs = batch.multiselect(key="batch_methods"), estimate.multiselect(key="methods")
    titles = [m.title for m in REGISTRY.values()]
    assert picker.options == theirs.options == titles
    assert picker.value == list(REGISTRY)  # the values stay the method names
    assert not set(picker.options) & set(REGISTRY)  # no code is shown


def _table(at: AppTest):
    """The figures (currency back in each cell) and the details side by side, as one table
    (row by row: both list the scenarios' rows in the same order)."""
    figures, details = (d.value for d in at.dataframe)
    figures = figures.drop(columns=["id", "method"])
    for column in list(figures.columns):
        name, _, code = column.partition(" (")
        code = code.rstrip(")")
        if code:
            figures[column] = [c if c == fmt.MISSING else f"{code} {c}" for c in figures[column]]
        figures = figures.rename(columns={column: name})
    return details.join(figures)


def test_figures_fit_a_phone_and_the_headline_leads_each_scenario():
    at = _uploaded()
    figures, details = (d.value for d in at.dataframe)
    # one currency: it is in the headers, and each cell is a number and its unit
    assert list(figures.columns) == ["id", "method", "P50 (USD)", "P5 (USD)", "P95 (USD)"]
    assert not any(c.startswith("USD") for c in figures["P50 (USD)"])
    assert list(details.columns) == ["id", "method", "country", "scope", "duration", "status",
                                     "per day (P50)", "% of GDP (P50)", "per capita (P50)",
                                     "main driver", "note / reason"]
    for id_ in ("good-1", "good-2"):
        methods = list(figures[figures["id"] == id_]["method"])
        assert methods[0] == "Headline"  # the headline, then every method in order
        assert methods[1:] == list(short_methods([m.title for m in REGISTRY.values()]).values())
        full = list(details[details["id"] == id_]["method"])
        assert full[0] == ENSEMBLE_TITLE and full[1:] == [m.title for m in REGISTRY.values()]
    from app_pages.batch_view import FIGURE_WIDTHS

    assert sum(FIGURE_WIDTHS) <= 356  # a phone's table width [px] (390 less padding)
    config = at.dataframe[0].proto.columns
    assert all(f'"{c}"' in config for c in figures.columns)  # each width is set


def test_result_table_is_formatted_with_the_one_formatter():
    at = _uploaded()
    table = _table(at)
    assert set(table.columns) == {"id", "country", "scope", "duration", "method", "status",
                                  *MONEY[:3], "per day (P50)", "% of GDP (P50)",
                                  "per capita (P50)", "main driver", "note / reason"}
    assert set(table["id"]) == {"good-1", "good-2"}
    assert set(table["method"]) == {*(m.title for m in REGISTRY.values()),
                                    ENSEMBLE_TITLE}
    cells = [str(c) for c in table.to_numpy().ravel()]
    assert "None" not in cells and "nan" not in cells
    ok = table[table["status"] == "ok"]
    assert len(ok) == len(table)  # both good rows are costed by every method
    for column in MONEY:
        assert all(c.startswith("USD ") for c in ok[column]), column
        assert all(fmt.parse_number(c) is not None for c in ok[column])
    assert all(c.endswith(" %") for c in ok["% of GDP (P50)"])
    assert set(table["duration"]) == {"10 hours", "24 hours"}
    assert set(table["scope"]) == {"Mobile data only", "Full internet"}
    # what the ensemble has no value for is the formatter's missing mark, not "None"
    ensemble = table[table["method"] == ENSEMBLE_TITLE]
    assert set(ensemble["main driver"]) == {fmt.MISSING}


def test_not_costed_rows_show_the_missing_mark():
    at = AppTest.from_file(BATCH, default_timeout=TIMEOUT).run()
    rows = "id,country,duration_hours,scope,platforms\nx-block,PAK,48,platforms,x\n"
    at.file_uploader(key="batch_file").set_value(("x.csv", rows.encode(), "text/csv"))
    at.run()
    assert not at.exception and not at.error
    table = _table(at)
    deloitte = table[table["method"] == REGISTRY["deloitte2016"].title].iloc[0]
    assert deloitte["status"] == "not applicable"
    assert all(deloitte[c] == fmt.MISSING for c in (*MONEY, "% of GDP (P50)", "main driver"))
    assert deloitte["note / reason"]


def test_each_scenario_in_its_own_output_currency():
    from app_pages.batch_view import batch_table
    from app_pages.viewmodel import run_uploaded_batch

    rows = "id,country,duration_hours,currency\npk,PAK,10,local\nin,IND,10,\n"
    results, _, errors = run_uploaded_batch(rows.encode(), "c.csv", list(REGISTRY), 1000)
    assert not errors
    table = batch_table(results)
    for id_, code in (("pk", "PKR "), ("in", "USD ")):
        shown = table.filter(table["id"] == id_)
        assert all(c.startswith(code) for col in MONEY for c in shown[col]), id_


def test_figures_of_several_currencies_keep_the_code_in_each_cell():
    from app_pages.batch_view import batch_table, figures_table
    from app_pages.viewmodel import run_uploaded_batch

    rows = "id,country,duration_hours,currency\npk,PAK,10,local\nin,IND,10,\n"
    results, _, _ = run_uploaded_batch(rows.encode(), "c.csv", list(REGISTRY), 1000)
    figures = figures_table(batch_table(results))
    assert list(figures.columns) == ["id", "method", "P50", "P5", "P95"]
    assert all(c.startswith("PKR ") for c in figures.filter(figures["id"] == "pk")["P50"])
    assert figures["method"][0] == "Headline"
