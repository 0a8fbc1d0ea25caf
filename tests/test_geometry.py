"""The bundled country shapes (``data/geometry/countries-110m.topojson``): they parse, carry
our countries' codes and names, and every shape not in our country table is documented."""

from __future__ import annotations

import re

import pytest

from impact.bundled.io import GEOMETRY_FILE, data_dir, read_bundled, read_geometry


@pytest.fixture(scope="module")
def shapes() -> list[dict]:
    topology = read_geometry()
    assert topology["type"] == "Topology"
    assert set(topology["objects"]) == {"countries"}
    return topology["objects"]["countries"]["geometries"]


def test_the_geometry_file_is_small():
    size = (data_dir() / GEOMETRY_FILE).stat().st_size
    assert 50_000 < size < 150_000, size


def test_about_177_countries_each_with_a_code_and_a_name(shapes):
    assert 170 <= len(shapes) <= 180
    for shape in shapes:
        assert shape["type"] in {"Polygon", "MultiPolygon"}
        props = shape["properties"]
        assert re.fullmatch(r"[A-Z]{3}", props["iso3"]), props
        assert props["name"].strip(), props


def test_every_code_is_ours_or_documented_as_unmatched(shapes):
    ours = set(read_bundled("countries")["iso3"])
    sources = (data_dir() / "SOURCES.md").read_text(encoding="utf-8")
    section = sources.split("### `data/geometry/countries-110m.topojson`")[1].split("\n## ")[0]
    documented = set(re.findall(r"`([A-Z]{3})`", section.split("**Unmatched**")[1]))
    unmatched = {s["properties"]["iso3"] for s in shapes} - ours
    assert unmatched == documented, (unmatched, documented)
    matched = sum(s["properties"]["iso3"] in ours for s in shapes)
    assert f"**Matched:** {matched} shapes" in section


def test_pakistan_india_iran_and_kosovo_are_there_with_our_names(shapes):
    names = read_bundled("countries").select("iso3", "name").rows_by_key("iso3")
    by_code = {s["properties"]["iso3"]: s["properties"]["name"] for s in shapes}
    for iso3 in ("PAK", "IND", "IRN", "XKX", "MMR", "ETH"):
        assert by_code[iso3] == names[iso3][0][0], iso3
    assert "ATA" not in by_code  # Antarctica is left out


def test_every_arc_index_is_in_range():
    topology = read_geometry()
    n = len(topology["arcs"])

    def walk(arcs):
        if isinstance(arcs, int):
            yield arcs if arcs >= 0 else ~arcs
        else:
            for part in arcs:
                yield from walk(part)

    used = {i for g in topology["objects"]["countries"]["geometries"] for i in walk(g["arcs"])}
    assert used == set(range(n))  # every arc is used, none is missing
