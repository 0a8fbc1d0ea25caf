"""Build time: raw public snapshot -> the curated tables and fits in ``data/``.

Everything here runs when the data are rebuilt (``impact data build``,
``python scripts/build_data.py``) or a report is written; the run-time package never imports
it. ``tables`` (indicators, countries, anchors, vintages; `tables.build_all` writes every
table), ``areas`` (sub-national populations and area-name matching), ``catalogue`` (the
Access Now event catalogue), ``digital_share`` and ``calibration`` (statsmodels OLS fits)
and ``panel_models`` (the panel effect and risk models and their report).
"""

from __future__ import annotations

import os
from pathlib import Path

from impact.errors import InputError

#: environment variable naming the raw snapshot folder (default: ``<repo>/../shared/data``)
RAW_ENV = "IMPACT_RAW_DATA"
REPO_DIR = Path(__file__).resolve().parents[2]


#: a file every raw snapshot holds (the builds of data/ and of the map shapes read it)
RAW_MARKER = Path("meta") / "country_codes.csv"


def default_raw_dir() -> Path:
    """The raw snapshot folder: ``$IMPACT_RAW_DATA`` if set, else ``<repo>/../shared/data``
    (beside the checkout, whatever the current directory)."""
    env = os.environ.get(RAW_ENV, "").strip()
    return Path(env).expanduser() if env else REPO_DIR.parent / "shared" / "data"


def raw_dir(given: Path | str | None = None) -> Path:
    """The raw snapshot folder a build reads, as an absolute path: ``given`` (``--raw``),
    else `default_raw_dir`.

    Raises
    ------
    InputError : (field ``raw``) the folder is missing or holds no `RAW_MARKER`; the line
        names the folder looked in, where it came from, ``--raw`` and ``IMPACT_RAW_DATA``
    """
    if given is not None:
        folder, origin = Path(given).expanduser(), "given by --raw"
    elif os.environ.get(RAW_ENV, "").strip():
        folder, origin = default_raw_dir(), f"from {RAW_ENV}"
    else:
        folder, origin = default_raw_dir(), f"the default beside the checkout; {RAW_ENV} is not set"
    folder = folder.absolute()
    if folder.is_dir() and (folder / RAW_MARKER).is_file():
        return folder
    what = ("does not exist" if not folder.exists() else "is not a folder"
            if not folder.is_dir() else f"has no {RAW_MARKER.as_posix()}")
    raise InputError("raw", str(given if given is not None else folder),
                     f"the raw snapshot folder (meta/, wdi/, devices/, digital_economy/, ...): "
                     f"looked in {folder} ({origin}), which {what}; pass --raw DIR or set "
                     f"{RAW_ENV}=DIR")
