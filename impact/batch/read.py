"""Batch files read: bytes to text to rows, every cell as text (nothing is silently coerced).

`decode_batch_bytes` turns a file's bytes into text: gzip is recognised by its magic bytes and
decompressed up to a byte limit; UTF-8 (with or without a BOM) and UTF-16 with a BOM are
decoded; anything else is refused with one line. Each physical line is one record: a line with
too many or too few fields, or a quote that does not close on its line, is one bad row
(`RowError`) naming its line; blank lines are skipped and reported once as a note
(README "Batch files: limits and bad rows"). `CsvChunks` hands the rows on chunk by chunk.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import itertools
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from impact.errors import InputError
from impact.vocab import SCENARIO_FIELDS

#: columns of the documented batch layout (blank cell = default)
BATCH_COLUMNS = ("id", "country", "start", "end", "duration_hours", "scope", "platforms",
                 "affected_share", "affected_users", "intensity", "circumvention")
#: further scenario fields a batch may carry: every other field of a scenario
OPTIONAL_COLUMNS = tuple(f for f in SCENARIO_FIELDS if f not in BATCH_COLUMNS)
ACCEPTED_COLUMNS = BATCH_COLUMNS + OPTIONAL_COLUMNS
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
