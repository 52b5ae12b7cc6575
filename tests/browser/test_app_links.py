"""Links in real Chromium: deep links, /uebersicht, the language round trip, Back, downloads.

Issue #7 §2 and §5, issue #8 §6 ("/uebersicht shows Page not found"). Each test
leaves a screenshot under ``test-artifacts/screenshots/``; the screen-size views
are saved as ``<page>-1280x800.png`` and ``<page>-phone.png``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TIMEOUT = 60_000
NOT_FOUND = "Page not found"


def wait_until_idle(rec) -> None:
    rec.page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)


def open_app(rec, url: str, heading: str) -> None:
    rec.page.goto(url, timeout=TIMEOUT)
    rec.page.get_by_role("heading", name=heading).first.wait_for(timeout=TIMEOUT)
    wait_until_idle(rec)
    rec.page.wait_for_timeout(500)  # a late "Page not found" dialog would show by now


def sidebar_count(rec) -> int:
    text = rec.page.locator('[data-testid="stSidebar"]').inner_text()
    return int(re.search(r"(\d+) (?:von|of) \d+ (?:Partnern|partners)", text).group(1))


def body_text(rec) -> str:
    return rec.page.locator("body").inner_text()


def pick_option(rec, label: str, option: str) -> None:
    """Choose ``option`` in the sidebar multiselect labelled ``label``."""
    box = rec.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text=label).first
    before = current_url(rec)
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    box.locator("input").press_sequentially(option[:5])  # filter the list: the option is in view
    rec.page.get_by_role("option", name=option, exact=True).click()
    rec.page.keyboard.press("Escape")
    wait_for_new_url(rec, before)


def switch_language(rec, code: str) -> None:
    before = current_url(rec)
    rec.page.locator('[data-testid="stSidebar"]').get_by_text(code, exact=True).first.click()
    wait_for_new_url(rec, before)


def wait_for_new_url(rec, before: str) -> None:
    """Until the app wrote the changed view into the URL, and the run finished."""
    rec.page.wait_for_function("(old) => location.href !== old", arg=before, timeout=TIMEOUT)
    wait_until_idle(rec)


def current_url(rec) -> str:
    """The address bar (``location.href``; playwright's ``page.url`` can miss a pushState)."""
    return rec.page.evaluate("location.href")


def query(rec) -> dict[str, list[str]]:
    return parse_qs(urlsplit(current_url(rec)).query)


def test_cold_start_deep_link_shows_the_page_without_page_not_found(start_streamlit, page,
                                                                   app_registry, tmp_path):
    # A fresh server, and its very first visit is a deep link (streamlit#9992 showed
    # "Page not found" here while the app's pages lived in pages/).
    with start_streamlit(app_registry, tmp_path) as app:
        open_app(page, f"{app.base_url}/karte?kategorie=kita&hintergrund=none", "Karte")
        assert NOT_FOUND not in body_text(page)
        assert query(page)["kategorie"] == ["kita"]
        assert sidebar_count(page) == 43


def test_uebersicht_url_shows_the_overview_every_time(app_server, page):
    for _ in range(3):
        open_app(page, f"{app_server.base_url}/uebersicht", "Übersicht")
        assert NOT_FOUND not in body_text(page)
    open_app(page, f"{app_server.base_url}/", "Übersicht")
    assert NOT_FOUND not in body_text(page)


def test_language_round_trip_and_copied_link_give_the_same_view(app_server, page, browser):
    open_app(page, f"{app_server.base_url}/verzeichnis", "Verzeichnis")
    pick_option(page, "Kategorien", "Beratungsstellen")
    pick_option(page, "Sprachen", "Arabisch")
    filtered = sidebar_count(page)
    assert 0 < filtered < 175
    assert query(page)["kategorie"] == ["beratung"] and query(page)["sprache"] == ["ar"]

    switch_language(page, "EN")
    page.page.get_by_role("heading", name="Directory").wait_for(timeout=TIMEOUT)
    sidebar = page.page.locator('[data-testid="stSidebar"]')
    assert "Counselling services" in sidebar.inner_text()  # the chips speak English
    assert "Arabic" in sidebar.inner_text()
    assert sidebar_count(page) == filtered
    assert query(page)["lang"] == ["en"] and query(page)["kategorie"] == ["beratung"]

    switch_language(page, "DE")
    page.page.get_by_role("heading", name="Verzeichnis").wait_for(timeout=TIMEOUT)
    assert "Beratungsstellen" in sidebar.inner_text() and "Arabisch" in sidebar.inner_text()
    assert sidebar_count(page) == filtered
    link = current_url(page)

    fresh = browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE")
    try:
        other = fresh.new_page()
        other.goto(link, timeout=TIMEOUT)
        other.get_by_role("heading", name="Verzeichnis").wait_for(timeout=TIMEOUT)
        other.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)
        side = other.locator('[data-testid="stSidebar"]')
        side.get_by_text("Arabisch", exact=True).wait_for(timeout=TIMEOUT)
        other.screenshot(path=str(SCREENSHOTS / "language-round-trip-fresh-context.png"))
        text = side.inner_text()
        assert "Beratungsstellen" in text and "Arabisch" in text
        assert re.search(rf"\b{filtered} von 175 Partnern", text)
        assert NOT_FOUND not in other.locator("body").inner_text()
    finally:
        fresh.close()


def test_back_undoes_each_filter_change(app_server, page):
    open_app(page, f"{app_server.base_url}/verzeichnis", "Verzeichnis")
    assert sidebar_count(page) == 175
    switch_language(page, "EN")
    page.page.get_by_role("heading", name="Directory").wait_for(timeout=TIMEOUT)
    page.page.go_back()  # the language switch is a step too
    page.page.get_by_role("heading", name="Verzeichnis").wait_for(timeout=TIMEOUT)
    wait_until_idle(page)
    pick_option(page, "Kategorien", "Kitas und Familienzentren")
    kitas = sidebar_count(page)
    pick_option(page, "Orte", "Brakel")
    both = sidebar_count(page)
    assert both < kitas < 175
    page.page.go_back()
    page.page.wait_for_function(f"() => /{kitas} von 175 Partnern/.test("
                                "document.querySelector('[data-testid=\"stSidebar\"]').innerText)",
                                timeout=TIMEOUT)
    assert "ort" not in query(page) and query(page)["kategorie"] == ["kita"]
    page.page.go_back()
    page.page.wait_for_function("() => /175 von 175 Partnern/.test("
                                "document.querySelector('[data-testid=\"stSidebar\"]').innerText)",
                                timeout=TIMEOUT)
    assert "kategorie" not in query(page)


def test_unknown_link_parameter_gives_a_notice(app_server, page):
    open_app(page, f"{app_server.base_url}/verzeichnis?kategorie=Beratungsstellen&foo=1",
             "Verzeichnis")
    text = body_text(page)
    assert "Parameter „foo“" in text and "„kategorie=Beratungsstellen“" in text


def test_directory_download_name_says_what_is_in_it(app_server, page):
    open_app(page, f"{app_server.base_url}/verzeichnis?kategorie=beratung", "Verzeichnis")
    button = page.page.get_by_role("button", name="CSV (Excel)")
    button.scroll_into_view_if_needed(timeout=TIMEOUT)
    with page.page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    assert info.value.suggested_filename == "partnernetz-kreis-hoexter-beratung-oeffentlich-2026-11-15.csv"
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        head = handle.read(2000)
    assert "Zuständig für" in head


@pytest.mark.parametrize(("path", "heading"), [("verzeichnis", "Verzeichnis"),
                                               ("abdeckung", "Abdeckung"),
                                               ("uebersicht", "Übersicht")])
@pytest.mark.parametrize(("size", "viewport"), [("1280x800", (1280, 800)), ("phone", (390, 844))])
def test_screens_people_really_have(app_server, page, path, heading, size, viewport):
    page.page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    open_app(page, f"{app_server.base_url}/{path}", heading)
    page.page.wait_for_timeout(1000)  # the grid and the maps settle; not a timing assert
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(SCREENSHOTS / f"{path}-{size}.png"))
    assert NOT_FOUND not in body_text(page)
    assert not page.page_errors
    # no "None" in any visible text
    assert "None" not in page.page.locator('[data-testid="stMain"]').inner_text()


def test_hsk_coverage_matrix_shows_all_towns_and_categories_at_1280(start_streamlit, page, tmp_path):
    registry = Path(__file__).resolve().parents[2] / "data" / "examples" / "hochsauerlandkreis.yaml"
    page.page.set_viewport_size({"width": 1280, "height": 800})
    with start_streamlit(registry, tmp_path) as app:
        open_app(page, f"{app.base_url}/abdeckung", "Abdeckung")
        grid = page.page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        page.page.wait_for_timeout(1000)  # the grid has drawn; not a timing assert
        page.page.screenshot(path=str(SCREENSHOTS / "abdeckung-hsk-1280x800.png"))
        sizes = grid.evaluate(
            """(el) => { const s = el.querySelector('.dvn-scroller');
                         return [s.scrollWidth, s.clientWidth, s.scrollHeight, s.clientHeight]; }""")
        scroll_w, client_w, scroll_h, client_h = sizes
        assert scroll_w <= client_w + 1, sizes  # no hidden columns (8 categories)
        assert scroll_h <= client_h + 1, sizes  # no hidden rows (12 towns)
