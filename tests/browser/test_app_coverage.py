"""Übersicht and Abdeckung in real Chromium, against ``streamlit run dashboard.py``.

Uses the harness of ``tests/browser/conftest.py``: ``app_server`` (the app on
the Kreis Höxter demo registry) and ``page`` (a recording Chromium page that
blocks every non-loopback request). Each test leaves a screenshot under
``test-artifacts/screenshots/``; the two page views are also saved as
``uebersicht.png`` and ``abdeckung.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[src*="streamlit_folium"]'  # its title becomes the map's name
TIMEOUT = 60_000

# Centre (container pixels) of the named town, from the Leaflet map in the component iframe.
TOWN_POINT = """(name) => {
  // the live map: a rerun may leave an earlier, detached one behind
  const map = Object.values(window).find(
    (v) => v instanceof L.Map && v.getContainer().isConnected);
  let point = null;
  map.eachLayer((layer) => {
    const p = layer.feature && layer.feature.properties;
    if (p && p.kind === "town" && p.name === name) {
      point = map.latLngToContainerPoint([p.label_lat, p.label_lon]);
    }
  });
  const box = map.getContainer().getBoundingClientRect();
  return point && {x: box.left + point.x, y: box.top + point.y};
}"""


def page_requests_elsewhere(rec) -> list[str]:
    """Non-loopback requests (blocked by the fixture), except the shell's favicon.

    dashboard.py's ``page_icon=":material/hub:"`` makes Streamlit's frontend
    fetch the icon from fonts.gstatic.com; that is the shell's, not these pages'.
    """
    return [url for url in rec.external_requests()
            if not url.startswith("https://fonts.gstatic.com/s/i/short-term/release/materialsymbols")]


def open_app(rec, url: str) -> None:
    rec.page.goto(url, timeout=TIMEOUT)
    rec.page.wait_for_selector('[data-testid="stHeading"]', timeout=TIMEOUT)


def map_frame(rec):
    """The streamlit-folium iframe once its Leaflet map has drawn the town polygons."""
    rec.page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT)
    frame = rec.page.locator(MAP_FRAME).first.element_handle().content_frame()
    frame.wait_for_selector(".leaflet-container path.leaflet-interactive", state="attached",
                            timeout=TIMEOUT)
    return frame


def hover_town(rec, frame, name: str) -> str:
    """Move the mouse onto the town's centre; return the tooltip text."""
    rec.page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    point = frame.evaluate(TOWN_POINT, name)
    assert point, f"{name} is not on the map"
    box = rec.page.locator(MAP_FRAME).first.bounding_box()
    rec.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = frame.locator(".pn-town-tooltip", has_text=name)
    tooltip.wait_for(timeout=10_000)
    return tooltip.inner_text()


def save_view(rec, name: str, height: int) -> None:
    """A tall screenshot of the whole page (Streamlit scrolls inside, so grow the window)."""
    rec.page.set_viewport_size({"width": 1280, "height": height})
    rec.page.wait_for_timeout(1500)  # layout and map resize settle; not a timing assert
    wait_until_idle(rec)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    rec.page.screenshot(path=str(SCREENSHOTS / name))


def wait_until_idle(rec) -> None:
    """Until Streamlit shows no "running" indicator (script finished)."""
    rec.page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)


def test_overview_choropleth_draws_every_town_and_tooltip_shows_score(app_server, page):
    open_app(page, f"{app_server.base_url}/")  # the default page
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() == 10  # the ten towns of Höxter
    fills = frame.evaluate(
        "() => [...document.querySelectorAll('path.leaflet-interactive')]"
        ".map((p) => p.getAttribute('fill'))")
    assert len(set(fills)) > 1  # coloured by the score, not one flat colour
    text = hover_town(page, frame, "Brakel")
    assert text == "Brakel: 100 % Abdeckung", text
    assert page.page.get_by_text("Marienmünster: keine Beratungsstelle im Ort").count() == 1
    save_view(page, "uebersicht.png", 1700)
    assert page_requests_elsewhere(page) == []
    assert not page.page_errors


def test_coverage_choropleth_follows_chosen_category_in_tooltip(app_server, page):
    open_app(page, f"{app_server.base_url}/abdeckung")
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() == 10
    assert hover_town(page, frame, "Marienmünster").startswith("Marienmünster: ")
    # choose "Beratungsstellen" for the map: Marienmünster is the white spot there
    page.page.get_by_label("Kategorie für Karte und Vergleich").click()
    page.page.get_by_role("option", name="Beratungsstellen").click()
    page.page.wait_for_function(
        """() => {
          const f = document.querySelector('iframe[src*="streamlit_folium"]');
          const legend = f && f.contentDocument.querySelector('.pn-legend__title');
          return legend && legend.textContent.startsWith('Beratungsstellen');
        }""", timeout=TIMEOUT)
    frame = map_frame(page)
    assert hover_town(page, frame, "Marienmünster") == "Marienmünster: 0 erreichbare Partner"
    page.page.mouse.move(5, 5)
    save_view(page, "abdeckung.png", 4200)
    assert page_requests_elsewhere(page) == []
    assert not page.page_errors


def test_overview_report_button_downloads_pdf(app_server, page):
    open_app(page, f"{app_server.base_url}/")  # the default page
    button = page.page.get_by_role("button", name="Bericht der Region (PDF)")
    button.scroll_into_view_if_needed(timeout=TIMEOUT)
    with page.page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "partnernetz-bericht-kreis-hoexter-2026-11-15.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def download(rec, button) -> bytes:
    button.scroll_into_view_if_needed(timeout=TIMEOUT)
    with rec.page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def test_coverage_downloads_matrix_csv_and_workbook_of_every_table(app_server, page):
    import io

    from openpyxl import load_workbook

    open_app(page, f"{app_server.base_url}/abdeckung")
    matrix_csv = page.page.locator(".st-key-dl_matrix_csv").get_by_role("button", name="CSV (Excel)")
    csv = download(page, matrix_csv)
    text = csv.decode("utf-8-sig")
    assert csv.startswith("\ufeff".encode())  # the Excel flavour: BOM, ";"
    assert text.splitlines()[0].startswith("AGS;Ort;Kategorie")
    assert "05762024;Marienmünster;beratung;Beratungsstellen;" in text
    workbook = load_workbook(io.BytesIO(download(
        page, page.page.get_by_role("button", name="Alle Tabellen (Excel, .xlsx)"))))
    assert workbook.sheetnames == ["Ampel", "Bildungskette", "Sprachen", "Zielgruppen", "KIM",
                                   "Entfernungen"]
    assert workbook["KIM"].max_row == 1 + 10
