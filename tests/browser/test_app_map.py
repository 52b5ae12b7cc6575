"""The Karte page in real Chromium, against ``streamlit run dashboard.py``.

The app runs on the Kreis Höxter demo registry plus one hostile partner (the
XSS probe), in its own Streamlit process. Every non-loopback request is
recorded and blocked by the ``page`` fixture; each test leaves a screenshot
under ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from synthetic_map_data import SHOW_MARKER

from partnernetz.dataset import load_dataset
from partnernetz.filters import FilterSpec, apply_filters

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
MAP_FRAME = 'iframe[src*="streamlit_folium"]'  # its title becomes the map's name
TIMEOUT = 60_000
XSS_ID = "xss-probe"
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_PARTNER = f"""
  - id: {XSS_ID}
    name: "{XSS_NAME}"
    category: beratung
    operator: '"><script>alert(2)</script>'
    town: Brakel
    address:
      street: "<svg onload=alert(5)> 1"
      postcode: "33034"
    offers:
      - "<b>fett</b>"
    phone: "05272 9999-999"
    email: xss-probe@example.org
    website: https://example.org/xss?q=%22%3E%3Cscript%3E
    contacts:
      - name: "<iframe src=javascript:alert(6)>"
        role: Leitung
        visibility: public
    verified: 2026-01-15
"""

READY = "() => !!(window.Partnernetz && Partnernetz.maps.length && Partnernetz.maps[0].ready)"
DRAWN_COUNT = """() => {
  let n = document.querySelectorAll('.leaflet-marker-icon.pn-marker').length;
  document.querySelectorAll('.leaflet-marker-icon.marker-cluster').forEach(
    (el) => { n += parseInt(el.textContent, 10); });
  return n;
}"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    demo = REPO / "data" / "partners.yaml"
    if not demo.exists():
        pytest.skip("data/partners.yaml does not exist yet")
    path = tmp_path_factory.mktemp("registry") / "partners.yaml"
    path.write_text(demo.read_text(encoding="utf-8").rstrip("\n") + "\n" + XSS_PARTNER,
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dataset(registry):
    old = os.environ.get("PARTNERNETZ_CACHE_DIR")
    os.environ["PARTNERNETZ_CACHE_DIR"] = "off"
    try:
        return load_dataset(registry)
    finally:
        if old is None:
            os.environ.pop("PARTNERNETZ_CACHE_DIR", None)
        else:
            os.environ["PARTNERNETZ_CACHE_DIR"] = old


@pytest.fixture(scope="module")
def map_app(start_streamlit, browser, registry, tmp_path_factory):
    with start_streamlit(registry, tmp_path_factory.mktemp("map-app")) as app:
        # Warm the server's caches once (the first load builds the dataset).
        warm = browser.new_page()
        try:
            warm.goto(app.base_url, timeout=TIMEOUT)
            warm.wait_for_selector('[data-testid="stHeading"]', timeout=TIMEOUT)
        finally:
            warm.close()
        yield app


def karte_url(app, **params: str | list[str]) -> str:
    query = "&".join(
        f"{key}={quote(v)}"
        for key, values in params.items()
        for v in ([values] if isinstance(values, str) else values)
    )
    return f"{app.base_url}/karte" + (f"?{query}" if query else "")


def open_map(rec, url: str):
    """Load the page; return the component frame once the partners are drawn."""
    rec.page.goto(url, timeout=TIMEOUT)
    rec.page.get_by_role("heading", name="Karte", exact=True).wait_for(timeout=TIMEOUT)
    rec.page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT)
    return wait_for_map(rec)


def wait_for_map(rec, previous=None):
    """The (new) component frame whose map has drawn all partners."""
    rec.page.wait_for_function(
        """(old) => {
             const f = document.querySelector('iframe[src*="streamlit_folium"]');
             if (!f || !f.contentWindow) return false;
             const w = f.contentWindow;
             if (old !== null && w.__pnProbe === old) return false;
             return !!(w.Partnernetz && w.Partnernetz.maps.length && w.Partnernetz.maps[0].ready);
           }""",
        arg=previous, timeout=TIMEOUT,
    )
    frame = rec.page.locator(MAP_FRAME).first.element_handle().content_frame()
    frame.wait_for_function(READY, timeout=TIMEOUT)
    return frame


def wait_until_idle(rec) -> None:
    rec.page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT
    )


def sidebar_count(rec) -> int:
    text = rec.page.locator('[data-testid="stSidebar"]').inner_text()
    return int(re.search(r"(\d+) von \d+ Partnern", text).group(1))


def click_in_frame(rec, frame, js_point: str, arg=None) -> None:
    """Mouse click at a point of the component frame given by ``js_point`` (frame pixels).

    ElementHandle.click() is unreliable here: Streamlit's main area scrolls
    while Playwright scrolls the element into view, and the click lands beside
    it. Scroll the iframe into view first, then click page coordinates.
    """
    iframe = rec.page.locator(MAP_FRAME).first
    iframe.scroll_into_view_if_needed()
    x, y = frame.evaluate(js_point, arg)
    box = iframe.bounding_box()
    rec.page.mouse.click(box["x"] + x, box["y"] + y)


MARKER_CENTRE = """(id) => {
  const r = Partnernetz.maps[0].markers[id].getElement().getBoundingClientRect();
  return [r.x + r.width / 2, r.y + r.height * 0.4];
}"""


def click_marker(rec, frame, partner_id: str) -> None:
    frame.evaluate(SHOW_MARKER, partner_id)
    rec.page.wait_for_timeout(300)
    click_in_frame(rec, frame, MARKER_CENTRE, partner_id)
    frame.wait_for_selector(".leaflet-popup-content .pn-card", timeout=10_000)


def test_map_draws_every_partner_of_the_category_filter(page, map_app, dataset):
    expected = len(apply_filters(dataset.partners, FilterSpec(categories=("kita",))))
    frame = open_map(page, karte_url(map_app, kategorie="kita", hintergrund="none"))

    assert 0 < expected < len(dataset.partners)
    assert frame.evaluate("() => Partnernetz.maps[0].count") == expected
    assert frame.evaluate(DRAWN_COUNT) == expected
    assert sidebar_count(page) == expected
    assert page.page_errors == []


def test_marker_click_opens_contact_popup_without_rerun(page, map_app, dataset):
    row = dataset.partners[dataset.partners["phone"].notna()].iloc[0]
    frame = open_map(page, karte_url(map_app, hintergrund="none"))
    wait_until_idle(page)
    frame.evaluate("() => { window.__pnProbe = 'before-click'; }")
    sent = len(page.ws_sent)

    click_marker(page, frame, row["id"])
    page.page.wait_for_timeout(1000)  # streamlit-folium would report after 250 ms

    card = frame.locator(".leaflet-popup-content .pn-card")
    assert card.locator(".pn-card__name").inner_text() == row["name"]
    assert card.locator(".pn-card__phone a").get_attribute("href").startswith("tel:")
    assert row["town"] in card.locator(".pn-card__address").inner_text()
    assert len(page.ws_sent) == sent, "a partner click must not rerun the script"
    assert frame.evaluate("() => window.__pnProbe") == "before-click"


def test_town_click_filters_to_that_town(page, map_app, dataset):
    town = dataset.towns[dataset.towns["name"] == "Brakel"].iloc[0]
    expected = len(apply_filters(dataset.partners, FilterSpec(towns=(town["ags"],))))
    frame = open_map(page, karte_url(map_app, hintergrund="none"))
    wait_until_idle(page)
    frame.evaluate("() => { window.__pnProbe = 'before-town-click'; }")
    sent = len(page.ws_sent)
    # a point inside Brakel, away from markers: fit the map to the town, take a
    # point of the polygon near its edge that no marker covers
    point = frame.evaluate(
        """(ags) => {
             const map = window.map;
             let polygon = null;
             map.eachLayer((l) => {
               if (l.feature && l.feature.properties.kind === 'town' &&
                   l.feature.properties.ags === ags && l.getBounds) polygon = l;
             });
             map.fitBounds(polygon.getBounds(), {animate: false});
             const box = map.getContainer().getBoundingClientRect();
             const path = polygon.getElement();
             const markers = [...document.querySelectorAll('.leaflet-marker-icon')]
               .map((m) => m.getBoundingClientRect());
             for (let y = box.top + 5; y < box.bottom; y += 7) {
               for (let x = box.left + 5; x < box.right; x += 7) {
                 const hit = document.elementFromPoint(x, y);
                 const free = markers.every((r) => x < r.left - 4 || x > r.right + 4 ||
                                                   y < r.top - 4 || y > r.bottom + 4);
                 if (hit === path && free) return [x, y];
               }
             }
             return null;
           }""",
        town["ags"],
    )
    assert point, "no free point inside the town"

    click_in_frame(page, frame, "(p) => p", point)
    frame = wait_for_map(page, previous="before-town-click")
    wait_until_idle(page)

    assert len(page.ws_sent) > sent  # the click went to Python (rerun)
    # the AGS, not a label: the same link works in either language
    assert f"ort={town['ags']}" in page.page.evaluate("location.href")
    assert sidebar_count(page) == expected
    assert frame.evaluate("() => Partnernetz.maps[0].count") == expected
    assert "Gefiltert auf Brakel" in page.page.locator('[data-testid="stMain"]').inner_text()


def test_xss_partner_shows_as_text_and_runs_no_script(page, map_app):
    frame = open_map(page, karte_url(map_app, partner=XSS_ID, hintergrund="none"))
    frame.wait_for_selector(".leaflet-popup-content .pn-card", timeout=TIMEOUT)
    page.page.wait_for_timeout(800)  # time for a broken <img> to fire onerror
    content = frame.locator(".leaflet-popup-content")

    assert content.locator(".pn-card__name").inner_text() == XSS_NAME
    assert '"><script>alert(2)</script>' in content.locator(".pn-card__operator").inner_text()
    assert "<iframe src=javascript:alert(6)>" in content.locator(".pn-card__contacts").inner_text()
    assert content.locator("img, script, svg, iframe, b").count() == 0
    assert page.dialogs == []
    assert page.page_errors == []


def test_map_frame_requests_nothing_external_with_basemap_none(page, map_app, dataset):
    frame = open_map(page, karte_url(map_app, hintergrund="none"))
    click_marker(page, frame, dataset.partners.iloc[0]["id"])
    page.page.wait_for_timeout(500)

    assert page.external_requests_of_frame("streamlit_folium") == []
    frame_urls = [url for f, url in page.frame_requests if "streamlit_folium" in f]
    assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in frame_urls)


def test_nothing_requested_beyond_the_app_with_basemap_none(page, map_app, dataset):
    frame = open_map(page, karte_url(map_app, hintergrund="none"))
    click_marker(page, frame, dataset.partners.iloc[0]["id"])
    page.page.wait_for_timeout(500)

    assert page.external_requests() == []
    assert page.hosts() == {"127.0.0.1"}


def test_popup_marks_a_partner_that_serves_the_town_from_elsewhere(page, map_app, dataset):
    brakel = dataset.towns[dataset.towns["name"] == "Brakel"].iloc[0]["ags"]
    spec = FilterSpec(towns=(brakel,), include_serving=True)
    shown = apply_filters(dataset.partners, spec)
    elsewhere = shown[shown["ags"] != brakel].iloc[0]
    local = shown[shown["ags"] == brakel].iloc[0]

    frame = open_map(page, karte_url(map_app, ort=brakel, ueberoertlich="1",
                                     partner=elsewhere["id"], hintergrund="none"))
    frame.wait_for_selector(".leaflet-popup-content .pn-card", timeout=TIMEOUT)
    card = frame.locator(".leaflet-popup-content .pn-card")
    assert card.locator(".pn-card__name").inner_text() == elsewhere["name"]
    assert card.locator(".pn-card__relation").inner_text() == "zuständig, nicht im Ort"

    click_marker(page, frame, local["id"])
    card = frame.locator(".leaflet-popup-content .pn-card")
    assert card.locator(".pn-card__name").inner_text() == local["name"]
    assert card.locator(".pn-card__relation").count() == 0
    assert page.page_errors == []
