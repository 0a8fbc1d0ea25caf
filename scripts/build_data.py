"""Rebuild the curated tables in ``data/`` from the raw public snapshot.

Usage: ``python scripts/build_data.py [--raw DIR] [--out DIR] [--geometry
world-atlas-2.0.2.tgz]``; the raw folder defaults to ``$IMPACT_RAW_DATA`` if set, else
``<repo>/../shared/data``. The platform table's level is fitted on the Top10VPN country-years
in ``<raw>/../validation/`` (``--validation``; read, never written). ``--platforms-only``
rebuilds just the platform tables. ``--geometry`` (optional) also rebuilds the map's country shapes
(``data/geometry/``) from the world-atlas npm tarball (``npm pack world-atlas@2``).
Nothing touches the network; the output is byte-for-byte deterministic. The build ends by
rewriting ``data/manifest.json`` (checksums and schemas of every file in the output folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from impact.cli import main as cli


def main(argv: list[str] | None = None) -> int:
    """``impact data build`` with these arguments (the one entry point of the data build)."""
    return cli(["data", "build", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
