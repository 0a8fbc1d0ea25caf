"""AppTest of "Add your own events" on the Past events page: an upload of the example file
(``data/examples/events_since_snapshot.csv``) puts its events in the ranking marked as
yours, beside the catalogue's; bad rows are refused one line each and never as markup."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
EVENTS = str(ROOT / "app_pages" / "events.py")
EXAMPLE = ROOT / "data" / "examples" / "events_since_snapshot.csv"
TIMEOUT = 180


def _uploaded(name: str, data: bytes, **state) -> AppTest:
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.file_uploader(key="ev_yours_file").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def _ranked(at: AppTest):
    return next(d.value for d in at.dataframe if "origin" in d.value.columns)


def test_upload_puts_your_events_in_the_ranking_marked_as_yours():
    at = _uploaded(EXAMPLE.name, EXAMPLE.read_bytes(), ev_countries=["IRN", "UGA"],
                   ev_years=(2025, 2026))
    table = _ranked(at)
    mine = table[table["origin"] == "yours"]
    assert len(mine) == 3
    assert set(table["origin"]) == {"yours", "catalogue"}
    assert all(e.startswith("[yours] ") for e in mine["event"])
    iran = mine[mine["id"] == "U-IRN-2026-01-08"]
    assert len(iran) == 1 and iran["P50 [USD]"].iloc[0].startswith("USD ")
    texts = " ".join(t.value for t in at.text)
    assert "3 records read, 3 events kept, 0 refused" in texts


def test_bad_rows_are_refused_one_line_each_and_good_ones_kept():
    rows = (b"country,start,scope,title\n"
            b"IRN,2026-01-08,full,<b>bold</b>\n"
            b"Atlantis,2026-01-01,full,x\n"
            b"UGA,2026-13-13,full,y\n")
    at = _uploaded("mine.csv", rows, ev_countries=["IRN"], ev_years=(2026, 2026))
    texts = [t.value for t in at.text]
    report = next(t for t in texts if t.startswith("refused:"))
    assert len(report.splitlines()) == 2
    assert "country: 'Atlantis'" in report and "start: '2026-13-13'" in report
    assert any("3 records read, 1 events kept, 2 refused" in t for t in texts)
    table = _ranked(at)
    assert list(table[table["origin"] == "yours"]["id"].str.slice(0, 2)) == ["U-"]
    # nothing a user types is rendered as markup: the page writes no HTML of its own
    assert not any("<b>" in m.value for m in at.markdown)
