"""The user-level data store: refreshed data versions kept outside the package.

``impact data refresh`` writes each new data version to ``<home>/versions/<version>/`` (a full
data folder with its own ``manifest.json``) and then names it in ``<home>/current``, replaced
atomically, so an installed package never writes inside site-packages and a failed refresh
never touches the data in use. ``<home>`` is `home`: ``$IMPACT_DATA_HOME`` if set, else the
platform's user data folder (``~/.local/share/impact`` on Linux, ``~/Library/Application
Support/impact`` on macOS, ``%LOCALAPPDATA%\\impact`` on Windows).

`impact.bundled.io.data_dir` uses, in this order: ``$IMPACT_DATA_DIR`` (one folder, as given); the
store's current version; the bundled data. ``impact data use bundled`` (or deleting
``<home>``) goes back to the bundled data; ``impact data use VERSION`` to a stored version.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from impact.bundled.datacheck import MANIFEST_FILE, check_folder
from impact.errors import InputError

HOME_ENV = "IMPACT_DATA_HOME"
POINTER = "current"
VERSIONS = "versions"
BUNDLED = "bundled"
#: what a refresh records about itself in the version folder (not checksummed: informational)
REFRESH_FILE = "refresh.json"
_NAME = re.compile(r"^[0-9a-f]{12}$")


def home() -> Path:
    """The user-level data folder: ``$IMPACT_DATA_HOME`` or the platform's user data dir."""
    env = os.environ.get(HOME_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir("impact", appauthor=False))


def version_dir(name: str, root: Path | None = None) -> Path:
    """The folder of stored version ``name`` (it may not exist)."""
    return (root or home()) / VERSIONS / name


def pointed(root: Path | None = None) -> str | None:
    """The version named in ``<home>/current`` (``bundled`` or a version), or None."""
    try:
        text = ((root or home()) / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def current_dir(root: Path | None = None) -> Path | None:
    """The stored version in use, or None (no store, ``bundled`` named, or the named version
    is missing or has no manifest: the bundled data is then the fallback)."""
    name = pointed(root)
    if not name or name == BUNDLED or not _NAME.match(name):
        return None
    folder = version_dir(name, root)
    return folder if (folder / MANIFEST_FILE).is_file() else None


def write_pointer(name: str, root: Path | None = None) -> Path:
    """Name ``name`` (a stored version or ``bundled``) in ``<home>/current``: written to a
    temporary file beside it, then renamed over it (atomic)."""
    root = root or home()
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".current-", dir=root)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, root / POINTER)
    return root / POINTER


@dataclass(frozen=True)
class StoredVersion:
    """One data version in the store."""

    name: str
    folder: Path
    in_use: bool
    refreshed: str | None  #: when the refresh that wrote it ran (ISO 8601, UTC)
    based_on: str | None  #: the data version it was refreshed from


def refresh_record(folder: Path) -> dict:
    """What the refresh that wrote ``folder`` recorded (empty for the bundled data)."""
    try:
        return json.loads((Path(folder) / REFRESH_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def stored_versions(root: Path | None = None) -> list[StoredVersion]:
    """Every version in the store, newest refresh first."""
    root = root or home()
    in_use = pointed(root)
    out = []
    for folder in sorted((root / VERSIONS).glob("*")):
        if not (_NAME.match(folder.name) and (folder / MANIFEST_FILE).is_file()):
            continue  # a refresh's temporary folder, or something not ours
        rec = refresh_record(folder)
        out.append(StoredVersion(folder.name, folder, folder.name == in_use,
                                 rec.get("refreshed"), rec.get("based_on")))
    return sorted(out, key=lambda v: v.refreshed or "", reverse=True)


def use(name: str, root: Path | None = None) -> str:
    """Switch to stored version ``name`` or to ``bundled``; returns a line saying so.

    The version is checked against its manifest first; a bad name is an `InputError`."""
    root = root or home()
    name = name.strip()
    if name != BUNDLED:
        names = [v.name for v in stored_versions(root)]
        if name not in names:
            raise InputError("version", name, "bundled or a stored version ("
                             + (", ".join(names) if names else f"none in {root}") + ")")
        check_folder(version_dir(name, root))
    write_pointer(name, root)
    forget_data_dir()
    return (f"now using the bundled data (the store {root} is kept)" if name == BUNDLED
            else f"now using data {name} from {version_dir(name, root)}")


def forget_data_dir() -> None:
    """Resolve `data_dir` afresh on its next call and forget everything read from the old
    data (after ``impact data use`` or a refresh in this process): every ``functools`` cache
    of the loaded `impact` modules is cleared (they hold only data read from `data_dir` or
    values computed from it and from their arguments, so clearing is always safe)."""
    for name, module in list(sys.modules.items()):
        if name != "impact" and not name.startswith("impact."):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and hasattr(value, "cache_info"):
                clear()
