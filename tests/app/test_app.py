"""AppTest: the shell, the shared filters and the directory page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import as_redaktion
from tests.conftest import DEMO_HSK, DEMO_HX, ROOT

PAGES = ["app_pages/overview.py", "app_pages/map.py", "app_pages/directory.py", "app_pages/coverage.py"]


def make_app(monkeypatch: pytest.MonkeyPatch, registry=DEMO_HX, **params: object) -> AppTest:
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(registry))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    """Run the app once (dashboard.py builds the navigation), then switch page."""
    at.run()
    return at.switch_page(page).run()


def shown_count(at: AppTest) -> int:
    """The "x von y Partnern" caption of the sidebar."""
    caption = next(c.value for c in at.sidebar.caption if "artner" in c.value)
    return int(caption.split()[0])


def directory_rows(at: AppTest) -> int:
    return len(at.dataframe[0].value)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("registry", [DEMO_HX, DEMO_HSK], ids=["hoexter", "hsk"])
def test_page_runs_without_exception(monkeypatch, page, registry):
    at = make_app(monkeypatch, registry)
    open_page(at, page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ort", ["05762016"]),
        ("kategorie", ["beratung"]),
        ("stufe", ["uebergang"]),
        ("zielgruppe", ["neuzugewanderte"]),
        ("sprache", ["ar"]),
        ("status", ["planned"]),
    ],
)
def test_each_filter_changes_directory(monkeypatch, key, value):
    at = make_app(monkeypatch)
    open_page(at, "app_pages/directory.py")
    total = directory_rows(at)
    at.sidebar.multiselect(key=f"w.{key}.de").set_value(value).run()
    assert not at.exception
    filtered = directory_rows(at)
    assert 0 < filtered < total
    assert shown_count(at) == filtered


@pytest.mark.parametrize("query", ["hoexter", "Hoxter", "höxter", "HÖXTER"])
def test_search_ignores_case_and_umlauts(monkeypatch, query):
    at = make_app(monkeypatch)
    at.run()
    at.sidebar.text_input(key="w.suche.de").input("Höxter").run()
    expected = shown_count(at)
    at.sidebar.text_input(key="w.suche.de").input(query).run()
    assert shown_count(at) == expected > 0


def test_search_finds_word_parts(monkeypatch):
    at = make_app(monkeypatch, suche="beratung")
    open_page(at, "app_pages/directory.py")
    names = at.dataframe[0].value["Name"].tolist()
    assert any("Beratungsstelle" in n or "beratung" in n.lower() for n in names)
    assert 0 < len(names) < 175


def test_query_params_restore_filters(monkeypatch):
    at = make_app(monkeypatch, ort=["Brakel", "05762020"], kategorie="beratung", sprache="ar")
    open_page(at, "app_pages/directory.py")
    assert at.sidebar.multiselect(key="w.ort.de").value == ["05762016", "05762020"]
    assert at.sidebar.multiselect(key="w.kategorie.de").value == ["beratung"]
    assert at.sidebar.multiselect(key="w.sprache.de").value == ["ar"]
    table = at.dataframe[0].value
    assert set(table["Ort"]) <= {"Brakel", "Höxter"}
    assert set(table["Kategorie"]) == {"Beratungsstellen"}
    assert table["Sprachen"].str.contains("Arabisch").all()


def test_reset_clears_filters(monkeypatch):
    at = make_app(monkeypatch, ort=["Brakel"], suche="kita")
    at.run()
    assert shown_count(at) < 175
    next(b for b in at.sidebar.button if b.label == "Filter zurücksetzen").click().run()
    assert at.sidebar.multiselect(key="w.ort.de").value == []
    assert at.sidebar.text_input(key="w.suche.de").value == ""
    assert shown_count(at) == 175


def test_broken_registry_shows_the_public_only_that_it_is_being_repaired(monkeypatch, write_registry,
                                                                         tmp_path):
    path = write_registry(
        "- id: a\n  name: A\n  category: kita\n  town: Hoxtr\n  email: nope\n"
    )
    access = tmp_path / "access.yaml"
    access.write_text("contact: integration@kreis-hoexter.example\nroles:\n  admin: [a@example.org]\n",
                      encoding="utf-8")
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    at = make_app(monkeypatch, path)
    at.run()
    assert not at.exception
    notice = " ".join(i.value for i in at.info)
    assert "werden gerade überarbeitet" in notice and "integration@kreis-hoexter.example" in notice
    shown = " ".join([*(e.value for e in at.error), *(c.value for c in at.code),
                      *(m.value for m in at.markdown)])
    assert "Hoxtr" not in shown and "nope" not in shown and not at.code and not at.dataframe


def test_broken_registry_shows_german_report_to_redaktion(monkeypatch, write_registry):
    path = write_registry(
        "- id: a\n  name: A\n  category: kita\n  town: Hoxtr\n  email: nope\n"
    )
    at = as_redaktion(make_app(monkeypatch, path), monkeypatch, path.parent)
    at.run()
    assert not at.exception
    assert "enthält Fehler" in at.error[0].value
    report = at.code[0].value
    assert "partners[0].town: unbekannter Ort 'Hoxtr' – meinten Sie Höxter?" in report
    assert "partners[0].email: 'nope' ist keine gültige E-Mail-Adresse" in report


def test_missing_registry_shows_setup_steps_not_an_error(monkeypatch, tmp_path):
    # issue 19: a new installation shows how to start (tests/app/test_app_empty.py has more)
    at = make_app(monkeypatch, tmp_path / "missing.yaml")
    at.run()
    assert not at.exception
    assert not at.error
    assert any("partnernetz init" in c.value for c in at.code)


def test_warnings_only_registry_runs_with_banner(monkeypatch, write_registry):
    path = write_registry(
        "- id: a\n  name: A\n  category: kita\n  town: Brakel\n"
        "  location: {lat: 51.7757, lon: 9.3816}\n"
    )
    at = make_app(monkeypatch, path)
    open_page(at, "app_pages/directory.py")
    assert not at.exception and not at.error
    assert "1 Warnungen" in at.expander[0].label
    assert "nicht im angegebenen Ort Brakel" in at.expander[0].code[0].value
    assert directory_rows(at) == 1


def test_english_switch_translates_ui(monkeypatch):
    at = make_app(monkeypatch, lang="EN")
    open_page(at, "app_pages/directory.py")
    assert at.sidebar.multiselect(key="w.ort.en").label == "Towns"
    assert "Category" in at.dataframe[0].value.columns
    assert at.header[0].value == "Directory"


def test_directory_selection_shows_card_without_internal_data(monkeypatch, write_registry):
    path = write_registry(
        "- id: a\n  name: Kita A\n  category: kita\n  town: Brakel\n  phone: '05272 1234'\n"
        "  notes: Geheimnotiz\n  contacts:\n"
        "    - {name: Mara Beispiel, role: Leitung, visibility: public}\n"
        "    - {name: Interne Person, role: intern}\n"
    )
    at = make_app(monkeypatch, path)
    open_page(at, "app_pages/directory.py")
    at.session_state["directory_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    html = " ".join(str(h.proto) for h in at.get("html"))
    assert "Kita A" in html and "Mara Beispiel" in html
    assert "Interne Person" not in html and "Geheimnotiz" not in html
    table = at.dataframe[0].value.to_string()
    assert "Interne Person" not in table and "Geheimnotiz" not in table


def test_map_focus_on_filtered_partner_explains(monkeypatch):
    at = make_app(monkeypatch)
    at.run()
    at.query_params["partner"] = "no-such-partner"  # a link to the map with a partner focus
    at.switch_page("app_pages/map.py").run()
    assert not at.exception
    assert any("ausgeblendet" in i.value for i in at.info)


def test_show_on_map_switches_to_map_with_partner(monkeypatch):
    from partnernetz.dataset import load_dataset

    first_id = load_dataset(DEMO_HX).partners.iloc[0]["id"]
    at = make_app(monkeypatch)
    open_page(at, "app_pages/directory.py")
    at.session_state["directory_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="show_on_map").click().run()
    assert not at.exception
    assert at.query_params["partner"] in (first_id, [first_id])
    assert at.header[0].value == "Karte"
    assert all("ausgeblendet" not in i.value for i in at.info)
