"""AppTest: the accessible table under filters, and the view always in the URL (issue 18 §1, §2)."""

from __future__ import annotations

import pytest

from tests.app.test_app import make_app, open_page
from tests.app.test_links_app import param

DIRECTORY, OVERVIEW, COVERAGE = "app_pages/directory.py", "app_pages/overview.py", "app_pages/coverage.py"
FILTERS = {
    "town": {"ort": "Brakel"},
    "search": {"suche": "Jugendmigrationsdienst Brakel"},
    "category": {"kategorie": "beratung"},
    "several": {"ort": "Brakel", "kategorie": "beratung", "sprache": "ar"},
}


def no_failure(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def open_table(monkeypatch, **params):
    at = open_page(make_app(monkeypatch, **params), DIRECTORY)
    return at.segmented_control(key="w.ansicht").set_value("tabelle").run()


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_accessible_table_shows_cards_and_downloads_under_filter(monkeypatch, name, lang):
    at = open_table(monkeypatch, lang=lang, **FILTERS[name])
    no_failure(at)
    card = at.selectbox(key="dir_card")
    assert card.options, "the card picker lists the partners of the page"
    card.select_index(0).run()
    no_failure(at)
    assert any("pn-card" in h.proto.body for h in at.get("html")), "the card is drawn"
    keys = [b.key for b in at.get("download_button")]
    assert len([k for k in keys if k.startswith("download_")]) == 7, keys  # the view's files
    assert len([k for k in keys if "_handout_" in k]) == 4, keys  # the card's: vCard, PDF, HTML, QR


def test_accessible_table_search_finds_the_brakel_youth_migration_service(monkeypatch):
    at = open_table(monkeypatch, suche="Jugendmigrationsdienst Brakel")
    no_failure(at)
    names = at.selectbox(key="dir_card").options  # the labels: partner names
    assert any("Jugendmigrationsdienst" in n for n in names), names


@pytest.mark.parametrize("lang", ["de", "en"])
def test_accessible_table_sorts_by_every_column_and_pages_under_filter(monkeypatch, lang):
    at = open_table(monkeypatch, lang=lang, kategorie="schule")
    no_failure(at)
    for column in at.selectbox(key="dir_sort").options:
        at.selectbox(key="dir_sort").set_value(column).run()
        at.radio(key="dir_order").set_value("desc").run()
        no_failure(at)
        assert at.selectbox(key="dir_card").options
    pages = at.number_input(key="dir_page").max
    assert pages >= 2
    at.number_input(key="dir_page").set_value(pages).run()
    no_failure(at)
    assert at.selectbox(key="dir_card").options


def test_accessible_table_with_zero_results_says_so(monkeypatch):
    at = open_table(monkeypatch, suche="xyzzy")
    no_failure(at)
    assert any("Kein" in i.value for i in at.info)
    assert at.segmented_control(key="w.ansicht").value == "tabelle"


@pytest.mark.parametrize("page", [OVERVIEW, DIRECTORY, COVERAGE])
def test_zero_result_search_is_written_into_the_url(monkeypatch, page):
    at = open_page(make_app(monkeypatch, suche="Brakel"), page)
    assert param(at, "suche") == ["Brakel"]
    at.sidebar.text_input(key="w.suche.de").input("xyzzy").run()
    no_failure(at)
    assert param(at, "suche") == ["xyzzy"]
    assert any("Barrierefreiheit" in (b.proto.page or "") or "barrierefreiheit" in str(b.proto)
               for b in at.get("page_link")), "the footer is drawn after an empty page"


def test_table_view_stays_chosen_through_a_zero_result_search(monkeypatch):
    at = open_page(make_app(monkeypatch), DIRECTORY)
    at.segmented_control(key="w.ansicht").set_value("tabelle").run()
    assert param(at, "ansicht") == ["tabelle"]
    at.sidebar.text_input(key="w.suche.de").input("xyzzy").run()
    no_failure(at)
    assert at.segmented_control(key="w.ansicht").value == "tabelle"
    assert param(at, "ansicht") == ["tabelle"]
    at.sidebar.text_input(key="w.suche.de").input("Brakel").run()
    assert at.segmented_control(key="w.ansicht").value == "tabelle"
    assert at.selectbox(key="dir_card").options  # the table, not the grid
    assert not at.dataframe


def test_coverage_map_selector_reads_english_after_the_switch(monkeypatch):
    at = open_page(make_app(monkeypatch), COVERAGE)
    box = at.selectbox(key="w.kartenwert.de")
    assert box.value == "__score__" and "Abdeckung gesamt" in box.options
    at.sidebar.segmented_control(key="w.lang").set_value("en").run()
    no_failure(at)
    box = at.selectbox(key="w.kartenwert.en")
    assert box.value == "__score__" and "Overall coverage" in box.options
    assert "Abdeckung gesamt" not in box.options
    assert all(k != "w.kartenwert.de" for k in (s.key for s in at.selectbox))


def test_coverage_map_choice_survives_the_language_switch_and_is_in_the_url(monkeypatch):
    at = open_page(make_app(monkeypatch), COVERAGE)
    at.selectbox(key="w.kartenwert.de").set_value("beratung").run()
    assert param(at, "kartenwert") == ["beratung"]
    at.sidebar.segmented_control(key="w.lang").set_value("en").run()
    assert at.selectbox(key="w.kartenwert.en").value == "beratung"
