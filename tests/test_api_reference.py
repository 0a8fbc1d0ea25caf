"""docs/api.md is what `scripts/api_reference.py` writes from the docstrings, covers every
module under impact/ (impact.build one line each), and writing it imports no streamlit and
opens no connection."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "api_reference.py"


def _script():
    spec = importlib.util.spec_from_file_location("api_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_docs_api_md_is_current() -> None:
    proc = _run("--check")
    assert proc.returncode == 0, proc.stderr.strip()


def test_a_stale_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    stale = tmp_path / "api.md"
    stale.write_text("# API reference\n", encoding="utf-8")
    proc = _run("--check", "--out", str(stale))
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "is stale; run python scripts/api_reference.py" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_module_file_is_discovered() -> None:
    """Every public .py file and package under impact/ is in the reference, none is missed."""
    on_disk = set()
    for path in (REPO / "impact").rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            on_disk.add(".".join(parts))
    modules, build = _script().discover()
    assert set(modules) | set(build) == on_disk
    assert all(m.startswith("impact.build") for m in build)
    assert not any(m.startswith("impact.build") for m in modules)


def test_the_reference_has_no_address_nor_absolute_path() -> None:
    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    assert " at 0x" not in text
    assert str(REPO) not in text
    assert str(Path.home()) not in text


@pytest.mark.parametrize(("text", "expected"), [
    ("<object object at 0x7f3a2c1b0e10>", "<object object>"),
    (f"{REPO}/data/events.csv", "./data/events.csv"),
])
def test_clean(text: str, expected: str) -> None:
    assert _script().clean(text) == expected


def test_a_long_signature_is_one_parameter_a_line() -> None:
    def f(first_parameter: int, second_parameter: str = "x", *, third_parameter: float = 1.0,
          fourth_parameter: frozenset = frozenset({"b", "a"})) -> None: ...

    text = _script().signature(f, "f")
    assert text.splitlines() == [
        "f(", "    first_parameter: int,", "    second_parameter: str = 'x',", "    *,",
        "    third_parameter: float = 1.0,",
        "    fourth_parameter: frozenset = frozenset({'a', 'b'}),", ") -> None"]
