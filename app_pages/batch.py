"""Batch page: upload a CSV of scenarios, estimate every row, download the results.

Thin by design: parsing and estimation are `impact.batch.run`, exports are `impact.report.export`. The
results are cached by the file's bytes, so other reruns do not estimate it again, and the
downloads are built only when clicked. The limits are on the content, after decompression
(`read_upload`); the upload itself is capped by ``server.maxUploadSize``.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

from app_pages.batch_view import (
    BATCH_TEMPLATE,
    DETAIL_COLUMNS,
    FIGURE_WIDTHS,
    batch_table,
    figures_table,
)
from app_pages.cached import batch_results
from app_pages.estimate_exports import XLSX_MIME, export_file
from app_pages.viewmodel import read_upload
from impact import ImpactError
from impact.batch.read import ACCEPTED_COLUMNS, BATCH_COLUMNS, UPLOAD_MAX_BYTES, UPLOAD_MAX_ROWS
from impact.format import md_text
from impact.methods import REGISTRY

LOG = logging.getLogger("impact.app")
MAX_ROWS = UPLOAD_MAX_ROWS
MAX_MB = UPLOAD_MAX_BYTES // 2**20

st.title("Batch: many scenarios at once")
st.write("Upload a CSV with one scenario per row. Columns (blank = default): "
         f"`{','.join(BATCH_COLUMNS)}`; optional: "
         f"`{','.join(c for c in ACCEPTED_COLUMNS if c not in BATCH_COLUMNS)}`. "
         "Bad rows are listed with their row or line number; the good rows are still "
         "estimated, and blank lines are skipped.")
st.caption(f"Limits: a `.csv` file, or a gzip of one (`.csv.gz`), of up to {MAX_MB} MB; at most "
           f"{MAX_ROWS} rows and {MAX_MB} MB of text once decompressed; UTF-8 (with or without "
           "a BOM) or UTF-16 with a BOM. For larger files use `impact batch FILE --out OUT`, "
           "which has no limit.")
st.download_button("Download a template CSV", BATCH_TEMPLATE, file_name="impact_batch.csv",
                   mime="text/csv", on_click="ignore", key="batch_template")

methods = st.multiselect("Methods", list(REGISTRY), default=list(REGISTRY),
                         format_func=lambda m: REGISTRY[m].title, key="batch_methods")
draws = st.select_slider("Monte Carlo draws per row", options=[1000, 2000, 5000, 10_000],
                         value=2000, key="batch_draws")
upload = st.file_uploader("Batch CSV", type=["csv", "gz"], key="batch_file",
                          max_upload_size=MAX_MB)

if upload is None:
    st.info("Upload a CSV to estimate it (the template above is a working example).")
    st.stop()
if not methods:
    st.info("Choose at least one method.")
    st.stop()
data = upload.getvalue()
try:
    table = read_upload(data, upload.name)  # the limits, on the decompressed rows
    with st.spinner("Estimating every row…"):
        results, estimates, errors = batch_results(data, upload.name, tuple(methods), draws)
except ImpactError as err:
    st.error(md_text(err))
    st.stop()
except Exception as err:  # never a traceback in the app
    LOG.exception("batch failed")
    st.error(f"The batch could not be estimated ({type(err).__name__}). Check the file.")
    st.stop()

st.write(f"**{len(estimates)} rows estimated**, {len(errors)} rejected.")
for note in table.notes:
    st.info(md_text(note))
for err in errors:
    st.warning(md_text(err))
if estimates:
    table = batch_table(results)
    figures = figures_table(table)
    st.dataframe(figures, hide_index=True, key="batch_results", width="stretch",
                 column_config={c: st.column_config.Column(width=w, pinned=c == "id")
                                for c, w in zip(figures.columns, FIGURE_WIDTHS, strict=True)})
    st.caption("Each scenario's headline first (the methods that apply, combined), then every "
               "method: median (P50) and 90 % range (P5 to P95). Money in each scenario's "
               "output currency (USD at current prices of the event year unless a currency "
               "is given); the downloads keep every figure in full precision, in USD and in "
               "that currency.")
    with st.expander("Scenario, per day, share of GDP, per person, driver and notes"):
        st.dataframe(table.select(DETAIL_COLUMNS), hide_index=True, width="stretch",
                     key="batch_details",
                     column_config={"id": st.column_config.Column(pinned=True)})
    cols = st.columns(3)
    for col, (label, fmt, name, mime) in zip(cols, [
        ("Download CSV", "csv", "impact_batch_results.csv", "text/csv"),
        ("Download JSON", "json", "impact_batch_results.json", "application/json"),
        ("Download Excel", "xlsx", "impact_batch_results.xlsx", XLSX_MIME),
    ], strict=True):
        # the row errors too: the JSON and the workbook list them, as `impact batch` does
        col.download_button(label, functools.partial(export_file, fmt, estimates, errors),
                            file_name=name, mime=mime, on_click="ignore", key=f"batch_{fmt}")
