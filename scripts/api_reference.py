"""Write ``docs/api.md``, the API reference of the ``impact`` package, from its docstrings.

The modules are discovered, never listed: every module and subpackage under ``impact/`` whose
name does not start with ``_``. For each module the reference gives the first paragraph of its
docstring, then every public class and function defined in it (names not starting with ``_``)
with its signature and its docstring as written (numpydoc sections kept), the public methods
and properties of each class, and the module's documented constants (``#:`` comments). The
build-time code under ``impact.build`` gets one line per module, read from its source without
importing it.

The output is deterministic: sorted by name, no memory addresses, no absolute paths.

    python scripts/api_reference.py            # rewrite docs/api.md
    python scripts/api_reference.py --check    # exit 1 if docs/api.md is stale
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.util
import inspect
import pkgutil
import re
import socket
import sys
import types
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "impact"
BUILD_PACKAGE = "impact.build"
OUT = REPO / "docs" / "api.md"
HEADER = """# API reference

Generated from the docstrings by `python scripts/api_reference.py`; do not edit it by hand.
`python scripts/api_reference.py --check` fails when it is stale (a test runs it).
`impact.build` (the data build, never imported at run time) is listed one line per module.
"""
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
#: signatures longer than this [characters] are written one parameter a line
WIDTH = 88


class _Text:
    """An annotation or default shown as the given text (``inspect`` shows a string quoted)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def clean(text: str) -> str:
    """Remove what differs between runs and machines: addresses, absolute paths, the home.

    Parameters
    ----------
    text : str
        Any text of the reference.

    Returns
    -------
    str
        The text without ``at 0x…`` addresses, with the repository's path as ``.`` and the
        home folder as ``~``.

    Examples
    --------
    >>> clean("<function f at 0x7f00aa>")
    '<function f>'
    """
    text = _ADDRESS.sub("", text)
    for path, short in ((str(REPO), "."), (str(Path.home()), "~")):
        if len(path) > 1:
            text = text.replace(path, short)
    return text


def first_paragraph(doc: str | None) -> str:
    """The first paragraph of a docstring, or ``""``.

    Examples
    --------
    >>> first_paragraph("One line.\\n\\nMore.")
    'One line.'
    """
    doc = inspect.cleandoc(doc or "").strip()
    return doc.split("\n\n", 1)[0].strip()


def _value_repr(value: object) -> str:
    """A default's repr, with sets sorted (their order changes between runs)."""
    if isinstance(value, (set, frozenset)):
        items = ", ".join(sorted(repr(v) for v in value))
        return f"{type(value).__name__}({{{items}}})" if value else f"{type(value).__name__}()"
    return repr(value)


def _param_parts(params: list[inspect.Parameter]) -> list[str]:
    """Each parameter as text, with the ``/`` and ``*`` markers where ``inspect`` puts them."""
    parts, pos_only, kw_sep = [], False, True
    for param in params:
        if param.kind is param.POSITIONAL_ONLY:
            pos_only = True
        elif pos_only:
            parts.append("/")
            pos_only = False
        if param.kind is param.VAR_POSITIONAL:
            kw_sep = False
        elif param.kind is param.KEYWORD_ONLY and kw_sep:
            parts.append("*")
            kw_sep = False
        parts.append(str(param))
    if pos_only:
        parts.append("/")
    return parts


def _annotation(ann: object) -> _Text:
    return _Text(ann if isinstance(ann, str) else inspect.formatannotation(ann))


def signature(obj: object, name: str, width: int = WIDTH) -> str | None:
    """``name(parameters) -> return`` as written in the source, or None when there is none.

    A signature longer than ``width`` [characters] is written one parameter a line.
    """
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = []
    for param in sig.parameters.values():
        changes = {}
        if param.annotation is not param.empty:
            changes["annotation"] = _annotation(param.annotation)
        if param.default is not param.empty:
            changes["default"] = _Text(_value_repr(param.default))
        params.append(param.replace(**changes))
    ret = ""
    if sig.return_annotation is not sig.empty and not inspect.isclass(obj):
        ret = f" -> {_annotation(sig.return_annotation)!r}"
    parts = _param_parts(params)
    if parts in (["*args", "**kwargs"], ["**data: Any"]):
        return None
    text = f"{name}({', '.join(parts)}){ret}"
    if len(text) > width:
        text = f"{name}(\n" + "".join(f"    {part},\n" for part in parts) + f"){ret}"
    return clean(text)


def pydantic_fields(cls: type) -> list[str]:
    """The fields of a pydantic model, one Markdown item each: name, type, default, description."""
    fields = getattr(cls, "model_fields", None)
    if not isinstance(fields, dict):
        return []
    lines = []
    for name, field in fields.items():
        text = f"`{name}: {_annotation(field.annotation)!r}"
        if field.default_factory is not None:
            text += f" = {getattr(field.default_factory, '__name__', 'factory')}()"
        elif not field.is_required():
            text += f" = {_value_repr(field.default)}"
        text += "`"
        if field.description:
            text += f": {field.description}"
        lines.append(clean(f"- {text}"))
    return lines


def docstring(obj: object) -> str:
    """The object's own docstring, cleaned (never one inherited, never a generated one)."""
    doc = obj.__doc__ if isinstance(obj.__doc__, str) else None
    if inspect.isclass(obj):
        doc = obj.__dict__.get("__doc__")
        if not isinstance(doc, str) or doc.startswith(f"{obj.__name__}("):  # a dataclass's
            doc = None
    return clean(inspect.cleandoc(doc)) if doc else ""


def fence(text: str, lang: str = "text") -> list[str]:
    """A fenced code block longer than any run of backticks in the text."""
    ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
    return [f"{ticks}{lang}", text, ticks]


def discover(package: str = PACKAGE) -> tuple[list[str], list[str]]:
    """The importable modules under ``package`` and the build-time ones, sorted by name.

    Packages are found with ``pkgutil`` from their search path; ``impact.build`` is not
    imported (its modules are read from their source).
    """
    modules, build = [package], []
    todo = [package]
    while todo:
        name = todo.pop()
        spec = importlib.util.find_spec(name)
        for info in pkgutil.iter_modules(spec.submodule_search_locations or []):
            if info.name.startswith("_"):
                continue
            full = f"{name}.{info.name}"
            is_build = full == BUILD_PACKAGE or full.startswith(BUILD_PACKAGE + ".")
            (build if is_build else modules).append(full)
            if info.ispkg:
                todo.append(full)
    return sorted(modules), sorted(build)


def _source_doc(module: str) -> str:
    """The first paragraph of a module's docstring, read from its source without importing it."""
    spec = importlib.util.find_spec(module)
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    return " ".join(first_paragraph(ast.get_docstring(tree)).split())


def constants(module: types.ModuleType) -> list[tuple[str, str]]:
    """Public module-level names bound by assignment: UPPER_CASE ones and any with ``#:`` comments.

    Returns
    -------
    list of (str, str)
        Name and its ``#:`` comment (``""`` when it has none), sorted by name.
    """
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return []
    lines = source.splitlines()
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        else:
            continue
        comment = []
        i = node.lineno - 2
        while i >= 0 and lines[i].lstrip().startswith("#:"):
            comment.insert(0, lines[i].lstrip()[2:].strip())
            i -= 1
        for target in targets:
            value = getattr(module, target, None)
            if target.startswith("_") or inspect.isclass(value) or callable(value):
                continue
            if target.isupper() or comment:
                found[target] = clean(" ".join(comment))
    return sorted(found.items())


def members(module: types.ModuleType) -> list[tuple[str, object]]:
    """Public classes and functions defined in ``module`` (not imported into it), by name."""
    out = []
    for name, obj in vars(module).items():
        if name.startswith("_") or not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        if getattr(obj, "__module__", None) == module.__name__:
            out.append((name, obj))
    return sorted(out)


def class_members(cls: type) -> list[tuple[str, object, str]]:
    """Public methods and properties written in the class itself: (name, function, kind).

    Those a library adds to the class (pydantic's ``model_post_init``) are left out.
    """
    out = []
    for name, attr in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(attr, property):
            func, kind = attr.fget, "property"
        elif isinstance(attr, (classmethod, staticmethod)):
            func, kind = attr.__func__, type(attr).__name__
        elif inspect.isfunction(attr):
            func, kind = attr, "method"
        else:
            continue
        if getattr(func, "__module__", None) == cls.__module__:
            out.append((name, func, kind))
    return sorted(out, key=lambda item: item[0])


def _bases(cls: type) -> str:
    names = [b.__name__ for b in cls.__bases__ if b is not object]
    return f"({', '.join(names)})" if names else ""


def render_object(module: str, name: str, obj: object) -> list[str]:
    """The lines of one class or function: heading, signature, docstring, members."""
    lines = []
    if inspect.isclass(obj):
        lines += [f"### class `{module}.{name}`", ""]
        code = f"class {name}{_bases(obj)}"
        sig = signature(obj, name)
        lines += [*fence(f"{code}\n{sig}" if sig else code, "python"), ""]
    else:
        lines += [f"### `{module}.{name}`", ""]
        lines += [*fence(signature(obj, name) or f"{name}(...)", "python"), ""]
    doc = docstring(obj)
    if doc:
        lines += [*fence(doc), ""]
    if inspect.isclass(obj) and (fields := pydantic_fields(obj)):
        lines += ["Fields:", "", *fields, ""]
    if inspect.isclass(obj):
        for member, func, kind in class_members(obj):
            lines += [f"#### `{name}.{member}` ({kind})", ""]
            if kind != "property":
                sig = signature(func, member)
                if sig:
                    lines += [*fence(sig, "python"), ""]
            doc = docstring(func)
            if doc:
                lines += [*fence(doc), ""]
    return lines


def render_module(module: types.ModuleType) -> list[str]:
    """The lines of one module: heading, first paragraph, exported names, constants, members."""
    name = module.__name__
    lines = [f"## `{name}`", ""]
    summary = clean(first_paragraph(module.__doc__))
    if summary:
        lines += [summary, ""]
    exported = getattr(module, "__all__", None)
    if name == PACKAGE and exported:
        where = []
        for item in sorted(exported):
            origin = getattr(getattr(module, item), "__module__", name)
            where.append(f"`{item}` (`{origin}`)")
        lines += ["Exported: " + ", ".join(where) + ".", ""]
    consts = constants(module)
    if consts:
        lines += ["Constants:", ""]
        lines += [f"- `{const}`" + (f": {text}" if text else "") for const, text in consts]
        lines += [""]
    for member, obj in members(module):
        lines += render_object(name, member, obj)
    return lines


class ReferenceFailed(RuntimeError):
    """The reference cannot be written: a module does not import, or imports streamlit."""


class NetworkUsed(RuntimeError):
    """Raised when importing a module tries to open a connection."""


def _no_network(*args, **kwargs):
    raise NetworkUsed("a module opened a network connection on import")


def import_all(names: list[str]) -> list[types.ModuleType]:
    """Import each module with connections refused; streamlit must not be imported."""
    original = socket.socket.connect, socket.create_connection
    socket.socket.connect, socket.create_connection = _no_network, _no_network
    modules = []
    try:
        for name in names:
            try:
                modules.append(importlib.import_module(name))
            except Exception as exc:
                raise ReferenceFailed(f"{name}: cannot be imported ({type(exc).__name__}: "
                                      f"{clean(str(exc))})") from exc
    finally:
        socket.socket.connect, socket.create_connection = original
    if "streamlit" in sys.modules:
        raise ReferenceFailed("importing the impact package imported streamlit; it must not")
    return modules


def render() -> str:
    """The whole reference as Markdown text."""
    names, build = discover()
    modules = import_all(names)
    lines = [HEADER, "## Modules", ""]
    lines += [f"- [`{m}`](#{m.replace('.', '')})" for m in names]
    lines += [f"- [`{BUILD_PACKAGE}`](#{BUILD_PACKAGE.replace('.', '')}) (build time)", ""]
    for module in modules:
        lines += render_module(module)
    lines += [f"## `{BUILD_PACKAGE}`", "",
              ("Build-time code (raw snapshot to `data/`, the fits, the chart layouts); "
               "never imported at run time."), ""]
    lines += [f"- `{m}`" + (f": {doc}" if (doc := _source_doc(m)) else "") for m in build]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if docs/api.md differs from what would be written")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write [default: docs/api.md]")
    args = parser.parse_args(argv)
    try:
        text = render()
    except ReferenceFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != text:
            what = "missing" if current is None else "stale"
            print(f"{clean(str(args.out))} is {what}; run python scripts/api_reference.py",
                  file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
