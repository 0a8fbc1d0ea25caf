"""Country names: one display name per country in every sentence (no World Bank inversions
such as "Iran, Islamic Rep."), a one-line reason for a place the bundled data cannot cost
(Taiwan), and a region typed as a country pointed to ``--regions``."""

from __future__ import annotations

import re

import pytest

from impact.bundled.countries import (
    DISPLAY_NAMES,
    country_name,
    region_hint,
    resolve_country,
    uncostable_reason,
    world_bank_name,
)
from impact.bundled.io import read_bundled
from impact.cli import main
from impact.errors import InputError
from impact.estimation.engine import run
from impact.estimation.ensemble import headline
from impact.estimation.results import split
from impact.model.context import unestimable_countries
from impact.model.scenario import parse_scenario

ISO3 = read_bundled("countries")["iso3"].to_list()
#: what the World Bank's names carry and a sentence must not: an inversion after a comma
#: ("Korea, Rep.", "Gambia, The"), abbreviations ("Rep.", "Fed. Sts.", "RB", "PDR") or a
#: sovereign's note ("(US)")
INVERSION = re.compile(r", |\bRep\.|\bThe$|\bFed\.|\bRB\b|\bPDR\b|\(US\)|\bSAR\b")


@pytest.mark.parametrize(("iso3", "name"), [
    ("IRN", "Iran"), ("RUS", "Russia"), ("EGY", "Egypt"), ("VEN", "Venezuela"),
    ("YEM", "Yemen"), ("SYR", "Syria"), ("KOR", "South Korea"), ("COD", "DR Congo"),
    ("GMB", "Gambia"), ("PAK", "Pakistan"), ("IND", "India")])
def test_display_names_are_the_common_short_names(iso3, name):
    assert country_name(iso3) == name
    assert resolve_country(name) == iso3  # typed back, the same country
    assert resolve_country(world_bank_name(iso3)) == iso3  # the World Bank's name still works


def test_no_display_name_is_inverted_or_abbreviated():
    bad = {i: country_name(i) for i in ISO3 if INVERSION.search(country_name(i))}
    assert not bad
    assert set(DISPLAY_NAMES) <= set(ISO3)


def test_no_headline_sentence_carries_a_world_bank_inversion():
    """The sentence the app, the command line and the reports quote, for every bundled
    country that can be costed (one engine pass, the impact method, few draws)."""
    costable = [i for i in ISO3 if i not in unestimable_countries()]
    scenarios = [parse_scenario({"country": i, "duration_hours": 24}) for i in costable]
    estimates = split(run(scenarios, ["impact"], draws=100, seeds=1, ensemble=True))
    sentences = {e.context.iso3: headline(e) for e in estimates if e is not None}
    assert len(sentences) > 150
    bad = {i: s for i, s in sentences.items() if INVERSION.search(s.split(" costs ")[0])}
    assert not bad
    assert " in Iran in " in sentences["IRN"] and " in Russia in " in sentences["RUS"]


@pytest.mark.parametrize("typed", ["Taiwan", "TWN", "taiwan", "Chinese Taipei", "TW"])
def test_taiwan_is_refused_with_the_reason(typed):
    with pytest.raises(InputError) as err:
        resolve_country(typed)
    text = str(err.value)
    assert "no GDP or internet-user figures from the World Bank" in text
    assert "IMF World Economic Outlook" in text and "TWNIC" in text  # the sources needed
    assert "Tunisia" not in text and "\n" not in text
    assert uncostable_reason(typed) == err.value.accepted  # the app's sentence is the same


def test_taiwan_on_the_command_line_is_one_line(capsys):
    assert main(["estimate", "--country", "Taiwan", "--duration-hours", "10"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("error: country: 'Taiwan' is not accepted; Taiwan has no GDP or "
                          "internet-user figures from the World Bank")
    assert "Tunisia" not in err


def test_a_region_typed_as_a_country_is_pointed_to_regions(capsys):
    assert region_hint("Kashmir") == [("IND", "Jammu & Kashmir")]
    assert main(["estimate", "--country", "Kashmir", "--duration-hours", "10"]) == 2
    err = capsys.readouterr().err
    assert err == ("error: country: 'Kashmir' is not accepted; Kashmir is a region, not a "
                   'country: use --country IND --regions "Jammu & Kashmir" (batch columns '
                   "country and regions)\n")
    assert "San Marino" not in err
    # a region of two countries names both; the suggestion works as typed
    assert {iso3 for iso3, _ in region_hint("Punjab")} == {"IND", "PAK"}
    assert main(["estimate", "--country", "IND", "--regions", "Jammu & Kashmir",
                 "--duration-hours", "10", "--method", "impact", "--draws", "100"]) == 0
    capsys.readouterr()


def test_a_misspelt_country_still_gets_country_suggestions():
    with pytest.raises(InputError, match=r"did you mean Pakistan \(PAK\)"):
        resolve_country("Pakistn")
    assert region_hint("Pakistn") == [] and region_hint("X") == []
