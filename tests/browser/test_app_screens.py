"""Chromium: the screens of issue 18 — the accessible table under filters (axe), the map on a
1280 px screen and a 390×844 phone (bounding boxes), the skip link, and German Streamlit texts.

Screenshots of every state go to ``test-artifacts/screenshots/screens-*.png``.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

import pytest

from tests.browser import test_accessibility as a11y
from tests.browser import test_app_edit
from tests.browser.conftest import LOOPBACK_HOSTS, SCREENSHOTS
from tests.browser.test_accessibility import (
    MAP_FRAME,
    TIMEOUT,
    assert_no_violations,
    close_page_not_found,
    run_axe,
    wait_for_maps,
    wait_idle,
)

pytestmark = pytest.mark.browser
apps, axe_source = a11y.apps, a11y.axe_source  # the fixtures: both demo apps, axe-core
edit_app = test_app_edit.edit_app  # the fixture: the app with sign-in (admin), its own registry

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# Everything on the map that has to stay readable, as page-relative rectangles.
MAP_BOXES_JS = """() => {
  const r = el => { const b = el.getBoundingClientRect(); return {left: b.left, top: b.top,
      right: b.right, bottom: b.bottom, width: b.width, height: b.height}; };
  const shown = el => { const s = getComputedStyle(el); const b = el.getBoundingClientRect();
      return s.visibility !== 'hidden' && s.display !== 'none' && b.width > 0 && b.height > 0; };
  const map = document.querySelector('.leaflet-container');
  const legend = document.querySelector('.pn-legend');
  return {
    map: r(map),
    legend: legend ? r(legend) : null,
    legendOpen: !!(legend && legend.querySelector('details') && legend.querySelector('details').open),
    labels: [...document.querySelectorAll('.pn-town-label span')].filter(shown)
      .map(el => ({name: el.textContent, ...r(el)})),
    clusters: [...document.querySelectorAll('.marker-cluster, .pn-marker')].filter(shown).map(r),
    zoom: r(document.querySelector('.leaflet-control-zoom')),
    layers: r(document.querySelector('.leaflet-control-layers')),
    attribution: r(document.querySelector('.leaflet-control-attribution')),
  };
}"""


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] \
        and b["top"] < a["bottom"]


def inside(inner: dict, outer: dict) -> bool:
    return (inner["left"] >= outer["left"] - 0.5 and inner["right"] <= outer["right"] + 0.5
            and inner["top"] >= outer["top"] - 0.5 and inner["bottom"] <= outer["bottom"] + 0.5)


@contextlib.contextmanager
def sized_page(browser, viewport: dict, *, phone: bool = False):
    """A page of its own size (no request leaves the loopback interface)."""
    context = browser.new_context(viewport=viewport, locale="de-DE", is_mobile=phone, has_touch=phone)
    context.route("**/*", lambda route: route.continue_()
                  if (urlsplit(route.request.url).hostname or "") in LOOPBACK_HOSTS else route.abort())
    try:
        yield context.new_page()
    finally:
        context.close()


def as_rect(box: dict) -> dict:
    """A playwright bounding box as left/top/right/bottom."""
    return {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"],
            "bottom": box["y"] + box["height"]}


def shot(pg, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"screens-{name}.png"))


def open_path(pg, app, path: str) -> None:
    pg.goto(f"{app.base_url}/{path}", timeout=TIMEOUT)
    pg.wait_for_selector('[data-testid="stHeading"]', timeout=TIMEOUT)
    wait_idle(pg)
    close_page_not_found(pg)
    wait_idle(pg)


def map_frame(pg):
    pg.wait_for_selector(MAP_FRAME, state="attached", timeout=TIMEOUT)
    wait_for_maps(pg)
    pg.wait_for_timeout(800)  # the label placement runs 120 ms after the last move
    return next(f for f in pg.frames if "streamlit_folium" in f.url)


# --------------------------------------------------------------------------- §1 accessible table

TABLE_VIEWS = {
    "town": "ort=Brakel",
    "search": "suche=Jugendmigrationsdienst+Brakel",
    "category": "kategorie=beratung",
    "zero": "suche=xyzzy",
}


@pytest.mark.parametrize("view", list(TABLE_VIEWS))
def test_accessible_table_under_filter_passes_axe(browser, apps, axe_source, view):
    with sized_page(browser, DESKTOP) as pg:
        open_path(pg, apps["hoexter"], f"verzeichnis?{TABLE_VIEWS[view]}&ansicht=tabelle")
        body = pg.inner_text("body")
        assert "unerwarteten Fehlers" not in body
        if view == "zero":
            assert "Kein Partner" in body or "Keine Partner" in body
        else:
            pg.locator(".pn-dir table tbody tr").first.wait_for(timeout=TIMEOUT)
        assert "ansicht=tabelle" in pg.url
        shot(pg, f"table-{view}")
        assert_no_violations(run_axe(pg, axe_source), f"verzeichnis table ({view})")


def test_table_stays_highlighted_after_a_zero_result_search(browser, apps):
    """§2: after "xyzzy" in table view, "Darstellung" highlights the table, not "Raster"."""
    with sized_page(browser, DESKTOP) as pg:
        open_path(pg, apps["hoexter"], "verzeichnis?ansicht=tabelle")
        pg.locator(".pn-dir table tbody tr").first.wait_for(timeout=TIMEOUT)
        search = pg.locator('[data-testid="stSidebar"]').get_by_role("textbox", name="Suche")
        search.fill("xyzzy")
        search.press("Enter")
        wait_idle(pg)
        pg.wait_for_function("() => location.search.includes('suche=xyzzy')", timeout=TIMEOUT)
        # what is highlighted is what screen readers hear as checked (the language's DE too)
        labels = [text.strip() for text in pg.get_by_role("radio", checked=True).all_inner_texts()]
        shot(pg, "table-zero-highlight")
        assert "Tabelle (barrierefrei)" in labels, labels
        assert not [label for label in labels if label.startswith("Raster")], labels
        assert "ansicht=tabelle" in pg.url


# --------------------------------------------------------------------------- §8 the map


@pytest.mark.parametrize(("registry", "towns"), [
    ("hoexter", ["Willebadessen", "Warburg", "Bad Driburg"]),
    ("hsk", ["Arnsberg", "Sundern (Sauerland)", "Eslohe (Sauerland)", "Bestwig", "Olsberg",
             "Winterberg", "Medebach"]),
])
def test_map_at_1280_keeps_legend_off_labels_and_clusters(browser, apps, registry, towns):
    with sized_page(browser, DESKTOP) as pg:
        open_path(pg, apps[registry], "karte?hintergrund=none")
        boxes = map_frame(pg).evaluate(MAP_BOXES_JS)
        shot(pg, f"map-1280-{registry}")
        names = [label["name"] for label in boxes["labels"]]
        for town in towns:
            assert town in names, f"{town} has no visible label: {names}"
        legend = boxes["legend"]
        assert legend is not None
        for label in boxes["labels"]:
            assert not overlap(label, legend), f"the legend covers {label['name']}"
        for cluster in boxes["clusters"]:
            assert not overlap(cluster, legend), f"the legend covers a cluster at {cluster}"
        labels = boxes["labels"]
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not overlap(a, b), f"labels {a['name']} and {b['name']} overlap"


def test_map_on_a_phone_collapses_legend_keeps_popup_inside_and_attribution_small(browser, apps):
    with sized_page(browser, PHONE, phone=True) as pg:
        open_path(pg, apps["hoexter"], "karte?hintergrund=none")
        frame = map_frame(pg)
        boxes = frame.evaluate(MAP_BOXES_JS)
        assert not boxes["legendOpen"], "the legend starts collapsed on a phone"
        assert boxes["attribution"]["height"] <= 20, boxes["attribution"]
        for label in boxes["labels"]:
            assert not overlap(label, boxes["legend"]), label["name"]
        labels = boxes["labels"]
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not overlap(a, b), f"labels {a['name']} and {b['name']} overlap"
        shot(pg, "map-phone")
        # the popup of the northernmost partner (under the controls, if anything is)
        frame.evaluate("""() => { const st = window.Partnernetz.maps[0];
            const ids = Object.keys(st.markers);
            ids.sort((a, b) => st.markers[b].getLatLng().lat - st.markers[a].getLatLng().lat);
            window.Partnernetz.reveal(st, ids[0], () => st.markers[ids[0]].openPopup()); }""")
        frame.locator(".leaflet-popup").wait_for(timeout=TIMEOUT)
        pg.wait_for_timeout(1200)  # the pan that brings the popup in
        popup = frame.evaluate("""() => { const r = el => { const b = el.getBoundingClientRect();
            return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
            return {popup: r(document.querySelector('.leaflet-popup-content-wrapper')),
                    close: r(document.querySelector('.leaflet-popup-close-button'))}; }""")
        boxes = frame.evaluate(MAP_BOXES_JS)
        shot(pg, "map-phone-popup")
        assert inside(popup["popup"], boxes["map"]), (popup, boxes["map"])
        assert inside(popup["close"], boxes["map"])
        for control in ("zoom", "layers"):
            assert not overlap(popup["popup"], boxes[control]), f"the popup is under the {control}"


def test_phone_grid_toolbar_leaves_the_table_button_free(browser, apps):
    with sized_page(browser, PHONE, phone=True) as pg:
        open_path(pg, apps["hoexter"], "verzeichnis")
        grid = pg.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        grid.hover()
        toolbar = pg.locator('[data-testid="stElementToolbar"]').first
        toolbar.wait_for(state="visible", timeout=TIMEOUT)
        button = pg.locator("button", has_text="Tabelle (barrierefrei)").first
        shot(pg, "directory-phone")
        t, b = toolbar.bounding_box(), button.bounding_box()
        assert not overlap(as_rect(t), as_rect(b)), (t, b)


def test_skip_link_is_hidden_until_it_has_focus(browser, apps):
    with sized_page(browser, DESKTOP) as pg:
        open_path(pg, apps["hoexter"], "karte")
        link = pg.locator("a.pn-skip")
        box = link.bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1, box
        link.focus()
        pg.wait_for_timeout(200)
        box = link.bounding_box()
        assert box["width"] > 40 and box["height"] > 10, box
        shot(pg, "skip-link-focused")


# --------------------------------------------------------------------------- §7 German


def test_streamlit_texts_are_german_in_the_german_ui(browser, apps):
    with sized_page(browser, DESKTOP) as pg:
        open_path(pg, apps["hoexter"], "verzeichnis")
        pg.wait_for_timeout(500)
        labels = pg.evaluate("[...document.querySelectorAll('[aria-label]')]"
                             ".map(e => e.getAttribute('aria-label'))")
        assert not [a for a in labels if a.startswith("Help for")], labels
        assert "Hilfe zu Suche" in labels
        pg.locator('[data-testid="stDataFrame"]').first.hover()  # its toolbar
        pg.locator('[data-testid="stElementToolbar"]').first.wait_for(state="visible", timeout=TIMEOUT)
        pg.wait_for_timeout(300)
        toolbar = pg.evaluate("[...document.querySelectorAll('[data-testid=stElementToolbar] [aria-label]')]"
                              ".map(e => e.getAttribute('aria-label'))")
        assert "Als CSV herunterladen" in toolbar and "Download as CSV" not in toolbar, toolbar
        side = pg.locator('[data-testid="stSidebar"]')
        side.get_by_role("combobox", name="Orte").click()
        pg.wait_for_timeout(500)
        text = pg.inner_text("body")
        shot(pg, "german-dropdown")
        assert "Select all" not in text and "Choose options" not in text
        assert "Alle auswählen" in text
        pg.keyboard.press("Escape")
        side.get_by_text("EN", exact=True).click()
        wait_idle(pg)
        pg.wait_for_timeout(500)
        labels = pg.evaluate("[...document.querySelectorAll('[aria-label]')]"
                             ".map(e => e.getAttribute('aria-label'))")
        assert "Help for Search" in labels


def test_file_uploader_speaks_german_to_an_admin(edit_app, page):
    """Import (admins and Redaktion only): the uploader's own texts in German."""
    import re

    from tests.browser.test_app_edit import settle

    base, _ = edit_app
    pg = page.page
    pg.goto(base + "/")
    settle(pg, "Übersicht")
    pg.get_by_role("button", name="Anmelden").click()
    pg.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=TIMEOUT)
    pg.get_by_role("button", name="anna").click()
    pg.wait_for_url(re.compile(base + r"/.*"), timeout=TIMEOUT)
    settle(pg, "Anna Admin")
    pg.goto(base + "/import")
    settle(pg)
    zone = pg.locator('[data-testid="stFileUploaderDropzone"]').first
    zone.wait_for(timeout=TIMEOUT)
    pg.wait_for_timeout(500)
    text = zone.inner_text()
    shot(pg, "import-uploader")
    # ("Drag and drop files here" is shown only while a file is dragged over the zone)
    assert "per file" not in text and "Upload" not in text, text  # "upload" is the icon's name
    assert "je Datei" in text and "Hochladen" in text, text
