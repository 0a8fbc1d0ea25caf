"""All file access: bundled tables, user files and exports go through here.

``read_*`` functions read local files; nothing in `impact` reaches the network.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import polars as pl

from impact.datacheck import DATA_ENV, checked_table, checked_text, manifest

PACKAGE_DIR = Path(__file__).resolve().parent
_WHEEL_DATA = PACKAGE_DIR / "_bundled_data"
_REPO_DATA = PACKAGE_DIR.parent / "data"


def data_dir() -> Path:
    """Directory of the bundled, curated tables (``data/`` in a checkout).

    ``$IMPACT_DATA_DIR``, if set, points it at another folder (e.g. a copy of ``data/``);
    that folder needs its own ``manifest.json`` (``impact data manifest --out <folder>``).
    """
    env = os.environ.get(DATA_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return _WHEEL_DATA if _WHEEL_DATA.is_dir() else _REPO_DATA


#: full schemas of the tables read on every estimate, as the data build declares them (the
#: manifest records them; `impact.io.read_bundled` parses every table with the manifest's
#: schema, so no read infers types)
_SCHEMAS = {
    "indicators": {"iso3": pl.String, "indicator": pl.String, "year": pl.Int64,
                   "value": pl.Float64, "source": pl.String},
    "digital_share": {"iso3": pl.String, "year": pl.Int64, "share_central": pl.Float64,
                      "share_low": pl.Float64, "share_high": pl.Float64, "basis": pl.String,
                      "definition": pl.String, "n_anchors": pl.Int64},
    "regions": {"iso3": pl.String, "name": pl.String, "kind": pl.String, "parent": pl.String,
                "population": pl.Int64, "reference_year": pl.Int64, "source": pl.String},
    "countries": {c: pl.String for c in (
        "iso3", "iso2", "name", "name_short", "official_name", "aliases", "region",
        "income_group", "currency_code", "un_region", "un_subregion")},
}


def read_bundled(name: str) -> pl.DataFrame:
    """Read a bundled table by stem (``countries``, ``indicators``, ``parameters`` ...).

    The file is checked against ``data/manifest.json`` (exists, parses with the recorded
    schema, its rows pass `impact.datacheck.RULES`, its SHA-256 is unchanged); any failure is
    a one-line `DataError` naming the file (`BundledFileMissing`, also a `FileNotFoundError`,
    when it is absent). Cached per data folder: every call returns the same (immutable)
    polars frame, and each file is read and hashed once per process.
    """
    return _read_bundled(data_dir(), name)


@functools.cache
def _read_bundled(folder: Path, name: str) -> pl.DataFrame:
    return checked_table(folder, name)


@functools.cache
def data_version() -> str:
    """A short fingerprint (sha256 of every bundled table) used as a cache key."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(data_dir().glob("*.csv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


#: the map's country shapes (TopoJSON, object ``countries``; `impact.build.geometry`)
GEOMETRY_FILE = Path("geometry") / "countries-110m.topojson"


def read_geometry_text() -> str:
    """The bundled country shapes as TopoJSON text (Natural Earth 1:110m via world-atlas;
    each shape's ``properties`` hold ``iso3`` and ``name``), checked against the manifest like
    `read_bundled`. Cached: read once."""
    return _read_geometry_text(data_dir())


@functools.cache
def _read_geometry_text(folder: Path) -> str:
    return checked_text(folder, GEOMETRY_FILE.as_posix())


def check_bundled() -> list[str]:
    """Read and verify every file listed in ``manifest.json`` (as `read_bundled` and
    `read_geometry_text` do); returns their paths relative to `data_dir`, or raises the
    first `DataError`."""
    files = list(manifest(data_dir())["files"])
    for rel in files:
        if rel == GEOMETRY_FILE.as_posix():
            read_geometry_text()
        elif rel.endswith(".csv") and "/" not in rel:
            read_bundled(rel.removesuffix(".csv"))
    return files


def read_geometry() -> dict:
    """The bundled country shapes as a new TopoJSON dict (`read_geometry_text`, parsed)."""
    return json.loads(read_geometry_text())


def read_json(path: Path) -> object:
    return json.loads(Path(path).read_text(encoding="utf-8"))
