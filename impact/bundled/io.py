"""All file access: bundled tables, user files and exports go through here.

``read_*`` functions read local files; nothing in `impact` reaches the network.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from pathlib import Path

import polars as pl

from impact.bundled.datacheck import DATA_ENV, check_folder, checked_table, checked_text
from impact.bundled.datastore import HOME_ENV, current_dir
from impact.errors import BundledDataError, InputError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # impact/
_WHEEL_DATA = PACKAGE_DIR / "_bundled_data"
_REPO_DATA = PACKAGE_DIR.parent / "data"


def bundled_dir() -> Path:
    """The data shipped with the package (``data/`` in a checkout)."""
    return _WHEEL_DATA if _WHEEL_DATA.is_dir() else _REPO_DATA


def data_dir() -> Path:
    """The data folder in use: ``$IMPACT_DATA_DIR`` if set (that folder needs its own
    ``manifest.json``: ``impact data manifest --out <folder>``); else the current version of
    the user-level store (`impact.bundled.datastore`, written by ``impact data refresh``); else
    `bundled_dir`. Resolved once per process and environment (`forget_data_dir` resets it).
    """
    return _data_dir(os.environ.get(DATA_ENV, "").strip(),
                     os.environ.get(HOME_ENV, "").strip())


@functools.cache
def _data_dir(env: str, _home: str) -> Path:
    if env:
        shown = env if len(env) <= 120 else env[:117] + "..."
        try:
            folder = Path(env).expanduser().resolve()
            ok = folder.is_dir()
        except (OSError, RuntimeError, ValueError):  # a link loop, a name too long
            ok = False
        if not ok:
            raise BundledDataError(f"{DATA_ENV}={shown!r} is not a data folder (a readable "
                                   "folder with manifest.json; unset it to use the bundled "
                                   "data)")
        return folder
    return current_dir() or bundled_dir()


#: full schemas of the tables read on every estimate, as the data build declares them (the
#: manifest records them; `impact.bundled.io.read_bundled` parses every table with the manifest's
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
    schema, its rows pass `impact.bundled.datacheck.RULES`, its SHA-256 is unchanged); any failure is
    a one-line `DataError` naming the file (`BundledFileMissing`, also a `FileNotFoundError`,
    when it is absent). Cached per data folder: every call returns the same (immutable)
    polars frame, and each file is read and hashed once per process.
    """
    return _read_bundled(data_dir(), name)


@functools.cache
def _read_bundled(folder: Path, name: str) -> pl.DataFrame:
    return checked_table(folder, name)


def data_version() -> str:
    """A short fingerprint (sha256 of every table the manifest of `data_dir` lists) that
    names the data."""
    return _data_version(data_dir())


def bundled_version() -> str:
    """The data version of `bundled_dir` (the data shipped with the package)."""
    return _data_version(bundled_dir())


@functools.cache
def _data_version(folder: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in _version_files(folder):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _version_files(folder: Path) -> list[Path]:
    """The tables that name the data: those its manifest lists (a file someone dropped into
    the folder changes nothing), else every ``*.csv`` at its top."""
    try:
        listed = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return sorted(folder.glob("*.csv"))
    return sorted(folder / n for n in listed if n.endswith(".csv") and "/" not in n
                  and (folder / n).is_file())


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
    """Read and verify every file listed in ``manifest.json`` of `data_dir`
    (`impact.bundled.datacheck.check_folder`); returns their paths relative to it, or raises the
    first `DataError`."""
    return check_folder(data_dir())


def read_geometry() -> dict:
    """The bundled country shapes as a new TopoJSON dict (`read_geometry_text`, parsed)."""
    return json.loads(read_geometry_text())


def read_json(path: Path) -> object:
    return json.loads(Path(path).read_text(encoding="utf-8"))


# ---- writing outputs ------------------------------------------------------------------------------
def write_atomic(path: str | Path, data: bytes | str, field: str = "out") -> Path:
    """Write ``data`` to ``path`` whole or not at all: to a temporary file beside it, flushed,
    then renamed over it. A fault (disk full, read-only, no such folder, a folder in the way)
    removes the temporary file, leaves any earlier ``path`` as it was, and is one
    `InputError` naming ``field``, the path and the reason."""
    import tempfile


    path = Path(path)
    if path.is_dir():
        raise InputError(field, str(path), "a file path, not a folder")
    if not path.parent.is_dir():
        raise InputError(field, str(path), "a path in an existing folder")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.chmod(tmp, 0o644)  # an ordinary file, not mkstemp's owner-only one
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise InputError(field, str(path), f"a writable path ({exc.strerror or exc}); "
                         "nothing was written") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return path
