"""What the Data & sources page shows, computed once per process and data version: which data
is in use (bundled or refreshed), the vintage of every table and the data's SOURCES.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import streamlit as st

from impact.bundled.datastore import refresh_record
from impact.bundled.io import bundled_dir, read_bundled


@dataclass(frozen=True)
class DataSources:
    """The page's content: where the data comes from (a phrase), its vintages (None when no
    table is bundled) and its SOURCES.md (None when absent)."""

    which: str
    vintages: pa.Table | None
    sources: str | None


def which_data(folder: Path, record: dict | None) -> str:
    """Where the data in ``folder`` comes from, in words (its refresh ``record`` if any)."""
    if folder == bundled_dir():
        return "the data bundled with the package"
    if record:
        return (f"refreshed from the publishers on {record.get('refreshed', '?')[:10]} "
                f"(from data `{record.get('based_on', '?')}`)")
    return f"read from {folder}"


@st.cache_resource(show_spinner=False, max_entries=4)
def data_sources(version: str, folder: str) -> DataSources:
    """`DataSources` of the data ``version`` in ``folder`` (shared and read-only)."""
    where = Path(folder)
    try:
        vintages = read_bundled("vintages").to_arrow()
    except FileNotFoundError:
        vintages = None
    sources = where / "SOURCES.md"
    text = sources.read_text(encoding="utf-8") if sources.is_file() else None
    return DataSources(which_data(where, refresh_record(where)), vintages, text)
