"""``impact data``: the data in use, its status, refresh, build and manifest (the data
commands, the only ones that load the build)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from impact.bundled.data_status import changes_lines, status, status_text
from impact.bundled.datastore import use
from impact.bundled.io import check_bundled, data_dir, data_version
from impact.errors import InputError
from impact.text import one_line


def data_command(args: argparse.Namespace) -> int:
    if args.data_command == "status":
        print(status_text(status()))
        if args.online:
            from impact.build.refresh import (
                preview,  # start-up: the build stack loads for data commands only
            )

            print("\nwhat a refresh of the World Bank indicators would change now:")
            print("\n".join(changes_lines(preview())))
        return 0
    if args.data_command == "refresh":
        return _cmd_data_refresh(args)
    if args.data_command == "use":
        print(use(args.version))
        return 0
    if args.data_command == "manifest":
        return _cmd_data_manifest(Path(args.out))
    if args.data_command == "check":
        files = check_bundled()
        print(f"ok: {len(files)} bundled files in {data_dir()} match manifest.json "
              f"(data {data_version()})")
        return 0
    from impact.build import raw_dir  # start-up: the build stack loads for data commands only

    geometry = args.source if args.data_command == "geometry" else args.geometry
    if geometry is not None and not Path(geometry).is_file():
        raise InputError("geometry", str(geometry), "the world-atlas npm tarball "
                         "(`npm pack world-atlas@2`) or its countries-110m.json")
    from impact.build.staging import (
        building,  # start-up: the build stack loads for data commands only
    )

    raw, out = raw_dir(args.raw), Path(args.out).resolve()
    paths = {}
    try:  # into a copy of --out, swapped in when complete: a failed build changes nothing
        with building(out) as tmp:
            if args.data_command == "build":
                from impact.build.platforms import (
                    build_platform_tables,  # start-up: the build stack loads for data commands only
                )
                from impact.build.tables import (
                    build_all,  # start-up: the build stack loads for data commands only
                )

                if not args.platforms_only:
                    paths = build_all(raw, tmp, report=print)
                # the level is fitted by pricing the catalogue just written
                paths |= build_platform_tables(raw, tmp, args.validation, report=print)
            if geometry is not None:
                from impact.build.geometry import (
                    build_geometry,  # start-up: the build stack loads for data commands only
                )

                paths["geometry"] = build_geometry(Path(geometry), raw, tmp, report=print)
    except FileNotFoundError as exc:  # a raw file missing (polars gives no filename)
        raise InputError("raw", str(raw), f"a complete raw snapshot: {one_line(exc)}; pass "
                         "--raw DIR or set IMPACT_RAW_DATA=DIR; --out is unchanged") from None
    paths = {name: out / Path(path).relative_to(tmp) for name, path in paths.items()}
    for path in paths.values():
        print(f"wrote {path}")
    return 0


def _cmd_data_refresh(args: argparse.Namespace) -> int:
    from impact.build.refresh import (
        refresh,  # start-up: the build stack loads for data commands only
    )

    def say(line: str) -> None:
        print(line, file=sys.stderr)

    staged, where = refresh(indicators=args.indicators or not args.events, events=args.events,
                            to=args.to, say=say)
    print(f"data {staged.version} (refreshed from {staged.based_on}) is now in use: {where}")
    print("\n".join(changes_lines(staged.changes)))
    if args.to is None:
        print("go back with `impact data use bundled` (or `impact data use "
              f"{staged.based_on}` if that version is stored)")
    else:
        print(f"use it with IMPACT_DATA_DIR={where}")
    return 0


def _cmd_data_manifest(out: Path) -> int:
    if not out.is_dir():
        raise InputError("out", str(out), "an existing data folder (data/)")
    from impact.build.manifest import (
        write_manifest,  # start-up: the build stack loads for data commands only
    )

    print(f"wrote {write_manifest(out)}")
    return 0
