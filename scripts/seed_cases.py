"""Print the README's seed cases (Pakistan 2024) as markdown tables, per method.

    python scripts/seed_cases.py            # the README section, between its markers
    python scripts/seed_cases.py --check    # exit 1 if README.md differs from it

The election day is costed from its sourced disruption timeline
(``data/examples/pakistan_2024-02-08.csv``: every row names its public source), hour by hour
as ``impact monitor`` costs it; the X block from its reported dates. Bundled data, 10,000
draws, seed 20240208.
"""

from __future__ import annotations

import sys
from pathlib import Path

from impact import estimate, parse_scenario
from impact import format as fmt
from impact.bundled.indicators import lookup
from impact.bundled.zones import country_timezone
from impact.model.montecarlo import DEFAULT_DRAWS
from impact.monitor.costing import monitor
from impact.monitor.importers.timeline_csv import read_timeline_csv
from impact.vocab import DEFAULT_SEED

REPO = Path(__file__).resolve().parents[1]
TIMELINE = REPO / "data" / "examples" / "pakistan_2024-02-08.csv"
START = "<!-- seed cases: written by `python scripts/seed_cases.py`; do not edit by hand -->"
END = "<!-- end of seed cases -->"
X_BLOCK = ("Pakistan, block of X from 17 Feb 2024 to 31 Dec 2024 (nationwide, platform block)",
           {"country": "PAK", "start": "2024-02-17T00:00", "end": "2025-01-01T00:00",
            "scope": "platforms", "platforms": "x"})


def _local(moment, iso3: str) -> str:
    return moment.astimezone(country_timezone(iso3)).strftime("%H:%M")


def election_day() -> list[str]:
    """The election day from its timeline, costed hour by hour (``impact monitor``)."""
    tl = read_timeline_csv(TIMELINE)
    res = monitor(tl, draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)
    gdp = lookup(tl.iso3, "gdp_usd", tl.start.year).value
    hours = (tl.end - tl.start).total_seconds() / 3600
    local = f"{_local(tl.start, tl.iso3)}–{_local(tl.end, tl.iso3)}"
    title = (f"**Pakistan, election-day mobile data shutdown, 8 Feb 2024, "
             f"{tl.start:%H:%M}–{tl.end:%H:%M} UTC ({local} local, {fmt.hours(hours)}, "
             f"nationwide), from the timeline `data/examples/{TIMELINE.name}`**")
    out = [title, "",
           "| row (UTC) | scope | intensity | source |", "|---|---|---|---|"]
    for r in tl.rows:
        source = r.source.split(" (http")[0].split(";")[0]
        out.append(f"| {r.start_utc:%H:%M}–{r.end_utc:%H:%M} | {r.scope} | "
                   f"{fmt.percent(r.intensity)} | {source} |")
    burn = {r["method"]: r for r in res.burn.filter(rate="per_hour").iter_rows(named=True)}
    rows = [(r, [fmt.money(burn[r["method"]]["loss_usd_p50"]),
                 fmt.percent(r["loss_usd_p50"] / gdp)] if r["status"] == "ok" else [])
            for r in res.so_far.iter_rows(named=True)]
    return out + [""] + _table(["per hour while on (P50)", "% of annual GDP (P50)"], rows,
                                res.notes)


def x_block() -> list[str]:
    title, fields = X_BLOCK
    est = estimate(parse_scenario(fields))
    rows = [(r, [fmt.money(r["loss_usd_per_day_p50"]), fmt.percent(r["share_of_gdp_p50"]),
                 r["main_driver"]] if r["status"] == "ok" else [])
            for r in est.summary.iter_rows(named=True)]
    return [f"**{title}**", ""] + _table(
        ["per day (P50)", "% of annual GDP (P50)", "main driver"], rows, est.notes)


def _table(extra: list[str], rows: list[tuple[dict, list[str]]], notes) -> list[str]:
    """A markdown table of methods: P50, P5–P95 and the ``extra`` cells of each row."""
    out = ["| method | P50 | P5–P95 | " + " | ".join(extra) + " |",
           "|---|---|---|" + "---|" * len(extra)]
    for r, cells in rows:
        name = "**headline**" if r["method"] == "ensemble" else r["method"]
        if r["status"] != "ok":
            out.append(f"| {name} | {fmt.MISSING} | {r['status'].replace('_', ' ')} |"
                       + " |" * len(extra))
            continue
        out.append(f"| {name} | {fmt.money(r['loss_usd_p50'])} | "
                   f"{fmt.money(r['loss_usd_p05'])} – {fmt.money(r['loss_usd_p95'])} | "
                   + " | ".join(cells) + " |")
    return out + (["", "Data notes: " + "; ".join(notes)] if notes else [])


def section() -> str:
    """The README's seed-case tables, between their markers."""
    return "\n".join([START, "", *election_day(), "", *x_block(), "", END])


def readme_section(text: str) -> str | None:
    """The seed-case section of README text, or None."""
    if START not in text or END not in text:
        return None
    return START + text.split(START, 1)[1].split(END, 1)[0] + END


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    new = section()
    if "--check" in args:
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        if readme_section(readme) != new:
            print("README.md's seed cases differ from `python scripts/seed_cases.py`",
                  file=sys.stderr)
            return 1
        return 0
    if "--write" in args:
        path = REPO / "README.md"
        text = path.read_text(encoding="utf-8")
        old = readme_section(text)
        if old is None:
            print("README.md has no seed-case markers", file=sys.stderr)
            return 1
        path.write_text(text.replace(old, new), encoding="utf-8")
        return 0
    print(new)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
