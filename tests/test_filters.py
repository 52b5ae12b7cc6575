"""The shared filters: pure functions over the partners frame."""

from __future__ import annotations

import pandas as pd
import pytest

from partnernetz.filters import FilterSpec, apply_filters, build_search_text
from partnernetz.i18n import DE, EN, t
from partnernetz.text import fold_text


@pytest.fixture
def partners() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["a", "b", "c"],
        "name": ["Beratungsstelle Höxter", "Kita Sonnenschein", "Jugendtreff"],
        "operator": ["Caritas", None, "Stadt Brakel"],
        "offers": [("Migrationsberatung",), ("Rucksack KiTa",), ()],
        "description": [None, "Familienzentrum in Brakel", "Offene Tür"],
        "subtype": [None, "Familienzentrum", None],
        "category": ["beratung", "kita", "jugendhilfe"],
        "status": ["active", "planned", "active"],
        "ags": ["05762020", "05762016", "05762016"],
        "serves": [("05762020", "05762016"), ("05762016",), ("05762016",)],
        "stages": [("uebergang",), ("elementar",), ("ausserschulisch", "uebergang")],
        "target_groups": [("erwachsene",), ("eltern", "kinder"), ("jugendliche",)],
        "languages": [("de", "ar"), ("de",), ("de", "tr")],
    })


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["id"])


@pytest.mark.parametrize("word", ["Höxter", "hoexter", "Hoxter", "HÖXTER"])
def test_fold_text_equates_umlaut_spellings(word):
    assert fold_text(word) == fold_text("Höxter")


@pytest.mark.parametrize("query", ["hoexter", "Hoxter", "höxter", "beratung", "CARITAS"])
def test_search_ignores_case_and_umlauts(partners, query):
    assert ids(apply_filters(partners, FilterSpec(query=query))) == ["a"]


def test_search_covers_offers_and_description(partners):
    assert ids(apply_filters(partners, FilterSpec(query="rucksack"))) == ["b"]
    assert ids(apply_filters(partners, FilterSpec(query="offene tur"))) == ["c"]


def test_precomputed_search_text_gives_same_result(partners):
    text = build_search_text(partners)
    spec = FilterSpec(query="brakel")
    assert ids(apply_filters(partners, spec, search_text=text)) == ids(apply_filters(partners, spec))


def test_empty_spec_keeps_everything(partners):
    assert FilterSpec().is_empty
    assert ids(apply_filters(partners, FilterSpec())) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (FilterSpec(towns=("05762016",)), ["b", "c"]),
        (FilterSpec(towns=("05762016",), include_serving=True), ["a", "b", "c"]),
        (FilterSpec(categories=("kita", "beratung")), ["a", "b"]),
        (FilterSpec(statuses=("planned",)), ["b"]),
        (FilterSpec(stages=("uebergang",)), ["a", "c"]),
        (FilterSpec(target_groups=("eltern",)), ["b"]),
        (FilterSpec(languages=("tr", "ar")), ["a", "c"]),
        (FilterSpec(languages=("tr",), categories=("beratung",)), []),
    ],
)
def test_each_filter_selects_matching_partners(partners, spec, expected):
    assert ids(apply_filters(partners, spec)) == expected


def test_without_towns_drops_town_filter_only():
    spec = FilterSpec(towns=("x",), categories=("kita",), include_serving=True)
    assert spec.without_towns() == FilterSpec(categories=("kita",))


def test_ui_texts_exist_in_both_languages():
    assert set(DE) == set(EN)
    assert all(DE[k] and EN[k] for k in DE)


def test_ui_text_falls_back_to_german_then_key():
    assert t("nav.map", "fr") == "Karte"
    assert t("no.such.key", "en") == "no.such.key"
    assert t("shell.partners_shown", "en", shown=1, total=2) == "1 of 2 partners"
