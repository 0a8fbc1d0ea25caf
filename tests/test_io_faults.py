"""I/O faults are the user's to fix, never "a bug": disk full, a read-only or missing folder,
a folder in the way, an output that is its own input, a closed pipe, Ctrl-C. Each is one line
with its exit status (2 input, 4 refresh, 130 interrupted, 0 for a reader that stopped), and
nothing half-written is left, except an interrupted batch's ``.partial``, which holds the good
rows as a valid file."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from impact.batch import run as batch_mod
from impact.cli import main

EXAMPLE = Path(__file__).parent / "fixtures" / "batch_example.csv"
FAST = ["--draws", "200", "--method", "impact", "--no-progress"]


def _enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_batch_disk_full_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out.csv"
    monkeypatch.setattr(batch_mod._Writer, "write", _enospc)
    assert main(["batch", str(EXAMPLE), "--out", str(out), *FAST]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: out: ") and "No space left on device" in err
    assert "bug" not in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # no out.csv, no out.csv.partial


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_an_interrupted_batch_keeps_its_good_rows_as_a_valid_file(tmp_path, monkeypatch,
                                                                  capsys, fmt):
    out = tmp_path / f"out.{fmt}"
    real_write, calls = batch_mod._Writer.write, []

    def write_then_stop(self, chunk):
        real_write(self, chunk)
        calls.append(1)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_mod._Writer, "write", write_then_stop)
    assert main(["batch", str(EXAMPLE), "--out", str(out), "--chunk-rows", "2", *FAST]) == 130
    err = capsys.readouterr().err
    partial = tmp_path / f"out.{fmt}.partial"
    assert "good rows so far are kept in" in err and partial.is_file() and not out.exists()
    if fmt == "json":
        doc = json.loads(partial.read_text())
        assert doc["interrupted"] is True and len(doc["estimates"]) >= 1
    elif fmt == "csv":
        assert len(partial.read_text().splitlines()) >= 2
    else:
        import io

        import openpyxl

        assert openpyxl.load_workbook(io.BytesIO(partial.read_bytes())).sheetnames


def test_batch_output_paths_that_cannot_work_are_refused_before_any_work(tmp_path, capsys):
    (tmp_path / "folder.csv").mkdir()
    partial = tmp_path / "x.csv.partial"
    partial.write_bytes(EXAMPLE.read_bytes())
    cases = [(["--out", str(tmp_path / "folder.csv")], "not a folder"),
             (["--out", str(tmp_path / "missing" / "o.csv")], "existing folder"),
             (["--out", str(EXAMPLE)], "other than the input")]
    for extra, words in cases:
        assert main(["batch", str(EXAMPLE), *extra, *FAST]) == 2
        assert words in capsys.readouterr().err
    assert main(["batch", str(partial), "--out", str(tmp_path / "x.csv"), *FAST]) == 2
    assert "other than the input" in capsys.readouterr().err
    assert partial.read_bytes() == EXAMPLE.read_bytes()  # the input is untouched


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert main(["batch", str(EXAMPLE), "--out", str(ro / "o.csv"), *FAST]) == 2
        assert "Permission denied" in capsys.readouterr().err
    finally:
        ro.chmod(0o700)


def test_estimate_out_and_brief_are_whole_or_absent(tmp_path, monkeypatch, capsys):
    out = tmp_path / "e.csv"
    out.write_text("earlier\n")
    monkeypatch.setattr(os, "fsync", _enospc)
    assert main(["estimate", "--country", "PAK", "--duration-hours", "5", "--draws", "200",
                 "--method", "impact", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "nothing was written" in err
    assert out.read_text() == "earlier\n"  # the earlier file is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.csv"]  # no temporary file
    assert main(["estimate", "--country", "PAK", "--duration-hours", "5", "--draws", "200",
                 "--method", "impact", "--brief", str(tmp_path / "b.html")]) == 2
    assert not (tmp_path / "b.html").exists()


def test_a_closed_pipe_is_not_an_error():
    cmd = (f"{sys.executable} -m impact.cli batch {EXAMPLE} --draws 200 --method impact "
           "--no-progress | head -c 10 >/dev/null")
    run = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], check=False,
                         capture_output=True,
                         text=True, timeout=120)
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert run.returncode in (0, 1)  # 1: the example's rows that fail on purpose


def test_a_file_dropped_into_the_data_folder_does_not_change_the_data_version(tmp_path):
    import shutil

    from impact.bundled import io as impact_io

    folder = tmp_path / "data"
    shutil.copytree(impact_io.bundled_dir(), folder)
    before = impact_io._data_version(folder)
    (folder / "zz_unlisted.csv").write_text("a,b\n1,2\n")
    impact_io._data_version.cache_clear()
    assert impact_io._data_version(folder) == before == impact_io.bundled_version()


def test_a_label_cannot_forge_markup_in_the_markdown_report(tmp_path, capsys):
    out = tmp_path / "r.md"
    base = ["estimate", "--country", "PAK", "--duration-hours", "3", "--draws", "200",
            "--method", "impact", "--out", str(out)]
    assert main([*base, "--label", "x\n## Estimates"]) == 2  # a line break could forge
    assert "label:" in capsys.readouterr().err and not out.exists()
    assert main([*base, "--label", "<script>x</script> [click](http://evil.example)"]) == 0
    first = out.read_text().splitlines()[0]
    assert first.startswith("# ") and "<script>" not in first and "](http" not in first


def test_a_stale_exchange_rate_is_refused_not_relabelled():
    from impact import estimate
    from impact.errors import InputError
    from impact.model.scenario import parse_scenario

    with pytest.raises(InputError, match="latest official exchange rate is of 2017"):
        estimate(parse_scenario({"country": "VEN", "duration_hours": 5, "year": 2024,
                                 "currency": "local"}),
                 methods=["impact"], draws=200)
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 5, "year": 2024,
                                   "currency": "local"}),
                   methods=["impact"], draws=200)
    assert est.summary["currency"][0] == "PKR"


@pytest.mark.parametrize("folder", ["/tmp/" + "a" * 5000, "LOOP"])
def test_a_data_folder_that_cannot_be_used_is_one_line(folder, tmp_path, monkeypatch, capsys):
    from impact.bundled.datastore import forget_data_dir

    if folder == "LOOP":
        folder = str(tmp_path / "loop")
        os.symlink(folder, folder)
    monkeypatch.setenv("IMPACT_DATA_DIR", folder)
    forget_data_dir()
    try:
        assert main(["estimate", "--country", "PAK", "--duration-hours", "3"]) == 2
    finally:
        monkeypatch.delenv("IMPACT_DATA_DIR")
        forget_data_dir()
    err = capsys.readouterr().err
    assert "is not a data folder" in err and len(err) < 400 and "bug" not in err


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_interrupted_batch_resumes_from_its_last_complete_chunk(tmp_path, monkeypatch,
                                                                   capsys, fmt):
    whole, out = tmp_path / f"whole.{fmt}", tmp_path / f"out.{fmt}"
    args = ["--chunk-rows", "1", *FAST]
    assert main(["batch", str(EXAMPLE), "--out", str(whole), *args]) in (0, 1)
    real_write, seen = batch_mod._Writer.write, []

    def stop_at_the_third_chunk(self, chunk):
        seen.append(1)
        if len(seen) == 3:
            self.out.write("half a ro")  # killed in the middle of a chunk
            raise KeyboardInterrupt
        real_write(self, chunk)

    monkeypatch.setattr(batch_mod._Writer, "write", stop_at_the_third_chunk)
    assert main(["batch", str(EXAMPLE), "--out", str(out), *args]) == 130
    assert "--resume" in capsys.readouterr().err
    monkeypatch.setattr(batch_mod._Writer, "write", real_write)
    computed = []
    real_chunk = batch_mod.compute_chunk
    monkeypatch.setattr(batch_mod, "compute_chunk",
                        lambda rows, *a: computed.append(len(rows)) or real_chunk(rows, *a))
    assert main(["batch", str(EXAMPLE), "--out", str(out), "--resume", *args]) in (0, 1)
    assert out.read_text() == whole.read_text()  # as if never interrupted
    assert sum(computed) == 2  # only the 2 rows not written before (of 4)
    assert not (tmp_path / f"out.{fmt}.partial").exists()
    # nothing to continue: one line
    assert main(["batch", str(EXAMPLE), "--out", str(out), "--resume", *args]) == 2
    assert "interrupted run" in capsys.readouterr().err


def test_a_lean_csv_writes_the_vintages_once(tmp_path):
    out = tmp_path / "o.csv"
    assert main(["batch", str(EXAMPLE), "--out", str(out), *FAST]) in (0, 1)
    lines = out.read_text().splitlines()
    assert "data_vintages" not in lines[0] and "data_version" in lines[0]
    assert (tmp_path / "o.vintages.csv").read_text().startswith("table,")
    full = tmp_path / "f.csv"
    assert main(["batch", str(EXAMPLE), "--out", str(full), "--full-provenance", *FAST]) in (0, 1)
    assert "data_vintages" in full.read_text().splitlines()[0]
    assert out.stat().st_size < 0.6 * full.stat().st_size
