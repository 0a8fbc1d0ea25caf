"""The Batch figures table's short method labels: taken from the registry's titles, one per
method, distinct, and short enough for the method column on a phone."""

from __future__ import annotations

from app_pages.batch_view import FIGURE_COLUMNS, FIGURE_WIDTHS, short_method, short_methods
from impact.estimation.ensemble import ENSEMBLE_TITLE
from impact.methods import REGISTRY


def test_every_method_has_a_distinct_short_label_from_its_title():
    titles = [m.title for m in REGISTRY.values()] + [ENSEMBLE_TITLE]
    labels = short_methods(titles)
    assert len(set(labels.values())) == len(titles)
    for title, label in labels.items():
        if title != ENSEMBLE_TITLE:
            assert title.startswith(label), (title, label)  # the title's own words
        # about 7 px a character in the table's 14 px font, 8 px padding either side
        assert 7 * len(label) + 16 <= FIGURE_WIDTHS[FIGURE_COLUMNS.index("method")], label


def test_short_labels_by_hand():
    assert short_method("COST-compatible (NetBlocks COST / Top10VPN family)") == "COST"
    assert short_method("Panel econometrics (ours, NetLoss-style)") == "Panel"
    assert short_method("impact (this project)") == "impact"
    assert short_method(ENSEMBLE_TITLE) == "Headline"
    assert short_methods(["Panel a (x)", "Panel b (y)"]) == {"Panel a (x)": "Panel a",
                                                            "Panel b (y)": "Panel b"}
