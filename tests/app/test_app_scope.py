"""AppTest: coverage sentences that stay true under filters (issue 18 §3)."""

from __future__ import annotations

import pytest

from tests.app.test_app import make_app, open_page

OVERVIEW, COVERAGE = "app_pages/overview.py", "app_pages/coverage.py"
BRAKEL_AR_COUNSELLING = {"ort": "Brakel", "kategorie": "beratung", "sprache": "ar"}


def texts(at) -> str:
    parts = [e.value for kind in ("caption", "markdown", "success", "info") for e in getattr(at, kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("page", [OVERVIEW, COVERAGE])
def test_no_white_spots_in_brakel_names_its_scope_and_marienmuenster(monkeypatch, page):
    at = open_page(make_app(monkeypatch, **BRAKEL_AR_COUNSELLING), page)
    assert not at.exception and not at.error
    verdict = " ".join(s.value for s in at.success)
    assert "in jedem Ort" not in verdict
    assert "in den gewählten Orten (Brakel)" in verdict
    assert "Beratungsstellen" in verdict and "Arabisch" in verdict
    assert "Marienmünster" in verdict  # the white spot outside the selection is said


@pytest.mark.parametrize("page", [OVERVIEW, COVERAGE])
def test_no_white_spots_in_english_names_its_scope(monkeypatch, page):
    at = open_page(make_app(monkeypatch, lang="en", **BRAKEL_AR_COUNSELLING), page)
    verdict = " ".join(s.value for s in at.success)
    assert "every town" not in verdict and "selected towns (Brakel)" in verdict
    assert "Arabic" in verdict and "Marienmünster" in verdict


def test_white_spot_list_under_a_language_filter_says_what_was_counted(monkeypatch):
    at = open_page(make_app(monkeypatch, kategorie="beratung", sprache="ar"), COVERAGE)
    body = texts(at)
    assert "Marienmünster: keine Beratungsstelle im Ort" in body
    assert "Gezählt nur: Kategorien: Beratungsstellen; Sprachen: Arabisch." in body


def test_kim_is_not_reported_missing_under_a_counselling_filter(monkeypatch):
    at = open_page(make_app(monkeypatch, kategorie="beratung"), COVERAGE)
    body = texts(at)
    assert "KIM Case Management erreichbar in 0 von 10 Orten" not in body
    assert ("KIM Case Management erreichbar in 10 von 10 Orten – ohne die Filter der Seitenleiste "
            "gezählt") in body


def test_overview_town_comparison_drops_kim_under_a_counselling_filter(monkeypatch):
    at = open_page(make_app(monkeypatch, kategorie="beratung"), OVERVIEW)
    compare = next(d.value for d in at.dataframe if "Ort" in d.value.columns)
    assert "KIM" not in compare.columns
    assert "Die Spalte KIM fehlt" in texts(at)
    plain = open_page(make_app(monkeypatch), OVERVIEW)
    assert "KIM" in next(d.value for d in plain.dataframe if "Ort" in d.value.columns).columns


def test_in_town_measure_caption_and_colours_agree(monkeypatch):
    at = open_page(make_app(monkeypatch, kategorie="beratung"), COVERAGE)
    at.segmented_control(key="w.kennzahl").set_value("located").run()
    body = texts(at)
    assert "die Ampel bewertet weiter die erreichbaren" not in body
    assert "Zahl und Farbe = aktive Partner mit Standort im Ort" in body
    assert "✗ rot = kein Partner im Ort" in body
    frame = at.dataframe[0].value
    frame = frame.data if hasattr(frame, "data") else frame
    cells = frame.stack().astype(str)
    assert cells.str.startswith("✗ 0").any()  # a town served from outside is red "im Ort"


def test_overview_counts_entries_and_active_partners_the_same_way_everywhere(monkeypatch):
    at = open_page(make_app(monkeypatch), OVERVIEW)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Partner (aktiv)"] == "170"
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "175 von 175 Partnern · davon aktiv: 170" in sidebar
    body = texts(at)
    assert "„geprüft“ zählt alle Einträge" in body
    assert "Einträge: 175 (aktiv 170, geplant 1, inaktiv 4)" in body
    assert "in 12 Monaten geprüft: 125 von 175 Einträgen" in body
    assert metrics["in 12 Monaten geprüft"] == "71 %"
