"""Every relative link in README.md, benchmarks/README.md and docs/*.md points at a file that
exists, and so does every repository path the prose names in backticks (`docs/headline.md`,
`impact/estimation/engine.py`). Code blocks are skipped; web addresses and in-page anchors are not
checked (no network in tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = sorted([REPO / "README.md", REPO / "benchmarks" / "README.md",
               *(REPO / "docs").glob("*.md")])
#: a Markdown link or image ``[text](target)`` and a reference definition ``[label]: target``
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
#: an inline code span without spaces
CODE_SPAN = re.compile(r"`([^`\s]+)`")
INLINE_CODE = re.compile(r"`[^`\n]+`")
FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.MULTILINE | re.DOTALL)
#: characters of a pattern or a placeholder, not of a file name
PLACEHOLDER = re.compile(r"[*?<>{}…]|\.\.\.")
#: files whose prose names a path that does not exist (fixed in their own change)
KNOWN_STALE: dict[str, str] = {}  # doc -> why it may name a missing path (none today)


def _prose(path: Path) -> str:
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def relative_links(path: Path) -> list[str]:
    """The link targets of a Markdown file that are neither web addresses nor in-page anchors."""
    prose = INLINE_CODE.sub("", _prose(path))
    targets = [a or b for a, b in LINK.findall(prose)]
    return [t for t in targets if not re.match(r"^([a-z][a-z0-9+.-]*:|#)", t, re.IGNORECASE)]


def named_paths(path: Path) -> list[str]:
    """Repository paths named in backticks: those starting with a top-level file or folder."""
    tops = {p.name for p in REPO.iterdir() if not p.name.startswith(".git")}
    out = []
    for span in CODE_SPAN.findall(_prose(path)):
        span = span.split("::")[0].split("#")[0].rstrip(".,;:")
        if PLACEHOLDER.search(span):
            continue
        if span in tops or ("/" in span and span.split("/")[0] in tops):
            out.append(span)
    return out


def _ignored_outputs() -> set[str]:
    """Folders a .gitignore names (e.g. `tests/e2e/artifacts/`): outputs a run creates, which a
    fresh clone does not have until the tests that write them have run."""
    out = set()
    for ignore in REPO.rglob(".gitignore"):
        if ".git" in ignore.relative_to(REPO).parts[:-1]:
            continue
        base = ignore.parent.relative_to(REPO).as_posix()
        for line in ignore.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "*" not in line:
                out.add(line.strip("/") if base == "." else f"{base}/{line.strip('/')}")
    return out


def _exists(path: str) -> bool:
    return (REPO / path).exists() or path.strip("/") in _ignored_outputs()


def _id(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.mark.parametrize("doc", DOCS, ids=_id)
def test_relative_links_point_at_files(doc: Path) -> None:
    missing = [t for t in relative_links(doc)
               if not (doc.parent / t.split("#")[0].split("?")[0]).exists()]
    assert missing == [], f"{_id(doc)} links to missing files: {missing}"


@pytest.mark.parametrize("doc", [
    pytest.param(doc, marks=pytest.mark.xfail(strict=True, reason=KNOWN_STALE[_id(doc)]))
    if _id(doc) in KNOWN_STALE else doc for doc in DOCS], ids=_id)
def test_paths_named_in_backticks_exist(doc: Path) -> None:
    missing = [p for p in named_paths(doc) if not _exists(p)]
    assert missing == [], f"{_id(doc)} names missing files: {missing}"


def test_the_link_finder_sees_links_and_skips_code(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("See [x](b.md#part), ![c](img/c.svg \"title\"), [w](https://example.org), "
                   "[here](#top).\n\n[ref]: ../d.md\n\n```text\n[not](e.md)\n```\n",
                   encoding="utf-8")
    assert relative_links(doc) == ["b.md#part", "img/c.svg", "../d.md"]
