"""The public guide (Wegweiser) in real Chromium: search, filters, map, languages, RTL,
offline after the first visit, keyboard, phone width, and axe-core.

The site is published once per module from the Höxter demo and served by a
loopback http.server thread under a sub-path (it must run under any path).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from partnernetz.cli.guide import publish_guide
from tests.browser.test_accessibility import AXE_JS, TAGS

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PREFIX = "/kreis/wegweiser/"
TIMEOUT = 30_000


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__missing__")
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` at ``http://127.0.0.1:<port>/kreis/wegweiser/``."""
    handler = functools.partial(_SiteHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    out = tmp_path_factory.mktemp("guide") / "site"
    publish_guide(REPO / "data" / "partners.yaml", out)
    with serve(out) as url:
        yield url, out


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is not installed ({AXE_JS}): run `make test` (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


def index_rows(folder: Path) -> list[list]:
    return json.loads((folder / "data" / "search.json").read_text(encoding="utf-8"))["partners"]


def results(pg) -> list[str]:
    return pg.locator("#treffer li a").evaluate_all("els => els.map(a => a.getAttribute('href'))")


def run_search(pg, text: str) -> None:
    pg.fill("#q", text)
    pg.press("#q", "Enter")
    pg.wait_for_function("() => /\\d/.test(document.getElementById('treffer-status').textContent)"
                         " || document.getElementById('treffer-status').textContent.length > 20",
                         timeout=TIMEOUT)


# --------------------------------------------------------------------------- search and filters


def test_search_finds_partners_despite_a_typing_error(page, site) -> None:
    url, folder = site
    pg = page.page
    pg.goto(url + "de/index.html")
    run_search(pg, "Beratng")  # one letter missing
    found = results(pg)
    assert found, pg.locator("#treffer-status").text_content()
    rows = {row[0]: row for row in index_rows(folder)}
    ids = [href.rsplit("/", 1)[1].removesuffix(".html") for href in found]
    assert all("beratung" in rows[i][7] or rows[i][3] == "beratung" for i in ids)
    assert all(href.startswith("../de/partner/") for href in found)
    assert "Treffer:" in pg.locator("#treffer-status").text_content()
    assert page.external_requests() == []


def test_search_without_hits_says_so(page, site) -> None:
    url, _ = site
    pg = page.page
    pg.goto(url + "de/index.html")
    run_search(pg, "zzzqqqxxx")
    assert results(pg) == []
    assert "Keine Treffer" in pg.locator("#treffer-status").text_content()


def test_filters_narrow_to_town_and_group(page, site) -> None:
    url, folder = site
    pg = page.page
    pg.goto(url + "de/index.html")
    pg.click("#filter summary")
    pg.select_option("#f-ort", "brakel")
    pg.wait_for_function("() => document.querySelectorAll('#treffer li').length > 0", timeout=TIMEOUT)
    rows = {row[0]: row for row in index_rows(folder)}
    brakel = pg.get_attribute("#f-ort option[value=brakel]", "data-ags")
    assert brakel == "05762016"
    expected = [r for r in rows.values() if r[6] == "*" or brakel in r[6]]
    status = pg.locator("#treffer-status").text_content()
    assert f"Treffer: {len(expected)}" in status
    pg.check("input[name=fuer][value=eltern]")
    pg.wait_for_function(
        f"() => !document.getElementById('treffer-status').textContent.includes('Treffer: {len(expected)}')",
        timeout=TIMEOUT)
    with_parents = [r for r in expected if "eltern" in r[4]]
    assert f"Treffer: {len(with_parents)}" in pg.locator("#treffer-status").text_content()
    for href in results(pg):
        assert "eltern" in rows[href.rsplit("/", 1)[1].removesuffix(".html")][4]


def test_filters_narrow_to_language_spoken_and_kind_of_service(page, site) -> None:
    url, folder = site
    pg = page.page
    pg.goto(url + "ar/index.html")
    pg.click("#filter summary")
    rows = index_rows(folder)
    pg.select_option("#f-sprache", "fa")
    speak_farsi = [r for r in rows if "fa" in r[5]]
    assert 0 < len(speak_farsi) < len(rows)
    pg.wait_for_function("() => document.querySelectorAll('#treffer li').length > 0", timeout=TIMEOUT)
    assert results(pg) and len(results(pg)) == min(len(speak_farsi), 50)
    pg.select_option("#f-art", "beratung")
    expected = sorted(r[0] for r in speak_farsi if r[3] == "beratung")
    assert 0 < len(expected) < len(speak_farsi)
    assert len(expected) < sum(r[3] == "beratung" for r in rows)  # the language filter counts
    pg.wait_for_function(f"() => document.querySelectorAll('#treffer li').length === {len(expected)}",
                         timeout=TIMEOUT)
    assert sorted(h.rsplit("/", 1)[1].removesuffix(".html") for h in results(pg)) == expected
    assert all(h.startswith("../ar/partner/") for h in results(pg))


def test_filters_come_from_the_address_for_embedding(page, site) -> None:
    url, folder = site
    pg = page.page
    pg.goto(url + "tr/index.html?ort=brakel&kategorie=kita&embed=1")
    pg.wait_for_function("() => document.querySelectorAll('#treffer li').length > 0", timeout=TIMEOUT)
    assert pg.evaluate("document.getElementById('filter').open")
    assert pg.locator("header.top").is_hidden()
    rows = {row[0]: row for row in index_rows(folder)}
    assert {rows[h.rsplit("/", 1)[1].removesuffix(".html")][3] for h in results(pg)} == {"kita"}
    town = url + "de/orte/brakel.html?kategorie=kita&embed=1"
    pg.goto(town)
    visible = pg.locator("section.category:visible").evaluate_all(
        "els => els.map(e => e.dataset.category)")
    assert visible == ["kita"]


# --------------------------------------------------------------------------- map


def test_map_loads_on_demand_with_every_partner(page, site) -> None:
    url, folder = site
    pg = page.page
    pg.goto(url + "de/index.html")
    pg.wait_for_load_state("load")
    assert not any("map.json" in r or "leaflet.js" in r for r in page.requests)
    pg.click("#karte-zeigen")
    pg.wait_for_selector("#karte[data-ready=true]", timeout=TIMEOUT)
    assert pg.get_attribute("#karte-zeigen", "aria-expanded") == "true"
    assert any(r.endswith("assets/vendor/leaflet/leaflet.js") for r in page.requests)
    count = pg.evaluate("""() => { let n = 0; const m = document.getElementById('karte');
        return m.querySelectorAll('canvas').length; }""")
    assert count >= 1
    points = json.loads((folder / "data" / "map.json").read_text(encoding="utf-8"))["points"]
    assert len(points) == len(index_rows(folder))
    assert page.external_requests() == []  # no background map by default
    pg.select_option("#karte-hintergrund", "osm")
    pg.wait_for_timeout(500)
    assert any("tile.openstreetmap.org" in r for r in page.external_requests())


def test_map_can_be_skipped_by_keyboard(page, site) -> None:
    url, _ = site
    pg = page.page
    pg.goto(url + "de/index.html")
    pg.focus(".skip-map")
    assert pg.locator(".skip-map").is_visible()
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == "nach-karte"
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.closest('#offene-daten') !== null")


@pytest.mark.parametrize(("lang", "width"), [("de", 1280), ("ar", 390)])
def test_skip_map_link_covers_no_town_until_focused(browser, site, lang: str, width: int) -> None:
    url, _ = site
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        pg = context.new_page()
        pg.goto(url + f"{lang}/index.html")
        covered = pg.evaluate("""() => [...document.querySelectorAll('.towns a, .towns .count')]
            .filter(e => { e.scrollIntoView({block: 'center'});
                           const r = e.getBoundingClientRect();
                           const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                           return !e.contains(hit); })
            .map(e => e.textContent)""")
        assert covered == []
        skip = pg.locator(".skip-map")
        skip.focus()
        box = skip.bounding_box()
        assert box is not None and box["width"] > 40 and box["height"] >= 44
        heading = pg.locator("#karte-titel").bounding_box()
        assert box["y"] >= heading["y"] + heading["height"] - 1  # shown below the map's heading
    finally:
        context.close()


# --------------------------------------------------------------------------- languages, RTL


def test_language_switch_keeps_the_page(page, site) -> None:
    url, _ = site
    pg = page.page
    pg.goto(url + "de/orte/brakel.html")
    pg.click("details.langs summary")
    pg.click("details.langs a[lang=uk]")
    pg.wait_for_url("**/uk/orte/brakel.html")
    assert pg.evaluate("document.documentElement.lang") == "uk"
    assert pg.locator("h1").text_content() == "Послуги в Brakel"
    pg.click("details.langs summary")
    pg.click("details.langs a[lang=de-x-ls]")
    pg.wait_for_url("**/ls/orte/brakel.html")
    assert pg.evaluate("document.documentElement.lang") == "de-x-ls"


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_rtl_pages_are_mirrored_with_numbers_left_to_right(page, site, code: str) -> None:
    url, folder = site
    pg = page.page
    partner = next(p.name for p in sorted((folder / code / "partner").glob("*.html"))
                   if "tel:" in p.read_text(encoding="utf-8"))
    pg.goto(url + f"{code}/partner/{partner}")
    assert pg.evaluate("document.documentElement.dir") == "rtl"
    assert pg.evaluate("getComputedStyle(document.body).direction") == "rtl"
    brand = pg.locator(".brand").bounding_box()
    langs = pg.locator("details.langs").bounding_box()
    assert brand["x"] > langs["x"], "the header is not mirrored"
    phone = pg.locator("a[href^='tel:'] bdi").first
    assert phone.evaluate("e => getComputedStyle(e).direction") == "ltr"
    h2 = pg.locator("main h2").first.bounding_box()
    main = pg.locator("main").bounding_box()
    assert h2["x"] + h2["width"] > main["x"] + main["width"] - 40, "headings do not start right"


# --------------------------------------------------------------------------- offline


def test_site_works_offline_after_the_first_visit(browser, site) -> None:
    url, _ = site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(url + "de/index.html")
        pg.wait_for_function("() => window.guideOfflineReady === true", timeout=TIMEOUT)
        pg.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=TIMEOUT)
        pg.click("a[href$='orte/brakel.html']")  # a page of the first visit
        pg.wait_for_url("**/orte/brakel.html")
        pg.go_back()
        pg.wait_for_timeout(1500)  # the worker warms the linked pages
        context.set_offline(True)
        pg.reload()
        assert pg.locator("h1").text_content().startswith("Angebote für Familien")
        pg.goto(url + "de/orte/brakel.html")
        assert pg.locator("h1").text_content() == "Angebote in Brakel"
        pg.goto(url + "de/orte/nieheim.html")  # linked from the start page: warmed
        assert pg.locator("h1").text_content() == "Angebote in Nieheim"
    finally:
        context.close()


# --------------------------------------------------------------------------- phone, keyboard


@pytest.mark.parametrize("path", ["de/index.html", "ar/index.html", "fa/orte/hoxter.html",
                                  "ar/leichte-sprache.html"])
def test_phone_width_has_no_sideways_scroll_and_large_targets(browser, site, path: str) -> None:
    url, folder = site
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True,
                                  is_mobile=True)
    try:
        pg = context.new_page()
        pg.goto(url + path)
        if pg.locator("#filter").count():
            pg.click("#filter summary")
        pg.click("details.langs summary")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360
        small = pg.evaluate("""() => [...document.querySelectorAll(
              'a, button, select, input, summary')].filter(e => e.offsetParent !== null)
            .map(e => { const t = e.type === 'checkbox' ? e.closest('label') : e;
                        const r = t.getBoundingClientRect();
                        return {tag: e.tagName, text: (e.textContent || e.id).trim().slice(0, 30),
                                h: r.height}; })
            .filter(r => r.h < 44)""")
        assert small == []
    finally:
        context.close()
    pages = list((folder / "de" / "partner").glob("*.html"))
    assert pages


def test_every_partner_is_linked_from_a_town_page(site) -> None:
    _, folder = site
    linked = set()
    for town in (folder / "de" / "orte").glob("*.html"):
        text = town.read_text(encoding="utf-8")
        linked |= {part.split(".html")[0] for part in text.split('href="../../de/partner/')[1:]}
    assert linked == {row[0] for row in index_rows(folder)}


def test_keyboard_reaches_every_partner_of_a_town_with_visible_focus(page, site) -> None:
    url, _ = site
    pg = page.page
    pg.goto(url + "de/orte/brakel.html")
    expected = set(pg.locator("main a[href*='/partner/']").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"))
    reached, outlines = set(), set()
    for _ in range(len(expected) + 40):
        pg.keyboard.press("Tab")
        info = pg.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {href: e.getAttribute('href'), outline: s.outlineStyle + ' ' + s.outlineWidth}; }""")
        if info["href"] in expected:
            reached.add(info["href"])
            outlines.add(info["outline"])
    assert reached == expected
    assert outlines == {"solid 3px"}


# --------------------------------------------------------------------------- axe


def run_axe(pg, axe_source: str) -> list[dict]:
    pg.add_script_tag(content=axe_source)
    return pg.evaluate(
        """async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
             resultTypes: ['violations']});
           return r.violations.map(v => ({id: v.id,
             nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }""",
        TAGS)


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("path", ["index.html", "orte/brakel.html", "partner", "leichte-sprache.html",
                                  "barrierefreiheit.html"])
def test_axe_finds_no_violation_on_guide_page(page, site, axe_source, lang: str, path: str) -> None:
    url, folder = site
    if path == "partner":
        # a partner with a German fallback, public contacts and a phone number
        path = "partner/" + next(p.name for p in sorted((folder / "ar" / "partner").glob("*.html"))
                                 if all(x in p.read_text(encoding="utf-8") for x in
                                        ("(بالألمانية)", "tel:", "<h2>جهات الاتصال</h2>")))
    pg = page.page
    pg.goto(url + f"{lang}/{path}")
    if path == "index.html":
        pg.click("#filter summary")
        run_search(pg, "Kita")
    pg.click("details.langs summary")
    assert pg.evaluate("document.documentElement.lang") == lang
    found = run_axe(pg, axe_source)
    assert found == [], json.dumps(found, ensure_ascii=False)


def test_axe_finds_no_violation_with_the_map_open(page, site, axe_source) -> None:
    url, _ = site
    pg = page.page
    pg.goto(url + "ar/index.html")
    pg.click("#karte-zeigen")
    pg.wait_for_selector("#karte[data-ready=true]", timeout=TIMEOUT)
    found = run_axe(pg, axe_source)
    assert found == [], json.dumps(found, ensure_ascii=False)
