"""Tests for ``impact.build.geometry`` (world-atlas TopoJSON -> the map's country shapes)."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from impact.build import default_raw_dir
from impact.build import geometry as geo

REPO = Path(__file__).resolve().parents[2]
RAW = default_raw_dir()


def _topology() -> dict:
    """Four shapes over five arcs: Pakistan (586), Kosovo (no id), Antarctica (010, dropped)
    and Taiwan (158, not one of our economies)."""
    return {
        "type": "Topology", "bbox": [-180, -90, 180, 90],
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "objects": {
            "countries": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "id": "586", "arcs": [[0, ~1]],
                 "properties": {"name": "Pakistan"}},
                {"type": "Polygon", "arcs": [[3]], "properties": {"name": "Kosovo"}},
                {"type": "Polygon", "id": "010", "arcs": [[2]],
                 "properties": {"name": "Antarctica"}},
                {"type": "MultiPolygon", "id": "158", "arcs": [[[4]], [[1]]],
                 "properties": {"name": "Taiwan"}},
            ]},
            "land": {"type": "GeometryCollection", "geometries": []},
        },
        "arcs": [[[0, 0], [1, 1]], [[1, 1], [2, 2]], [[9, 9], [1, 1]], [[3, 3], [1, 0]],
                 [[4, 4], [1, 0]]],
    }


CODES = {586: "PAK", 10: "ATA", 158: "TWN"}
NAMES = {"PAK": "Pakistan", "XKX": "Kosovo"}


def test_derive_codes_names_drops_and_renumbers_the_arcs():
    topology = _topology()
    out, report = geo.derive(topology, CODES, NAMES)
    assert set(out["objects"]) == {"countries"}
    shapes = out["objects"]["countries"]["geometries"]
    assert [s["properties"] for s in shapes] == [
        {"iso3": "PAK", "name": "Pakistan"}, {"iso3": "XKX", "name": "Kosovo"},
        {"iso3": "TWN", "name": "Taiwan"}]
    assert report == {"n": 3, "matched": 2, "unmatched": [("TWN", "Taiwan")],
                      "dropped": ["Antarctica"]}
    # Antarctica's arc (2) is gone; arcs 3 and 4 move down and keep their points
    assert out["arcs"] == [topology["arcs"][i] for i in (0, 1, 3, 4)]
    assert [s["arcs"] for s in shapes] == [[[0, ~1]], [[2]], [[[3]], [[1]]]]
    assert out["transform"] == topology["transform"]


def test_a_shape_without_an_id_and_no_rule_is_an_error():
    topology = _topology()
    topology["objects"]["countries"]["geometries"][1]["properties"]["name"] = "Nowhere"
    with pytest.raises(ValueError, match="'Nowhere' has no ISO numeric id"):
        geo.derive(topology, CODES, NAMES)


def test_an_unknown_numeric_code_is_an_error():
    with pytest.raises(ValueError, match="'586'"):
        geo.derive(_topology(), {10: "ATA", 158: "TWN"}, NAMES)


def test_reads_the_npm_tarball_or_the_bare_json(tmp_path):
    text = json.dumps(_topology()).encode()
    tgz = tmp_path / "world-atlas-2.0.2.tgz"
    with tarfile.open(tgz, "w:gz") as tar:
        for name, data in ((geo.TARBALL_MEMBER, text),
                           ("package/package.json", b'{"version": "2.0.2"}')):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    bare = tmp_path / "countries-110m.json"
    bare.write_bytes(text)
    assert geo.read_topology(tgz) == (_topology(), "2.0.2")
    assert geo.read_topology(bare) == (_topology(), None)
    with pytest.raises(FileNotFoundError, match="npm pack world-atlas@2"):
        geo.read_topology(tmp_path / "missing.tgz")


def test_written_file_is_compact_and_deterministic(tmp_path):
    out, _ = geo.derive(_topology(), CODES, NAMES)
    a = geo.write_geometry(out, tmp_path / "a.topojson").read_bytes()
    b = geo.write_geometry(json.loads(json.dumps(out)), tmp_path / "b.topojson").read_bytes()
    assert a == b and a.endswith(b"}\n") and b", " not in a


WORLD_ATLAS = Path(os.environ.get("IMPACT_WORLD_ATLAS", "world-atlas-2.0.2.tgz"))


@pytest.mark.skipif(not (WORLD_ATLAS.is_file() and RAW.is_dir()),
                    reason="set IMPACT_WORLD_ATLAS to the world-atlas tarball (`npm pack "
                           "world-atlas@2`) and provide the raw snapshot to rebuild")
def test_rebuild_is_byte_identical(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    (out / "countries.csv").write_bytes((REPO / "data" / "countries.csv").read_bytes())
    path = geo.build_geometry(WORLD_ATLAS, RAW, out)
    assert path.read_bytes() == (REPO / "data" / geo.OUTPUT).read_bytes(), (
        "data/geometry/ is stale: run `impact data geometry world-atlas-2.0.2.tgz`")
