"""The PDF brief shows the scripts of the countries we cost (`impact.report.brief`, fpdf2 with Noto
fallback fonts and HarfBuzz shaping), or prints '?' for what no font on the system draws and
names those scripts in its notes; never a dropped character, a traceback or stderr noise.

The fonts are Debian's (fonts-dejavu-core, fonts-noto-core, fonts-noto-cjk,
fonts-noto-color-emoji; `.ci/run` installs them): without them the tests that need them are
skipped, and fail under ``CI=true``."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import re
import unicodedata
import warnings
from datetime import UTC, datetime

import pytest

from impact.monitor.costing import monitor
from impact.monitor.timeline import make_timeline, parse_row
from impact.report import pdf as pdf_mod
from impact.report.brief import brief_content, render_pdf

pypdf = pytest.importorskip("pypdf")

PRODUCED = datetime(2024, 2, 8, 16, 5, tzinfo=UTC)
#: user and data text in the scripts of countries we cost (the Persian one with a ZWNJ)
SAMPLES = {
    "Urdu": "پاکستان میں انٹرنیٹ بند ہے",
    "Persian": "ایران قطع\u200cشدن اینترنت",
    "Burmese": "မြန်မာ အင်တာနက်",
    "Amharic": "ኢትዮጵያ ኢንተርኔት",
    "Chinese": "中国 互联网",
    "emoji": "📵",
}
ALL = " · ".join(SAMPLES.values())


def _require_fonts() -> None:
    plan = pdf_mod.font_plan(ALL)
    if plan.main and not plan.missing:
        return
    reason = (f"fonts missing ({plan.note or 'no DejaVu Sans'}): install Debian's "
              "fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji")
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason}; CI=true requires them (.ci/run installs them)")
    pytest.skip(reason)


def _text(pdf: bytes) -> str:
    """The PDF's text without control and format characters (pypdf)."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def _squash(text: str) -> str:
    """``text`` without whitespace (pypdf may join or split words at line ends)."""
    return "".join(text.split())


def _words(sample: str) -> list[str]:
    return [w for w in re.split(r"[\s\u200c]+", sample) if w]


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object().get("/BaseFont", "/Type3")))
    return names


@pytest.fixture(scope="module")
def result():
    row = parse_row({"start_utc": "2024-02-08T01:45Z", "end_utc": "2024-02-08T15:00Z",
                     "country": "PAK", "scope": "mobile", "source": ALL})
    return monitor(make_timeline([row], "scripts"), until="2024-02-08T15:00Z", draws=200)


@pytest.fixture(scope="module")
def content(result):
    brief = brief_content(result, produced=PRODUCED, charts=False)
    # a country or place name in the bold title too
    return dataclasses.replace(brief, title=f"{SAMPLES['Urdu']} · {SAMPLES['Chinese']}: "
                               + brief.title)


def _quiet_render(capfd, caplog, render):
    """``render()`` with warnings made errors; fails on any log record or stderr output."""
    capfd.readouterr()
    with caplog.at_level(logging.DEBUG), warnings.catch_warnings():
        warnings.simplefilter("error")
        pdf = render()
    out = capfd.readouterr()
    assert out.err == "" and out.out == ""
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    return pdf


def test_every_script_is_shown_when_the_fonts_are_installed(content, capfd, caplog):
    _require_fonts()
    pdf = _quiet_render(capfd, caplog, lambda: render_pdf(content))
    text = _text(pdf)
    for script, sample in SAMPLES.items():
        for word in _words(sample):
            assert word in text, f"{script}: {word!r} not in the PDF's text"
    assert "Not shown:" not in text and "?" not in text.split("Timeline:")[1].split("\n")[0]
    fonts = " ".join(_fonts(pdf))
    for name in ("NotoNaskhArabic", "NotoSansMyanmar", "NotoSansEthiopic", "NotoSansCJK",
                 "DejaVuSans-Bold", "DejaVuSans"):
        assert name.replace("-Bold", "Bold") in fonts, (name, fonts)
    assert "/Type3" in fonts  # the colour emoji


def test_a_latin_brief_loads_no_fallback_font(result):
    brief = dataclasses.replace(brief_content(result, produced=PRODUCED, charts=False),
                                sources=["Access Now"])
    plan = pdf_mod.font_plan(pdf_mod.brief_text(brief))
    assert plan.fallbacks == () and plan.shaped == frozenset() and not plan.missing


def test_missing_fonts_are_named_and_replaced_visibly(content, monkeypatch, tmp_path, capfd,
                                                      caplog):
    monkeypatch.setattr(pdf_mod, "FONT_DIRS", (str(tmp_path),))  # an empty folder
    pdf = _quiet_render(capfd, caplog, lambda: render_pdf(content))
    text = _squash(_text(pdf))
    assert "Notshown:" in text
    for script in ("Arabic script", "Burmese (Myanmar)", "Ethiopic (Amharic, Tigrinya)",
                   "Chinese/Japanese (CJK)", "emoji"):
        assert _squash(script) in text
    assert "eachprintedas'?'" in text and "fonts-noto-core" in text
    assert "Timeline:????" in text  # replaced, not dropped
    assert not any(ch in text for ch in "中ኢမپ📵")


def test_only_dejavu_names_what_it_cannot_show(content, monkeypatch, tmp_path, capfd, caplog):
    files = pdf_mod.font_files(tuple(pdf_mod.FONT_DIRS))
    if "DejaVuSans.ttf" not in files or "DejaVuSans-Bold.ttf" not in files:
        pytest.skip("DejaVu Sans is not installed (Debian fonts-dejavu-core)")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        (tmp_path / name).symlink_to(files[name])
    monkeypatch.setattr(pdf_mod, "FONT_DIRS", (str(tmp_path),))
    pdf = _quiet_render(capfd, caplog, lambda: render_pdf(content))
    text = _squash(_text(pdf))
    # DejaVu Sans lacks two Urdu letters (ے, ہ) and these scripts whole
    assert _squash("Not shown: Arabic script (Arabic, Persian, Urdu), Burmese (Myanmar), "
                   "Ethiopic (Amharic, Tigrinya), Chinese/Japanese (CJK), emoji (26 different "
                   "characters, each printed as '?')") in text
    assert "ایران" in text and "پاکستان" in text  # DejaVu Sans draws (HarfBuzz shapes) these
    assert "Greek" not in text and "Cyrillic" not in text


def test_greek_and_cyrillic_need_no_fallback():
    plan = pdf_mod.font_plan("Ελλάδα · Россия · Україна", dirs=tuple(pdf_mod.FONT_DIRS))
    if plan.main is None:
        pytest.skip("no Unicode font installed")
    assert not plan.missing and plan.fallbacks == ()


def test_estimate_brief_shows_a_label_in_every_script(capfd, caplog):
    _require_fonts()
    from impact import estimate, parse_scenario
    from impact.report.brief import estimate_brief_pdf

    label = " · ".join(v for k, v in SAMPLES.items() if k != "Persian")  # a label: no ZWNJ
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 10, "scope": "mobile",
                                   "label": label}), draws=200)
    pdf = _quiet_render(capfd, caplog, lambda: estimate_brief_pdf(est, produced=PRODUCED))
    text = _text(pdf)
    for script, sample in SAMPLES.items():
        if script != "Persian":
            assert all(w in text for w in _words(sample)), script


def test_script_names_in_the_note():
    assert pdf_mod.script_name("ے") == "Arabic script (Arabic, Persian, Urdu)"
    assert pdf_mod.script_name("မ") == "Burmese (Myanmar)"
    assert pdf_mod.script_name("ሀ") == "Ethiopic (Amharic, Tigrinya)"
    assert pdf_mod.script_name("한") == "Korean (Hangul)"
    assert pdf_mod.script_name("क") == "Devanagari"
    assert pdf_mod.script_name("★") == "emoji"
    note = pdf_mod.FontPlan(None, missing={"Burmese (Myanmar)": 3}).note
    assert note.startswith("Not shown: Burmese (Myanmar) (3 different characters, each "
                           "printed as '?')")


def test_font_search_skips_missing_folders(tmp_path):
    assert pdf_mod.font_files((str(tmp_path / "absent"),)) == {}


def test_without_harfbuzz_right_to_left_text_is_replaced_and_said(content, monkeypatch, capfd,
                                                                   caplog):
    if pdf_mod.font_plan("abc").main is None:
        pytest.skip("no Unicode font installed")
    monkeypatch.setattr(pdf_mod, "shaping_available", lambda: False)
    pdf = _quiet_render(capfd, caplog, lambda: render_pdf(content))
    text = _squash(_text(pdf))
    assert _squash("Not shown: Arabic script (Arabic, Persian, Urdu)") in text
    assert "uharfbuzzismissing" in text and "ایران" not in text
