"""Accessibility (BITV NRW / WCAG 2.1 AA) in real Chromium, with axe-core.

axe-core comes from the npm registry (``make test`` runs ``npm ci``; see
package.json) and is injected into every frame of the page, the map's iframe
included. Each check fails on any violation of the tags wcag2a, wcag2aa,
wcag21a and wcag21aa and prints the rule ids with the offending elements.

Views: every page, in German and in English (switched with the language
control, which also checks ``<html lang>`` after the switch), on both demo
registries; the Karte with a popup open and with the legend open.
Keyboard: skip link to the partner list, Enter opens a card, a town filtered
by keyboard, the focus style, no single-key shortcut.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT = 60_000
MAP_FRAME = 'iframe[src*="streamlit_folium"]'
REGISTRIES = {
    "hoexter": REPO / "data" / "partners.yaml",
    "hsk": REPO / "data" / "examples" / "hochsauerlandkreis.yaml",
}
MAP_PAGES = ("uebersicht", "karte", "abdeckung")
PAGES = ["uebersicht", "karte", "verzeichnis", "abdeckung", "barrierefreiheit", "leichte-sprache"]
HEADINGS = {
    ("uebersicht", "de"): "Übersicht", ("uebersicht", "en"): "Overview",
    ("karte", "de"): "Karte", ("karte", "en"): "Map",
    ("verzeichnis", "de"): "Verzeichnis", ("verzeichnis", "en"): "Directory",
    ("abdeckung", "de"): "Abdeckung", ("abdeckung", "en"): "Coverage",
    ("barrierefreiheit", "de"): "Erklärung zur Barrierefreiheit",
    ("barrierefreiheit", "en"): "Accessibility statement",
    ("leichte-sprache", "de"): "Leichte Sprache", ("leichte-sprache", "en"): "Easy language",
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is not installed ({AXE_JS}): run `make test` (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def apps(start_streamlit, browser, tmp_path_factory):
    """Both demo registries, each in its own warm Streamlit process."""
    import contextlib

    with contextlib.ExitStack() as stack:
        out = {}
        for name, path in REGISTRIES.items():
            app = stack.enter_context(start_streamlit(path, tmp_path_factory.mktemp(f"a11y-{name}")))
            warm = browser.new_page()
            try:
                warm.goto(app.base_url, timeout=TIMEOUT)
                warm.wait_for_selector('[data-testid="stHeading"]', timeout=TIMEOUT)
            finally:
                warm.close()
            out[name] = app
        yield out


def wait_idle(pg) -> None:
    pg.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.dataset.testScriptState !== 'running'
                     && !document.querySelector('[data-testid="stStatusWidget"]'); }""",
        timeout=TIMEOUT,
    )
    pg.wait_for_timeout(400)


def wait_for_maps(pg) -> None:
    """Every map iframe has drawn (the Partnernetz library ran, partners are placed)."""
    pg.wait_for_function(
        """() => { const frames = [...document.querySelectorAll('iframe')]
                     .filter(f => /streamlit_folium/.test(f.src));
              return frames.length > 0 && frames.every(f => { const w = f.contentWindow;
                 return w && w.Partnernetz && w.document.querySelector('.leaflet-container path')
                   && w.Partnernetz.maps.every(m => m.ready); }); }""",
        timeout=TIMEOUT,
    )


def close_page_not_found(pg) -> None:
    """Close Streamlit's "Page not found" box of a cold deep link (upstream streamlit#9992;
    the truth issue works on it); it makes the page inert until closed."""
    box = pg.locator('[role="dialog"]').filter(has_text="Page not found")
    if box.count():
        box.get_by_role("button", name="Close").first.click()
        box.wait_for(state="detached", timeout=TIMEOUT)


def open_view(pg, app, path: str, lang: str) -> None:
    """Open ``path`` and switch the UI language to ``lang`` with the language control."""
    pg.goto(f"{app.base_url}/{path}", timeout=TIMEOUT)
    pg.wait_for_selector('[data-testid="stHeading"]', timeout=TIMEOUT)
    wait_idle(pg)
    close_page_not_found(pg)
    if lang != "de":
        pg.locator('[data-testid="stSidebar"]').get_by_text(lang.upper(), exact=True).click()
        wait_idle(pg)
    pg.get_by_role("heading", name=HEADINGS[(path, lang)], exact=True).first.wait_for(
        timeout=TIMEOUT)
    if path in MAP_PAGES:
        pg.wait_for_selector(MAP_FRAME, state="attached", timeout=TIMEOUT)
        wait_for_maps(pg)


def run_axe(pg, axe_source: str) -> list[dict]:
    """axe-core in every frame; the violations as ``{frame, id, impact, targets}``."""
    found = []
    for frame in pg.frames:
        if frame.url in ("", "about:blank") or frame.is_detached():
            continue
        frame.add_script_tag(content=axe_source)
        result = frame.evaluate(
            """async (tags) => {
                 const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    iframes: false, resultTypes: ['violations']});
                 return r.violations.map(v => ({id: v.id, impact: v.impact,
                   targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: '
                     + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200))}));
               }""",
            TAGS,
        )
        for v in result:
            found.append({"frame": frame.url.split("?")[0], **v})
    return found


def assert_no_violations(found: list[dict], view: str) -> None:
    if found:
        ids = sorted({v["id"] for v in found})
        print(f"axe violations on {view}: {', '.join(ids)}")
        print(json.dumps(found, indent=1, ensure_ascii=False))
    assert not found, f"axe: {len(found)} violation(s) on {view}: {sorted({v['id'] for v in found})}"


@pytest.mark.parametrize("registry", list(REGISTRIES))
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violation_on_page(page, apps, axe_source, registry, lang, path):
    pg = page.page
    open_view(pg, apps[registry], path, lang)
    assert pg.evaluate("document.documentElement.lang") == lang
    frames = [f.url for f in pg.frames]
    if path in MAP_PAGES:
        assert any("streamlit_folium" in u for u in frames), "the map frame was not checked"
    assert_no_violations(run_axe(pg, axe_source), f"{registry} /{path} ({lang})")


def map_frame(pg):
    return pg.locator(MAP_FRAME).first.element_handle().content_frame()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_axe_finds_no_violation_with_popup_and_legend_open(page, apps, axe_source, lang):
    pg = page.page
    open_view(pg, apps["hoexter"], "karte", lang)
    frame = map_frame(pg)
    frame.locator(".marker-cluster").first.press("Enter")
    frame.wait_for_selector(".leaflet-marker-icon.pn-marker", timeout=10_000)
    frame.locator(".leaflet-marker-icon.pn-marker").first.press("Enter")
    frame.wait_for_selector(".leaflet-popup-content .pn-card", timeout=10_000)
    assert_no_violations(run_axe(pg, axe_source), f"karte ({lang}), popup open")
    frame.locator(".pn-legend summary").click()
    assert frame.evaluate("document.querySelector('.pn-legend details').open")
    assert_no_violations(run_axe(pg, axe_source), f"karte ({lang}), legend open")


def test_html_lang_follows_each_language_switch(page, apps):
    pg = page.page
    open_view(pg, apps["hoexter"], "verzeichnis", "de")
    assert pg.evaluate("document.documentElement.lang") == "de"
    side = pg.locator('[data-testid="stSidebar"]')
    side.get_by_text("EN", exact=True).click()
    wait_idle(pg)
    pg.get_by_role("heading", name="Directory", exact=True).wait_for(timeout=TIMEOUT)
    assert pg.evaluate("document.documentElement.lang") == "en"
    side.get_by_text("DE", exact=True).click()
    wait_idle(pg)
    pg.get_by_role("heading", name="Verzeichnis", exact=True).wait_for(timeout=TIMEOUT)
    assert pg.evaluate("document.documentElement.lang") == "de"


ACTIVE = """() => { const e = document.activeElement;
  return {tag: e.tagName, cls: String(e.className || ''), text: (e.innerText || '').trim().slice(0, 80),
          id: e.id || ''}; }"""


def test_skip_link_reaches_partner_list_within_five_tabs_and_enter_opens_card(page, apps):
    pg = page.page
    open_view(pg, apps["hoexter"], "karte", "de")
    pg.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    tabs = 0
    reached = False
    while tabs < 5:
        pg.keyboard.press("Tab")
        tabs += 1
        active = pg.evaluate(ACTIVE)
        if "pn-skip" in active["cls"]:
            pg.keyboard.press("Enter")
            continue
        if active["tag"] == "A" and "stSkipToContent" in (pg.evaluate(
                "() => document.activeElement.dataset.testid || ''")):
            pg.keyboard.press("Enter")
            continue
        if active["tag"] == "SUMMARY":
            reached = True
            break
    assert reached, f"the partner list was not reached in {tabs} Tab presses (at {active})"
    pg.keyboard.press("Enter")
    card = pg.locator(".pn-list details[open] .pn-card")
    card.wait_for(timeout=5_000)
    assert card.locator(".pn-card__name").inner_text().strip()


def test_focus_is_visible_on_skip_link_list_and_town(page, apps):
    pg = page.page
    open_view(pg, apps["hoexter"], "karte", "de")
    style_of = """(el) => { const s = getComputedStyle(el);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
                stroke: parseFloat(s.strokeWidth) || 0}; }"""
    pg.keyboard.press("Tab")  # keyboard modality: :focus-visible applies from now on
    for selector in (".pn-skip", ".pn-list summary"):
        target = pg.locator(selector).first
        target.wait_for(state="attached", timeout=TIMEOUT)
        target.focus()
        style = target.evaluate(style_of)
        assert style["style"] != "none" and style["width"] >= 2, (selector, style)
    frame = map_frame(pg)
    town = frame.locator("path.pn-town").first
    town.focus()
    pg.keyboard.press("Shift+Tab")
    pg.keyboard.press("Tab")
    focused = frame.evaluate("document.activeElement.tagName.toLowerCase()")
    assert focused == "path"
    style = frame.evaluate(f"({style_of})(document.activeElement)")
    assert style["style"] != "none" and style["stroke"] >= 3, style


def test_town_polygon_is_named_and_enter_filters_to_it(page, apps):
    pg = page.page
    open_view(pg, apps["hoexter"], "karte", "de")
    frame = map_frame(pg)
    names = frame.evaluate("[...document.querySelectorAll('path.pn-town')]"
                           ".map(p => [p.getAttribute('aria-label'), p.getAttribute('role'), p.tabIndex])")
    assert any(label.startswith("Brakel, ") and label.endswith(" Partner") for label, _, _ in names), names
    assert all(role == "button" and tab == 0 for _, role, tab in names)
    clusters = frame.evaluate(
        "[...document.querySelectorAll('.marker-cluster')].map(c => c.getAttribute('aria-label'))")
    assert clusters and all(c.endswith(" Partner – vergrößern") for c in clusters), clusters
    frame.locator('path.pn-town[aria-label^="Brakel, "]').press("Enter")
    pg.wait_for_function("() => /ort=/.test(location.search)", timeout=TIMEOUT)
    wait_idle(pg)
    sidebar = pg.locator('[data-testid="stSidebar"]').inner_text()
    assert "Brakel" in sidebar


def test_popup_takes_focus_and_escape_closes_it(page, apps):
    pg = page.page
    open_view(pg, apps["hoexter"], "karte", "de")
    frame = map_frame(pg)
    frame.locator(".marker-cluster").first.press("Enter")
    frame.wait_for_selector(".leaflet-marker-icon.pn-marker", timeout=10_000)
    marker = frame.locator(".leaflet-marker-icon.pn-marker").first
    label = marker.get_attribute("aria-label")
    assert label and label.count(", ") >= 2, label  # name, category, town
    marker.press("Enter")
    frame.wait_for_selector(".leaflet-popup-content .pn-card", timeout=10_000)
    frame.wait_for_function("() => document.activeElement.classList.contains('leaflet-popup-content')")
    pg.keyboard.press("Escape")
    frame.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=5_000)
    assert frame.evaluate("() => document.activeElement.classList.contains('pn-marker')")


def test_single_key_r_does_not_rerun_the_app(page, apps):
    pg = page.page
    open_view(pg, apps["hoexter"], "verzeichnis", "de")
    pg.locator("h1").first.click()
    before = len(page.ws_sent)
    pg.keyboard.press("r")
    pg.wait_for_timeout(1500)
    assert len(page.ws_sent) == before, "a bare 'r' reran the app (WCAG 2.1.4)"


@pytest.mark.parametrize("width", [320, 640])  # a phone; 1280 px at 200 % zoom
def test_pages_reflow_without_sideways_scrolling(browser, apps, width):
    context = browser.new_context(viewport={"width": width, "height": 700}, locale="de-DE")
    pg = context.new_page()
    try:
        for path in PAGES:
            open_view(pg, apps["hoexter"], path, "de")
            wide = pg.evaluate("document.documentElement.scrollWidth")
            main = pg.evaluate("(() => { const m = document.querySelector('[data-testid=stMain]');"
                               " return m.scrollWidth - m.clientWidth; })()")
            assert wide <= width and main <= 1, f"/{path} scrolls sideways at {width} px"
            pg.screenshot(path=str(SCREENSHOTS / f"reflow_{width}_{path}.png"), full_page=True)
        if width == 320:
            open_view(pg, apps["hoexter"], "karte", "de")
            frame = map_frame(pg)
            assert frame.evaluate("document.querySelector('.pn-legend details').open") is False
    finally:
        context.close()


def test_map_iframe_has_a_meaningful_title_and_every_page_links_the_statement(page, apps):
    pg = page.page
    open_view(pg, apps["hoexter"], "karte", "de")
    assert pg.locator(MAP_FRAME).first.get_attribute("title") == "Karte der Partner"
    for path in ("karte", "verzeichnis", "leichte-sprache"):
        open_view(pg, apps["hoexter"], path, "de")
        link = pg.locator('[data-testid="stMain"]').get_by_role(
            "link", name="Erklärung zur Barrierefreiheit")
        link.first.wait_for(timeout=TIMEOUT)  # the footer, below the page
    link.first.click()
    pg.get_by_role("heading", name="Erklärung zur Barrierefreiheit", exact=True).wait_for(
        timeout=TIMEOUT)
    pg.get_by_text("barrierefreiheit@ki-kreis-hoexter.example.org").first.wait_for(
        timeout=TIMEOUT)  # the feedback contact, from the registry's region section
    text = pg.locator('[data-testid="stMain"]').inner_text()  # from the registry
    assert "Ombudsstelle für barrierefreie Informationstechnik des Landes NRW" in text
    assert "Gebärdensprache" in text
