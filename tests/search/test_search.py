"""Search as people type: typing errors, vocabulary, phone numbers, ranking (issue 20 §1)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from partnernetz.filters import FilterSpec, apply_filters, select_partners
from partnernetz.registry.models import Registry
from partnernetz.search import SearchIndex, load_synonyms, parse_query, synonym_table
from partnernetz.text import fold_text
from tests.conftest import DEMO_HSK, DEMO_HX


def _index(dataset) -> SearchIndex:
    from partnernetz.registry.vocabulary import search_labels

    names = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
    return SearchIndex.build(dataset.partners, town_names=names,
                             labels=search_labels(dataset.categories),
                             synonyms=dataset.search_synonyms)


@pytest.fixture(scope="module")
def demo():
    from partnernetz.dataset import load_dataset

    dataset = load_dataset(DEMO_HX, cache_dir="off")
    return dataset, _index(dataset)


def found_ids(demo, query: str) -> list[str]:
    dataset, index = demo
    result = index.search(query)
    return list(dataset.partners["id"][result.mask])


def digits_of(phone: object) -> str:
    return re.sub(r"\D", "", phone) if isinstance(phone, str) else ""


# --------------------------------------------------------------------------- the facts of issue 20


def test_typo_beverungn_suggests_beverungens_partners(demo):
    dataset, index = demo
    partners = dataset.partners
    in_beverungen = set(partners.loc[partners["town"] == "Beverungen", "id"])
    assert len(in_beverungen) > 5
    assert set(partners.loc[partners["town"].map(fold_text).str.contains("beverungn"), "id"]) == set()
    result = index.search("Beverungn")
    assert result.mode == "close"
    assert result.suggestion == "Beverungen"
    assert set(partners["id"][result.mask]) >= in_beverungen


def test_jmd_finds_both_jugendmigrationsdienste_first(demo):
    dataset, index = demo
    partners = dataset.partners
    jmds = set(partners.loc[partners["name"].str.contains("Jugendmigrationsdienst"), "id"])
    assert len(jmds) == 2
    result = index.search("JMD")
    assert result.mode == "exact"
    found = partners.assign(score=result.scores)[result.mask].sort_values("score", ascending=False)
    assert set(found["id"]) >= jmds
    assert set(found["id"].head(2)) == jmds


@pytest.mark.parametrize("query", ["Kindergarten", "Kindertagesstätte", "kindertagesstaette",
                                   "daycare"])
def test_everyday_words_find_every_kita(demo, query):
    dataset, _ = demo
    kitas = set(dataset.partners.loc[dataset.partners["category"] == "kita", "id"])
    assert len(kitas) == 43
    assert set(found_ids(demo, query)) >= kitas


@pytest.mark.parametrize("query", ["05271", "0 52 71", "+49 5271", "0049 5271"])
def test_area_code_finds_every_partner_with_that_area_code(demo, query):
    dataset, _ = demo
    partners = dataset.partners

    def has_code(row) -> bool:
        numbers = [row["phone"], *[c.get("phone") for c in row["contacts"]]]
        return any(digits_of(n).startswith("05271") for n in numbers)

    expected = set(partners.loc[partners.apply(has_code, axis=1), "id"])
    assert len(expected) > 10
    assert set(found_ids(demo, query)) == expected


def test_full_phone_number_finds_its_partner(demo):
    dataset, _ = demo
    row = dataset.partners.dropna(subset=["phone"]).iloc[3]
    digits = digits_of(row["phone"])
    typed = f"+49 {digits[1:5]} {digits[5:]}"  # "+49 5253 9999101"
    assert row["id"] in found_ids(demo, typed)
    assert row["id"] in found_ids(demo, row["phone"])
    others = [p for p in dataset.partners["phone"].dropna() if digits_of(p) == digits]
    assert len(found_ids(demo, row["phone"])) >= len(others)


def test_postcode_finds_the_partners_with_that_postcode(demo):
    dataset, _ = demo
    partners = dataset.partners
    expected = set(partners.loc[partners["postcode"] == "33034", "id"])
    assert len(expected) > 5
    assert set(found_ids(demo, "33034")) >= expected


@pytest.mark.parametrize(("query", "name"), [
    ("Ausländeramt", "Ausländerbehörde"), ("AUSLAENDERBEHOERDE", "Ausländerbehörde"),
    ("immigration office", "Ausländerbehörde"), ("KIM", "KIM-Fallmanagement"),
    ("MBE", "Migrationsberatung für Erwachsene"),
])
def test_abbreviations_and_everyday_words_find_their_partners(demo, query, name):
    dataset, _ = demo
    partners = dataset.partners
    expected = set(partners.loc[partners["name"].str.contains(name), "id"])
    assert expected
    assert set(found_ids(demo, query)) >= expected


def test_migrationsberatung_finds_both_mbe_and_jmd(demo):
    dataset, _ = demo
    partners = dataset.partners
    wanted = partners["name"].str.contains("Jugendmigrationsdienst|Migrationsberatung für Erw")
    expected = set(partners.loc[wanted, "id"])
    assert len(expected) >= 3
    assert set(found_ids(demo, "Migrationsberatung")) >= expected


def test_typos_in_several_words_are_corrected_together(demo):
    dataset, index = demo
    result = index.search("Jugendmigratonsdienst Höxtr")
    assert result.mode == "close"
    assert result.suggestion == "Jugendmigrationsdienst Höxter"
    assert "Jugendmigrationsdienst Höxter" in set(dataset.partners["name"][result.mask])


def test_exact_hits_hide_close_ones(demo):
    _, index = demo
    result = index.search("Brakel")
    assert result.mode == "exact" and result.suggestion is None


def test_nothing_close_finds_nothing(demo):
    _, index = demo
    result = index.search("Xylophonwerkstatt")
    assert result.mode == "none" and result.count == 0 and result.suggestion is None


def test_schmallenbreg_suggests_schmallenberg_in_the_hochsauerlandkreis():
    from partnernetz.dataset import load_dataset

    dataset = load_dataset(DEMO_HSK, cache_dir="off")
    result = _index(dataset).search("Schmallenbreg")
    located = set(dataset.partners.loc[dataset.partners["town"] == "Schmallenberg", "id"])
    assert result.mode == "close" and result.suggestion == "Schmallenberg"
    assert located and set(dataset.partners["id"][result.mask]) >= located


def test_close_hits_are_chosen_within_the_other_filters(demo):
    dataset, index = demo
    spec = FilterSpec(query="Beverungn", categories=("schule",))
    selection = select_partners(dataset.partners, spec, search=index)
    assert selection.close_only
    assert set(selection.partners["category"]) == {"schule"}
    assert set(selection.partners.loc[selection.partners["town"] == "Beverungen", "id"]) == set(
        dataset.partners.loc[(dataset.partners["town"] == "Beverungen")
                             & (dataset.partners["category"] == "schule"), "id"])


# --------------------------------------------------------------------------- rules on small frames


@pytest.fixture
def small() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["desc", "name", "dazu", "daz"],
        "name": ["Jugendtreff", "Beratung Brakel", "Elterncafé", "Sprachschule"],
        "description": ["Offene Tür, mit Bus nach Brakel", None, "dazu Kuchen", None],
        "offers": [(), (), (), ("DaZ-Kurs",)],
        "town": ["Höxter", "Brakel", "Höxter", "Höxter"],
        "postcode": ["37671", "33034", "37671", "37671"],
        "phone": ["05271 1234", None, "+49 5271 55", None],
        "contacts": [(), ({"name": "A", "phone": "05272 9999-1"},), (), ()],
    })


def test_name_match_ranks_before_description_match(small):
    selection = select_partners(small, FilterSpec(query="brakel"))
    assert list(selection.by_relevance()["id"]) == ["name", "desc"]
    assert selection.relevance.loc[1] > selection.relevance.loc[0]


def test_short_abbreviation_matches_whole_words_only(small):
    assert list(apply_filters(small, FilterSpec(query="DaZ"))["id"]) == ["daz"]


def test_contact_phone_numbers_are_searched(small):
    assert list(apply_filters(small, FilterSpec(query="05272 9999"))["id"]) == ["name"]
    assert list(apply_filters(small, FilterSpec(query="+49 5271"))["id"]) == ["desc", "dazu"]


def test_registry_terms_extend_the_vocabulary(small):
    plain = SearchIndex.build(small)
    extended = SearchIndex.build(small, synonyms={"Kaffeeklatsch": ["Elterncafé"]})
    assert plain.search("Kaffeeklatsch").count == 0
    assert list(small["id"][extended.search("kaffeeklatsch").mask]) == ["dazu"]
    assert extended.search("JMD").mode == "none"  # the package's terms are kept (no JMD here)
    assert "jmd" in extended.synonyms.entries


@pytest.mark.parametrize(("query", "expected"), [
    ("+49 5272 1234", [("number", ("052721234",))]),
    ("05272 1234", [("number", ("052721234",))]),
    ("33034 05272", [("number", ("33034",)), ("number", ("05272",))]),
    ("Hauptstraße 12", [("word", ("hauptstrasse",)), ("word", ("12",))]),
    ("JMD Brakel", [("term", ("jmd",)), ("word", ("brakel",))]),
    ("Immigration Office", [("term", ("immigration", "office"))]),
])
def test_query_is_split_into_words_numbers_and_terms(query, expected):
    units = parse_query(query, synonym_table())
    assert [(u.kind, u.words) for u in units] == expected


def test_package_vocabulary_holds_the_everyday_terms():
    table = synonym_table()
    for key in ("jmd", "mbe", "kim", "ogs", "daz", "kindergarten", "kindertagesstatte",
                "auslanderbehorde", "auslanderamt"):
        assert table.alternatives(key), key
    words = {w for alt in table.alternatives("migrationsberatung") for w in alt}
    assert {"mbe", "jmd"} <= words
    assert all(isinstance(v, tuple) and v for v in load_synonyms().values())


def test_registry_search_synonyms_are_validated():
    region = {"name": "Kreis Höxter", "kreis": "05762"}
    ok = Registry.model_validate({"region": region, "search_synonyms": {"FZ": ["Familienzentrum"]}})
    assert ok.search_synonyms == {"FZ": ["Familienzentrum"]}
    for bad in ({"FZ": []}, {"FZ": ["  "]}, {"–": ["Familienzentrum"]}, {"FZ": "Familienzentrum"}):
        with pytest.raises(ValidationError):
            Registry.model_validate({"region": region, "search_synonyms": bad})


def test_registry_search_synonyms_reach_the_dataset(tmp_path):
    from partnernetz.dataset import load_dataset

    text = DEMO_HX.read_text(encoding="utf-8").replace(
        "\ntargets:", '\nsearch_synonyms:\n  Mäusezentrum: ["Mäuseburg"]\n\ntargets:', 1)
    path = tmp_path / "partners.yaml"
    path.write_text(text, encoding="utf-8")
    dataset = load_dataset(path, cache_dir="off")
    assert dataset.search_synonyms == {"Mäusezentrum": ("Mäuseburg",)}
    result = _index(dataset).search("mausezentrum")
    assert list(dataset.partners["name"][result.mask]) == ["Familienzentrum Mäuseburg"]


def test_empty_query_keeps_the_allowed_rows(small):
    index = SearchIndex.build(small)
    within = np.array([True, False, True, True])
    result = index.search("  ", within=within)
    assert result.mode == "all" and list(result.mask) == list(within)


def test_internal_contact_numbers_are_found_only_by_roles_that_see_them(demo):
    from partnernetz.access import Role
    from partnernetz.dataset import dataset_for_role

    dataset, _ = demo
    public_numbers = {digits_of(p) for p in dataset.partners["phone"]} | {
        digits_of(c.get("phone")) for people in dataset.partners["contacts"] for c in people
        if c.get("visibility") != "internal"}
    internal = [digits_of(c.get("phone")) for people in dataset.partners["contacts"]
                for c in people if c.get("visibility") == "internal" and c.get("phone")]
    secret = next(n for n in internal if not any(p.startswith(n) for p in public_numbers))
    public = _index(dataset_for_role(dataset, Role.PUBLIC)).search(secret)
    member = _index(dataset_for_role(dataset, Role.MITGLIED)).search(secret)
    assert public.count == 0
    assert member.count == 1


def test_short_term_also_matches_its_plural(small):
    frame = small.assign(name=["Kitas am Bach", "Kitaleitung", "x", "y"])
    found = list(apply_filters(frame, FilterSpec(query="Kita"))["id"])
    assert found == ["desc"]
