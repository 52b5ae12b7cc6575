"""The shared filters: pure functions over the partners frame."""

from __future__ import annotations

import pandas as pd
import pytest

from partnernetz.filters import FilterSpec, apply_filters
from partnernetz.i18n import DE, EN, t
from partnernetz.search import SearchIndex
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


def test_prebuilt_search_index_gives_same_result(partners):
    index = SearchIndex.build(partners)
    spec = FilterSpec(query="brakel")
    assert ids(apply_filters(partners, spec, search=index)) == ids(apply_filters(partners, spec))


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
    assert t("shell.partners_shown", "en", shown=2, total=3, active=1) == "2 of 3 partners · active: 1"


# --------------------------------------------------------------------------- words, places, labels


def test_search_combines_words_with_and(partners):
    assert ids(apply_filters(partners, FilterSpec(query="kita brakel"))) == ["b"]
    assert ids(apply_filters(partners, FilterSpec(query="kita  höxter"))) == []


def test_search_matches_served_towns_and_labels(partners):
    labels = {"languages": {"ar": "Arabisch Arabic", "tr": "Türkisch Turkish"},
              "category": {"beratung": "Beratungsstellen Counselling services"}}
    index = SearchIndex.build(partners, town_names={"05762016": "Brakel", "05762020": "Höxter"},
                              labels=labels)
    assert ids(apply_filters(partners, FilterSpec(query="arabic"), search=index)) == ["a"]
    assert ids(apply_filters(partners, FilterSpec(query="Türkisch"), search=index)) == ["c"]
    # a serves Brakel: "Caritas Brakel" finds it although it is located in Höxter
    assert ids(apply_filters(partners, FilterSpec(query="caritas brakel"), search=index)) == ["a"]
    assert ids(apply_filters(partners, FilterSpec(query="counselling"), search=index)) == ["a"]


def test_freshness_filter_splits_recent_old_and_never():
    import datetime as dt

    frame = pd.DataFrame({"id": ["new", "old", "none"],
                          "verified": [dt.date(2026, 6, 1), dt.date(2024, 1, 1), None]})
    today = dt.date(2026, 12, 1)

    def pick(key: str) -> list[str]:
        return ids(apply_filters(frame, FilterSpec(verified=key), today=today))

    assert pick("letzte-12-monate") == ["new"]
    assert pick("aelter-als-12-monate") == ["old"]
    assert pick("nie") == ["none"]
    assert pick("") == ["new", "old", "none"]


def test_serving_only_marks_partners_listed_for_serving(partners):
    from partnernetz.filters import serving_only

    spec = FilterSpec(towns=("05762016",), include_serving=True)
    shown = apply_filters(partners, spec)
    assert serving_only(shown, spec).tolist() == [True, False, False]
    assert not serving_only(shown, FilterSpec(towns=("05762016",))).any()


def test_mark_relation_flags_serving_partners_for_their_cards(partners):
    from partnernetz.filters import RELATION_ELSEWHERE, mark_relation

    spec = FilterSpec(towns=("05762016",), include_serving=True)
    shown = apply_filters(partners, spec)
    marked = mark_relation(shown, spec)
    assert marked["relation"].tolist() == [RELATION_ELSEWHERE, None, None]
    assert "relation" not in shown.columns  # a new frame, the input is untouched
    plain = apply_filters(partners, FilterSpec(towns=("05762016",)))
    assert mark_relation(plain, FilterSpec(towns=("05762016",))) is plain


# --------------------------------------------------------------------------- the Höxter demo (issue #7)


@pytest.fixture(scope="module")
def demo():
    from partnernetz.dataset import load_dataset
    from partnernetz.registry.vocabulary import search_labels
    from tests.conftest import DEMO_HX

    dataset = load_dataset(DEMO_HX, cache_dir="off")
    names = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
    index = SearchIndex.build(dataset.partners, town_names=names,
                              labels=search_labels(dataset.categories))
    return dataset, index


def search(demo, query: str) -> pd.DataFrame:
    dataset, index = demo
    return apply_filters(dataset.partners, FilterSpec(query=query), search=index)


def test_demo_jmd_brakel_finds_the_jmd_responsible_for_brakel(demo):
    dataset, _ = demo
    found = search(demo, "Jugendmigrationsdienst Brakel")
    brakel = "05762016"
    jmds = dataset.partners[dataset.partners["name"].str.startswith("Jugendmigrationsdienst")]
    responsible = jmds[jmds["serves"].map(lambda s: brakel in s)]
    assert len(responsible) == 1 and len(jmds) == 2
    assert found["id"].tolist() == responsible["id"].tolist()


@pytest.mark.parametrize("query", ["Arabisch", "arabic", "ARABISCH"])
def test_demo_arabisch_finds_every_partner_offering_arabic(demo, query):
    dataset, _ = demo
    arabic = set(dataset.partners.loc[dataset.partners["languages"].map(lambda c: "ar" in c), "id"])
    assert len(arabic) > 20
    assert set(search(demo, query)["id"]) >= arabic


def test_demo_brakel_finds_every_partner_located_in_brakel(demo):
    dataset, _ = demo
    located = set(dataset.partners.loc[dataset.partners["town"] == "Brakel", "id"])
    assert len(located) == 23
    assert set(search(demo, "Brakel")["id"]) >= located


def test_demo_beratungsstelle_finds_the_counselling_services(demo):
    dataset, _ = demo
    counselling = set(dataset.partners.loc[dataset.partners["category"] == "beratung", "id"])
    assert len(counselling) == 18
    assert set(search(demo, "beratungsstelle")["id"]) >= counselling
