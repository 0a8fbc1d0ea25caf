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

#: environment variable naming the raw snapshot folder (default: ``<repo>/../shared/data``)
RAW_ENV = "IMPACT_RAW_DATA"
REPO_DIR = Path(__file__).resolve().parents[2]


def default_raw_dir() -> Path:
    """The raw snapshot folder: ``$IMPACT_RAW_DATA`` if set, else ``<repo>/../shared/data``."""
    env = os.environ.get(RAW_ENV, "").strip()
    return Path(env) if env else REPO_DIR.parent / "shared" / "data"
