"""One-page PDFs with the fonts a system has: DejaVu Sans and, for the scripts it lacks, Noto
fonts (Arabic script, Burmese, Ethiopic, Indic, CJK, emoji), with right-to-left and complex
scripts shaped by HarfBuzz; what no font draws is printed as '?' and named in a note (the
briefs of `impact.report.brief`). Without a Unicode font: Helvetica over Latin-1-safe text."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import struct
import unicodedata
import weakref
from dataclasses import dataclass, field, fields
from pathlib import Path

#: where the PDF brief looks for fonts, each folder searched with its subfolders
FONT_DIRS: tuple[str, ...] = ("/usr/share/fonts", "/usr/local/share/fonts",
                              "~/.local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
#: the main font (regular, bold), first found wins: DejaVu Sans (Debian fonts-dejavu-core),
#: else Noto Sans (fonts-noto-core)
_MAIN_FONTS = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
               ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"))
#: fonts for what the main font lacks: (regular, bold or None, face in a collection), the
#: first that has a character draws it. Debian: fonts-noto-core, fonts-noto-cjk,
#: fonts-noto-color-emoji (and fonts-droid-fallback, fonts-symbola when present).
_FALLBACK_FONTS = (
    *((f"Noto{n}-Regular.ttf", f"Noto{n}-Bold.ttf", 0) for n in (
        "NaskhArabic", "SansArabic", "SansHebrew", "SansDevanagari", "SansBengali",
        "SansGurmukhi", "SansGujarati", "SansOriya", "SansTamil", "SansTelugu", "SansKannada",
        "SansMalayalam", "SansSinhala", "SansMyanmar", "SansThai", "SansLao", "SansKhmer",
        "SansEthiopic", "SansGeorgian", "SansArmenian", "SansThaana", "SerifTibetan")),
    *((f"NotoSans{n}-Regular.ttf", None, 0) for n in (
        "Tifinagh", "NKo", "Mongolian", "Syriac")),
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 2),  # face 2: Simplified Chinese
    ("DroidSansFallbackFull.ttf", None, 0),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", 0),
    ("NotoSansSymbols2-Regular.ttf", None, 0),
    ("NotoSansSymbols-Regular.ttf", "NotoSansSymbols-Bold.ttf", 0),
    ("NotoSansMath-Regular.ttf", None, 0),
    ("NotoColorEmoji.ttf", None, 0),
    ("Symbola_hint.ttf", None, 0),
)
#: Arabic-script blocks [code points]: drawn by an Arabic font rather than by the main font
#: (DejaVu Sans lacks letters of Urdu, and one word must not mix two fonts)
_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
           (0xFE70, 0xFEFF))
_REPLACEMENT = "?"
_LATIN1 = str.maketrans({"–": "-", "—": "-", "×": "x", "≈": "~", "…": "...", "’": "'",
                         "‘": "'", "“": '"', "”": '"', "≤": "<=", "≥": ">=", "·": "|",
                         "−": "-", "\u00a0": " ", "\u202f": " "})
_SCRIPT_NAMES = {"CJK": "Chinese/Japanese (CJK)", "HIRAGANA": "Japanese kana",
                 "KATAKANA": "Japanese kana", "HANGUL": "Korean (Hangul)",
                 "ARABIC": "Arabic script (Arabic, Persian, Urdu)",
                 "MYANMAR": "Burmese (Myanmar)", "ETHIOPIC": "Ethiopic (Amharic, Tigrinya)",
                 "NKO": "N'Ko", "MODIFIER": "symbols", "COMBINING": "symbols"}
_RTL_JOINER = re.compile("(?<=[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff])([\u200c\u200d])"
                         "(?=[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff])")


def _invisible(ch: str) -> bool:
    """A format character or variation selector: shapes its neighbours, draws nothing."""
    code = ord(ch)
    return (unicodedata.category(ch) == "Cf" or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF)


def script_name(ch: str) -> str:
    """The script of a character in words, for the brief's note on what it cannot show.

    Examples
    --------
    >>> script_name("م"), script_name("中"), script_name("😀"), script_name("ж")
    ('Arabic script (Arabic, Persian, Urdu)', 'Chinese/Japanese (CJK)', 'emoji', 'Cyrillic')
    """
    code = ord(ch)
    if 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF:
        return "emoji"
    if not unicodedata.category(ch).startswith(("L", "M")):
        return "symbols"
    first = unicodedata.name(ch, "SYMBOL").split(" ")[0]
    return _SCRIPT_NAMES.get(first, first.title())


@functools.cache
def font_files(dirs: tuple[str, ...]) -> dict[str, Path]:
    """Font files by file name under ``dirs`` (first found wins; missing folders skipped)."""
    found: dict[str, Path] = {}
    for d in dirs:
        root = Path(d).expanduser()
        if not root.is_dir():
            continue
        for folder, _, names in os.walk(root):
            for name in names:
                if name.lower().endswith((".ttf", ".otf", ".ttc")):
                    found.setdefault(name, Path(folder) / name)
    return found


@functools.cache
def _cmap(path: Path, face: int = 0) -> frozenset[int]:
    """The code points that the font ``path`` (face ``face`` of a collection) draws; empty
    when it cannot be read."""
    return _font_facts(path, face)[0]


@functools.cache
def _font_facts(path: Path, face: int = 0) -> tuple[frozenset[int], bool]:
    """The code points of a font and whether it is a colour font (emoji)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True, fontNumber=face) as font:
            colour = any(tag in font for tag in ("CBDT", "COLR", "sbix", "SVG "))
            return frozenset(font.getBestCmap() or ()), colour
    except Exception:  # noqa: BLE001 - an unreadable font is a missing font
        return frozenset(), False


def shaping_available() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class FontPlan:
    """Which fonts draw a brief's text, and what no font can show."""

    main: tuple[Path, Path] | None  #: regular and bold; None: Helvetica over Latin-1
    main_skip: frozenset[int] = frozenset()  #: code points left to the fallback fonts
    #: (regular, bold or None, face in a collection, the code points it draws)
    fallbacks: tuple[tuple[Path, Path | None, int, frozenset[int]], ...] = ()
    shown: frozenset[int] = frozenset()  #: code points that a font of the plan draws
    missing: dict[str, int] = field(default_factory=dict)  #: script -> characters replaced
    #: code points whose text HarfBuzz shapes (right-to-left and fallback-font scripts)
    shaped: frozenset[int] = frozenset()
    why: str = "no font for them on this system"

    @property
    def note(self) -> str:
        """The brief's note on the characters it replaced (empty when none)."""
        if not self.missing:
            return ""
        n = sum(self.missing.values())
        return (f"Not shown: {', '.join(self.missing)} ({n} different character"
                f"{'s' if n != 1 else ''}, each printed as '{_REPLACEMENT}'): {self.why}. "
                "Debian's fonts-dejavu-core, fonts-noto-core, fonts-noto-cjk and "
                "fonts-noto-color-emoji show them.")


def _missing(chars: set[str]) -> dict[str, int]:
    """How many of ``chars`` each script has, scripts in the order of their first character."""
    out: dict[str, int] = {}
    for ch in sorted(chars):
        out[script_name(ch)] = out.get(script_name(ch), 0) + 1
    return out


def font_plan(text: str, unicode_font: bool = True,
               dirs: tuple[str, ...] | None = None) -> FontPlan:
    """The fonts that draw ``text`` (found under ``dirs``, default `FONT_DIRS`): the main
    font, then the fallback fonts that draw what it lacks (only those the text needs), and
    the characters that none can show."""
    chars = {ch for ch in set(text) if ord(ch) > 0x7E}
    visible = {ch for ch in chars if not _invisible(ch)}
    files = font_files(tuple(FONT_DIRS if dirs is None else dirs)) if unicode_font else {}
    main = next(((files[r], files[b]) for r, b in _MAIN_FONTS if r in files and b in files),
                None)
    main_cmap = _cmap(main[0]) if main else frozenset()
    if not main_cmap:
        latin1 = {ch for ch in visible if max(map(ord, ch.translate(_LATIN1))) > 0xFF}
        return FontPlan(None, missing=_missing(latin1))
    rtl = {ch for ch in visible if unicodedata.bidirectional(ch) in ("R", "AL")}
    if not shaping_available():  # fpdf2 would write right-to-left text left to right
        missing = {ch for ch in visible if ord(ch) not in main_cmap} | rtl
        return FontPlan(main, shown=main_cmap - {ord(ch) for ch in missing},
                         missing=_missing(missing),
                         why="no font for them, or no text shaping (uharfbuzz is missing)")
    arabic = {ch for ch in visible if any(lo <= ord(ch) <= hi for lo, hi in _ARABIC)}
    needed = {ch for ch in visible if ord(ch) not in main_cmap} | arabic
    fallbacks, drawn = [], set()
    for regular, bold, face in _FALLBACK_FONTS:
        if not needed:
            break
        if regular not in files:
            continue
        cmap = _cmap(files[regular], face)
        hit = {ch for ch in needed if ord(ch) in cmap}
        if hit:  # the font draws these and the joiners it has (its own glyphs only: faster)
            codes = frozenset(ord(ch) for ch in hit | (chars - visible) if ord(ch) in cmap)
            fallbacks.append((files[regular], files.get(bold) if bold else None, face, codes))
            drawn |= codes
            needed -= hit
    skip = {ord(ch) for ch in arabic | (chars - visible) if ord(ch) in drawn}
    return FontPlan(main, frozenset(skip), tuple(fallbacks), frozenset(main_cmap | drawn),
                     _missing({ch for ch in needed if ord(ch) not in main_cmap}),
                     shaped=frozenset(drawn | {ord(ch) for ch in rtl} | {0x2067, 0x2069}
                                      if fallbacks or rtl else ()))


def _ranges_without(skip: frozenset[int]) -> list[tuple[int, int]]:
    """Every code point but ``skip``, as (first, last) ranges (fpdf2's ``unicode_range``).

    Examples
    --------
    >>> _ranges_without(frozenset({5, 6, 9}))
    [(0, 4), (7, 8), (10, 1114111)]
    """
    out, start = [], 0
    for code in sorted(skip):
        if code > start:
            out.append((start, code - 1))
        start = code + 1
    return [*out, (start, 0x10FFFF)]


@functools.cache
def _pdf_class():
    """`fpdf.FPDF` whose fallback font keeps a joiner or mark with the letters before it."""
    from fpdf import FPDF

    class _PDF(FPDF):
        _last_fallback: str | None = None

        def get_fallback_font(self, char: str, style: str = "") -> str | None:
            last = self._last_fallback
            if (last and unicodedata.category(char) in ("Mn", "Me", "Cf")
                    and ord(char) in self.fonts[last].cmap):
                return last
            font = super().get_fallback_font(char, style)
            self._last_fallback = font or last
            return font

    return _PDF


def brief_text(brief) -> str:
    """Every text of a brief (`Brief` or `EstimateBrief`), one per line."""
    out: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for f in fields(brief):
        walk(getattr(brief, f.name))
    return "\n".join(out)


def close_fonts(fonts: list) -> None:
    for font in fonts:
        with contextlib.suppress(Exception):  # closing what is closed already
            font.close()


class PdfWriter:
    """fpdf2 with DejaVu Sans and, for the scripts it lacks, Noto fonts (`font_plan`);
    what no font on the system can show is printed as '?' and named in `note`. Without any
    Unicode font: Helvetica over Latin-1-safe text."""

    def __init__(self, unicode_font: bool = True, text: str = "") -> None:
        pdf = _pdf_class()(orientation="P", unit="mm", format="A4")
        pdf.set_margins(12, 11, 12)
        pdf.set_auto_page_break(True, margin=11)
        pdf.add_page()
        plan = font_plan(text, unicode_font)
        self.family, self.unicode = "Helvetica", False
        if plan.main:
            try:
                self._add_fonts(pdf, plan)
                self.family, self.unicode = "Main", True
            except Exception:  # noqa: BLE001 - an unreadable font: Helvetica over Latin-1
                plan = font_plan(text, unicode_font=False)
            # fpdf2 leaves the font files open: close them with the document
            weakref.finalize(pdf, close_fonts, [getattr(f, "ttfont", None)
                                                 for f in pdf.fonts.values()])
        self.plan, self.pdf = plan, pdf

    @staticmethod
    def _add_fonts(pdf, plan: FontPlan) -> None:
        skip = _ranges_without(plan.main_skip) if plan.main_skip else None
        pdf.add_font("Main", "", str(plan.main[0]), unicode_range=skip)
        pdf.add_font("Main", "B", str(plan.main[1]), unicode_range=skip)
        names = []
        for i, (regular, bold, face, codes) in enumerate(plan.fallbacks):
            # only the glyphs it draws here (faster); fpdf2 fails on a colour font cut so
            only = None if _font_facts(regular, face)[1] else sorted(codes)
            for style, path in (("", regular), ("B", bold)):
                if path is not None:
                    pdf.add_font(f"Fallback{i}", style, str(path), unicode_range=only,
                                 collection_font_number=face)
            names.append(f"Fallback{i}")
        if names:
            pdf.set_fallback_fonts(names, exact_match=False)

    @property
    def note(self) -> str:
        """What this PDF could not show, for the brief's notes (empty when all is shown)."""
        return self.plan.note

    def text(self, value: object) -> str:
        s = str(value)
        if not self.unicode:
            s = s.translate(_LATIN1)
            return "".join(ch if ord(ch) <= 0xFF else "" if _invisible(ch) else _REPLACEMENT
                           for ch in s)
        shown = self.plan.shown
        s = "".join(ch if ch <= "~" or ch == "\n" or ord(ch) in shown
                    else "" if _invisible(ch) else _REPLACEMENT for ch in s)
        if self.plan.shaped:  # fpdf2 puts a joiner inside right-to-left text left to right
            s = _RTL_JOINER.sub("\u2067\\1\u2069", s)
        self.shape(s)
        return s

    def shape(self, text: str) -> None:
        """Shape the next text with HarfBuzz when it holds a right-to-left or complex script
        (and only then: Latin text is laid out as without shaping)."""
        shaped = self.plan.shaped
        want = bool(shaped) and any(ord(ch) in shaped for ch in text if ch > "~")
        if want != bool(self.pdf.text_shaping):
            self.pdf.set_text_shaping(want)

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def para(self, value: object, size: float = 8, bold: bool = False, h: float = 3.6) -> None:
        self.font(size, bold)
        self.pdf.multi_cell(0, h, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def heading(self, value: str) -> None:
        self.pdf.ln(1.2)
        self.para(value, size=9.5, bold=True, h=4.6)

    def facts(self, rows: list[tuple[str, str]], least: float = 40,
              most: float = 48, gap: float = 3) -> None:
        """(label, value) lines: the labels in bold in a column as wide as the widest label
        (between ``least`` and ``most`` [mm]; a longer label wraps inside it), the values
        beside them; each line starts under the taller of the two, so nothing overprints."""
        pdf = self.pdf
        width = pdf.w - pdf.l_margin - pdf.r_margin
        self.font(8.5, True)
        widest = max((pdf.get_string_width(self.text(label)) for label, _ in rows), default=0)
        column = min(max(widest + gap, least), most)
        for label, value in rows:
            y = pdf.get_y()
            self.font(8.5, True)
            pdf.multi_cell(column - gap, 4.2, self.text(label), align="L", new_x="LMARGIN",
                           new_y="NEXT")
            below = pdf.get_y()
            pdf.set_xy(pdf.l_margin + column, y)
            self.font(8.5)
            pdf.multi_cell(width - column, 4.2, self.text(value), align="L",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(max(below, pdf.get_y()))

    def table(self, head: tuple[str, ...], rows: list[tuple[str, ...]],
              widths: tuple[float, ...]) -> None:
        pdf = self.pdf
        total = pdf.w - pdf.l_margin - pdf.r_margin
        cols = [w * total for w in widths]
        self.font(7.5, True)
        for w, h in zip(cols, head, strict=True):
            pdf.cell(w, 4, self.text(h), border="B")
        pdf.ln(4)
        self.font(7.5)
        for row in rows:
            texts = [self.text(c) for c in row]
            height = 3.5 * max(self._lines(t, w - 1) for t, w in zip(texts, cols, strict=True))
            if pdf.will_page_break(height):
                pdf.add_page()
            y, x = pdf.get_y(), pdf.l_margin
            for w, t in zip(cols, texts, strict=True):
                pdf.set_xy(x, y)
                self.shape(t)
                pdf.multi_cell(w - 1, 3.5, t, align="L", new_x="RIGHT", new_y="TOP")
                x += w
            pdf.set_xy(pdf.l_margin, y + height)
        pdf.ln(0.8)

    def _lines(self, text: str, width: float) -> int:
        self.shape(text)
        return line_count(self.pdf, text, width)

    def charts(self, images: list[bytes], columns: int = 2, max_height: float | None = None,
               gap: float = 4) -> None:
        """PNG images side by side, ``columns`` to a row, each as wide as its column and at
        most ``max_height`` [mm] tall (aspect kept); the cursor goes under the tallest."""
        pdf = self.pdf
        width = (pdf.w - pdf.l_margin - pdf.r_margin - gap * (columns - 1)) / columns
        for start in range(0, len(images), columns):
            y, tallest = pdf.get_y(), 0.0
            for k, image in enumerate(images[start:start + columns]):
                w, h = fit_image(image, width, max_height)
                x = pdf.l_margin + k * (width + gap) + (width - w) / 2
                pdf.image(io.BytesIO(image), x=x, y=y, w=w, h=h)
                tallest = max(tallest, h)
            pdf.set_y(y + tallest + 1)


def fit_image(image: bytes, width: float, max_height: float | None) -> tuple[float, float]:
    """Width and height [mm] of a PNG drawn ``width`` wide, shrunk to ``max_height``."""

    px_w, px_h = struct.unpack(">II", image[16:24])  # the PNG header's IHDR size
    h = width * px_h / max(px_w, 1)
    if max_height is not None and h > max_height:
        return width * max_height / h, max_height
    return width, h


def pdf_bytes(layout, unicode_first: bool = True) -> bytes:
    """``layout(unicode_font)`` (an `fpdf.FPDF`) as PDF bytes: the system's Unicode fonts
    (`PdfWriter`), and the Latin-1 version with Helvetica if they fail on the text (its notes
    then name the scripts it replaced)."""
    try:
        return bytes(layout(unicode_first).output())
    except Exception:  # noqa: BLE001 - a glyph or font problem: the Latin-1 version
        return bytes(layout(False).output())


def line_count(pdf, text: str, width: float) -> int:
    try:
        return max(1, len(pdf.multi_cell(width, 3.5, text, align="L", dry_run=True,
                                         output="LINES")))
    except Exception:  # noqa: BLE001 - an estimate is enough for the row height
        return 1


