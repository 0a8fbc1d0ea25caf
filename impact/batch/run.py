"""Estimate many scenarios from a table (one scenario per row), in chunks.

Every cell is read as text (nothing is silently coerced) and validated by `parse_scenario`;
a bad row becomes a `RowError` naming its 1-based data row, its id, the field and the value,
and the good rows are still computed. Each chunk of rows goes through the engine in one pass;
each row's seed comes from the batch seed and the row's id (`scenario_seed`), so a row's
figures do not depend on the other rows, on the chunk size or on the engine (local or Dask).

`stream_batch` reads, computes and writes chunk by chunk (memory flat in the number of rows,
progress on a terminal); `run_batch` / `run_batch_estimates` keep a whole (small) table in
memory, for the app and the Python API.

Reading (README "Batch files: limits and bad rows"): `decode_batch_bytes` turns a file's bytes
into text — gzip is recognised by its magic bytes and decompressed up to a byte limit; UTF-8
(with or without a BOM) and UTF-16 with a BOM are decoded; anything else is refused with one
line. Each physical line is one record: a line with too many or too few fields, or a quote
that does not close on its line, is one bad row naming its line; blank lines are skipped and
reported once as a note. A blank id becomes ``row-<N>`` (N its row number); an explicit id
must be unique and may be ``row-<N>`` only on row N, so a generated id never collides.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import itertools
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from impact.bundled.io import write_atomic
from impact.errors import BatchInterrupted, ImpactError, InputError
from impact.estimation.engine import run
from impact.estimation.scenario_estimate import Estimate, split
from impact.methods import get_methods
from impact.model.montecarlo import DEFAULT_DRAWS, scenario_seed
from impact.model.scenario import parse_scenario
from impact.report import export
from impact.report.export import summary_frame
from impact.vocab import DEFAULT_SEED, SCENARIO_FIELDS

#: columns of the documented batch layout (blank cell = default)
BATCH_COLUMNS = ("id", "country", "start", "end", "duration_hours", "scope", "platforms",
                 "affected_share", "affected_users", "intensity", "circumvention")
#: further scenario fields a batch may carry: every other field of a scenario
OPTIONAL_COLUMNS = tuple(f for f in SCENARIO_FIELDS if f not in BATCH_COLUMNS)
ACCEPTED_COLUMNS = BATCH_COLUMNS + OPTIONAL_COLUMNS
ENGINES = ("local", "dask")
DEFAULT_CHUNK_ROWS = 500
_GLOBAL_FIELDS = {"draws", "method", "set", "seed"}

#: the app's Batch page: at most this many bytes of CSV text once decompressed [bytes]
#: (the upload itself is capped by ``server.maxUploadSize`` in ``.streamlit/config.toml``)
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
#: the app's Batch page: at most this many data rows (counted after decompression)
UPLOAD_MAX_ROWS = 500
#: `read_batch_csv` / `parse_batch_csv` (a whole file in memory): at most this many bytes of
#: CSV text once decompressed [bytes]; ``impact batch`` streams and has no limit
READ_MAX_BYTES = 256 * 1024 * 1024
#: the longest row [characters]: a longer line is a bad row (its text is not echoed)
MAX_ROW_CHARS = 10_000
#: the longest physical line read [characters]: a longer one means the file is not a CSV
MAX_LINE_CHARS = 1024 * 1024
#: the encodings a batch file may use
ENCODINGS = "UTF-8 (with or without a BOM) or UTF-16 with a BOM"


@dataclass(frozen=True)
class RowError:
    """A batch row that could not be estimated.

    Attributes
    ----------
    row : 1-based data row (the first line after the header is row 1; blank lines count)
    id : the row's id
    field : scenario field, ``data`` when the bundled data cannot answer, or ``line`` when
        the line itself cannot be read as a row (wrong number of fields, an open quote)
    value : the bad value, as given
    message : what is accepted (or the data problem)
    line : 1-based line of the file (the header's line is 1 unless blank lines precede it);
        set for ``line`` errors of a file read by this module
    """

    row: int
    id: str
    field: str
    value: object
    message: str
    line: int | None = None

    def __str__(self) -> str:
        if self.field == "line":
            return f"line {self.line}: {self.message}"
        where = f"row {self.row} (id={self.id})"
        if self.field == "data":
            return f"{where}: {self.message}"
        return f"{where}: {self.field}: {self.value} is not accepted; {self.message}"


# ---- reading: bytes to text ----------------------------------------------------------------
GZIP_MAGIC = b"\x1f\x8b"
_BLOCK = 1 << 20
#: leading bytes of files that are not CSV text, and what to say about them
_NOT_TEXT = (
    (b"\xff\xfe\x00\x00", "UTF-32 text (save it as UTF-8)"),
    (b"\x00\x00\xfe\xff", "UTF-32 text (save it as UTF-8)"),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook is one: save it as CSV UTF-8)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (GZIP_MAGIC, "a gzip file inside a gzip file"),
    (b"BZh", "a bzip2 file (only gzip is decompressed)"),
    (b"\xfd7zXZ\x00", "an xz file (only gzip is decompressed)"),
    (b"\x28\xb5\x2f\xfd", "a zstd file (only gzip is decompressed)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook (save it as CSV UTF-8)"),
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _size(n: int) -> str:
    return f"{n // 2**20:,} MB" if n >= 2**20 and n % 2**20 == 0 else f"{n:,} bytes"


def _blocks(stream: io.BufferedIOBase, name: str, max_bytes: int | None) -> Iterator[bytes]:
    """The file's bytes in blocks, gunzipped when it starts with the gzip magic bytes;
    raises `InputError` past ``max_bytes`` of (decompressed) content or on a broken gzip."""
    gz = stream.read(2) == GZIP_MAGIC
    stream.seek(0)
    source = gzip.GzipFile(fileobj=stream, mode="rb") if gz else stream
    total = 0
    while True:
        try:
            block = source.read(_BLOCK)  # at most a block of output: a bomb stops at the limit
        except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "truncated"
            raise InputError("file", name, f"a complete gzip file ({reason})") from None
        if not block:
            return
        total += len(block)
        if max_bytes is not None and total > max_bytes:
            what = "once decompressed (this gzip file holds more)" if gz else \
                "(this file is larger)"
            raise InputError("file", name, f"at most {_size(max_bytes)} of CSV text {what}; "
                             "`impact batch FILE --out OUT` streams files of any size")
        yield block


def _text(blocks: Iterable[bytes], name: str) -> Iterator[str]:
    """Decoded text of ``blocks`` (UTF-8 with or without BOM, UTF-16 with BOM), piece by
    piece; raises `InputError` naming the file, the bad byte and its line otherwise."""
    blocks = iter(blocks)
    head = b""
    for block in blocks:
        head += block
        if len(head) >= 4:
            break
    for magic, what in _NOT_TEXT:
        if head.startswith(magic):
            raise InputError("file", name, f"a CSV text file in {ENCODINGS}; this is {what}")
    codec, skip = next(((c, len(b)) for b, c in _BOMS if head.startswith(b)), ("utf-8", 0))
    decoder = codecs.getincrementaldecoder(codec)("strict")
    newlines = 0
    for block in itertools.chain([head[skip:]], blocks):
        if codec == "utf-8" and b"\x00" in block:
            line = newlines + block[:block.index(b"\x00")].count(b"\n") + 1
            raise InputError("file", name, f"a CSV text file in {ENCODINGS}; line {line} "
                             "holds a NUL byte (a binary file, or UTF-16 without a BOM?)")
        try:
            text = decoder.decode(block)
        except UnicodeDecodeError as exc:
            raise _encoding_error(exc, codec, name, newlines) from None
        newlines += text.count("\n")
        yield text
    try:
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _encoding_error(exc, codec, name, newlines) from None


def _encoding_error(exc: UnicodeDecodeError, codec: str, name: str, newlines: int
                    ) -> InputError:
    line = newlines + exc.object[:exc.start].decode(codec, "ignore").count("\n") + 1
    bad = f"0x{exc.object[exc.start]:02X}"
    hint = ("Latin-1 or Windows-1252? save it as CSV UTF-8" if codec == "utf-8"
            else "save it as CSV UTF-8")
    return InputError("file", name, f"a CSV text file in {ENCODINGS}; byte {bad} on line "
                      f"{line} is not {'UTF-8' if codec == 'utf-8' else 'UTF-16'} ({hint})")


def decode_batch_bytes(data: bytes, name: str = "upload", *,
                       max_bytes: int | None = READ_MAX_BYTES) -> str:
    """The text of a batch file's bytes (an upload or a file read whole).

    gzip content (recognised by its magic bytes, whatever the file's name) is decompressed,
    at most ``max_bytes`` of it (None: no limit); the text may be UTF-8, with or without a
    BOM, or UTF-16 with a BOM (the BOM is dropped). Raises `InputError` naming ``name`` — one
    line, saying what is accepted — for more than ``max_bytes``, a broken gzip, a zip or other
    binary file, or text in another encoding (with the bad byte and its line).
    """
    return "".join(_text(_blocks(io.BytesIO(data), name, max_bytes), name))


#: a line and its end (``\n``, ``\r\n`` or ``\r``), or a last line without one
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
#: characters `str.splitlines` also breaks on (no line break in a CSV file)
_OTHER_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def _lines(pieces: Iterable[str], name: str) -> Iterator[tuple[int, str]]:
    r"""``(line number, text)`` of each physical line (``\n``, ``\r\n`` or ``\r`` ends one)."""
    rest, no = "", 0
    for piece in pieces:
        buf = rest + piece
        parts = (_LINE.findall(buf) if _OTHER_BREAKS.search(buf)
                 else buf.splitlines(keepends=True))
        # the last part waits for the next piece unless it ends with \n (a \r may be half
        # of a \r\n)
        rest = parts.pop() if parts and not parts[-1].endswith("\n") else ""
        for part in parts:
            no += 1
            yield no, part.rstrip("\r\n")
        if len(rest) > MAX_LINE_CHARS:
            raise InputError("file", name, f"a CSV file with lines of at most "
                             f"{MAX_LINE_CHARS:,} characters; line {no + 1:,} is longer")
    if rest:
        yield no + 1, rest.rstrip("\r\n")


# ---- reading: lines to rows ------------------------------------------------------------------
def _cells(text: str) -> list[str]:
    """The cells of one line (raises `csv.Error` on a quote that does not close on it)."""
    if '"' not in text:  # what the csv module gives for a line without quotes, faster
        return text.split(",")
    return next(csv.reader([text], strict=True), [])


def _empty_file(name: str) -> InputError:
    return InputError("file", name, "a CSV with a header row (id,country,...) and at least "
                      "one data row; the file is empty")


def _header(names: Sequence[str], line: int | None = None) -> list[str]:
    names = [c.replace("\ufeff", "").strip().lower() for c in names]
    where = f" (line {line})" if line is not None and line != 1 else ""
    for i, n in enumerate(names, start=1):
        if not n:
            why = ("a comma at the end of the header line?" if i == len(names) else
                   "two commas in a row in the header line?")
            raise InputError("columns", n, f"a name for every column: column {i} of "
                             f"{len(names)} has none{where} ({why})")
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        at = [i for i, n in enumerate(names, start=1) if n == dup]
        raise InputError("columns", dup, f"each column once: columns {at[0]} and {at[1]} "
                         f"are both {dup}")
    unknown = [c for c in names if c not in ACCEPTED_COLUMNS]
    if unknown:
        raise InputError("columns", ",".join(unknown),
                         "known columns only: " + ", ".join(ACCEPTED_COLUMNS))
    if "country" not in names:
        raise InputError("columns", ",".join(names),
                         "a header with a country column: " + ",".join(BATCH_COLUMNS))
    return names


def _read_header(lines: Iterator[tuple[int, str]], name: str) -> tuple[int, list[str]]:
    """The header: the first line that is not blank (consumed from ``lines``)."""
    for no, text in lines:
        if not text.strip():
            continue
        try:
            cells = _cells(text)
        except csv.Error as exc:
            raise InputError("columns", text[:60], "a header line of column names separated "
                             f"by commas (line {no}: {_quote_problem(exc)})") from None
        if any(c.strip() for c in cells):
            return no, _header(cells, no)
    raise _empty_file(name)


def _quote_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return ('a quote (") opens a cell and does not close on this line; a cell cannot '
                'span lines, and a quote inside a quoted cell is written twice ("")')
    if "expected after" in text:
        return ('text follows the closing quote of a cell; quote the whole cell, and write '
                'a quote inside it twice ("")')
    if "field larger" in text:
        return f"a cell longer than {csv.field_size_limit():,} characters"
    return text


def _rows(lines: Iterator[tuple[int, str]], header: Sequence[str], header_line: int,
          blank: BlankLines) -> Iterator[tuple[int, dict[str, str] | RowError]]:
    """``(row number, cells)`` of each data line, or ``(row number, RowError)`` for a line
    that is not a row; blank lines (nothing, or only commas) are appended to ``blank``."""
    width, columns = len(header), ",".join(header)
    id_at = header.index("id") if "id" in header else None
    for no, text in lines:
        n = no - header_line
        if len(text) > MAX_ROW_CHARS:
            yield n, RowError(n, f"row-{n}", "line", f"{len(text):,} characters",
                              f"a row of at most {MAX_ROW_CHARS:,} characters; this line has "
                              f"{len(text):,}", no)
            continue
        if '"' not in text:  # what the csv module gives for a line without quotes, faster
            if not text.replace(",", "").strip():
                blank.append(no)
                continue
            cells = text.split(",")
        else:
            try:
                cells = next(csv.reader([text], strict=True), [])
            except csv.Error as exc:
                yield n, RowError(n, f"row-{n}", "line", text[:60], _quote_problem(exc), no)
                continue
            if not any(c.strip() for c in cells):
                blank.append(no)
                continue
        if len(cells) != width:
            id_ = cells[id_at].strip() if id_at is not None and id_at < len(cells) else ""
            hint = ("quote a cell that holds a comma" if len(cells) > width else
                    "leave a cell blank for its default, but keep its comma")
            yield n, RowError(n, id_ or f"row-{n}", "line", f"{len(cells)} fields",
                              f"{len(cells)} fields where the header has {width}; a row "
                              f"needs {width} cells, one per column ({columns}): {hint}", no)
            continue
        yield n, dict(zip(header, cells))


class BlankLines:
    """The blank lines skipped: how many, and the first few line numbers (so memory stays
    flat however many there are). ``note`` is the one note about them."""

    KEEP = 5

    def __init__(self, lines: Iterable[int] = ()):
        self.count = 0
        self.first: list[int] = []
        for no in lines:
            self.append(no)

    def append(self, no: int) -> None:
        self.count += 1
        if len(self.first) < self.KEEP:
            self.first.append(no)

    def __len__(self) -> int:
        return self.count

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, BlankLines) and (self.count, self.first)
                == (other.count, other.first))

    def __repr__(self) -> str:
        return f"BlankLines(count={self.count}, first={self.first})"

    @property
    def note(self) -> str | None:
        """E.g. ``7 blank lines skipped (lines 4, 9, 12, 13, 20 and 2 more)``; None if none."""
        if not self.count:
            return None
        shown = ", ".join(f"{n:,}" for n in self.first)
        more = f" and {self.count - len(self.first):,} more" if self.count > len(self.first) else ""
        s = "" if self.count == 1 else "s"
        return f"{self.count:,} blank line{s} skipped (line{s} {shown}{more})"


@dataclass(frozen=True)
class BatchTable:
    """A batch file read whole: its normalised ``header``, its ``rows`` as ``(row number,
    cells)`` or ``(row number, RowError)`` for a line that is not a row, the ``blank_lines``
    that were skipped and the line of the header. `run_batch` and `run_batch_estimates`
    take it as they take a frame."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str] | RowError], ...]
    blank_lines: BlankLines = field(default_factory=BlankLines)
    header_line: int = 1

    @property
    def height(self) -> int:
        """Data rows [count] (bad lines included, blank lines not)."""
        return len(self.rows)

    @property
    def notes(self) -> list[str]:
        note = self.blank_lines.note
        return [note] if note else []


def read_batch_csv(path: str | Path, *, max_bytes: int | None = READ_MAX_BYTES,
                   max_rows: int | None = None) -> BatchTable:
    """Read a batch CSV (or gzip of one) whole, every cell as text; raises `InputError` on
    unusable input (see `parse_batch_csv`)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file", str(path), "an existing CSV file")
    return parse_batch_csv(path.read_bytes(), str(path), max_bytes=max_bytes,
                           max_rows=max_rows)


def parse_batch_csv(data: bytes, name: str = "upload", *,
                    max_bytes: int | None = READ_MAX_BYTES,
                    max_rows: int | None = None) -> BatchTable:
    """Parse batch CSV bytes (a file or an upload) with every cell as text.

    The bytes go through `decode_batch_bytes` (gzip, encodings, ``max_bytes``); then each line
    is a row, or a `RowError` when it is not one (see `BatchTable`). ``max_rows`` limits the
    data rows (blank lines are not counted).

    Raises `InputError` naming ``name`` when the file as a whole is unusable: encoding,
    size, no header, an unnamed, repeated or unknown column, no country column, no data row,
    more than ``max_rows`` rows.
    """
    lines = _lines([decode_batch_bytes(data, name, max_bytes=max_bytes)], name)
    header_line, header = _read_header(lines, name)
    blank = BlankLines(range(1, header_line))  # lines before the header are blank
    rows = []
    for n, row in _rows(lines, header, header_line, blank):
        if max_rows is not None and len(rows) >= max_rows:
            raise InputError("file", name, f"at most {max_rows:,} data rows (row "
                             f"{max_rows + 1:,} is on line {n + header_line:,}); `impact batch "
                             "FILE --out OUT` reads files of any length")
        rows.append((n, row))
    if not rows:
        raise InputError("file", name, "at least one data row under the header")
    return BatchTable(name, tuple(header), tuple(rows), blank, header_line)


def _normalise_columns(frame: pl.DataFrame) -> pl.DataFrame:
    names = _header(frame.columns)
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    if frame.height == 0:
        raise InputError("file", "", "at least one data row under the header")
    return frame.with_columns(pl.all().cast(pl.String))


@dataclass
class CsvChunks:
    """A batch CSV (or gzip of one) read chunk by chunk: ``header`` (normalised column
    names), `chunks` yields lists of ``(row number, cells)`` (or ``(row number, RowError)``
    for a line that is not a row); ``blank_lines`` and `notes` after a pass.

    Raises `InputError` at construction — before anything is written — when the file is
    missing, empty, not text in an accepted encoding, or has an unusable header or no data
    row: construction reads the whole file once (no size or row limit: it streams).
    """

    path: Path
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    header: list[str] = field(init=False)
    header_line: int = field(init=False, default=1)
    blank_lines: BlankLines = field(init=False, default_factory=BlankLines)
    _n_rows: int = field(init=False, default=0, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.path.is_file():
            raise InputError("file", str(self.path), "an existing CSV file")
        with self._lines() as lines:
            self.header_line, self.header = _read_header(lines, str(self.path))
            # one pass over the rest: encoding errors and NUL bytes surface now
            self._n_rows = sum(1 for _, text in lines if text.strip(" \t,"))
        if not self._n_rows:
            raise InputError("file", str(self.path), "at least one data row under the header")

    @contextlib.contextmanager
    def _lines(self) -> Iterator[Iterator[tuple[int, str]]]:
        name = str(self.path)
        with open(self.path, "rb") as f:
            yield _lines(_text(_blocks(f, name, None), name), name)

    def count_rows(self) -> int:
        """Data lines [count] (for the progress bar; lines of only commas included)."""
        return self._n_rows

    @property
    def notes(self) -> list[str]:
        """The note on the blank lines skipped by the last pass of `chunks`."""
        note = self.blank_lines.note
        return [note] if note else []

    def chunks(self) -> Iterator[list[tuple[int, dict[str, str] | RowError]]]:
        self.blank_lines = BlankLines(range(1, self.header_line))  # before the header
        with self._lines() as lines:
            _read_header(lines, str(self.path))
            chunk: list[tuple[int, dict[str, str] | RowError]] = []
            for item in _rows(lines, self.header, self.header_line, self.blank_lines):
                chunk.append(item)
                if len(chunk) >= self.chunk_rows:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk


def frame_rows(frame: pl.DataFrame | BatchTable
               ) -> list[tuple[int, dict[str, Any] | RowError]]:
    """``(row number, cells)`` of a text frame with a valid header (or of a `BatchTable`)."""
    if isinstance(frame, BatchTable):
        return list(frame.rows)
    frame = _normalise_columns(frame)
    return list(enumerate(frame.iter_rows(named=True), start=1))


# ---- one chunk -------------------------------------------------------------------------------
_GENERATED_ID = re.compile(r"row-[1-9][0-9]*")


def assign_ids(rows: Iterable[tuple[int, dict[str, Any] | RowError]], seen: set[str]
               ) -> tuple[list[tuple[int, str, dict[str, Any]]], list[RowError]]:
    """Give each row its id: the ``id`` cell, or ``row-<N>`` (N the row number) when it is
    blank. An explicit id that repeats an earlier one is an error for the later row, and so is
    an explicit ``row-<M>`` on any row but M (the id a blank cell gets there), so a generated id
    never collides with an explicit one. A `RowError` passes through (its id is not taken).
    ``seen`` holds the ids used so far (updated)."""
    good: list[tuple[int, str, dict[str, Any]]] = []
    errors: list[RowError] = []
    for n, raw in rows:
        if isinstance(raw, RowError):
            errors.append(raw)
            continue
        cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        id_ = cells.pop("id", None) or f"row-{n}"
        if _GENERATED_ID.fullmatch(id_) and id_ != f"row-{n}":
            errors.append(RowError(n, id_, "id", id_, "ids of the form row-<number> are kept "
                                   f"for rows with a blank id: {id_} is row {id_[4:]}'s (this "
                                   f"is row {n}: use another id, or leave it blank)"))
            continue
        if id_ in seen:
            errors.append(RowError(n, id_, "id", id_, "a unique id (already used above)"))
            continue
        seen.add(id_)
        good.append((n, id_, cells))
    return good, errors


def run_rows(rows: Sequence[tuple[int, str, dict[str, Any]]],
             methods: str | Sequence[str] = "all", draws: int = DEFAULT_DRAWS,
             seed: int = DEFAULT_SEED, overrides: Mapping[str, float] | None = None,
             *, details: bool = True):
    """Validate ``(row number, id, cells)`` rows and run the good ones through the engine in
    one pass (with each scenario's headline ensemble). Returns the `impact.estimation.engine.Pass`, the
    ``(row number, id)`` of each of its
    scenarios, and the errors of every row that failed (validation or data), by row number.
    ``details=False`` skips the assumption and sensitivity tables (a CSV needs neither).

    Raises `InputError` for problems of the whole batch (methods, draws, an override name).
    """
    errors: list[RowError] = []
    ok: list[tuple[int, str]] = []
    scenarios = []
    for n, id_, cells in rows:
        try:
            scenarios.append(parse_scenario(cells))
        except InputError as exc:
            errors.append(RowError(n, id_, exc.field, exc.value, exc.accepted))
            continue
        except ImpactError as exc:
            errors.append(RowError(n, id_, "data", None, str(exc)))
            continue
        ok.append((n, id_))
    result = run(scenarios, methods, draws=draws, seeds=[scenario_seed(seed, i) for _, i in ok],
                 overrides=overrides, details=details, ensemble=True)
    for i, exc in result.errors.items():
        n, id_ = ok[i]
        if isinstance(exc, InputError):
            errors.append(RowError(n, id_, exc.field, exc.value, exc.accepted))
        else:
            errors.append(RowError(n, id_, "data", None, str(exc)))
    errors.sort(key=lambda e: e.row)
    return result, ok, errors


def estimate_rows(rows: Sequence[tuple[int, str, dict[str, Any]]],
                  methods: str | Sequence[str] = "all", draws: int = DEFAULT_DRAWS,
                  seed: int = DEFAULT_SEED, overrides: Mapping[str, float] | None = None
                  ) -> tuple[dict[str, Estimate], list[RowError]]:
    """`run_rows` as ``{id: Estimate}`` (no Monte Carlo samples) and the rows' errors."""
    result, ok, errors = run_rows(rows, methods, draws, seed, overrides)
    estimates = {id_: est for (_, id_), est in zip(ok, split(result, overrides), strict=True)
                 if est is not None}
    return estimates, errors


def run_batch_estimates(frame: pl.DataFrame | BatchTable,
                        methods: str | Sequence[str] = "all",
                        draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, *,
                        overrides: Mapping[str, float] | None = None
                        ) -> tuple[dict[str, Estimate], list[RowError]]:
    """Estimate each row of a (small, in-memory) table — a text frame or a `BatchTable` from
    `parse_batch_csv` — and return ``{id: Estimate}`` and the row errors (a `BatchTable`'s
    bad lines included), by row number.

    Raises `InputError` when the table as a whole is unusable (unknown column, no country
    column, no rows, bad method or draws).
    """
    rows = frame_rows(frame)
    get_methods(methods)  # a bad method name fails the whole batch, before any row
    good, id_errors = assign_ids(rows, set())
    estimates, errors = estimate_rows(good, methods, draws, seed, overrides)
    return estimates, sorted(id_errors + errors, key=lambda e: e.row)


def run_batch(frame: pl.DataFrame | BatchTable, methods: str | Sequence[str] = "all",
              draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, *,
              overrides: Mapping[str, float] | None = None
              ) -> tuple[pl.DataFrame, list[RowError]]:
    """Estimate every row of ``frame`` (columns `ACCEPTED_COLUMNS`, text, blank = default; a
    text frame or a `BatchTable` from `read_batch_csv` / `parse_batch_csv`).

    Returns
    -------
    results : one row per id and method: ``id, method, loss_usd_p05, loss_usd_p50,
        loss_usd_p95, loss_usd_per_day_p50, share_of_gdp_p50`` then the other summary columns
        (USD, current prices of the event year; shares 0-1)
    errors : one `RowError` per bad row
    """
    estimates, errors = run_batch_estimates(frame, methods, draws, seed, overrides=overrides)
    return summary_frame(estimates), errors


# ---- streaming -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChunkOutput:
    """A computed chunk, rendered for the output format (picklable, for Dask workers)."""

    csv: str
    json_items: tuple[str, ...]
    estimates: Mapping[str, Estimate] | None  # kept for an Excel workbook only
    errors: tuple[RowError, ...]
    n_ok: int
    n_results: int


#: the provenance column a lean CSV leaves out of every row (written once, beside the file)
LEAN_DROPPED = ("data_vintages",)


def compute_chunk(rows: Sequence[tuple[int, str, dict[str, Any]]], fmt: str,
                  methods: str | Sequence[str], draws: int, seed: int,
                  overrides: Mapping[str, float] | None, lean: bool = True) -> ChunkOutput:
    """Estimate a chunk and render it: CSV text, JSON items or Excel sheet frames. ``lean``:
    the CSV rows leave out `LEAN_DROPPED` (the same on every row)."""
    if fmt == "csv":  # column by column from the pass: no frame per estimate
        result, ok, errors = run_rows(rows, methods, draws, seed, overrides, details=False)
        ids = [id_ for _, id_ in ok]
        frame = export.pass_csv_frame(result, ids)
        if lean:
            frame = frame.drop(LEAN_DROPPED)
        return ChunkOutput(frame.write_csv(include_header=False) if frame.height else "", (),
                           None, tuple(errors), len(ids) - len(result.errors), frame.height)
    estimates, errors = estimate_rows(rows, methods, draws, seed, overrides)
    n_results = sum(e.summary.height + 1 for e in estimates.values())  # + the ensemble
    items, kept = (), None
    if fmt == "json":
        items = tuple(json.dumps({"id": i} | export.estimate_dict(e, overrides=overrides),
                                 allow_nan=False, ensure_ascii=False)
                      for i, e in estimates.items())
    elif fmt == "xlsx":
        kept = estimates
    return ChunkOutput("", items, kept, tuple(errors), len(estimates), n_results)


@dataclass
class BatchStats:
    rows: int = 0
    ok: int = 0
    results: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Writer:
    """Appends rendered chunks to ``path`` (written to ``path.partial``, renamed at the end:
    an interrupted run leaves the good rows computed so far in the partial file)."""

    def __init__(self, path: Path | None, fmt: str, stream=None, lean: bool = True,
                 resume: Resume | None = None):
        self.path, self.fmt, self.lean = path, fmt, lean
        self.tmp = path.with_name(path.name + ".partial") if path is not None else None
        self.first = True
        self.kept: dict[str, Estimate] = {}
        self.out = None
        self.rows_done = resume.rows_done if resume else 0
        if resume is not None:  # continue the partial file from its last complete chunk
            with open(self.tmp, "r+b") as fh:
                fh.truncate(resume.bytes_done)
            self.out = open(self.tmp, "a", encoding="utf-8", newline="")  # noqa: SIM115
            self.first = resume.first
            return
        if fmt in ("csv", "json"):  # closed in `close`
            self.out = (open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
                        if self.tmp else stream)
        if fmt == "csv":
            columns = [c for c in export.csv_frame({}).columns
                       if not (lean and c in LEAN_DROPPED)]
            self.out.write(",".join(columns) + "\n")
        elif fmt == "json":
            versions = json.dumps({"impact": export.impact_version(),
                                   "data": export.data_version()})
            self.out.write(f'{{"versions": {versions}, "estimates": [')

    def progress_path(self) -> Path | None:
        """``OUT.partial.progress``: the bytes and input rows of the complete chunks so far."""
        return None if self.tmp is None else self.tmp.with_name(self.tmp.name + ".progress")

    def mark(self, n_rows: int, chunk_rows: int) -> None:
        """Record a complete chunk (after it was flushed), for ``--resume``."""
        self.rows_done += n_rows
        if self.progress_path() is None or self.out is None:
            return
        record = {"bytes_done": self.out.tell(), "rows_done": self.rows_done,
                  "chunk_rows": chunk_rows, "format": self.fmt, "lean": self.lean,
                  "first": self.first}
        tmp = self.progress_path().with_suffix(".tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, self.progress_path())

    def write(self, chunk: ChunkOutput) -> None:
        if self.fmt == "csv":
            self.out.write(chunk.csv)
        elif self.fmt == "json":
            for item in chunk.json_items:
                self.out.write(("\n" if self.first else ",\n") + item)
                self.first = False
        elif chunk.estimates:
            self.kept.update(chunk.estimates)
        if self.out is not None:
            self.out.flush()

    def close(self, errors: Sequence[RowError], interrupted: bool = False) -> None:
        """Finish the output: a closed JSON document, the workbook of the rows kept, then
        ``path.partial`` renamed to ``path``. ``interrupted``: the file stays ``path.partial``
        (valid CSV, JSON or XLSX of the good rows so far, marked interrupted)."""
        if self.fmt == "json":
            tail = ', "interrupted": true' if interrupted else ""
            self.out.write("\n], \"errors\": " + json.dumps([str(e) for e in errors],
                                                          ensure_ascii=False) + tail + "}\n")
        if self.fmt == "xlsx":
            self.tmp.write_bytes(export.to_xlsx(self.kept, errors=errors))
        if self.out is not None and self.tmp is not None:
            self.out.close()
        if self.tmp is not None and not interrupted:
            os.replace(self.tmp, self.path)
            with contextlib.suppress(OSError):
                self.progress_path().unlink()
            if self.fmt == "csv" and self.lean:
                write_vintages(self.path)

    def discard(self) -> None:
        """Remove ``path.partial`` after a write fault (disk full, read-only): a file cut
        anywhere is not kept."""
        if self.out is not None and self.tmp is not None:
            with contextlib.suppress(OSError):
                self.out.close()
        if self.tmp is not None:
            for stale in (self.tmp, self.progress_path()):
                with contextlib.suppress(OSError):
                    stale.unlink()


def vintages_path(out: Path) -> Path:
    """``OUT.vintages.csv``: the data vintages of a lean CSV, once for the whole file."""
    return out.with_name(out.stem + ".vintages.csv")


def write_vintages(out: Path) -> Path:
    """Write the vintages of the data in use beside a lean CSV (`vintages_path`)."""
    frame = export.safe_frame(export._bundled_vintages())
    return write_atomic(vintages_path(out), frame.write_csv())


@dataclass(frozen=True)
class Resume:
    """Where an interrupted batch stopped: bytes of complete chunks in ``OUT.partial`` and
    the input rows they hold."""

    bytes_done: int
    rows_done: int
    first: bool = True


def resume_point(out: Path, fmt: str, chunk_rows: int, lean: bool) -> Resume:
    """The `Resume` of ``out``'s partial file, or an `InputError` saying why it cannot be
    continued (no partial, another format, chunk size or CSV form)."""
    tmp = out.with_name(out.name + ".partial")
    progress = tmp.with_name(tmp.name + ".progress")
    if fmt == "xlsx":
        raise InputError("resume", str(out), "a .csv or .json output (a workbook is written "
                         "whole at the end)")
    try:
        record = json.loads(progress.read_text(encoding="utf-8"))
        size = tmp.stat().st_size
    except (OSError, ValueError):
        raise InputError("resume", str(out), f"an interrupted run's {tmp.name} and "
                         f"{progress.name} beside it") from None
    same = (record.get("format") == fmt and record.get("chunk_rows") == chunk_rows
            and record.get("lean") == lean)
    if not same or not 0 <= int(record.get("bytes_done", -1)) <= size:
        raise InputError("resume", str(out), f"the same format, --chunk-rows "
                         f"({record.get('chunk_rows')}) and CSV form as the interrupted run")
    return Resume(int(record["bytes_done"]), int(record["rows_done"]),
                  bool(record.get("first", True)))


def _progress(total: int, enabled: bool | None):
    """A progress bar on stderr: shown when ``enabled`` is True, never when False, and when
    None only if stderr is a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit="row", desc="batch", disable={None: None, True: False,
                                                               False: True}[enabled],
                dynamic_ncols=True, leave=enabled is True, mininterval=0.5)


def stream_batch(source: CsvChunks, out: Path | None, fmt: str = "csv", *,
                 methods: str | Sequence[str] = "all", draws: int = DEFAULT_DRAWS,
                 seed: int = DEFAULT_SEED, overrides: Mapping[str, float] | None = None,
                 engine: str = "local", scheduler: str | None = None, progress: bool | None = None,
                 stream=None, lean: bool = True, resume: bool = False) -> BatchStats:
    """Read, estimate and write a batch chunk by chunk.

    Parameters
    ----------
    source : the input CSV (`CsvChunks`)
    out : output path (``.csv``, ``.json`` or ``.xlsx``), or None to write CSV to ``stream``
    fmt : ``csv``, ``json`` or ``xlsx``
    engine : ``local`` (this process) or ``dask`` (chunks run on a Dask distributed cluster:
        ``scheduler`` is its address, e.g. ``tcp://10.0.0.5:8786``; a `LocalCluster` when None)
    progress : a progress bar on stderr: True always, False never, None when stderr is a
        terminal
    lean : a CSV leaves `LEAN_DROPPED` out of every row and writes the data vintages once
        beside it (`vintages_path`); False: every row carries them
    resume : continue ``out``'s partial file (``OUT.partial``, ``OUT.partial.progress``)
        from its last complete chunk: the rows it holds are not estimated again

    Returns the counts, the row errors (by row number) and the notes (blank lines skipped).
    Raises `InputError` for problems of the whole batch before any output is written.
    """
    if engine not in ENGINES:
        raise InputError("engine", engine, " or ".join(ENGINES))
    get_methods(methods)
    total = source.count_rows()
    if fmt == "xlsx" and total > 20_000:
        raise InputError("out", str(out), "a .csv or .json path for batches of more than "
                         "20,000 rows (an Excel workbook holds every sheet in memory)")
    start = None
    if resume:
        if out is None:
            raise InputError("resume", "stdout", "an --out file to continue")
        start = resume_point(out, fmt, source.chunk_rows, lean)
    chunks = _id_chunks(source, skip_rows=start.rows_done if start else 0)
    if engine == "local":
        results = ((compute_chunk(rows, fmt, methods, draws, seed, overrides, lean), errs, n)
                   for rows, errs, n in chunks)
    else:
        results = _dask_results(chunks, fmt, methods, draws, seed, overrides, scheduler, lean)
    stats = BatchStats()
    bar = _progress(total, progress)
    writer = None
    try:
        first = next(results, None)  # a bad method, draws or override fails before any output
        writer = _Writer(out, fmt, stream, lean, start)
        if start is not None:
            bar.update(start.rows_done)
        for chunk, id_errors, n_rows in itertools.chain([first] if first else [], results):
            writer.write(chunk)
            writer.mark(n_rows, source.chunk_rows)
            stats.rows += n_rows
            stats.ok += chunk.n_ok
            stats.results += chunk.n_results
            stats.errors.extend(sorted(id_errors + list(chunk.errors), key=lambda e: e.row))
            bar.update(n_rows)
        writer.close(stats.errors)
    except KeyboardInterrupt:
        if writer is not None and writer.tmp is not None:
            with contextlib.suppress(OSError):
                writer.close(stats.errors, interrupted=True)
            raise BatchInterrupted(writer.tmp, stats.ok) from None
        raise
    except OSError as exc:
        if writer is not None:
            writer.discard()
        if isinstance(exc, BrokenPipeError) and out is None:
            raise
        raise InputError("out", str(out) if out is not None else "stdout",
                         f"a writable place ({exc.strerror or exc}); the partial output was "
                         "removed") from None
    finally:
        bar.close()
    stats.notes = list(source.notes)
    return stats


def _id_chunks(source: CsvChunks, skip_rows: int = 0):
    """(rows, id errors, rows read) per chunk; the first ``skip_rows`` input rows (whole
    chunks of a resumed run) get their ids but are not yielded."""
    seen: set[str] = set()
    done = 0
    for raw in source.chunks():
        good, id_errors = assign_ids(raw, seen)
        if done < skip_rows:
            done += len(raw)
            continue
        yield good, id_errors, len(raw)


def _dask_results(chunks, fmt, methods, draws, seed, overrides, scheduler, lean=True):
    """Run `compute_chunk` on a Dask cluster, a bounded number of chunks in flight, and yield
    the results in input order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("engine", "dask", "local, or install the distributed extra: "
                         "pip install 'impact[distributed]'") from None
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise InputError("scheduler", scheduler, "the address of a running Dask "
                                 f"scheduler, e.g. tcp://host:8786 ({exc})") from None
        else:
            cluster = LocalCluster(processes=True, dashboard_address=None)
            client = Client(cluster)
        with client:
            workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
            pending: list = []
            for c in chunks:
                rows, id_errors, n_rows = c
                pending.append((client.submit(compute_chunk, rows, fmt, methods, draws, seed,
                                              overrides, lean, pure=False), id_errors, n_rows))
                while len(pending) > 2 * workers:
                    future, errs, n = pending.pop(0)
                    yield future.result(), errs, n
            for future, errs, n in pending:
                yield future.result(), errs, n
    finally:
        if cluster is not None:
            cluster.close()
