"""Rebuild the curated tables in ``data/`` from the raw public snapshot.

Usage: ``python scripts/build_data.py [--raw DIR] [--out DIR] [--geometry
world-atlas-2.0.2.tgz]``; the raw folder defaults to ``$IMPACT_RAW_DATA`` if set, else
``<repo>/../shared/data``. ``--geometry`` (optional) also rebuilds the map's country shapes
(``data/geometry/``) from the world-atlas npm tarball (``npm pack world-atlas@2``).
Nothing touches the network; the output is byte-for-byte deterministic. The build ends by
rewriting ``data/manifest.json`` (checksums and schemas of every file in the output folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from impact.build import raw_dir
from impact.build.staging import building
from impact.build.tables import build_all
from impact.errors import InputError


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build every table and print a short report; a missing raw folder
    is one line on stderr naming --raw, IMPACT_RAW_DATA and the folder looked in (exit 2)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--raw",
        type=Path,
        metavar="DIR",
        help="raw data folder (default: $IMPACT_RAW_DATA if set, else <repo>/../shared/data)",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "data", help="output folder (default: <repo>/data)"
    )
    parser.add_argument(
        "--geometry",
        type=Path,
        default=None,
        help="world-atlas npm tarball or its countries-110m.json: also rebuild data/geometry/",
    )
    args = parser.parse_args(argv)
    try:
        raw = raw_dir(args.raw)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = args.out.resolve()
    with building(out) as tmp:  # swapped in for --out when complete; a failure changes nothing
        paths = build_all(raw, tmp, report=print)
        if args.geometry is not None:
            from impact.build.geometry import build_geometry

            paths["geometry"] = build_geometry(args.geometry, raw, tmp, report=print)
    paths = {name: out / Path(path).relative_to(tmp) for name, path in paths.items()}
    for path in paths.values():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
