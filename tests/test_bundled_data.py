"""Bundled data verified on load: every missing or corrupt bundled file is a one-line
`DataError` naming the file (API), exit status 2 with one line on stderr (CLI); and the
committed ``data/manifest.json`` matches the committed data.

Each case runs against a copy of ``data/`` that ``$IMPACT_DATA_DIR`` points at.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

import impact
from impact import cli
from impact.build.manifest import manifest_text
from impact.bundled.datacheck import DATA_ENV, MANIFEST_FILE, RULES
from impact.bundled.io import GEOMETRY_FILE, check_bundled, data_dir, data_version, read_bundled
from impact.errors import DataError

REPO_DATA = Path(__file__).resolve().parents[1] / "data"
#: a scenario with a start, so that the hour-of-week weights are read
SCENARIO = {"country": "Pakistan", "start": "2024-02-08T08:00", "duration_hours": 10,
            "scope": "mobile"}
ESTIMATE_ARGS = ["estimate", "--country", "Pakistan", "--start", "2024-02-08T08:00",
                 "--duration-hours", "10", "--scope", "mobile", "--draws", "200"]


def clear_impact_caches() -> None:
    """Forget every table, index and fit a module of `impact` cached (functools caches)."""
    for name, module in list(sys.modules.items()):
        if name == "impact" or name.startswith("impact."):
            for obj in list(vars(module).values()):
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled data, made `data_dir` through ``$IMPACT_DATA_DIR``."""
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder, ignore=shutil.ignore_patterns("examples"))
    monkeypatch.setenv(DATA_ENV, str(folder))
    clear_impact_caches()
    yield folder
    clear_impact_caches()


# ---- corruptions ----------------------------------------------------------------------------
def _remove(path: Path) -> None:
    path.unlink()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _junk(path: Path) -> None:
    path.write_bytes(bytes(range(255, -1, -1)) * 4)  # binary: not UTF-8 from the first byte


def _edit(column: str, value: str, row: int = 0,
          where: tuple[str, str] | None = None) -> Callable[[Path], None]:
    """Set ``column`` of one data row (the ``row``-th, or the first where ``where`` holds) to
    the literal text ``value``, keeping every other byte."""

    def edit(path: Path) -> None:
        frame = pl.read_csv(path, infer_schema_length=0)  # all text: values kept as written
        index = row
        if where is not None:
            index = frame.with_row_index().filter(pl.col(where[0]) == where[1])["index"][0]
        frame = frame.with_columns(
            pl.when(pl.int_range(pl.len()) == index).then(pl.lit(value))
            .otherwise(pl.col(column)).alias(column))
        frame.write_csv(path, line_terminator="\n")

    return edit


def _drop_column(column: str) -> Callable[[Path], None]:
    def drop(path: Path) -> None:
        pl.read_csv(path, infer_schema_length=0).drop(column).write_csv(path)

    return drop


def _append(text: str) -> Callable[[Path], None]:
    def append(path: Path) -> None:
        with path.open("a", encoding="utf-8") as f:
            f.write(text)

    return append


#: (case id, file under data/, corruption, text the message must contain, estimate args or
#: None when `impact estimate` does not depend on the file)
CASES = [
    ("countries-missing", "countries.csv", _remove, "missing", ESTIMATE_ARGS),
    ("countries-empty", "countries.csv", _empty, "empty", ESTIMATE_ARGS),
    ("countries-junk", "countries.csv", _junk, "not UTF-8", ESTIMATE_ARGS),
    ("countries-no-iso3", "countries.csv", _edit("iso3", ""), "column iso3 must not be empty",
     ESTIMATE_ARGS),
    ("countries-changed", "countries.csv", _edit("official_name", "Arubah"),
     "changed since the build", ESTIMATE_ARGS),
    ("indicators-missing", "indicators.csv", _remove, "missing", ESTIMATE_ARGS),
    ("indicators-text", "indicators.csv", _edit("value", "n/a", row=4),
     "column value has text where a number is expected at row 5", ESTIMATE_ARGS),
    ("indicators-gdp-negative", "indicators.csv",
     _edit("value", "-1", where=("indicator", "gdp_usd")),
     "must be finite and > 0 for indicator gdp_usd", ESTIMATE_ARGS),
    ("indicators-nan", "indicators.csv", _edit("value", "NaN", row=2),
     "must be a finite number, but row 3", ESTIMATE_ARGS),
    ("parameters-missing", "parameters.csv", _remove, "missing", ESTIMATE_ARGS),
    ("parameters-empty", "parameters.csv", _empty, "empty", ESTIMATE_ARGS),
    ("parameters-text", "parameters.csv", _edit("low", "low"),
     "column low has text where a number is expected at row 1", ESTIMATE_ARGS),
    ("parameters-column-dropped", "parameters.csv", _drop_column("high"),
     "missing column 'high'", ESTIMATE_ARGS),
    ("digital_share-negative", "digital_share.csv",
     _edit("share_central", "-0.02", where=("iso3", "PAK")),
     "column share_central must be a share in [0, 1]", ESTIMATE_ARGS),
    ("digital_share-nan", "digital_share.csv", _edit("share_low", "NaN", where=("iso3", "PAK")),
     "column share_low must be a share in [0, 1]", ESTIMATE_ARGS),
    ("digital_share-missing", "digital_share.csv", _remove, "missing", ESTIMATE_ARGS),
    ("cost_compatible_fit-missing", "cost_compatible_fit.csv", _remove, "missing",
     [*ESTIMATE_ARGS, "--method", "cost_compatible"]),
    ("cost_compatible_fit-junk", "cost_compatible_fit.csv", _junk, "not UTF-8",
     [*ESTIMATE_ARGS, "--method", "cost_compatible"]),
    ("cost_compatible_fit-inf", "cost_compatible_fit.csv", _edit("value", "inf"),
     "column value must be a finite number, but row 1", [*ESTIMATE_ARGS, "--method",
                                                         "cost_compatible"]),
    ("econometrics_fit-missing", "econometrics_fit.csv", _remove, "missing", ESTIMATE_ARGS),
    ("econometrics_fit-text", "econometrics_fit.csv", _edit("value", "oops"),
     "column value has text where a number is expected at row 1", ESTIMATE_ARGS),
    ("econometrics_fit-extra-row", "econometrics_fit.csv", _append("risk,coef,x,,1.5\n"),
     "changed since the build", ESTIMATE_ARGS),
    ("hour_profile-nan", "hour_profile.csv", _edit("weight", "NaN", row=3),
     "column weight must be finite and > 0, but row 4 (line 5) has nan", ESTIMATE_ARGS),
    ("hour_profile-zero", "hour_profile.csv", _edit("weight", "0", row=0),
     "column weight must be finite and > 0", ESTIMATE_ARGS),
    ("hour_profile-missing", "hour_profile.csv", _remove, "missing", ESTIMATE_ARGS),
    ("geometry-missing", GEOMETRY_FILE.as_posix(), _remove, "missing", None),
    ("geometry-junk", GEOMETRY_FILE.as_posix(), _junk, "not UTF-8", None),
    ("geometry-not-json", GEOMETRY_FILE.as_posix(), _append("trailing"), "not JSON", None),
    ("manifest-missing", MANIFEST_FILE, _remove, "missing", ESTIMATE_ARGS),
    ("manifest-junk", MANIFEST_FILE, _junk, "unreadable", ESTIMATE_ARGS),
]


def _api(rel: str) -> None:
    """Use the file through the public API the way its users do."""
    if rel.startswith("econometrics"):
        from impact.bundled.econometrics import fit_effect_model

        fit_effect_model("gdp_growth_pct")
    elif rel == GEOMETRY_FILE.as_posix():
        from impact.bundled.io import read_geometry

        read_geometry()
    else:
        methods = "cost_compatible" if rel.startswith("cost_compatible") else "all"
        impact.estimate(impact.parse_scenario(SCENARIO), methods, draws=200)


def _one_error_line(err: str, rel: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err, err
    assert Path(rel).name in lines[0], err
    return lines[0]


@pytest.mark.parametrize(("rel", "corrupt", "expected", "argv"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_bad_bundled_file_is_one_data_error(data_copy, capsys, rel, corrupt, expected, argv):
    corrupt(data_copy / rel)
    with pytest.raises(DataError) as info:
        _api(rel)
    message = str(info.value)
    assert Path(rel).name in message and expected in message, message
    assert "\n" not in message
    assert "git checkout data/" in message or DATA_ENV in message

    for args in (["data", "check"], argv):
        if args is None:
            continue
        clear_impact_caches()
        capsys.readouterr()
        assert cli.main(args) == 2, args
        out = capsys.readouterr()
        assert expected in _one_error_line(out.err, rel), out.err


def test_the_data_copy_is_good(data_copy, capsys):
    """The fixture itself: an untouched copy checks out and estimates."""
    assert data_dir() == data_copy.resolve()
    assert len(check_bundled()) == len(json.loads((data_copy / MANIFEST_FILE).read_text())
                                       ["files"])
    assert cli.main(["data", "check"]) == 0
    assert "ok: " in capsys.readouterr().out
    assert impact.estimate(impact.parse_scenario(SCENARIO), draws=200).summary.height


def test_message_names_the_remedy_for_the_checkout(tmp_path):
    from impact.bundled.datacheck import remedy

    assert "git checkout data/" in remedy(REPO_DATA)
    assert "impact data build --raw" in remedy(REPO_DATA)
    assert "--force-reinstall" in remedy(tmp_path / "_bundled_data")


def test_missing_optional_table_keeps_its_fallback(data_copy):
    """A missing file is also a FileNotFoundError: the vintages are optional."""
    from impact.estimation.results import vintages

    (data_copy / "vintages.csv").unlink()
    assert vintages().height == 0
    with pytest.raises(FileNotFoundError, match="vintages.csv: missing"):
        read_bundled("vintages")


def test_manifest_command_records_an_intended_change(data_copy, capsys):
    _edit("official_name", "Arubah")(data_copy / "countries.csv")
    assert cli.main(["data", "check"]) == 2
    assert cli.main(["data", "manifest", "--out", str(data_copy)]) == 0
    clear_impact_caches()
    assert cli.main(["data", "check"]) == 0
    assert read_bundled("countries")["official_name"][0] == "Arubah"


def test_manifest_command_refuses_data_that_break_a_rule(data_copy, capsys):
    _edit("weight", "-1")(data_copy / "hour_profile.csv")
    before = (data_copy / MANIFEST_FILE).read_bytes()
    assert cli.main(["data", "manifest", "--out", str(data_copy)]) == 2
    assert "hour_profile.csv" in _one_error_line(capsys.readouterr().err, "hour_profile.csv")
    assert (data_copy / MANIFEST_FILE).read_bytes() == before


# ---- the committed manifest -------------------------------------------------------------------
def test_committed_manifest_matches_committed_data():
    """A data change without `impact data manifest` fails here (and on every load)."""
    committed = (REPO_DATA / MANIFEST_FILE).read_text(encoding="utf-8")
    assert manifest_text(REPO_DATA) == committed, (
        "data/manifest.json is stale: run `impact data manifest` and commit it")


def test_manifest_records_every_bundled_file_and_the_data_version():
    doc = json.loads((REPO_DATA / MANIFEST_FILE).read_text(encoding="utf-8"))
    csvs = {p.name for p in REPO_DATA.glob("*.csv")}
    assert set(doc["files"]) == csvs | {GEOMETRY_FILE.as_posix()}
    if data_dir() == REPO_DATA.resolve():
        assert doc["data_version"] == data_version()
    for rel, entry in doc["files"].items():
        assert len(entry["sha256"]) == 64 and entry["bytes"] > 0 and entry["rows"] > 0, rel
        if rel.endswith(".csv"):
            assert entry["columns"], rel


def test_every_rule_names_a_recorded_table_and_column():
    doc = json.loads((REPO_DATA / MANIFEST_FILE).read_text(encoding="utf-8"))
    for rule in RULES:
        columns = doc["files"][f"{rule.table}.csv"]["columns"]
        for c in rule.columns + ((rule.where[0],) if rule.where else ()):
            assert c in columns, (rule.table, c)



# ---- the app ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("rel", "corrupt", "page"), [
    pytest.param("countries.csv", _junk, None, id="countries-estimate"),
    pytest.param("digital_share.csv", _drop_column("share_low"), None,
                 id="digital_share-estimate"),
    pytest.param("parameters.csv", _empty, "app_pages/methods.py", id="parameters-methods"),
    pytest.param(GEOMETRY_FILE.as_posix(), _append("x"), "app_pages/events.py",
                 id="geometry-events"),
])
def test_app_shows_a_bad_bundled_file_as_an_error(data_copy, rel, corrupt, page):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    corrupt(data_copy / rel)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO_DATA.parent / "app.py"), default_timeout=120)
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    st.cache_data.clear()
    st.cache_resource.clear()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value.replace("\\", "") for e in at.error]  # as shown: Markdown escaped
    assert any(Path(rel).name in e for e in shown), shown
