"""``data/manifest.json``: every bundled file with its SHA-256, size, row count and schema.

Written at the end of the data build (`impact.build.tables.build_all`,
`impact.build.geometry.build_geometry`) and by ``impact data manifest`` for the files already
in ``data/`` (no raw snapshot needed). `impact.bundled.datacheck` checks every file against it when it
is read. A file is recorded only if its rows pass `impact.bundled.datacheck.RULES`, so the manifest
never certifies data the run time would reject.

The file is deterministic (files in path order, one a line, ``\\n`` line endings): rewriting it
for unchanged data gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from pathlib import Path

import polars as pl

from impact.bundled import datacheck as dc
from impact.bundled.io import _SCHEMAS
from impact.errors import DataError

#: the files recorded: the tables and fits (``*.csv`` at the top of ``data/``) and the map
PATTERNS = ("*.csv", "geometry/*.topojson")
FORMAT = 1


def _version(files: list[Path], folder: Path) -> str:
    """The data version, computed as `impact.bundled.io.data_version` computes it."""
    h = hashlib.sha256()
    for p in sorted(f for f in files if f.parent == folder and f.suffix == ".csv"):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _declared_schema(name: str) -> dict[str, pl.DataType] | None:
    return _SCHEMAS.get(name)


def describe(path: Path, rel: str) -> dict:
    """The manifest entry of one file; a `DataError` if it cannot be read or breaks a rule."""
    data = path.read_bytes()
    entry: dict = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    if rel.endswith(".csv"):
        name = Path(rel).stem
        schema = _declared_schema(name)
        try:
            frame = (pl.read_csv(io.BytesIO(data), schema=schema) if schema else
                     pl.read_csv(io.BytesIO(data), infer_schema_length=None))
        except pl.exceptions.PolarsError as exc:
            raise DataError(f"{path}: not a readable CSV ({dc._one_line(exc)}); "
                            "the manifest was not written") from None
        bad = [c for c, t in frame.schema.items() if str(t) not in dc.DTYPES]
        if bad:
            raise DataError(f"{path}: column {bad[0]} has dtype {frame.schema[bad[0]]}, not "
                            f"one of {', '.join(dc.DTYPES)}; the manifest was not written")
        problem = dc.check_rows(name, frame)
        if problem:
            raise DataError(f"{path}: {problem}; the manifest was not written")
        entry["rows"] = frame.height
        entry["columns"] = {c: str(t) for c, t in frame.schema.items()}
    else:
        text = data.decode("utf-8")
        problem = dc.check_topology(text)
        if problem:
            raise DataError(f"{path}: {problem}; the manifest was not written")
        entry["rows"] = len(json.loads(text)["objects"]["countries"]["geometries"])
        entry["format"] = "topojson, object countries"
    return entry


def manifest_dict(folder: Path) -> dict:
    """The manifest of the files in ``folder`` (see `PATTERNS`)."""
    folder = Path(folder)
    files = sorted({p for pattern in PATTERNS for p in folder.glob(pattern) if p.is_file()})
    return {
        "format": FORMAT,
        "data_version": _version(files, folder),
        "files": {p.relative_to(folder).as_posix(): describe(p, p.relative_to(folder).as_posix())
                  for p in files},
    }


def manifest_text(folder: Path) -> str:
    """The manifest as JSON text: one line per file (so that a changed file changes one
    line), files in path order, columns in file order."""
    doc = manifest_dict(folder)
    dump = functools.partial(json.dumps, ensure_ascii=False)
    files = ",\n".join(f"    {dump(rel)}: {dump(entry)}" for rel, entry in doc["files"].items())
    return (f'{{\n  "format": {doc["format"]},\n  "data_version": {dump(doc["data_version"])},\n'
            f'  "files": {{\n{files}\n  }}\n}}\n')


def write_manifest(folder: Path) -> Path:
    """Write ``folder/manifest.json`` for the files now in ``folder``, and its Frictionless
    description beside it (`DATAPACKAGE_FILE`); returns the manifest's path."""
    path = Path(folder) / dc.MANIFEST_FILE
    text = manifest_text(folder)
    path.write_text(text, encoding="utf-8", newline="\n")
    (Path(folder) / DATAPACKAGE_FILE).write_text(datapackage_text(json.loads(text)),
                                                 encoding="utf-8", newline="\n")
    return path


#: the Frictionless Data Package descriptor written beside the manifest
DATAPACKAGE_FILE = "datapackage.json"
#: manifest column types -> Table Schema field types
_FIELD_TYPES = {"String": "string", "Int64": "integer", "Float64": "number", "Boolean": "boolean",
                "Date": "date"}


def datapackage_dict(manifest: dict) -> dict:
    """A Frictionless Data Package descriptor of the files a manifest records: each table with
    its path, size, SHA-256 and schema (field names and types), the map shapes likewise, the
    data version as the package's version; sources and licences are in ``SOURCES.md``."""
    resources = []
    for rel, entry in manifest["files"].items():
        resource = {"name": Path(rel).stem.lower(), "path": rel, "bytes": entry["bytes"],
                    "hash": f"sha256:{entry['sha256']}"}
        if rel.endswith(".csv"):
            resource |= {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                         "schema": {"fields": [{"name": c, "type": _FIELD_TYPES[t]}
                                               for c, t in entry["columns"].items()]}}
        else:
            resource |= {"format": "topojson", "mediatype": "application/json"}
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": "impact-bundled-data",
        "title": "The curated tables and fits impact estimates shutdown costs from",
        "version": manifest["data_version"],
        "sources": [{"title": "Sources, licences and gaps of every table", "path": "SOURCES.md"}],
        "resources": resources,
    }


def datapackage_text(manifest: dict) -> str:
    """`datapackage_dict` as JSON text (sorted as the manifest, two-space indented)."""
    return json.dumps(datapackage_dict(manifest), ensure_ascii=False, indent=2) + "\n"
