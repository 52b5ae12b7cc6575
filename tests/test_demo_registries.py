"""The fictional demo registries: valid, complete, and every point in its town."""

from __future__ import annotations

import pytest

from partnernetz.dataset import load_dataset, validate_registry
from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES, KIM_OFFER
from tests.conftest import DEMO_HSK, DEMO_HX


@pytest.fixture(scope="module", params=[DEMO_HX, DEMO_HSK], ids=["hoexter", "hsk"])
def demo(request):
    return load_dataset(request.param, cache_dir="off")


@pytest.mark.parametrize("path", [DEMO_HX, DEMO_HSK], ids=["hoexter", "hsk"])
def test_demo_registry_validates_without_findings(path):
    report = validate_registry(path)
    assert report.ok, report.format()
    assert report.warnings == (), report.format()


def test_every_point_lies_in_declared_town(demo):
    partners = demo.partners
    assert (partners["ags"] == partners["town_ags"]).all()
    for row in partners.itertuples():
        polygon = demo.towns.loc[demo.towns["ags"] == row.town_ags, "geometry"].iloc[0]
        assert polygon.contains(row.geometry), row.id


def test_every_town_and_category_has_partners(demo):
    partners = demo.partners
    assert set(partners["ags"]) == set(demo.towns["ags"])
    assert set(DEFAULT_CATEGORIES) <= set(partners["category"])


def test_demo_sizes_match_brief():
    assert len(load_dataset(DEMO_HX, cache_dir="off").partners) >= 150
    assert len(load_dataset(DEMO_HSK, cache_dir="off").partners) >= 80


def test_hoexter_has_kim_located_in_all_ten_towns():
    partners = load_dataset(DEMO_HX, cache_dir="off").partners
    active = partners[partners["status"] == "active"]
    kim_towns = {row.ags for row in active.itertuples() if KIM_OFFER in row.offers}
    assert len(kim_towns) == 10


def test_demo_data_is_fictional(demo):
    partners = demo.partners
    emails = [e for e in partners["email"] if e]
    emails += [c["email"] for cs in partners["contacts"] for c in cs if c.get("email")]
    assert emails and all(e.endswith("@example.org") for e in emails)
    assert all(w.startswith("https://example.org/") for w in partners["website"] if w)


def test_demo_mixes_precisions_and_freshness(demo):
    precisions = set(demo.partners["precision"])
    assert {"exact", "town"} <= precisions
    # A postcode places a partner only in a town with several (Arnsberg in the HSK demo).
    if demo.region.kreis == "05958":
        assert "postcode" in precisions
    assert demo.partners["verified"].notna().any()


def test_demo_has_translated_descriptions_in_every_language_and_german_fallbacks(demo):
    from partnernetz.registry.vocabulary import TRANSLATION_LANGUAGES

    active = demo.partners[demo.partners["status"] != "inactive"]
    for lang in TRANSLATION_LANGUAGES:
        translated = [row.id for row in active.itertuples()
                      if ((row.translations or {}).get(lang) or {}).get("description")]
        assert len(translated) >= 2, lang  # the demo shows a translated text ...
        assert len(translated) < len(active), lang  # ... and the German one marked "(auf Deutsch)"
