"""All file access: bundled tables, user files and exports go through here.

``read_*`` functions read local files; nothing in `impact` reaches the network.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import polars as pl

PACKAGE_DIR = Path(__file__).resolve().parent
_WHEEL_DATA = PACKAGE_DIR / "_bundled_data"
_REPO_DATA = PACKAGE_DIR.parent / "data"


def data_dir() -> Path:
    """Directory of the bundled, curated tables (``data/`` in a checkout)."""
    return _WHEEL_DATA if _WHEEL_DATA.is_dir() else _REPO_DATA


#: full schemas of the tables read on every estimate: reading with a schema skips a
#: whole-file type inference (10× faster for the 49,000 indicator rows); a file whose columns
#: differ fails to read, naming the file
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


@functools.cache
def read_bundled(name: str) -> pl.DataFrame:
    """Read a bundled table by stem (``countries``, ``indicators``, ``parameters`` ...).

    Cached: every call returns the same (immutable) polars frame.
    """
    path = data_dir() / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"bundled table {name!r} not found at {path}")
    if name in _SCHEMAS:
        return pl.read_csv(path, schema=_SCHEMAS[name])
    return pl.read_csv(path, infer_schema_length=None)


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


@functools.cache
def read_geometry_text() -> str:
    """The bundled country shapes as TopoJSON text (Natural Earth 1:110m via world-atlas;
    each shape's ``properties`` hold ``iso3`` and ``name``). Cached: read once."""
    path = data_dir() / GEOMETRY_FILE
    if not path.is_file():
        raise FileNotFoundError(f"bundled country shapes not found at {path}")
    return path.read_text(encoding="utf-8")


def read_geometry() -> dict:
    """The bundled country shapes as a new TopoJSON dict (`read_geometry_text`, parsed)."""
    return json.loads(read_geometry_text())


def read_json(path: Path) -> object:
    return json.loads(Path(path).read_text(encoding="utf-8"))
