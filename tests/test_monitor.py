"""impact.monitor.timeline and impact.monitor.costing: rows, overlap rules, local hours, cost so far equal to
`estimate` for one block, intensity scaling, projection, and `impact monitor`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact import estimate, parse_scenario
from impact.cli import main
from impact.errors import InputError, TimelineError
from impact.estimation.ensemble import ENSEMBLE, ensemble
from impact.methods import REGISTRY
from impact.monitor.costing import monitor, parse_horizons, timeline_scope
from impact.monitor.importers.timeline_csv import read_timeline_csv
from impact.monitor.timeline import hourly, make_timeline, parse_row

SEED_FILE = Path(__file__).resolve().parents[1] / "data" / "examples" / "pakistan_2024-02-08.csv"
DRAWS = 400


def row(start, end, **kw):
    return parse_row({"start_utc": start, "end_utc": end, "country": kw.pop("country", "PAK"),
                      **kw})


def p50(result, method="impact"):
    return result.so_far.filter(result.so_far["method"] == method)["loss_usd_p50"][0]


# ---- rows and files ----------------------------------------------------------------------------
@pytest.mark.parametrize("data, field, words", [
    ({"end_utc": "2024-02-08T01:00Z"}, "end_utc", "after start_utc"),
    ({"intensity": "1.5"}, "intensity", "between 0 and 1"),
    ({"intensity": True}, "intensity", "between 0 and 1"),
    ({"country": "Pakistn"}, "country", "did you mean Pakistan"),
    ({"scope": "dns"}, "scope", "full"),
    ({"scope": "platforms"}, "platforms", "needed when scope is platforms"),
    ({"scope": "platforms", "platforms": "myspace"}, "platforms", "x, facebook"),
    ({"asn": "ASX"}, "asn", "autonomous system"),
    ({"start_utc": "yesterday"}, "start_utc", "ISO date-time"),
])
def test_bad_rows_name_the_field(data, field, words):
    base = {"start_utc": "2024-02-08T02:00Z", "end_utc": "2024-02-08T05:00Z", "country": "PAK"}
    with pytest.raises(TimelineError) as info:
        parse_row(base | data, where="t.csv line 3")
    text = str(info.value)
    assert text.startswith("t.csv line 3: ") and f"{field}:" in text and words in text
    assert "\n" not in text


def test_csv_bad_rows_are_refused_and_named_the_good_kept(tmp_path):
    good = "start_utc,end_utc,country,scope\n2024-02-08T02:00Z,2024-02-08T05:00Z,PAK,mobile\n"
    path = tmp_path / "t.csv"
    path.write_text(good + "2024-02-08T06:00Z,2024-02-08T05:00Z,PAK,mobile\n"
                    "2024-02-08T06:00Z,PAK\n")
    t = read_timeline_csv(path)
    assert len(t.rows) == 1 and t.report.records == 3 and t.report.kept == 1
    refused = sorted(t.report.refused)
    assert refused[0].startswith("t.csv line 3: end_utc")
    assert refused[1].startswith("t.csv line 4: row: '2 cells'")
    assert "refused 2" in t.report.summary()
    # nothing usable: the first refusal, with the counts
    path.write_text("start_utc,end_utc,country\n2024-02-08T06:00Z,2024-02-08T05:00Z,PAK\n")
    with pytest.raises(TimelineError, match=r"^t\.csv line 2: end_utc.*0 of 1 records kept"):
        read_timeline_csv(path)
    path.write_text("begin,end_utc,country\n")
    with pytest.raises(TimelineError, match="columns start_utc, end_utc, country"):
        read_timeline_csv(path)
    path.write_text(good + "2024-02-08T06:00Z,2024-02-08T07:00Z,IND,mobile\n")
    with pytest.raises(TimelineError, match=r"PAK \(1 rows\).*give --country"):
        read_timeline_csv(path)
    assert read_timeline_csv(path, country="IND").iso3 == "IND"
    assert read_timeline_csv(path, country="IND").report.other_countries == 1
    assert read_timeline_csv(good.encode()).iso3 == "PAK"


def test_a_blank_end_is_still_on_and_costed_to_until(tmp_path, capsys):
    from impact.monitor import costing as mon

    path = tmp_path / "t.csv"
    path.write_text("start_utc,end_utc,country,scope\n2024-02-08T02:00Z,,PAK,mobile\n")
    with pytest.raises(TimelineError, match="--until"):
        read_timeline_csv(path)
    t = read_timeline_csv(path, until="2024-02-08T12:00Z")
    assert t.ongoing and t.rows[0].end_utc == datetime(2024, 2, 8, 12, tzinfo=UTC)
    r = mon.monitor(t, draws=DRAWS, methods=["impact"])
    assert r.current and r.until == datetime(2024, 2, 8, 12, tzinfo=UTC)
    assert any("still on" in n for n in r.notes)
    assert main(["monitor", str(path), "--until", "2024-02-08T12:00Z", "--draws", "300",
                 "--method", "impact"]) == 0
    out = capsys.readouterr()
    assert "still on" in out.err and "cost so far" in out.out


def test_the_seed_example_reads_and_names_its_sources():
    t = read_timeline_csv(SEED_FILE)
    assert t.iso3 == "PAK" and len(t.rows) == 2
    assert all(r.source and "http" in r.source for r in t.rows)


# ---- hour by hour --------------------------------------------------------------------------------
def test_hours_cover_the_minutes_and_overlaps_count_once():
    t = make_timeline([row("2024-02-08T01:45Z", "2024-02-08T03:30Z", scope="mobile"),
                       row("2024-02-08T02:00Z", "2024-02-08T03:00Z", scope="mobile",
                           intensity=0.4)])
    pieces = hourly(t)
    assert [(p.hour_utc.hour, p.minutes, p.intensity) for p in pieces] == [
        (1, 15.0, 1.0), (2, 60.0, 1.0), (3, 30.0, 1.0)]


def test_nationwide_covers_regions_and_full_covers_other_scopes():
    t = make_timeline([row("2024-02-08T02:00Z", "2024-02-08T04:00Z", scope="mobile",
                           intensity=0.5),
                       row("2024-02-08T02:00Z", "2024-02-08T04:00Z", scope="mobile",
                           region="Punjab"),
                       row("2024-02-08T03:00Z", "2024-02-08T04:00Z", scope="full"),
                       row("2024-02-08T02:00Z", "2024-02-08T04:00Z", scope="platforms",
                           platforms="twitter")])
    got = {(p.hour_utc.hour, p.scope, p.region): round(p.intensity, 9) for p in hourly(t)}
    # 02:00: Punjab keeps what the nationwide half-cut leaves; X is blocked in full
    assert got[(2, "mobile", None)] == 0.5 and got[(2, "mobile", "Punjab")] == 0.5
    assert got[(2, "platforms", None)] == 1.0
    # 03:00: the full blackout covers everything else
    assert got[(3, "full", None)] == 1.0
    assert (3, "mobile", None) not in got and (3, "platforms", None) not in got


def test_networks_add_up_and_count_once_each():
    t = make_timeline([row("2024-02-08T02:00Z", "2024-02-08T03:00Z", asn="AS1",
                           affected_share=0.3),
                       row("2024-02-08T02:00Z", "2024-02-08T03:00Z", asn=1,
                           affected_share=0.3, source="the same network again"),
                       row("2024-02-08T02:00Z", "2024-02-08T03:00Z", asn=2,
                           affected_share=0.5, intensity=0.8)])
    (piece,) = hourly(t)
    assert piece.intensity == pytest.approx(0.3 + 0.5 * 0.8)
    bare = make_timeline([row("2024-02-08T02:00Z", "2024-02-08T03:00Z", asn=9)])
    r = monitor(bare, draws=DRAWS, methods=["impact"])
    assert any("AS9" in n and "affected_share" in n for n in r.notes)


def test_regions_are_the_country_admin1_names():
    assert row("2024-02-08T02:00Z", "2024-02-08T03:00Z", region="Balochistan province"
               ).region == "Balochistan"
    assert row("2024-02-08T02:00Z", "2024-02-08T03:00Z", region="Punjab and Sindh"
               ).region == "Punjab;Sindh"
    with pytest.raises(TimelineError, match="region: 'Lahore'.*Balochistan"):
        parse_row({"start_utc": "2024-02-08T02:00Z", "end_utc": "2024-02-08T03:00Z",
                   "country": "PAK", "region": "Lahore"}, where="t.csv line 2")
    two = monitor(make_timeline([row("2024-02-08T02:00Z", "2024-02-08T05:00Z",
                                     region="Punjab and Sindh")]), draws=DRAWS,
                  methods=["impact"])
    one = monitor(make_timeline([row("2024-02-08T02:00Z", "2024-02-08T05:00Z",
                                     region="Punjab")]), draws=DRAWS, methods=["impact"])
    assert p50(one) < p50(two)


def test_local_hours_come_from_the_time_zone_database():
    r = monitor(make_timeline([row("2024-02-08T02:00Z", "2024-02-08T04:00Z",
                                   scope="mobile")]), draws=DRAWS, methods=["impact"])
    assert r.zone == "Asia/Karachi"
    assert [h.hour for h in r.hourly["hour_local"]] == [7, 8]  # UTC+5


# ---- cost ----------------------------------------------------------------------------------------
def test_one_block_at_full_intensity_costs_what_estimate_costs():
    """Every method draw for draw, and the headline: with an odd number of draws each
    quantile is one draw, so combining the members' draws (the Monitor) and combining their
    quantiles (`estimate`) give the same number."""
    t = make_timeline([row("2024-02-08T02:00Z", "2024-02-08T12:00Z", scope="mobile")])
    r = monitor(t, draws=2001)
    e = estimate(parse_scenario({"country": "PAK", "start": "2024-02-08T07:00",
                                 "duration_hours": 10, "scope": "mobile"}), draws=2001)
    head = ensemble(e)
    assert r.methods[0] == ENSEMBLE and r.headline.members == head.members
    for m in r.methods:
        ours = r.so_far.filter(r.so_far["method"] == m).row(0, named=True)
        theirs = (e.summary.filter(e.summary["method"] == m).row(0, named=True)
                  if m != ENSEMBLE else {f"loss_usd_{q}": getattr(head, f"loss_usd_{q}")
                                         for q in ("p05", "p50", "p95")})
        for q in ("p05", "p50", "p95"):
            assert ours[f"loss_usd_{q}"] == pytest.approx(theirs[f"loss_usd_{q}"], rel=1e-9,
                                                          abs=1e-6), (m, q)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.05, 1.0))
def test_partial_intensity_scales_the_cost(intensity):
    def cost(i):
        t = make_timeline([row("2024-02-08T02:00Z", "2024-02-08T08:00Z", scope="full",
                               intensity=i)])
        return p50(monitor(t, draws=DRAWS, methods=["impact", "brookings2016"]))

    full = cost(1.0)
    assert cost(intensity) == pytest.approx(intensity * full, rel=1e-6)
    assert cost(intensity) <= full


def test_projection_and_burn_rate():
    t = read_timeline_csv(SEED_FILE)
    lifted = monitor(t, draws=DRAWS, project="1d,3d,7d")
    assert not lifted.current  # an old file: lifted at its last moment
    from impact.monitor.costing import lifted_at

    assert lifted_at(t, lifted.until) == datetime(2024, 2, 8, 15, tzinfo=UTC)
    on = monitor(t, until="2024-02-08T10:00Z", draws=DRAWS, project="1d,3d,7d")
    assert on.current and p50(on) < p50(lifted)
    for r in (lifted, on):
        proj = r.projection.filter(r.projection["method"] == "impact")["loss_usd_p50"]
        assert proj.to_list() == sorted(proj.to_list()) and proj[0] > p50(r)
        burn = r.burn.filter(r.burn["method"] == "impact")
        hour, day = burn["loss_usd_p50"].to_list()
        assert 0 < hour < day
        own = r.so_far.filter(r.so_far["method"] == "impact")
        assert own["loss_local_p50"][0] == pytest.approx(p50(r) * r.fx)
    assert parse_horizons("12h,2d") == (0.5, 2.0)
    with pytest.raises(InputError, match="project"):
        parse_horizons("forever")
    with pytest.raises(InputError, match="until"):
        monitor(t, until="2020-01-01T00:00Z")


def test_platform_blocks_are_costed_by_the_methods_that_can():
    t = make_timeline([row("2024-02-17T00:00Z", "2024-02-18T00:00Z", scope="platforms",
                           platforms="x")])
    r = monitor(t, draws=DRAWS)
    status = dict(r.so_far.select("method", "status").iter_rows())
    assert status["impact"] == "ok" and status["deloitte2016"] == "not_applicable"


# ---- the headline --------------------------------------------------------------------------------
def _method_rows(frame, method):
    return frame.filter(frame["method"] == method)


def test_the_headline_leads_and_combines_the_members_draws():
    r = monitor(read_timeline_csv(SEED_FILE), draws=DRAWS, project="1d,7d")
    assert r.methods == (ENSEMBLE, *REGISTRY)
    for frame in (r.so_far, r.burn, r.projection):
        assert frame["method"][0] == ENSEMBLE
    head = r.so_far.row(0, named=True)
    members = r.headline.members
    assert head["status"] == "ok" and head["reason"].startswith(
        f"headline of {', '.join(members)}")
    assert "domains checked for mobile" in head["reason"]
    # the rule of every surface: ICRIER outside India, the panel's P5 a gain, Deloitte far
    assert "icrier2018 not in it: outside its domain" in head["reason"]
    assert set(r.headline.excluded) == set(r.methods[1:]) - set(members)
    p50s = [p50(r, m) for m in members]
    assert min(p50s) <= head["loss_usd_p50"] <= max(p50s)
    # so far, curve, burn and projection: the same members' draws, combined the same way
    last = r.hourly.tail(1).row(0, named=True)
    for q in ("p05", "p50", "p95"):
        assert last[f"{ENSEMBLE}_cum_usd_{q}"] == pytest.approx(head[f"loss_usd_{q}"], rel=1e-9)
    assert r.hourly[f"{ENSEMBLE}_cum_usd_p50"].is_sorted()
    hour, day = _method_rows(r.burn, ENSEMBLE)["loss_usd_p50"].to_list()
    assert 0 < hour < day
    proj = _method_rows(r.projection, ENSEMBLE)["loss_usd_p50"].to_list()
    assert head["loss_usd_p50"] < proj[0] < proj[1]
    assert head["loss_local_p50"] == pytest.approx(head["loss_usd_p50"] * r.fx)


def test_the_headline_of_one_method_is_that_method():
    t = make_timeline([row("2024-02-08T02:00Z", "2024-02-08T08:00Z", scope="full")])
    r = monitor(t, draws=DRAWS, methods=["impact"])
    assert r.methods == (ENSEMBLE, "impact") and r.headline.members == ("impact",)
    for frame in (r.so_far, r.burn, r.projection):
        ours, theirs = (_method_rows(frame, m).select("loss_usd_p05", "loss_usd_p50",
                                                      "loss_usd_p95").to_numpy()
                        for m in (ENSEMBLE, "impact"))
        assert ours == pytest.approx(theirs, rel=1e-12)
    # naming the headline costs every method: it is made of those that apply
    every = monitor(t, draws=DRAWS, methods="ensemble")
    assert every.methods == (ENSEMBLE, *REGISTRY)
    assert monitor(t, draws=DRAWS, methods=["ensemble", "impact"]).methods == every.methods
    with pytest.raises(InputError, match="or ensemble for the headline"):
        monitor(t, draws=DRAWS, methods="nonsense")


def test_a_platform_block_checks_domains_for_platforms():
    t = make_timeline([row("2024-02-17T00:00Z", "2024-02-17T06:00Z", scope="platforms",
                           platforms="x")])
    r = monitor(t, draws=DRAWS)
    assert timeline_scope(t, hourly(t)) == "platforms"
    head = r.so_far.row(0, named=True)
    assert "domains checked for platforms" in head["reason"]
    assert r.headline.excluded["panel"].startswith("outside its domain")
    assert " has no figure for platform blocks" in r.headline.excluded["deloitte2016"]
    # nothing applies: the headline says so and has no figures, no curve
    none = monitor(t, draws=DRAWS, methods="deloitte2016")
    row0 = none.so_far.row(0, named=True)
    assert row0["status"] == "not_applicable" and row0["loss_usd_p50"] is None
    assert row0["reason"].startswith("no method applies")
    assert _method_rows(none.burn, ENSEMBLE)["loss_usd_p50"].null_count() == 2
    assert f"{ENSEMBLE}_cum_usd_p50" not in none.hourly.columns


def test_a_mixed_timeline_checks_domains_for_its_most_restricted_scope():
    rows = [row("2024-02-08T02:00Z", "2024-02-08T03:00Z", scope="mobile"),
            row("2024-02-08T02:00Z", "2024-02-08T12:00Z", scope="platforms", platforms="x")]
    t = make_timeline(rows)
    assert timeline_scope(t, hourly(t)) == "platforms"  # ten hours of X, one of mobile
    t = make_timeline([rows[0], row("2024-02-08T02:00Z", "2024-02-08T03:00Z",
                                    scope="platforms", platforms="x", intensity=0.5)])
    assert timeline_scope(t, hourly(t)) == "mobile"


# ---- command line --------------------------------------------------------------------------------
def test_cli_monitor(capsys, tmp_path):
    assert main(["monitor", str(SEED_FILE), "--draws", "300", "--project", "1d,7d"]) == 0
    out = capsys.readouterr().out
    assert "cost so far" in out and "had it lasted 7 d more" in out and "USD" in out
    table = out.splitlines()
    first = next(i for i, line in enumerate(table) if line.startswith("---"))
    assert table[first + 1].startswith("headline ")  # the headline's row first
    assert any(line.startswith(f"headline ({ENSEMBLE}): headline of impact") for line in table)
    assert main(["monitor", str(SEED_FILE), "--draws", "300", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["method"] == ENSEMBLE and rows[0]["reason"].startswith("headline of ")
    assert {r["method"] for r in rows} >= {"impact", "cost_compatible"}
    assert main(["monitor", str(SEED_FILE), "--draws", "300", "--format", "csv",
                 "--method", "ensemble"]) == 0
    only = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["method"] for r in only] == [ENSEMBLE] and only[0] == rows[0]
    assert main(["monitor", str(SEED_FILE), "--draws", "300", "--method", "ensemble,impact",
                 "--brief", str(tmp_path / "b.html")]) == 0
    out = capsys.readouterr().out
    assert "\nheadline " in out and "\nimpact " in out and "\npanel " not in out
    assert "Projection (Headline" in (tmp_path / "b.html").read_text(encoding="utf-8")
    assert float(rows[0]["total_if_1d_more_usd_p50"]) > float(rows[0]["loss_usd_p50"])
    bad = tmp_path / "bad.csv"
    bad.write_text("start_utc,end_utc,country\n2024-02-08T02:00Z,2024-02-08T01:00Z,PAK\n")
    assert main(["monitor", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad.csv line 2: end_utc") and len(err.splitlines()) == 1


def test_cli_watch_prints_and_stops_on_interrupt(capsys, monkeypatch):
    import time

    def stop(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", stop)
    assert main(["monitor", str(SEED_FILE), "--draws", "300", "--watch"]) == 0
    assert "cost so far" in capsys.readouterr().out


def test_until_defaults_to_the_end_and_a_live_file_is_still_on(monkeypatch):
    from impact.monitor import costing as mon

    t = read_timeline_csv(SEED_FILE)
    monkeypatch.setattr(mon, "now_utc", lambda: datetime(2024, 2, 8, 15, 30, tzinfo=UTC))
    r = mon.monitor(t, draws=DRAWS, methods=["impact"])
    assert r.current and r.until == datetime(2024, 2, 8, 15, tzinfo=UTC)


def test_cli_reads_monitor_exports(capsys):
    fixtures = Path(__file__).resolve().parent / "fixtures" / "monitor"
    ioda = fixtures / "ioda_signals" / "ioda_signals_pak_2024-02-08.json"
    assert main(["monitor", str(ioda), "--draws", "200", "--method", "impact"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ioda_signals_pak_2024-02-08.json: PAK") and "USD" in out
    assert main(["monitor", str(fixtures / "cloudflare_radar" / "bad_broken.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "bad_broken.json" in err
    assert len(err.strip().splitlines()) == 1
