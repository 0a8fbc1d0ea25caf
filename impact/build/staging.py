"""Build into a temporary copy of a data folder, and swap it in only when the build is done.

`building(dest)` is how ``impact data build``, ``impact data geometry``,
``scripts/build_data.py`` and ``impact data refresh --to`` write a data folder: a build that
fails half-way (a raw file missing, a fit that cannot be made) leaves ``dest`` exactly as it
was, and the temporary folder is removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def swap_in(new: Path, dest: Path) -> Path:
    """Put folder ``new`` in place of ``dest`` (two renames on the same file system; the old
    folder is put back if the second fails, and removed once the new one is in place)."""
    if not dest.exists():
        os.replace(new, dest)
        return dest
    old = dest.with_name(f".{dest.name}.previous-{os.getpid()}")
    os.replace(dest, old)
    try:
        os.replace(new, dest)
    except OSError:
        os.replace(old, dest)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return dest


@contextlib.contextmanager
def building(dest: Path) -> Iterator[Path]:
    """A temporary copy of ``dest`` (empty when ``dest`` does not exist) beside it, to build
    into; swapped in for ``dest`` when the block ends, removed if it raises."""
    dest = Path(dest).resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.build-", dir=dest.parent))
    try:
        if dest.is_dir():
            shutil.copytree(dest, tmp, dirs_exist_ok=True)
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, dest)
