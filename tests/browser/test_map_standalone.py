"""The partner map in real Chromium, without the app.

The maps are written by folium (``get_root().render()``, what ``map.save``
writes) and served from a loopback server that also serves ``static/`` at
``/app/static/``. The last tests load the real streamlit-folium frontend in an
iframe and speak Streamlit's component protocol to it, with the arguments
``st_folium`` computes, to check what the app will see.
"""

from __future__ import annotations

import json

import pytest
from synthetic_map_data import SHOW_MARKER, XSS_ID, XSS_NAME, make_partners, make_towns, st_folium_args

from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES, language_name
from partnernetz.views.cards import render_contact_card
from partnernetz.views.choropleth import build_choropleth_map
from partnernetz.views.map_widget import clicked_town, st_folium_kwargs
from partnernetz.views.maps import build_partner_map

pytestmark = pytest.mark.browser

READY = "() => !!(window.Partnernetz && Partnernetz.maps.length && Partnernetz.maps[0].ready)"

# Sum of cluster counts plus single markers: every partner drawn exactly once.
DRAWN_COUNT = """() => {
  let n = document.querySelectorAll('.leaflet-marker-icon.pn-marker').length;
  document.querySelectorAll('.leaflet-marker-icon.marker-cluster').forEach(
    (el) => { n += parseInt(el.textContent, 10); });
  return n;
}"""


def _publish_map(server, name: str, fmap) -> str:
    return server.publish(name, fmap.get_root().render())


def _open(rec, url: str) -> None:
    rec.page.goto(url)
    rec.page.wait_for_function(READY, timeout=15000)




def _show_and_click(rec, partner_id: str, frame=None) -> None:
    """Zoom until the partner's marker is unclustered, then click it with the mouse."""
    target = frame or rec.page
    target.evaluate(SHOW_MARKER, partner_id)
    rec.page.wait_for_timeout(400)  # zoom animation
    handle = target.evaluate_handle(
        "(id) => Partnernetz.maps[0].markers[id].getElement()", partner_id
    )
    handle.as_element().click()
    target.wait_for_selector(".leaflet-popup-content .pn-card", timeout=5000)


@pytest.fixture(scope="module")
def towns():
    return make_towns()


@pytest.fixture(scope="module")
def partners():
    return make_partners(60)


def test_markers_drawn_for_every_partner_basemap_none(page, static_server, partners, towns):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none")
    _open(page, _publish_map(static_server, "count.html", fmap))

    assert page.page.evaluate("() => Partnernetz.maps[0].count") == len(partners)
    assert page.page.evaluate(DRAWN_COUNT) == len(partners)
    assert page.page.locator(".leaflet-control-layers-overlays label").count() == (
        partners["category"].nunique() + 1  # categories + town boundaries
    )
    assert page.page.locator(".pn-town-label").count() == len(towns)
    assert page.page_errors == []


def test_category_toggle_hides_its_markers_when_unchecked(page, static_server, partners, towns):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none")
    _open(page, _publish_map(static_server, "toggle.html", fmap))
    page.page.hover(".leaflet-control-layers")  # collapsed: opens on hover
    first = page.page.locator(".leaflet-control-layers-overlays input").first

    first.uncheck()
    page.page.wait_for_timeout(300)
    label = DEFAULT_CATEGORIES["schule"].de
    hidden = int((partners["category"] == "schule").sum())

    assert label in page.page.locator(".leaflet-control-layers-overlays label").first.inner_text()
    assert page.page.evaluate(DRAWN_COUNT) == len(partners) - hidden


def test_popup_shows_contact_card_on_marker_click(page, static_server, partners, towns):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none")
    _open(page, _publish_map(static_server, "popup.html", fmap))
    row = partners.iloc[5]

    _show_and_click(page, row["id"])
    card = page.page.locator(".leaflet-popup-content .pn-card")

    assert card.locator(".pn-card__name").inner_text() == row["name"]
    assert card.locator(".pn-card__phone a").get_attribute("href") == "tel:" + row["phone"].replace(
        " ", ""
    )
    assert card.locator(".pn-card__email a").get_attribute("href") == "mailto:" + row["email"]
    website = card.locator(".pn-card__website a")
    assert website.get_attribute("href") == row["website"]
    assert website.get_attribute("target") == "_blank"
    assert website.get_attribute("rel") == "noopener"
    languages = card.locator(".pn-card__languages").inner_text()
    assert all(language_name(code, "de") in languages for code in row["languages"])
    assert row["verified"].strftime("%d.%m.%Y") in card.locator(".pn-card__verified").inner_text()
    assert row["contacts"][0]["name"] in card.locator(".pn-card__contacts").inner_text()


def test_popup_html_equals_directory_card_for_same_partner(page, static_server, partners, towns):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none")
    _open(page, _publish_map(static_server, "same.html", fmap))
    row = partners.iloc[7]
    _show_and_click(page, row["id"])

    python_card = render_contact_card(row, DEFAULT_CATEGORIES)
    same = page.page.evaluate(
        """(expected) => {
             const probe = document.createElement('div');
             probe.innerHTML = expected;  // normalise serialisation the same way
             const shown = document.querySelector('.leaflet-popup-content .pn-card');
             return [probe.firstChild.outerHTML, shown.outerHTML];
           }""",
        python_card,
    )

    assert same[0] == same[1]


def test_focus_id_opens_popup_of_that_partner(page, static_server, partners, towns):
    target = partners.iloc[11]
    fmap = build_partner_map(
        partners, towns, DEFAULT_CATEGORIES, basemap="none", focus_id=target["id"]
    )
    page.page.goto(_publish_map(static_server, "focus.html", fmap))

    page.page.wait_for_selector(".leaflet-popup-content .pn-card", timeout=10000)

    name = page.page.locator(".leaflet-popup-content .pn-card__name").inner_text()
    assert name == target["name"]


def test_xss_partner_shows_as_text_and_runs_no_script(page, static_server, partners, towns):
    fmap = build_partner_map(
        partners, towns, DEFAULT_CATEGORIES, basemap="none", focus_id=XSS_ID
    )
    page.page.goto(_publish_map(static_server, "xss.html", fmap))
    page.page.wait_for_selector(".leaflet-popup-content .pn-card", timeout=10000)
    page.page.wait_for_timeout(500)  # give a broken <img> time to fire onerror
    content = page.page.locator(".leaflet-popup-content")

    assert content.locator(".pn-card__name").inner_text() == XSS_NAME
    assert content.locator("img, script").count() == 0
    assert content.locator("a[href^='javascript']").count() == 0
    assert "javascript:alert(3)" in content.locator(".pn-card__website").inner_text()
    assert page.page.locator(f".pn-marker[title='{XSS_NAME}']").count() <= 1
    assert page.page.locator("img[src='x']").count() == 0
    assert page.dialogs == []
    assert page.page_errors == []


def test_no_request_leaves_loopback_with_basemap_none(page, static_server, partners, towns):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none")
    _open(page, _publish_map(static_server, "offline.html", fmap))
    _show_and_click(page, partners.iloc[3]["id"])

    assert page.external_requests() == []
    requested = " ".join(page.requests)
    assert "/app/static/vendor/leaflet/leaflet.js" in requested
    assert "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in requested
    assert page.console_errors == []


def test_osm_basemap_requests_only_its_tile_server(page, static_server, partners, towns):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="osm")
    _open(page, _publish_map(static_server, "osm.html", fmap))
    page.page.wait_for_timeout(300)

    external = page.external_requests()
    assert external, "the tile layer should have asked for tiles"
    assert {url.split("/")[2] for url in external} == {"tile.openstreetmap.org"}


def test_choropleth_shows_legend_and_tooltip_without_external_requests(
    page, static_server, towns
):
    values = {ags: float(i) * 0.75 for i, ags in enumerate(towns["ags"]) if i != 2}
    fmap = build_choropleth_map(towns, values, value_label="je 10.000")
    page.page.goto(_publish_map(static_server, "choropleth.html", fmap))
    page.page.wait_for_selector(".pn-legend")
    missing = towns.iloc[2]
    point = page.page.evaluate(
        """([lat, lon]) => {
             const map = Object.values(window).find((v) => v instanceof L.Map);
             const p = map.latLngToContainerPoint([lat, lon]);
             const box = map.getContainer().getBoundingClientRect();
             return [box.left + p.x, box.top + p.y];
           }""",
        [float(missing["lat"]) - 0.02, float(missing["lon"]) - 0.03],
    )
    page.page.mouse.move(*point)
    tooltip = page.page.wait_for_selector(".pn-town-tooltip")

    assert tooltip.inner_text() == f"{missing['name']}: keine Daten"
    assert "keine Daten" in page.page.locator(".pn-legend").inner_text()
    assert page.external_requests() == []


# ---------------------------------------------------------------------------
# Inside the real streamlit-folium frontend


def _open_in_component(rec, server, harness, name: str, fmap):
    args = st_folium_args(fmap, **st_folium_kwargs(key="partner_map", height=600))
    server.publish(f"{name}.args.js", "window.ARGS = " + json.dumps(args) + ";")
    rec.page.goto(server.publish(f"{name}.html", harness(f"{name}.args.js")))
    frame = rec.page.frame_locator("#component")
    frame.locator(".leaflet-container").wait_for(timeout=15000)
    component = next(f for f in rec.page.frames if "st_folium" in f.url)
    component.wait_for_function(READY, timeout=15000)
    return component


def _values(rec) -> list:
    messages = rec.page.evaluate("() => window.messages")
    return [m["value"] for m in messages if m["type"] == "streamlit:setComponentValue"]


def test_st_folium_frontend_renders_map_with_self_hosted_assets(
    page, static_server, component_harness, partners, towns
):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none")
    component = _open_in_component(page, static_server, component_harness, "component", fmap)

    heights = [
        m["height"] for m in page.page.evaluate("() => window.messages")
        if m["type"] == "streamlit:setFrameHeight"
    ]
    assert heights and heights[-1] == 600
    assert component.evaluate(DRAWN_COUNT) == len(partners)
    assert page.external_requests() == []
    assert _values(page) == []  # loading the map does not rerun the script


def test_st_folium_reports_town_click_but_not_partner_click_or_zoom(
    page, static_server, component_harness, partners, towns
):
    fmap = build_partner_map(partners, towns, DEFAULT_CATEGORIES, basemap="none")
    component = _open_in_component(page, static_server, component_harness, "clicks", fmap)

    # zoom and a partner click: popup, but nothing for Python
    component.evaluate("() => window.map.setZoom(window.map.getZoom() + 1, {animate: false})")
    _show_and_click(page, partners.iloc[4]["id"], frame=component)
    page.page.wait_for_timeout(600)  # streamlit-folium debounces by 250 ms
    assert _values(page) == []

    # a town click: its feature comes back as last_active_drawing
    town = towns.iloc[4]
    component.evaluate(
        "(b) => window.map.fitBounds(b, {animate: false})",
        [[float(town.geometry.bounds[1]), float(town.geometry.bounds[0])],
         [float(town.geometry.bounds[3]), float(town.geometry.bounds[2])]],
    )
    page.page.wait_for_timeout(300)
    x, y = component.evaluate(
        """([lat, lon]) => {
             const p = window.map.latLngToContainerPoint([lat, lon]);
             return [p.x, p.y];
           }""",
        [float(town.geometry.bounds[1]) + 0.001, float(town.geometry.bounds[0]) + 0.001],
    )
    frame_box = page.page.locator("#component").bounding_box()
    page.page.mouse.click(frame_box["x"] + x, frame_box["y"] + y)
    page.page.wait_for_timeout(600)

    values = _values(page)
    assert len(values) == 1
    assert clicked_town(values[0]) == town["ags"]
    assert set(values[0]) == {"last_active_drawing"}
