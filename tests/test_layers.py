"""The package's layers: each subpackage imports only those below it, no module takes part in
an import cycle, nothing at run time imports the build, and an import inside a function is
there only for start-up time, with its reason on the line.

The order, lowest first (README, "Layout"):

foundation (``impact``, ``errors``, ``vocab``, ``text``, ``format``, ``workbook``, ``net``) < ``bundled``
< ``model`` < ``methods`` < ``estimation`` < ``catalogue`` < ``monitor`` < ``report`` <
``batch`` < ``commands`` < ``cli``; ``build`` (the data build) sits apart: only
``commands.data`` (the ``impact data`` commands) may import it, and it imports anything it needs.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "impact"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("impact", "impact.errors", "impact.vocab", "impact.text", "impact.format",
     "impact.workbook", "impact.net"),
    ("impact.bundled",),
    ("impact.model",),
    ("impact.methods",),
    ("impact.estimation",),
    ("impact.catalogue",),
    ("impact.monitor",),
    ("impact.report",),
    ("impact.batch",),
    ("impact.commands",),
    ("impact.cli",),
)
BUILD = "impact.build"
#: the comment an import inside a function carries: why it is not at the top
REASON = "# start-up:"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def layer(module: str) -> int:
    """Index of ``module``'s layer in `LAYERS` (the longest matching prefix)."""
    best, index = -1, None
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            exact = prefix in LAYERS[0]
            if (module == prefix or (not exact and module.startswith(prefix + "."))) \
                    and len(prefix) > best:
                best, index = len(prefix), i
    if index is None:
        raise KeyError(module)
    return index


def _resolve(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> set[str]:
    """The `impact` modules an import statement loads."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            parts = module.split(".")[: len(module.split(".")) - (0 if is_package else 1)]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join(parts + ([node.module] if node.module else []))
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    found = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


def _visit(node: ast.AST, module: str, is_package: bool, lines: list[str], in_function: bool,
           out: list[tuple[str, str, bool, str]]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            text = "\n".join(lines[child.lineno - 1:child.end_lineno])
            for target in _resolve(child, module, is_package):
                out.append((module, target, in_function, text))
        inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
        _visit(child, module, is_package, lines, inner, out)


def _imports() -> list[tuple[str, str, bool, str]]:
    """(importer, imported, inside a function, source lines) of every `impact` import."""
    out: list[tuple[str, str, bool, str]] = []
    for module, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        _visit(ast.parse(source), module, path.name == "__init__.py", source.splitlines(),
               False, out)
    return out


IMPORTS = _imports()


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        if module != BUILD and not module.startswith(BUILD + "."):
            layer(module)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [f"{a} -> {b}" for a, b, _, _ in IMPORTS
              if not a.startswith(BUILD) and not b.startswith(BUILD) and layer(b) > layer(a)]
    assert upward == []


def test_only_the_data_commands_import_the_build() -> None:
    leaks = sorted({f"{a} -> {b}" for a, b, _, _ in IMPORTS
                    if b.startswith(BUILD) and not a.startswith(BUILD)
                    and a != "impact.commands.data"})
    assert leaks == []


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b, _, _ in IMPORTS:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in list(MODULES):
        if v not in index:
            strong(v)
    assert cycles == []


def test_an_import_inside_a_function_says_why() -> None:
    silent = [f"{a}: {line.strip()}" for a, _, inner, line in IMPORTS
              if inner and REASON not in line]
    assert silent == []


def test_the_layer_test_sees_an_upward_import() -> None:
    assert layer("impact.bundled.io") < layer("impact.report.export")
    assert layer("impact.errors") == 0 and layer("impact.cli") == len(LAYERS) - 1
    with pytest.raises(KeyError):
        layer("impact.nowhere")


#: one file of each importer format (written for the tests, following the publishers' files)
FIXTURES = REPO / "tests" / "fixtures" / "monitor"


def _fixture_per_format() -> dict[str, Path]:
    sys.path.insert(0, str(REPO))
    from impact.errors import ImpactError
    from impact.monitor.importers import FORMATS, detect_format

    out: dict[str, Path] = {}
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file() or path.suffix not in (".json", ".csv", ".xlsx"):
            continue
        with contextlib.suppress(ImpactError):  # a fixture of bad input has no format
            out.setdefault(detect_format(path.read_bytes(), path.name), path)
    assert set(out) == set(FORMATS), f"no fixture for {set(FORMATS) - set(out)}"
    return out


def test_reading_every_importer_format_loads_no_build_module() -> None:
    files = {fmt: str(path) for fmt, path in _fixture_per_format().items()}
    code = f"""
import json, sys
from impact.monitor.importers import read_any
done = {{}}
for fmt, path in {files!r}.items():
    try:
        read_any(path)
    except Exception as exc:  # a file of one country needs none; several need --country
        done[fmt] = type(exc).__name__
    else:
        done[fmt] = "read"
print(json.dumps({{"build": sorted(m for m in sys.modules if m.startswith("impact.build")),
                  "done": done}}))
"""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["build"] == [], got
    assert set(got["done"]) == set(files)


#: where the package's own name is written as a string (it is also our method's name):
#: the program's name, the user data folder, the version keys and the module prefix
PACKAGE_NAME_USES = ("prog=", "user_data_dir(", '"versions"', '{"impact": ', 'name != "impact"',
                     'args = ["impact"')


def test_no_module_outside_methods_names_a_method() -> None:
    sys.path.insert(0, str(REPO))
    from impact.methods import REGISTRY

    named = []
    for root in (PACKAGE, REPO / "app_pages"):
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            if rel.startswith(("impact/methods/", "impact/build/")):
                continue
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
            docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                          if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                               ast.AsyncFunctionDef))
                          and node.body and isinstance(node.body[0], ast.Expr)}
            lines = source.splitlines()
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and node.value in REGISTRY
                        and id(node) not in docstrings
                        and not any(use in lines[node.lineno - 1]
                                    for use in PACKAGE_NAME_USES)):
                    named.append(f"{rel}:{node.lineno} {node.value!r}")
    assert named == []
