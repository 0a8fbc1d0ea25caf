"""The pages' Markdown tables (`app_pages.tables.draw_table`) read back from an AppTest, as
pandas frames indexed by their first column (as a table element's value was)."""

from __future__ import annotations

import re

import pandas as pd

#: a backslash escape of `impact.format.md_text`
_ESCAPE = re.compile(r"\\(.)")
#: a cell separator: a pipe not escaped
_CELLS = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [_ESCAPE.sub(r"\1", c.strip()) for c in _CELLS.split(inner)]


def parse_table(text: str) -> pd.DataFrame:
    """A Markdown table's text -> its frame, indexed by the first column."""
    lines = [line for line in text.splitlines() if line.strip().startswith("|")]
    head, body = _cells(lines[0]), [_cells(line) for line in lines[2:]]
    return pd.DataFrame(body, columns=head).set_index(head[0])


def shown_tables(at) -> list[pd.DataFrame]:
    """Every Markdown table an AppTest run drew, in page order."""
    return [parse_table(m.value) for m in at.markdown
            if m.value.lstrip().startswith("|") and "\n| " in m.value]

