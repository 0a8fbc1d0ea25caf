"""AppTest checks of the Estimate page's scenario controls: a new scope or area starts from a
choice that can be costed, the VPN share starts at our own method's default (read from the
parameter table) and says which methods ignore it, a platform block has an intensity, shares
are percent sliders, and the link carries every control."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.proto.LabelVisibility_pb2 import LabelVisibility
from streamlit.testing.v1 import AppTest

from app_pages import estimate_controls as ec
from app_pages.estimate_query import state_from_query
from impact import format as fmt
from impact.methods import OWN_METHOD, REGISTRY
from impact.model.parameters import parameter_table

ROOT = Path(__file__).resolve().parents[2]
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
TIMEOUT = 60


def _page(**params: str) -> AppTest:
    at = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    return at


def _sentence(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("#### "))


def _figures(at: AppTest) -> list[str]:
    """Every figure on the page: each card's value and the range under it, the sentence."""
    return [_sentence(at)] + [f"{m.value} {m.proto.help}" for m in at.metric]


def _money(text: str) -> float:
    return fmt.parse_number(text)


def _shown(at: AppTest) -> None:
    """Results are on the page: a card per method, no request to choose something."""
    assert not at.exception and not at.error
    assert len(at.metric) == len(REGISTRY)
    assert not [i.value for i in at.info if i.value.startswith("Choose")]


def _own_parameter(scope: str) -> float:
    """Our own method's VPN share for ``scope`` as data/parameters.csv states it."""
    table = parameter_table()
    row = table.filter((table["method"] == OWN_METHOD)
                       & (table["parameter"] == f"circumvention_{scope}"))
    return float(row["value"].item())


# ---- a new scope or area never blanks the results --------------------------------------------
def test_named_platforms_start_from_the_most_used_platform():
    at = _page()
    at.radio(key="scope").set_value("platforms").run()
    _shown(at)
    # data/platform_weights.csv, PAK: Facebook's usage 0.758 is the largest (WhatsApp 0.541)
    assert at.multiselect(key="platforms").value == ["facebook"]
    assert at.query_params["platforms"] == "facebook"


def test_chosen_regions_start_from_the_most_populous_region():
    at = _page()
    at.radio(key="area_mode").set_value("regions").run()
    _shown(at)
    # data/regions.csv, PAK admin-1: Punjab 110,012,442 people, the most (Sindh 47.9 m)
    assert at.multiselect(key="regions").value == ["Punjab"]
    assert at.query_params["regions"] == "Punjab"
    # another country without a region of that name: its own most populous, still costed
    at.selectbox(key="country").set_value("Bangladesh").run()
    _shown(at)
    assert at.multiselect(key="regions").value == ec.most_populous_regions("Bangladesh")
    assert at.multiselect(key="regions").value


def test_the_pickers_sit_right_under_their_choice():
    at = _page()
    at.radio(key="scope").set_value("platforms").run()
    at.radio(key="area_mode").set_value("regions").run()
    order = [getattr(w, "key", None) for w in at.sidebar]
    assert order.index("platforms") == order.index("scope") + 1
    assert order.index("regions") == order.index("area_mode") + 1


# ---- the VPN share ---------------------------------------------------------------------------
@pytest.mark.parametrize("scope", ["full", "mobile", "platforms", "throttling"])
def test_the_vpn_slider_starts_at_our_methods_default(scope):
    at = _page()
    if scope != "full":
        at.radio(key="scope").set_value(scope).run()
    at.toggle(key="use_circumvention").set_value(True).run()
    assert at.slider(key="circumvention_pct").value == round(_own_parameter(scope) * 100)


@pytest.mark.parametrize("scope", ["mobile", "platforms", "throttling"])
def test_turning_circumvention_on_at_its_default_raises_no_figure(scope):
    at = _page()
    at.radio(key="scope").set_value(scope).run()
    before = _figures(at)
    at.toggle(key="use_circumvention").set_value(True).run()
    _shown(at)
    assert _figures(at) == before
    # a share set above the default lowers our method's figure; the others ignore it
    cards = {m.label: m.value for m in at.metric}
    at.slider(key="circumvention_pct").set_value(60).run()
    after = {m.label: m.value for m in at.metric}
    own = REGISTRY[OWN_METHOD].title
    assert _money(after[own]) < _money(cards[own])
    for name in ec.circumvention_inputs(scope).ignoring:
        assert after[REGISTRY[name].title] == cards[REGISTRY[name].title]


def test_the_line_beside_the_vpn_control_names_the_methods_that_ignore_it():
    at = _page()
    at.radio(key="scope").set_value("platforms").run()
    ignoring = [m for m in REGISTRY.values()
                if m.circumvention_note and "platforms" in m.scopes]
    widgets = list(at.sidebar)
    toggle = next(i for i, w in enumerate(widgets) if getattr(w, "key", None)
                  == "use_circumvention")
    line = widgets[toggle + 1].value
    assert line.startswith("Ignored by ") and len(line) < 120, line
    for method in ignoring:
        assert ec.short_title(method.name) in line
    assert f"used by {ec.short_title(OWN_METHOD)}." in line
    # methods not chosen are not named
    at.multiselect(key="methods").set_value([OWN_METHOD, ignoring[0].name]).run()
    line = next(c.value for c in at.sidebar.caption if c.value.startswith("Ignored by "))
    assert line == (f"Ignored by {ec.short_title(ignoring[0].name)} (no VPN term); "
                    f"used by {ec.short_title(OWN_METHOD)}.")


@pytest.mark.parametrize("scope", ["full", "mobile", "platforms", "throttling"])
def test_which_methods_use_circumvention_follows_their_declared_inputs(scope):
    """The declared inputs and the methods' own notes agree: a method whose inputs lack the
    VPN share says it ignores it."""
    info = ec.circumvention_inputs(scope)
    costing = [n for n, m in REGISTRY.items() if scope in m.scopes]
    assert sorted(info.users + info.ignoring) == sorted(costing)
    assert set(info.ignoring) == {n for n in costing if REGISTRY[n].circumvention_note}
    assert info.default == _own_parameter(scope)


# ---- a throttled platform --------------------------------------------------------------------
def test_a_platform_block_has_an_intensity_that_scales_the_loss_and_the_link():
    at = _page()
    at.radio(key="scope").set_value("platforms").run()
    assert at.slider(key="intensity_pct").value == 100
    assert "intensity" not in at.query_params
    full = {m.label: m.value for m in at.metric}
    at.slider(key="intensity_pct").set_value(50).run()
    _shown(at)
    half = {m.label: m.value for m in at.metric}
    assert half[REGISTRY[OWN_METHOD].title] != full[REGISTRY[OWN_METHOD].title]
    assert at.query_params["intensity"] == "0.5"
    linked = _page(**dict(at.query_params))
    _shown(linked)
    assert linked.radio(key="scope").value == "platforms"
    assert linked.slider(key="intensity_pct").value == 50
    assert _figures(linked) == _figures(at)


def test_half_intensity_halves_our_methods_loss():
    """Our method's loss is proportional to the intensity (impact2024: × intensity): the
    same draws at 50 % give exactly half of every quantile."""
    import impact

    def p50(intensity):
        data = {"country": "PAK", "duration_hours": 10, "scope": "platforms",
                "platforms": "facebook"} | ({"intensity": intensity} if intensity else {})
        return impact.estimate(impact.parse_scenario(data), [OWN_METHOD],
                               draws=2000).row(OWN_METHOD)["loss_usd_p50"]

    assert p50(0.5) == pytest.approx(p50(None) / 2, rel=1e-9)


# ---- percent sliders -------------------------------------------------------------------------
def test_share_sliders_show_percent_and_give_the_model_a_share():
    at = _page()
    at.radio(key="scope").set_value("throttling").run()
    at.radio(key="area_mode").set_value("share").run()
    at.toggle(key="use_circumvention").set_value(True).run()
    sliders = {s.key: s for s in at.slider}
    assert set(sliders) == set(ec.PERCENT_KEYS.values())
    for slider in sliders.values():
        assert (slider.min, slider.max, slider.step) == (0, 100, 1)
        assert slider.proto.format == "%d %%"
        assert isinstance(slider.value, int)
    at.slider(key="affected_share_pct").set_value(30).run()
    at.slider(key="intensity_pct").set_value(75).run()
    at.slider(key="circumvention_pct").set_value(10).run()
    _shown(at)
    assert (at.query_params["affected_share"], at.query_params["intensity"],
            at.query_params["circumvention"]) == ("0.3", "0.75", "0.1")


# ---- the link carries every control ----------------------------------------------------------
def test_the_link_round_trips_every_new_control():
    at = _page()
    at.radio(key="scope").set_value("platforms").run()
    at.multiselect(key="platforms").set_value(["x", "whatsapp"]).run()
    at.slider(key="intensity_pct").set_value(40).run()
    at.radio(key="area_mode").set_value("share").run()
    at.slider(key="affected_share_pct").set_value(35).run()
    at.toggle(key="use_circumvention").set_value(True).run()
    _shown(at)
    # at the default, the VPN share is still in the link (the toggle is on)
    assert at.query_params["circumvention"] == "0.25"
    at.slider(key="circumvention_pct").set_value(40).run()
    params = dict(at.query_params)
    assert params == {"country": "PAK", "duration_hours": "10", "scope": "platforms",
                      "platforms": "x;whatsapp", "affected_share": "0.35",
                      "intensity": "0.4", "circumvention": "0.4"}
    linked = _page(**params)
    _shown(linked)
    for key in ("intensity_pct", "affected_share_pct", "circumvention_pct"):
        assert linked.slider(key=key).value == at.slider(key=key).value, key
    assert linked.toggle(key="use_circumvention").value
    assert _figures(linked) == _figures(at)
    assert dict(linked.query_params) == params


def test_a_link_with_the_default_vpn_share_keeps_the_toggle_on():
    at = _page(scope="platforms", platforms="x", circumvention="0.25")
    _shown(at)
    assert at.toggle(key="use_circumvention").value
    assert at.slider(key="circumvention_pct").value == 25
    assert at.query_params["circumvention"] == "0.25"
    assert _figures(at) == _figures(_page(scope="platforms", platforms="x"))


def test_the_codec_reads_a_platform_intensity_and_refuses_one_for_a_blackout():
    state, problems = state_from_query({"country": "PAK", "scope": "platforms",
                                        "platforms": "x", "intensity": "0.3"})
    assert problems == [] and state["intensity"] == 0.3
    state, problems = state_from_query({"country": "PAK", "scope": "platforms",
                                        "platforms": "x"})
    assert state["intensity"] == 1.0  # a platform link without intensity is blocked outright
    _, problems = state_from_query({"country": "PAK", "intensity": "0.3"})
    assert len(problems) == 1 and problems[0].startswith("intensity: '0.3'")


# ---- named radio groups ----------------------------------------------------------------------
def test_every_radio_group_has_a_visible_label():
    at = _page(scope="platforms", platforms="x", affected_share="0.5")
    groups = [*at.radio, *at.get("button_group")]
    assert len(groups) >= 4  # presets, what is cut, affected area, currency
    for group in groups:
        assert group.proto.label.strip(), group.proto
        assert group.proto.label_visibility.value == LabelVisibility.VISIBLE, group.proto.label


def test_the_controls_modules_examples_hold():
    import doctest

    result = doctest.testmod(ec, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed
