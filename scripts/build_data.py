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

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from impact.build import raw_dir
from impact.build.platforms import build_platform_tables
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
    parser.add_argument(
        "--platforms-only",
        action="store_true",
        help="rebuild only the platform table and its level fit (data/platform_weights.csv, "
        "data/platform_level_fit.csv) in the output folder, from its other tables",
    )
    parser.add_argument(
        "--validation",
        type=Path,
        default=None,
        help="Top10VPN country-year file the platform level is fitted on (default: "
        "<raw>/../validation/top10vpn_country_year_2019_2022.csv; never written to data/)",
    )
    args = parser.parse_args(argv)
    try:
        raw = raw_dir(args.raw)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = args.out.resolve()
    with building(out) as tmp:  # swapped in for --out when complete; a failure changes nothing
        paths = {} if args.platforms_only else build_all(raw, tmp, report=print)
        # the level is fitted by pricing the catalogue just written (impact.build.platforms)
        paths |= build_platform_tables(raw, tmp, args.validation, report=print)
        if args.geometry is not None:
            from impact.build.geometry import build_geometry

            paths["geometry"] = build_geometry(args.geometry, raw, tmp, report=print)
    paths = {name: out / Path(path).relative_to(tmp) for name, path in paths.items()}
    for path in paths.values():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
