"""Every event of the bundled catalogue gets an estimate from every method, or a reason."""

from __future__ import annotations

import polars as pl
import pytest

from impact.catalogue.events import estimate_events, load_events
from impact.methods import REGISTRY


@pytest.mark.slow
def test_every_bundled_event_gets_every_method_or_a_reason() -> None:
    events = load_events()
    out = estimate_events(events, "all", draws=100, cap_platform_days="both")
    per_event = out.group_by("event_id", "variant", "year").agg(pl.col("method").sort())
    assert per_event["event_id"].n_unique() == events.height
    assert all(m == sorted(REGISTRY) for m in per_event["method"].to_list())
    ok = out.filter(pl.col("status") == "ok")
    assert (ok["loss_usd_p05"] <= ok["loss_usd_p50"]).all()
    assert (ok["loss_usd_p50"] <= ok["loss_usd_p95"]).all()
    assert (ok["loss_usd_p05"] >= 0).all()
    missing = out.filter(pl.col("status") != "ok")
    assert missing["reason"].drop_nulls().str.len_chars().min() > 10  # a stated reason
    assert missing["reason"].null_count() == 0
    # most events are costed by the share-based methods
    share_ok = ok.filter(pl.col("method") == "impact")["event_id"].n_unique()
    assert share_ok / events.height > 0.95
    # every event is shown by a title, and has a link where the source gave one
    assert events["title"].str.len_chars().min() > 10
    assert (events["links"].fill_null("") != "").sum() / events.height > 0.95


def test_every_large_bundled_event_has_a_flag_and_no_other_does() -> None:
    """Over the whole bundled catalogue (cost_compatible, variant capped): an event costed
    above 0.5 % of its country's GDP or above 2,000 hours has a flag with its reason; an
    event below both has none."""
    from impact.catalogue.events import FLAG_HOURS, FLAG_SHARE_OF_GDP, event_totals

    events = load_events()
    totals = event_totals(estimate_events(events, ["cost_compatible"], draws=200))
    assert totals["event_id"].n_unique() == events.height
    ok = pl.col("status") == "ok"
    large = ok & ((pl.col("share_of_gdp_p50") > FLAG_SHARE_OF_GDP)
                  | (pl.col("costed_hours") > FLAG_HOURS))
    flagged = totals.filter(large)
    assert flagged.height > 10  # the catalogue has multi-year blocks and long blackouts
    assert flagged["flag"].null_count() == 0
    assert (flagged["flag"].str.contains(": ")).all()  # a size, then why
    assert flagged.filter(pl.col("share_of_gdp_p50") > FLAG_SHARE_OF_GDP)["flag"] \
        .str.contains("of GDP").all()
    assert totals.filter(~large)["flag"].null_count() == totals.filter(~large).height
