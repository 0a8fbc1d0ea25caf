"""Batch files as users make them: the malformed corpus (``tests/fixtures/malformed/`` and a
few generated in place), read by the app (`run_uploaded_batch`, its limits) and by the
command line (`impact batch`, no limits). Bad lines never cost good ones; whole-file
problems are one line naming the file or the column; no export of a formula-like id runs.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impact.batch.run
from app_pages.viewmodel import read_upload, run_uploaded_batch
from impact.batch.read import (
    UPLOAD_MAX_BYTES,
    UPLOAD_MAX_ROWS,
    CsvChunks,
    RowError,
    decode_batch_bytes,
    parse_batch_csv,
)
from impact.batch.run import run_batch_estimates
from impact.cli import main
from impact.errors import InputError
from impact.report.export import FORMULA_START, report_markdown, to_csv, to_json, to_xlsx

CORPUS = Path(__file__).parent / "fixtures" / "malformed"
EXAMPLE = Path(__file__).parent / "fixtures" / "batch_example.csv"
METHOD, DRAWS = "deloitte2016", 200
HEADER = "id,country,duration_hours\n"


def _rows(n: int, start: int = 0) -> str:
    return "".join(f"r{i},PAK,{1 + i % 50}\n" for i in range(start, start + n))


def _bomb() -> bytes:
    """A gzip of about 6 KB holding one good row and 6 MB of lines of commas (blank rows)."""
    return gzip.compress((HEADER + "a,PAK,10\n" + ("," * 999 + "\n") * 6000).encode(), mtime=0)


GENERATED = {
    "zip.csv": lambda: _zip(EXAMPLE.read_bytes()),
    "binary.csv": lambda: b"\x00\x01\x02garbage\xff",
    "truncated.csv.gz": lambda: gzip.compress(EXAMPLE.read_bytes(), mtime=0)[:-12],
    "gzip_named_csv.csv": lambda: gzip.compress(EXAMPLE.read_bytes(), mtime=0),
    "bomb.csv.gz": _bomb,
    "rows_501.csv.gz": lambda: gzip.compress((HEADER + _rows(501)).encode(), mtime=0),
    "no_newline_at_end.csv": lambda: (HEADER + "a,PAK,10\nb,IND,5").encode(),
    "long_line.csv": lambda: (HEADER + "a,PAK" + "1" * 20_000 + ",10\nb,PAK,1\n").encode(),
    "cr_only.csv": lambda: HEADER.replace("\n", "\r").encode() + b"a,PAK,10\rb,IND,5,x\r",
}


def _zip(data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("batch.csv", data)
    return buf.getvalue()


def ok(good: int, bad: int, *says: str) -> dict:
    """Expect ``good`` estimated rows, ``bad`` row errors, and each of ``says`` in one of the
    errors or notes."""
    return {"good": good, "bad": bad, "says": says}


def refused(message: str, cli: dict | None = None) -> dict:
    """Expect the file refused whole with one line holding ``message`` (``cli``: what
    `impact batch`, which has no size or row limit, gives instead)."""
    return {"fail": message} | ({"cli": cli} if cli else {})


CASES: dict[str, dict] = {
    "empty.csv": refused("the file is empty"),
    "header_only.csv": refused("at least one data row under the header"),
    "unknown_columns.csv": refused("columns: 'colour,size' is not accepted; known columns "
                                   "only: id, country"),
    "no_country_column.csv": refused("a header with a country column"),
    "trailing_comma_header.csv": refused("column 4 of 4 has none (a comma at the end of the "
                                         "header line?)"),
    "duplicate_columns.csv": refused("columns: 'country' is not accepted; each column once: "
                                     "columns 2 and 4"),
    "wrong_types.csv": ok(1, 4, "row 2 (id=hours): duration_hours: ten",
                          "row 3 (id=share): affected_share: half",
                          "row 4 (id=start): start: yesterday",
                          "row 5 (id=scope): scope: partial"),
    "latin1.csv": refused("'latin1.csv' is not accepted; a CSV text file in UTF-8 (with or "
                          "without a BOM) or UTF-16 with a BOM; byte 0xF4 on line 3 is not "
                          "UTF-8"),
    "utf16_bom.csv": ok(2, 0),
    "utf8_bom.csv": ok(2, 0),
    "utf32_bom.csv": refused("this is UTF-32 text"),
    "ragged.csv": ok(2, 3, "line 3: 14 fields where the header has 11; a row needs 11 cells",
                     "line 4: 5 fields where the header has 11",
                     'line 5: a quote (") opens a cell and does not close on this line'),
    "blank_lines.csv": ok(2, 0, "5 blank lines skipped (lines 1, 4, 5, 6, 8)"),
    "huge_numbers.csv": ok(0, 5, "row 1 (id=max-float): duration_hours: 1e308 is not accepted",
                           "row 2 (id=infinite): duration_hours: 1e400 is not accepted; input "
                           "should be a finite",
                           "row 3 (id=underscore): duration_hours: 1_000 is not accepted; a "
                           "plain number without digit separators",
                           "row 4 (id=not-a-number): duration_hours: nan",
                           "row 5 (id=users): affected_users"),
    "formula_ids.csv": ok(4, 0),
    "ids.csv": ok(4, 2, "row 2 (id=row-1): id: row-1 is not accepted; ids of the form "
                  "row-<number> are kept for rows with a blank id: row-1 is row 1's (this is "
                  "row 2: use another id, or leave it blank)",
                  "row 5 (id=a): id: a is not accepted; a unique id"),
    "gzip_of_good.csv.gz": ok(4, 0),
    "gzip_named_csv.csv": ok(4, 0),  # gzip by its bytes, not its name
    "zip.csv": refused("this is a zip archive (an Excel .xlsx workbook is one"),
    "binary.csv": refused("line 1 holds a NUL byte"),
    "truncated.csv.gz": refused("a complete gzip file"),
    "bomb.csv.gz": refused("at most 5 MB of CSV text once decompressed",
                           cli=ok(1, 0, "6,000 blank lines skipped")),
    "rows_501.csv.gz": refused("at most 500 data rows (row 501 is on line 502)",
                               cli=ok(501, 0)),
    "no_newline_at_end.csv": ok(2, 0),
    "cr_only.csv": ok(1, 1, "line 3: 4 fields where the header has 3"),
    "long_line.csv": ok(1, 1, "line 2: a row of at most 10,000 characters; this line has "
                        "20,008"),
}


def _data(name: str) -> bytes:
    return GENERATED[name]() if name in GENERATED else (CORPUS / name).read_bytes()


def test_every_corpus_file_has_a_case():
    files = {p.name for p in CORPUS.iterdir() if not p.name.startswith((".", "README"))}
    assert files | set(GENERATED) == set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_in_the_app(name):
    case = CASES[name]
    if "fail" in case:
        with pytest.raises(InputError) as info:
            run_uploaded_batch(_data(name), name, [METHOD], DRAWS)
        message = str(info.value)
        assert case["fail"] in message and "\n" not in message
        return
    _, estimates, errors = run_uploaded_batch(_data(name), name, [METHOD], DRAWS)
    said = [str(e) for e in errors] + read_upload(_data(name), name).notes
    assert (len(estimates), len(errors)) == (case["good"], case["bad"]), said
    for needle in case["says"]:
        assert any(needle in s for s in said), (needle, said)
    assert all("\n" not in s for s in said)


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_on_the_command_line(capsys, tmp_path, name):
    case = CASES[name].get("cli", CASES[name])
    path = tmp_path / name
    path.write_bytes(_data(name))
    out = tmp_path / "out.csv"
    code = main(["batch", str(path), "--out", str(out), "--method", METHOD,
                 "--draws", str(DRAWS), "--no-progress"])
    err = capsys.readouterr().err
    if "fail" in case:
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert case["fail"].replace("'" + name, "'" + str(path)) in err
        assert not out.exists()
        return
    head = re.match(r"batch: (\d+) rows, (\d+) ok, (\d+) failed", err)
    assert head, err
    assert (int(head[2]), int(head[3])) == (case["good"], case["bad"]), err
    assert code == (1 if case["bad"] else 0)
    for needle in case["says"]:
        assert needle in err, (needle, err)
    assert pl.read_csv(out, infer_schema_length=0)["id"].n_unique() == case["good"]


def test_ten_thousand_rows_with_one_ragged_line(capsys, tmp_path):
    """A 10,000-row file with one ragged line yields 9,999 results plus one error naming its
    line (the command line, one cheap method, few draws: a few seconds)."""
    lines = (HEADER + _rows(10_000)).splitlines(keepends=True)
    lines[5011] = "r5010,PAK,3,extra,fields\n"  # line 5012 of the file
    data = "".join(lines).encode()
    message = ("line 5012: 5 fields where the header has 3; a row needs 3 cells, one per "
               "column (id,country,duration_hours): quote a cell that holds a comma")
    path, out = tmp_path / "big.csv", tmp_path / "out.csv"
    path.write_bytes(data)
    code = main(["batch", str(path), "--out", str(out), "--method", "icrier2018",
                 "--draws", "100", "--no-progress"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[0].startswith("batch: 10000 rows, 9999 ok, 1 failed; 19998 result rows")
    assert err[1:] == [f"error: {message}"]
    ids = pl.read_csv(out, columns=["id"])["id"]
    assert ids.n_unique() == 9_999 and "r5010" not in ids.to_list()
    # read whole (the Python API): the same rows and the same one error
    table = parse_batch_csv(data, "big.csv")
    bad = [row for _, row in table.rows if not isinstance(row, dict)]
    assert table.height == 10_000 and [str(e) for e in bad] == [message]
    assert bad[0].row == 5011 and bad[0].line == 5012
    # the app refuses it whole, gzip or not, on the rows it holds once decompressed
    for upload in (data, gzip.compress(data)):
        with pytest.raises(InputError, match="at most 500 data rows"):
            read_upload(upload, "big.csv")


def test_decode_batch_bytes_limits_and_encodings():
    text = HEADER + "a,PAK,10\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16"),
                 text.encode("utf-16-be").join([b"\xfe\xff", b""]), gzip.compress(text.encode())):
        assert decode_batch_bytes(data) == text
    assert decode_batch_bytes(b"x" * UPLOAD_MAX_BYTES, max_bytes=UPLOAD_MAX_BYTES)
    with pytest.raises(InputError, match=r"at most 5 MB of CSV text \(this file is larger\)"):
        decode_batch_bytes(b"x" * (UPLOAD_MAX_BYTES + 1), "big.csv", max_bytes=UPLOAD_MAX_BYTES)
    with pytest.raises(InputError, match="at most 1,000 bytes of CSV text once decompressed"):
        decode_batch_bytes(gzip.compress(b"x" * 1001), max_bytes=1000)
    assert len(decode_batch_bytes(gzip.compress(b"x" * 10**6), max_bytes=None)) == 10**6
    with pytest.raises(InputError, match="line 2 is not UTF-8"):  # a sequence cut at the end
        decode_batch_bytes(HEADER.encode() + "é".encode()[:1])


def test_app_limits_are_the_stated_ones():
    assert (UPLOAD_MAX_BYTES, UPLOAD_MAX_ROWS) == (5 * 2**20, 500)
    config = (Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text()
    assert re.search(r"^maxUploadSize = 5$", config, re.MULTILINE)
    assert len(read_upload((HEADER + _rows(500)).encode(), "ok.csv").rows) == 500
    # blank lines are not rows
    assert read_upload((HEADER + _rows(500) + "\n" * 50).encode(), "ok.csv").height == 500


# ---- formula-like ids and labels: no export runs them ----------------------------------------
@pytest.fixture(scope="module")
def formula_batch():
    table = parse_batch_csv((CORPUS / "formula_ids.csv").read_bytes(), "formula_ids.csv")
    estimates, errors = run_batch_estimates(table, [METHOD, "impact"], draws=DRAWS)
    assert sorted(estimates) == sorted(['=HYPERLINK("http://example.com","click")', "+1",
                                        "-1", "@SUM(A1:A9)"]) and errors == []
    return estimates


def _number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def _assert_safe_text(cells, where: str) -> None:
    bad = [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_START)
           and not _number(c)]
    assert bad == [], where


def _xlsx_cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                yield cell.value


def _csv_cells(text: str):
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def _markdown_cells(text: str):
    """Every table cell and the text of every other line of a Markdown report."""
    for line in text.splitlines():
        if re.fullmatch(r"[|:\- ]+", line):  # a table's rule
            continue
        if line.startswith("|"):
            yield from (c.strip() for c in line.strip("|").split("|"))
        elif line.strip():
            yield re.sub(r"^(#+|>|[-*] )\s*", "", line.strip())


def test_formula_ids_are_inert_in_every_export(formula_batch):
    _assert_safe_text(list(_xlsx_cells(to_xlsx(formula_batch))), "xlsx")
    csv_text = to_csv(formula_batch)
    assert "'=HYPERLINK" in csv_text
    _assert_safe_text(_csv_cells(csv_text), "csv")
    _assert_safe_text(list(_markdown_cells(report_markdown(formula_batch))), "markdown")


def test_json_keeps_formula_like_ids_exactly(formula_batch):
    """JSON is data for programs, not a sheet: an id is kept as typed (quoting it would
    change it), and no spreadsheet evaluates a JSON string."""
    text = to_json(formula_batch)
    json.loads(text)  # valid JSON
    for id_ in formula_batch:
        assert json.dumps(id_) in text, id_  # each id as typed


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_formula_ids_are_inert_in_the_command_line_outputs(capsys, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    code = main(["batch", str(CORPUS / "formula_ids.csv"), "--out", str(out), "--method",
                 METHOD, "--draws", str(DRAWS), "--no-progress"])
    assert code == 0, capsys.readouterr().err
    if suffix == ".csv":
        cells = _csv_cells(out.read_text(encoding="utf-8"))
        assert "'=HYPERLINK(\"http://example.com\",\"click\")" in cells
    else:
        cells = list(_xlsx_cells(out.read_bytes()))
    _assert_safe_text(cells, suffix)


def _batch_page():
    from streamlit.testing.v1 import AppTest

    page = Path(__file__).parents[1] / "app_pages" / "batch.py"
    return AppTest.from_file(str(page), default_timeout=60).run()


def test_the_batch_page_states_its_limits():
    at = _batch_page()
    assert not at.exception
    limits = " ".join(c.value for c in at.caption)
    assert "up to 5 MB" in limits and "at most 500 rows and 5 MB of text once decompressed" in limits
    assert at.get("file_uploader")[0].allowed_type == [".csv", ".gz"]


def test_the_batch_page_counts_rows_after_decompression():
    at = _batch_page()
    at.get("file_uploader")[0].upload("many.csv.gz",
                                      gzip.compress((HEADER + _rows(501)).encode())).run()
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [(
        "file: 'many.csv.gz' is not accepted; at most 500 data rows (row 501 is on line 502); "
        "`impact batch FILE --out OUT` reads files of any length")]


def test_the_batch_page_shows_bad_lines_and_the_blank_line_note():
    at = _batch_page()
    at.multiselect(key="batch_methods").set_value([METHOD])
    at.get("file_uploader")[0].upload("mixed.csv", (CORPUS / "ragged.csv").read_bytes()
                                      + b"\n\n").run()
    assert not at.exception and not at.error
    assert "**2 rows estimated**, 3 rejected." in [m.value for m in at.markdown]
    warnings = [w.value.replace("\\", "") for w in at.warning]  # shown as written
    assert warnings[0].startswith("line 3: 14 fields where the header has 11")
    assert [i.value.replace("\\", "") for i in at.info] == ["2 blank lines skipped (lines 7, 8)"]


# ---- properties: blocks, line ends and bad lines ---------------------------------------------
_CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters='\r\n",\x00'),
                max_size=6)
_ROW = st.tuples(st.sampled_from(["good", "long", "short", "blank"]), _CELL, _CELL)


@settings(deadline=None, max_examples=40)
@given(rows=st.lists(_ROW, min_size=1, max_size=12), end=st.sampled_from(["\n", "\r\n", "\r"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), gz=st.booleans(),
       block=st.integers(1, 9))
def test_bad_lines_cost_only_themselves(rows, end, encoding, gz, block):
    """Whatever the line ends, encoding, compression and read block size (multi-byte
    characters and \r\n cut between blocks), each good line is a row with its cells, each
    ragged or short line one error naming its line, each blank line a note — in memory and
    streamed alike."""
    lines, expect = ["label,country,id"], []
    for no, (kind, a, b) in enumerate(rows, start=2):
        if kind == "blank":  # nothing, spaces or only commas
            lines.append(["", " ", ",,"][no % 3])
            expect.append((no, "blank"))
        elif kind == "good":
            lines.append(f"{a},{b},x{no}")
            expect.append((no, {"label": a, "country": b, "id": f"x{no}"}))
        else:
            lines.append(f"{a},{b},x,y" if kind == "long" else f"x{no}")
            fields = 4 if kind == "long" else 1
            expect.append((no, f"line {no}: {fields} fields where the header has 3"))
    data = (end.join(lines) + end).encode(encoding)
    data = gzip.compress(data, mtime=0) if gz else data
    old = impact.batch.read._BLOCK
    impact.batch.read._BLOCK = block
    try:
        if all(e == "blank" for _, e in expect):
            with pytest.raises(InputError, match="at least one data row"):
                parse_batch_csv(data, "p.csv")
            return
        table = parse_batch_csv(data, "p.csv")
    finally:
        impact.batch.read._BLOCK = old
    got = {n + 1: row for n, row in table.rows}
    blank = [no for no, e in expect if e == "blank"]
    assert (table.blank_lines.count, table.blank_lines.first) == (len(blank), blank[:5])
    for no, e in expect:
        if isinstance(e, dict):
            assert got[no] == e
        elif e != "blank":
            assert isinstance(got[no], RowError) and str(got[no]).startswith(e)


def test_streamed_and_whole_files_read_the_same(tmp_path):
    path = tmp_path / "x.csv.gz"
    text = "\r\n\nid,country,duration_hours\r\na,PAK,1\r\n\r\nb,PAK\rc,\"IND\",2\nd,\"x\n"
    path.write_bytes(gzip.compress(text.encode("utf-16")))
    whole = read = parse_batch_csv(path.read_bytes(), str(path))
    stream = CsvChunks(path, chunk_rows=2)
    read = [item for chunk in stream.chunks() for item in chunk]
    assert read == list(whole.rows) and stream.header == list(whole.header)
    assert stream.blank_lines == whole.blank_lines and whole.blank_lines.first == [1, 2, 5]
    assert stream.notes == whole.notes == ["3 blank lines skipped (lines 1, 2, 5)"]
    assert [r.line for _, r in read if isinstance(r, RowError)] == [6, 8]
