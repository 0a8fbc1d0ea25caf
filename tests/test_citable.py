"""The project is installable and citable as it says: a LICENSE that matches pyproject's
licence, a CITATION.cff with the package's version, and ``impact --version`` naming the
version of the package and of the data in use."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import impact
from impact.bundled.io import data_version
from impact.cli import main

REPO = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_file_is_the_licence_pyproject_declares() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    declared = _pyproject()["project"]["license"]
    assert declared == "MIT"
    assert text.startswith("MIT License") and "Permission is hereby granted" in text


def _cff(field: str) -> str:
    text = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    match = re.search(rf"^{field}:\s*\"?([^\"\n]+)\"?\s*$", text, flags=re.MULTILINE)
    assert match, f"CITATION.cff has no {field}"
    return match.group(1).strip()


def test_citation_file_states_this_version_and_licence() -> None:
    assert _cff("cff-version") == "1.2.0"
    assert _cff("version") == impact.__version__ == _pyproject()["project"]["version"]
    assert _cff("license") == _pyproject()["project"]["license"]
    assert _cff("title").startswith("impact")
    assert "name:" in (REPO / "CITATION.cff").read_text(encoding="utf-8")  # an author


def test_version_names_the_package_and_the_data(capsys) -> None:
    assert main(["--version"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"impact {impact.__version__} (data {data_version()})"


def test_datapackage_describes_the_bundled_data_as_the_manifest_records_it() -> None:
    import hashlib
    import json

    from impact.build.manifest import DATAPACKAGE_FILE, datapackage_text

    data = REPO / "data"
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    written = (data / DATAPACKAGE_FILE).read_text(encoding="utf-8")
    assert written == datapackage_text(manifest), "run `impact data manifest --out data`"
    package = json.loads(written)
    assert package["version"] == manifest["data_version"] == data_version()
    assert {r["path"] for r in package["resources"]} == set(manifest["files"])
    for resource in package["resources"]:
        body = (data / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
        assert resource["bytes"] == len(body)
    table = next(r for r in package["resources"] if r["name"] == "parameters")
    assert [f["name"] for f in table["schema"]["fields"]][:3] == ["method", "parameter", "value"]


def test_distribution_name_is_not_the_taken_name_and_docs_install_it() -> None:
    """The public index's "impact" is an unrelated project: our distribution has its own
    name, and every install line in the README and in messages uses that name."""
    name = _pyproject()["project"]["name"]
    assert name == "shutdown-impact"
    assert _pyproject()["project"]["scripts"]["impact"] == "impact.cli:main"
    texts = [(REPO / "README.md").read_text(encoding="utf-8"),
             *(p.read_text(encoding="utf-8") for p in (REPO / "impact").rglob("*.py"))]
    for text in texts:
        for spec in re.findall(r"pip install ['\"]?([\w.-]+)\[", text):
            assert spec == name, f"an install line names {spec!r}, not {name!r}"
    assert f"`{name}`" in texts[0]
