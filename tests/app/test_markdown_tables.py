"""Small tables are drawn as Markdown: every cell escaped, and read back as written."""

from __future__ import annotations

from impact import format as fmt
from tests.app.markdown_tables import parse_table


def test_a_table_reads_back_as_written() -> None:
    text = fmt.md_table(["", "Kept", "Diff"], [["GDP [USD]", "USD 1 m", "−2 %"],
                                               ["a|b", None, "x*y"]])
    frame = parse_table(text)
    assert list(frame.columns) == ["Kept", "Diff"]
    assert frame.loc["a|b", "Diff"] == "x*y" and frame.loc["GDP [USD]", "Kept"] == "USD 1 m"


def test_the_estimate_page_draws_no_table_element() -> None:
    """Streamlit's table element imports pandas (about 0.3 s on a server's first page, the
    cold start `benchmarks/bench_app.py` measures): the Estimate page's small tables go
    through `app_pages.tables.draw_table` instead."""
    from pathlib import Path

    pages = sorted((Path(__file__).resolve().parents[2] / "app_pages").glob("estimate*.py"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "st.table(" not in text and ".to_pandas(" not in text, page.name
