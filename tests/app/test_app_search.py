"""AppTest: "Meinten Sie …?" and the directory's relevance order after a search (issue 20 §1)."""

from __future__ import annotations

import pytest

from tests.app.test_app import make_app, open_page, shown_count

PAGES = ["app_pages/overview.py", "app_pages/map.py", "app_pages/directory.py"]


def suggestions(at) -> list[str]:
    return [i.value for i in at.info if "Meinten Sie" in i.value or "Did you mean" in i.value]


@pytest.mark.parametrize("page", PAGES)
def test_typo_shows_did_you_mean_with_close_hits(monkeypatch, page):
    at = open_page(make_app(monkeypatch, suche="Beverungn"), page)
    assert not at.exception, at.exception
    [notice] = suggestions(at)
    assert "Meinten Sie „Beverungen“?" in notice
    assert f"Gezeigt werden {shown_count(at)} ähnliche Treffer" in notice
    assert shown_count(at) > 5


def test_did_you_mean_button_takes_the_suggestion(monkeypatch):
    at = open_page(make_app(monkeypatch, suche="Beverungn"), "app_pages/directory.py")
    close = shown_count(at)
    at.button(key="use_suggestion").click().run()
    assert not at.exception, at.exception
    assert at.sidebar.text_input(key="w.suche.de").value == "Beverungen"
    assert suggestions(at) == []
    assert 0 < shown_count(at) <= close


def test_did_you_mean_in_english(monkeypatch):
    at = open_page(make_app(monkeypatch, suche="Jugendmigratonsdienst", lang="en"),
                   "app_pages/directory.py")
    [notice] = suggestions(at)
    assert "Did you mean “Jugendmigrationsdienst”?" in notice
    assert "No exact matches for “Jugendmigratonsdienst”. Showing 2 close matches." in notice


def test_exact_hits_show_no_suggestion(monkeypatch):
    at = open_page(make_app(monkeypatch, suche="JMD"), "app_pages/directory.py")
    assert suggestions(at) == []
    assert shown_count(at) == 2


def test_nothing_close_shows_the_empty_directory_without_suggestion(monkeypatch):
    at = open_page(make_app(monkeypatch, suche="Xylophonwerkstatt"), "app_pages/directory.py")
    assert not at.exception
    assert suggestions(at) == []
    assert shown_count(at) == 0


def test_directory_table_sorts_by_relevance_after_a_search(monkeypatch):
    at = open_page(make_app(monkeypatch, suche="Brakel"), "app_pages/directory.py")
    at.segmented_control(key="w.ansicht").set_value("tabelle").run()
    sort = at.selectbox(key="dir_sort")
    assert sort.value == "Relevanz (beste Treffer zuerst)"
    html = "".join(h.proto.body for h in at.get("html"))
    # names with "Brakel" come before partners that only serve Brakel or mention it
    rows = html.split("<tbody>", 1)[1]
    first = rows.split("</tr>", 1)[0]
    assert "Brakel" in first
    grid = open_page(make_app(monkeypatch, suche="Brakel"), "app_pages/directory.py")
    names = list(grid.dataframe[0].value["Name"])
    with_name = [i for i, n in enumerate(names) if "Brakel" in n]
    assert with_name == list(range(len(with_name))) and len(with_name) < len(names)


def test_without_search_the_table_offers_no_relevance_order(monkeypatch):
    at = open_page(make_app(monkeypatch), "app_pages/directory.py")
    at.segmented_control(key="w.ansicht").set_value("tabelle").run()
    assert "Relevanz (beste Treffer zuerst)" not in at.selectbox(key="dir_sort").options
