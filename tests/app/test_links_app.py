"""AppTest: links in both languages, freshness, serves, download names and "Stand" (issue #7)."""

from __future__ import annotations

import pytest

from tests.app.test_app import make_app, open_page, shown_count

DIRECTORY, OVERVIEW, COVERAGE = "app_pages/directory.py", "app_pages/overview.py", "app_pages/coverage.py"


def param(at, name: str) -> list[str]:
    value = at.query_params.get(name)
    return [] if value is None else value if isinstance(value, list) else [value]


def test_filter_change_writes_language_neutral_keys_into_the_url(monkeypatch):
    at = open_page(make_app(monkeypatch), DIRECTORY)
    at.sidebar.multiselect(key="w.kategorie.de").set_value(["beratung"]).run()
    at.sidebar.multiselect(key="w.sprache.de").set_value(["ar"]).run()
    assert param(at, "kategorie") == ["beratung"]
    assert param(at, "sprache") == ["ar"]
    assert "lang" not in at.query_params


def test_language_switch_keeps_every_filter_and_back_again(monkeypatch):
    at = open_page(make_app(monkeypatch, ort="05762016", kategorie="beratung", suche="Beratung",
                            geprueft="letzte-12-monate"), DIRECTORY)
    german = shown_count(at)
    assert 0 < german < 175
    at.sidebar.segmented_control(key="w.lang").set_value("en").run()
    assert at.sidebar.multiselect(key="w.ort.en").value == ["05762016"]
    assert at.sidebar.multiselect(key="w.kategorie.en").format_func("beratung") == (
        "Counselling services")
    assert at.sidebar.text_input(key="w.suche.en").value == "Beratung"
    assert at.sidebar.selectbox(key="w.geprueft.en").value == "letzte-12-monate"
    assert shown_count(at) == german
    assert param(at, "lang") == ["en"] and param(at, "kategorie") == ["beratung"]
    at.sidebar.segmented_control(key="w.lang").set_value("de").run()
    assert at.sidebar.multiselect(key="w.ort.de").value == ["05762016"]
    assert at.sidebar.multiselect(key="w.kategorie.de").value == ["beratung"]
    assert shown_count(at) == german
    assert "lang" not in at.query_params and param(at, "ort") == ["05762016"]


def test_link_made_in_english_opens_the_same_view_in_german(monkeypatch):
    english = open_page(make_app(monkeypatch, lang="en", kategorie="kita", sprache="uk"), DIRECTORY)
    params = {k: v for k, v in english.query_params.items() if k != "lang"}
    german = open_page(make_app(monkeypatch, **params), DIRECTORY)
    assert shown_count(german) == shown_count(english) > 0
    assert german.header[0].value == "Verzeichnis"


def test_unknown_parameter_gives_a_notice(monkeypatch):
    at = open_page(make_app(monkeypatch, kategorie=["beratung", "Beratungsstellen"], farbe="rot"),
                   DIRECTORY)
    notice = " ".join(i.value for i in at.info)
    assert "Parameter „farbe“" in notice and "„kategorie=Beratungsstellen“" in notice
    assert at.sidebar.multiselect(key="w.kategorie.de").value == ["beratung"]


def test_freshness_filter_never_verified(monkeypatch):
    at = open_page(make_app(monkeypatch, geprueft="nie"), DIRECTORY)
    table = at.dataframe[0].value
    assert len(table) == shown_count(at) > 0
    assert table["Zuletzt geprüft"].isna().all()


def test_directory_shows_serves_and_no_none(monkeypatch):
    at = open_page(make_app(monkeypatch, suche="Jugendmigrationsdienst"), DIRECTORY)
    table = at.dataframe[0].value.set_index("Name")
    assert table.loc["Jugendmigrationsdienst Höxter", "Zuständig für"].startswith("Höxter, ")
    assert "Brakel" in table.loc["Jugendmigrationsdienst Höxter", "Zuständig für"]
    text = table.drop(columns=["Zuletzt geprüft"]).astype(str).to_numpy()
    assert "None" not in text
    assert list(at.dataframe[0].value.columns[:4]) == ["Name", "Ort", "Telefon", "E-Mail"]


def test_serving_partners_are_marked_with_mitversorgen(monkeypatch):
    at = open_page(make_app(monkeypatch, ort="05762016", ueberoertlich="1",
                            suche="Jugendmigrationsdienst"), DIRECTORY)
    table = at.dataframe[0].value
    assert dict(zip(table["Name"], table["Bezug zum Ort"], strict=True)) == {
        "Jugendmigrationsdienst Höxter": "zuständig, nicht im Ort"}


def test_download_names_say_what_is_in_them():
    import datetime as dt

    from partnernetz.views.downloads import name_download

    stand = dt.date(2026, 12, 1)
    assert name_download("Kreis Höxter", categories=["beratung"], stand=stand) == (
        "partnernetz-kreis-hoexter-beratung-2026-12-01")
    assert name_download("Hochsauerlandkreis", what="abdeckung-entfernungen", towns=["Eslohe (Sauerland)"],
                         filtered=True, stand=stand) == (
        "partnernetz-hochsauerlandkreis-abdeckung-entfernungen-eslohe-sauerland-gefiltert-2026-12-01")


def test_stand_is_the_date_of_the_data(monkeypatch):
    at = open_page(make_app(monkeypatch), OVERVIEW)
    assert at.caption[0].value.startswith("Stand der Daten: 15.11.2026.")


@pytest.mark.parametrize("page", [OVERVIEW, COVERAGE])
def test_figures_say_how_they_were_filtered(monkeypatch, page):
    at = open_page(make_app(monkeypatch, kategorie="beratung", sprache="ar"), page)
    captions = " ".join(c.value for c in at.caption)
    assert "Gefiltert: Kategorien: Beratungsstellen; Sprachen: Arabisch." in captions
