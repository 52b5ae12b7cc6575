"""Links that work in both languages: parse_link and link_params (pure)."""

from __future__ import annotations

import pytest

from partnernetz.filters import FilterSpec
from partnernetz.views.links import LinkChoices, link_params, parse_link

CHOICES = LinkChoices(
    towns={"05762016": "Brakel", "05762020": "Höxter", "05958016": "Eslohe (Sauerland)"},
    categories=["beratung", "kita"], stages=["schule", "uebergang"],
    target_groups=["eltern"], languages=["ar", "uk"], statuses=["active", "planned"],
    pages={"kennzahl": ["reachable", "located", "per_10k"], "hintergrund": ["osm", "none"]},
)


def test_link_round_trip_keeps_every_filter():
    spec = FilterSpec(towns=("05762016", "05762020"), categories=("beratung",), stages=("schule",),
                      target_groups=("eltern",), languages=("ar",), statuses=("planned",),
                      query="Sprachcafé", include_serving=True, verified="nie")
    params = link_params(spec, lang="en", page={"kennzahl": "located"})
    state = parse_link(params, choices=CHOICES)
    assert state.spec == spec
    assert state.lang == "en"
    assert state.page == {"kennzahl": "located"}
    assert state.notices == ()


def test_link_params_are_language_neutral_keys():
    spec = FilterSpec(towns=("05762016",), categories=("beratung",), languages=("ar",))
    assert link_params(spec, lang="de") == {"ort": ["05762016"], "kategorie": ["beratung"],
                                           "sprache": ["ar"]}
    assert link_params(spec, lang="en") == {"lang": ["en"], **link_params(spec, lang="de")}


@pytest.mark.parametrize("value", ["en", "EN", "En"])
def test_lang_is_case_insensitive(value):
    assert parse_link({"lang": [value]}, choices=CHOICES).lang == "en"


def test_town_may_be_ags_or_name():
    state = parse_link({"ort": ["Brakel", "5762020", "eslohe"]}, choices=CHOICES)
    assert state.spec.towns == ("05762016", "05762020", "05958016")


def test_unknown_parameter_and_value_are_reported_never_dropped_silently():
    state = parse_link({"kategorie": ["beratung", "Beratungsstellen"], "foo": ["1"],
                        "lang": ["fr"], "kennzahl": ["alles"]}, choices=CHOICES)
    assert state.spec.categories == ("beratung",)
    assert state.lang == "de"
    assert ("foo", "") in state.notices
    assert ("kategorie", "Beratungsstellen") in state.notices
    assert ("lang", "fr") in state.notices
    assert ("kennzahl", "alles") in state.notices
    assert state.page == {}


def test_values_match_ignoring_case_and_repeat_or_comma():
    state = parse_link({"kategorie": ["KITA,beratung"], "stufe": ["Schule", "schule"]},
                       choices=CHOICES)
    assert state.spec.categories == ("kita", "beratung")
    assert state.spec.stages == ("schule",)


def test_serving_only_with_a_town():
    assert not parse_link({"ueberoertlich": ["1"]}, choices=CHOICES).spec.include_serving
    assert parse_link({"ueberoertlich": ["1"], "ort": ["Brakel"]},
                      choices=CHOICES).spec.include_serving
