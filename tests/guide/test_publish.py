"""``publish``: the static guide on the demo registries and on the hidden-markers registry."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from partnernetz.cli.guide import publish_guide
from partnernetz.errors import ExportError
from partnernetz.guide import GUIDE_LANGUAGES, read_stamp
from partnernetz.text import fold_text
from tests.conftest import DEMO_HSK, DEMO_HX, run_cli
from tests.guide.markers import (
    HIDDEN_MARKERS,
    HOSTILE_DESCRIPTION,
    HOSTILE_NAME,
    SHOWN_MARKERS,
    write_marker_registry,
)

LANGS = [lang.code for lang in GUIDE_LANGUAGES]
FOLDED_MARKERS = {word for marker in HIDDEN_MARKERS for word in re.findall(r"[^\W_]+", fold_text(marker))
                  if word.endswith("marker") and word != "marker"}


@pytest.fixture(scope="module")
def marker_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("markers")
    registry = write_marker_registry(folder)
    out = folder / "site"
    publish_guide(registry, out)
    return out


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    publish_guide(DEMO_HX, out)
    return out


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_publish_leaves_no_hidden_marker_in_any_file(marker_site: Path) -> None:
    files = all_files(marker_site)
    assert len(files) > 40
    found = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for variant in {m for marker in HIDDEN_MARKERS
                        for m in (marker, html.escape(marker), json.dumps(marker)[1:-1])}:
            if variant in text:
                found.append(f"{path.relative_to(marker_site)}: {variant}")
        folded = fold_text(text)  # the search index holds folded words: "notizmarker"
        found += [f"{path.relative_to(marker_site)}: {word}" for word in FOLDED_MARKERS if word in folded]
    assert found == []


def test_publish_shows_the_public_values_the_markers_are_checked_against(marker_site: Path) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in all_files(marker_site)
                     if p.suffix in (".html", ".json", ".csv", ".geojson"))
    for marker in SHOWN_MARKERS:
        assert marker in text, marker
    assert (marker_site / "de" / "partner" / "kita-marker-brakel.html").is_file()
    assert not (marker_site / "de" / "partner" / "inaktiv-marker-nieheim.html").exists()
    assert not (marker_site / "de" / "partner" / "geplant-marker-steinheim.html").exists()


def test_publish_escapes_partner_text_everywhere(marker_site: Path) -> None:
    for path in all_files(marker_site):
        if path.suffix != ".html":
            continue
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
    page = (marker_site / "ar" / "partner" / "treff-hostile-warburg.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1><span[^>]*>(.*?)</span></h1>", page).group(1)
    assert "&lt;script&gt;" in heading and html.unescape(heading) == HOSTILE_NAME
    assert "&lt;img src=x onerror=" in page
    assert HOSTILE_DESCRIPTION not in page


def test_publish_writes_every_page_in_every_language(marker_site: Path) -> None:
    for code in LANGS:
        for page in ("index.html", "leichte-sprache.html", "barrierefreiheit.html",
                     "orte/brakel.html", "orte/hoxter.html", "partner/kita-marker-brakel.html"):
            text = (marker_site / code / page).read_text(encoding="utf-8")
            lang = next(lang for lang in GUIDE_LANGUAGES if lang.code == code)
            assert f'<html lang="{lang.tag}" dir="{lang.direction}">' in text
            for other in LANGS:  # links to the same page in every language
                assert f'href="{"../" * (page.count("/") + 1)}{other}/{page}"' in text


def test_publish_links_only_relative(marker_site: Path) -> None:
    pattern = re.compile(r'(?:href|src)="([^"]+)"')
    for path in all_files(marker_site):
        if path.suffix != ".html":
            continue
        for link in pattern.findall(path.read_text(encoding="utf-8")):
            if link.startswith(("mailto:", "tel:", "#")) or link == "data:,":  # no favicon request
                continue
            if link.startswith("https://"):  # external pages, never a resource
                assert "openstreetmap.org/directions" in link or "lbbp.nrw.de" in link \
                    or "example.org" in link, link
                continue
            assert not link.startswith(("/", "http:")), f"{path}: {link}"
            target = (path.parent / link.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{path}: broken link {link}"


def test_publish_marks_german_fallback_in_the_page_language(marker_site: Path) -> None:
    ar = (marker_site / "ar" / "partner" / "kita-marker-brakel.html").read_text(encoding="utf-8")
    assert "ÖFFENTLICHÜBERSETZUNG" in ar and "(بالألمانية)" not in ar.split("<h2>")[1]
    assert "مقهى الآباء" in ar
    tr = (marker_site / "tr" / "partner" / "kita-marker-brakel.html").read_text(encoding="utf-8")
    assert '<p><span lang="de" dir="ltr">Kita mit Elterncafé</span> <span class="de-mark" lang="tr" ' \
           'dir="ltr">(Almanca)</span></p>' in tr
    de = (marker_site / "de" / "partner" / "kita-marker-brakel.html").read_text(encoding="utf-8")
    assert "(auf Deutsch)" not in de


def test_publish_keeps_phone_numbers_left_to_right_in_rtl(marker_site: Path) -> None:
    for code in ("ar", "fa"):
        page = (marker_site / code / "partner" / "kita-marker-brakel.html").read_text(encoding="utf-8")
        assert 'dir="rtl"' in page
        assert '<bdi dir="ltr">05272 1000</bdi>' in page


def test_publish_writes_open_data_with_licence_and_date(marker_site: Path) -> None:
    hsds = json.loads((marker_site / "daten" / "partner-hsds.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in hsds["services"]} and len(hsds["services"]) == 3
    geo = json.loads((marker_site / "daten" / "partner.geojson").read_text(encoding="utf-8"))
    assert sorted(f["id"] for f in geo["features"]) == [
        "beratung-marker-hoexter", "kita-marker-brakel", "treff-hostile-warburg"]
    assert "Kita Markerhaus Brakel" in (marker_site / "daten" / "partner.csv").read_text(
        encoding="utf-8-sig")
    licence = (marker_site / "daten" / "LIZENZ.txt").read_text(encoding="utf-8")
    assert "Lizenz: Datenlizenz Deutschland" in licence and "Stand der Daten:" in licence
    start = (marker_site / "de" / "index.html").read_text(encoding="utf-8")
    for name in ("partner-hsds.json", "partner.geojson", "partner.csv", "LIZENZ.txt"):
        assert f'href="../daten/{name}"' in start


def test_publish_stamp_names_time_and_registry_version(marker_site: Path) -> None:
    stamp = read_stamp(marker_site)
    assert stamp is not None
    assert stamp.partners == 3 and stamp.registry == "partners.yaml"
    assert re.fullmatch(r"[0-9a-f]{64}", stamp.registry_sha256)
    assert stamp.languages == tuple(LANGS)


def test_publish_search_index_and_map_hold_only_public_partners(marker_site: Path) -> None:
    index = json.loads((marker_site / "data" / "search.json").read_text(encoding="utf-8"))
    ids = [row[0] for row in index["partners"]]
    assert sorted(ids) == ["beratung-marker-hoexter", "kita-marker-brakel", "treff-hostile-warburg"]
    beratung = next(row for row in index["partners"] if row[0] == "beratung-marker-hoexter")
    assert beratung[6] == "*"  # serves: all
    kita = next(row for row in index["partners"] if row[0] == "kita-marker-brakel")
    assert "elterncafe" in kita[7].split() and "مقهى" in kita[7]
    points = json.loads((marker_site / "data" / "map.json").read_text(encoding="utf-8"))["points"]
    assert len(points) == 3


def test_publish_replaces_an_earlier_site_but_refuses_a_foreign_folder(tmp_path: Path) -> None:
    registry = write_marker_registry(tmp_path)
    out = tmp_path / "site"
    publish_guide(registry, out)
    (out / "de" / "partner" / "stale.html").write_text("old", encoding="utf-8")
    publish_guide(registry, out)
    assert not (out / "de" / "partner" / "stale.html").exists()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="nicht von Partnernetz geschrieben"):
        publish_guide(registry, foreign)
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_publish_on_the_hoexter_demo_shows_translations_and_fallback(demo_site: Path) -> None:
    stamp = read_stamp(demo_site)
    assert stamp is not None and stamp.partners == 170
    pages = list((demo_site / "ar" / "partner").glob("*.html"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert any("دعم إضافي للأطفال" in t for t in texts)
    assert any("(بالألمانية)" in t for t in texts)
    town = (demo_site / "de" / "orte" / "brakel.html").read_text(encoding="utf-8")
    assert "<h1>Angebote in Brakel</h1>" in town


def test_publish_cli_on_the_hsk_demo(tmp_path: Path) -> None:
    out = tmp_path / "hsk"
    result = run_cli("publish", str(DEMO_HSK), "-o", str(out), "--base-url", "/wegweiser/")
    assert result.returncode == 0, result.stderr
    assert "Wegweiser veröffentlicht" in result.stderr
    start = (out / "fa" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in start
    assert '<link rel="canonical" href="/wegweiser/fa/index.html">' in start
    assert "Brilon" in start


def test_publish_cli_refuses_a_bad_base_url(tmp_path: Path) -> None:
    result = run_cli("publish", str(DEMO_HSK), "-o", str(tmp_path / "x"), "--base-url", "java script:")
    assert result.returncode != 0
    assert "--base-url" in result.stderr and "Traceback" not in result.stderr


def test_publish_failing_midway_keeps_the_old_site_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from partnernetz.guide import site

    registry = write_marker_registry(tmp_path)
    out = tmp_path / "site"
    first = publish_guide(registry, out)
    real = site._write

    def failing(path, text):
        if "partner/kita-marker-brakel.html" in str(path) and "/tr/" in str(path):
            raise ExportError(f"{path} kann nicht geschrieben werden: kein Speicherplatz mehr frei")
        real(path, text)

    monkeypatch.setattr(site, "_write", failing)
    with pytest.raises(ExportError, match="kein Speicherplatz"):
        publish_guide(registry, out)
    assert read_stamp(out) == first
    assert (out / "tr" / "partner" / "kita-marker-brakel.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partners.yaml", "site"]


def test_search_words_are_the_runs_of_letters_and_digits_in_any_script() -> None:
    from partnernetz.guide.site import _split_words

    text = "kita_sonne 05272-1000 مقهى الآباء ٣٣٠٣٤ дитячий·садок x²y é"
    expected, word = [], ""
    for ch in text + " ":  # the reference: str.isalnum, character by character
        if ch.isalnum():
            word += ch
        elif word:
            expected.append(word)
            word = ""
    assert _split_words(text) == expected
    assert _split_words(text)[:3] == ["kita", "sonne", "05272"]
