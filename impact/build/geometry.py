"""Build time: world-atlas TopoJSON -> ``data/geometry/countries-110m.topojson``.

The shapes are Natural Earth's 1:110m Admin 0 countries (public domain), as TopoJSON from
the npm package ``world-atlas`` by Mike Bostock (ISC licence). Get the package once with
``npm pack world-atlas@2`` (``world-atlas-2.0.2.tgz``); the build reads the tarball, or its
``countries-110m.json``, from a local path and never touches the network.

What the build changes:

- each country keeps its arcs and gets ``properties = {"iso3", "name"}``: world-atlas ids
  are ISO 3166-1 numeric codes (``"586"``), mapped to alpha-3 with the raw snapshot's
  ``meta/country_codes.csv`` (datasets/country-codes, ISO 3166; the source of
  ``data/countries.csv``); the name is our country table's where the code is in it, else
  Natural Earth's;
- the three shapes without an id get the code of the economy our data puts them in
  (`NO_ID`: Kosovo -> XKX, the World Bank's code; N. Cyprus -> CYP; Somaliland -> SOM);
- Antarctica is left out (`DROPPED`), with the ``land`` object and every arc no kept shape
  uses; the quantisation (``transform``) is kept, so the arcs are copied exactly.

Run with ``impact data geometry world-atlas-2.0.2.tgz`` (or ``impact data build --geometry
…``, or ``python scripts/build_data.py --geometry …``).
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl

from impact.build import REPO_DIR
from impact.build.manifest import write_manifest
from impact.build.tables import read_raw

#: the world-atlas file read, and where it is in the npm tarball
SOURCE_FILE = "countries-110m.json"
TARBALL_MEMBER = f"package/{SOURCE_FILE}"
#: the derived file, relative to ``data/``
OUTPUT = Path("geometry") / "countries-110m.topojson"
#: Natural Earth shapes with no ISO numeric id -> the alpha-3 code our data files them under
NO_ID = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}
#: ISO numeric codes of shapes left out of the map
DROPPED = {10: "Antarctica"}


def read_topology(source: Path) -> tuple[dict[str, Any], str | None]:
    """The world-atlas topology and the package version (None for a bare JSON file).

    Parameters
    ----------
    source : the npm tarball (``world-atlas-2.0.2.tgz``) or ``countries-110m.json``
    """
    source = Path(source)
    if not source.is_file():
        raise FileNotFoundError(f"world-atlas source not found: {source} (get it with "
                                "`npm pack world-atlas@2`)")
    if source.suffix == ".json":
        return json.loads(source.read_text(encoding="utf-8")), None
    with tarfile.open(source, "r:*") as tar:
        try:
            topology = json.load(tar.extractfile(TARBALL_MEMBER))
        except KeyError:
            raise ValueError(f"{source} has no {TARBALL_MEMBER}; use the world-atlas npm "
                             "tarball or its countries-110m.json") from None
        version = json.load(tar.extractfile("package/package.json")).get("version")
    return topology, version


def numeric_codes(raw_dir: Path) -> dict[int, str]:
    """ISO 3166-1 numeric code -> alpha-3, from the raw snapshot's ``meta/country_codes.csv``."""
    codes = read_raw(Path(raw_dir) / "meta" / "country_codes.csv").filter(
        pl.col("iso_numeric").is_not_null())
    return dict(zip(codes["iso_numeric"].cast(pl.Int64).to_list(), codes["iso3"].to_list(),
                    strict=True))


def _arc_ids(arcs: Any) -> Iterable[int]:
    """Every arc index of a geometry's (nested) ``arcs``, as stored (``~i`` for reversed)."""
    if isinstance(arcs, int):
        yield arcs
    else:
        for part in arcs:
            yield from _arc_ids(part)


def _renumbered(arcs: Any, new: dict[int, int]) -> Any:
    if isinstance(arcs, int):
        return new[arcs] if arcs >= 0 else ~new[~arcs]
    return [_renumbered(part, new) for part in arcs]


def derive(topology: dict[str, Any], codes: dict[int, str],
           names: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The compact topology (countries only, each with ``iso3`` and ``name``) and a report.

    Parameters
    ----------
    topology : world-atlas ``countries-110m.json``
    codes : ISO numeric -> alpha-3 (`numeric_codes`)
    names : our country table's iso3 -> name

    Returns
    -------
    (topology, report): the report has ``n`` (shapes kept), ``matched`` (their iso3 is in
    ``names``), ``unmatched`` (``[(iso3, Natural Earth name)]``, grey on every map) and
    ``dropped`` (names).
    """
    kept, unmatched, dropped = [], [], []
    for g in topology["objects"]["countries"]["geometries"]:
        ne_name = g.get("properties", {}).get("name", "")
        raw_id = g.get("id")
        if raw_id is None:
            if ne_name not in NO_ID:
                raise ValueError(f"shape {ne_name!r} has no ISO numeric id and is not in "
                                 f"NO_ID ({', '.join(NO_ID)})")
            iso3 = NO_ID[ne_name]
        else:
            number = int(raw_id)
            if number in DROPPED:
                dropped.append(DROPPED[number])
                continue
            if number not in codes:
                raise ValueError(f"ISO numeric code {raw_id!r} ({ne_name}) is not in "
                                 "meta/country_codes.csv")
            iso3 = codes[number]
        if iso3 not in names:
            unmatched.append((iso3, ne_name))
        kept.append({"type": g["type"], "arcs": g["arcs"],
                     "properties": {"iso3": iso3, "name": names.get(iso3, ne_name)}})
    used = sorted({i if i >= 0 else ~i for g in kept for i in _arc_ids(g["arcs"])})
    new = {old: n for n, old in enumerate(used)}
    for g in kept:
        g["arcs"] = _renumbered(g["arcs"], new)
    out = {"type": "Topology", "transform": topology["transform"],
           "objects": {"countries": {"type": "GeometryCollection", "geometries": kept}},
           "arcs": [topology["arcs"][i] for i in used]}
    report = {"n": len(kept), "matched": len(kept) - len(unmatched),
              "unmatched": unmatched, "dropped": dropped}
    return out, report


def write_geometry(topology: dict[str, Any], path: Path) -> Path:
    """Write compact JSON (no spaces, UTF-8, one trailing newline): deterministic."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(topology, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")
    return path


def build_geometry(source: Path, raw_dir: Path, out_dir: Path, *,
                   report: Callable[[str], None] | None = None) -> Path:
    """Read the world-atlas ``source``, write ``out_dir/geometry/countries-110m.topojson``
    and rewrite ``out_dir/manifest.json``.

    Parameters
    ----------
    source : the world-atlas npm tarball or its ``countries-110m.json``
    raw_dir : the raw snapshot (for ``meta/country_codes.csv``)
    out_dir : ``data/``; its ``countries.csv`` (else the checkout's) gives the codes and
        names of our data
    report : receives human-readable progress lines (e.g. ``print``)
    """
    say = report or (lambda _msg: None)
    topology, version = read_topology(source)
    table = Path(out_dir) / "countries.csv"
    if not table.is_file():
        table = REPO_DIR / "data" / "countries.csv"
    countries = pl.read_csv(table, infer_schema_length=None)
    names = dict(zip(countries["iso3"].to_list(), countries["name"].to_list(), strict=True))
    derived, info = derive(topology, numeric_codes(raw_dir), names)
    path = write_geometry(derived, Path(out_dir) / OUTPUT)
    say(f"{OUTPUT}: {info['n']} countries from world-atlas {version or '(version unknown)'} "
        f"{SOURCE_FILE}; {info['matched']} in data/countries.csv, not in it: "
        + (", ".join(f"{c} ({n})" for c, n in info["unmatched"]) or "none")
        + f"; left out: {', '.join(info['dropped']) or 'none'}; "
        f"{path.stat().st_size / 1024:.0f} KB")

    manifest = write_manifest(Path(out_dir))  # the shapes changed: record their checksum
    say(f"{manifest.name}: checksums and schemas of the files in {out_dir}")
    return path
