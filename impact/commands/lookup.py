"""``impact countries``, ``impact regions`` and ``impact methods``: what the bundled data and
the registry hold."""

from __future__ import annotations

import argparse
import sys

import polars as pl

from impact.bundled.countries import UNCOSTABLE, country_name, resolve_country
from impact.bundled.io import read_bundled
from impact.bundled.regions import region_names
from impact.errors import InputError
from impact.methods import REGISTRY
from impact.report import export
from impact.report.text import (
    text_table,
)


def countries_command(args: argparse.Namespace) -> int:
    """The bundled countries: ISO3, the name sentences use (`country_name`), the World
    Bank's name, region and income group; the places that cannot be costed on stderr."""
    frame = (read_bundled("countries").select(
        "iso3", pl.col("iso3").map_elements(country_name, return_dtype=pl.String)
        .alias("name"), pl.col("name").alias("world_bank_name"), "region", "income_group")
        .sort("iso3"))
    if args.format == "csv":
        sys.stdout.write(frame.write_csv())
    else:
        rows = [[c or "" for c in r] for r in frame.iter_rows()]
        print(text_table(rows, frame.columns))
        for iso3, reason in UNCOSTABLE.items():
            print(f"not listed: {iso3}: {reason}", file=sys.stderr)
    return 0


def regions_command(args: argparse.Namespace) -> int:
    iso3 = resolve_country(args.country)
    names = region_names(iso3)
    if not names:
        raise InputError("country", args.country, "a country with bundled admin-1 populations "
                         "(none are bundled for this one; use --affected-share instead)")
    print("\n".join(names))
    return 0


def methods_command(args: argparse.Namespace) -> int:
    info = export.methods_info(list(REGISTRY))
    if args.format == "csv":
        frame = pl.DataFrame([{"name": n, "title": i["title"], "scopes": ";".join(i["scopes"]),
                               "formula": i["formula"], "citation": i["citation"]}
                              for n, i in info.items()])
        sys.stdout.write(frame.write_csv())
        return 0
    blocks = []
    for name, i in info.items():
        blocks.append(f"{name} — {i['title']}\n  scopes:   {', '.join(i['scopes'])}\n"
                      f"  formula:  {i['formula']}\n  citation: {i['citation']}")
    print("\n\n".join(blocks))
    return 0
