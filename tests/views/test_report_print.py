"""The printed report as people see it (issue 20 §2): every page rendered with poppler's
pdftoppm; no text under 7 pt, no two texts overlapping, town labels of 8 pt as real text,
a colour scale that fits the data, dots with a matching legend, logo and sender on every
page, plural forms in both languages."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from partnernetz.analysis.changes import VersionChanges
from partnernetz.analysis.summary import analyse_coverage
from partnernetz.dataset import load_dataset, validate_registry
from partnernetz.registry.models import Region
from partnernetz.views.choropleth import fitted_range, scale_colour
from partnernetz.views.report import report_html, report_pdf_bytes
from partnernetz.views.report_svg import LABEL_PT, coverage_map_svg
from partnernetz.views.report_texts import TEXTS, _tn
from tests.conftest import DEMO_HSK, DEMO_HX
from tests.views.test_report import grid_region, make_dataset

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
                                reason="poppler-utils missing: make test installs it")

TODAY = dt.date(2026, 12, 7)
# DejaVu Sans: a word's box in pdftotext is (ascent + descent) = 1.164 × the font size
DEJAVU_HEIGHT = 1.164
MIN_PT = 7.0
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def hoexter():
    return load_dataset(DEMO_HX, cache_dir="off", today=TODAY)


@pytest.fixture(scope="module")
def reports(hoexter) -> dict[str, bytes]:
    hsk = load_dataset(DEMO_HSK, cache_dir="off", today=TODAY)
    towns, partners = grid_region()
    return {
        "hoexter-de": report_pdf_bytes(hoexter, today=TODAY),
        "hoexter-en": report_pdf_bytes(hoexter, today=TODAY, lang="en"),
        "steckbrief-de": report_pdf_bytes(hoexter, today=TODAY, town="Brakel"),
        "steckbrief-en": report_pdf_bytes(hoexter, today=TODAY, town="Warburg", lang="en"),
        "hsk-de": report_pdf_bytes(hsk, today=TODAY),
        "fifty-towns": report_pdf_bytes(make_dataset(towns, partners), today=TODAY),
    }


def words(pdf: bytes, tmp_path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page the words with their boxes (pt), from ``pdftotext -bbox``."""
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    root = ElementTree.fromstring(xml)
    pages = []
    for page in root.iter(f"{XHTML}page"):
        pages.append([(w.text or "", float(w.get("xMin")), float(w.get("yMin")),
                       float(w.get("xMax")), float(w.get("yMax")))
                      for w in page.iter(f"{XHTML}word")])
    return pages


def render(pdf: bytes, tmp_path: Path, dpi: int = 40) -> list[np.ndarray]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), str(tmp_path / "p")],
                   check=True)
    return [np.asarray(Image.open(p).convert("RGB"))
            for p in sorted(tmp_path.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))]


@pytest.mark.parametrize("name", ["hoexter-de", "hoexter-en", "steckbrief-de", "steckbrief-en",
                                  "hsk-de", "fifty-towns"])
def test_every_page_renders_with_readable_text_that_never_overlaps(reports, name, tmp_path):
    pdf = reports[name]
    pages = render(pdf, tmp_path)
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    for number, pixels in enumerate(pages, start=1):
        assert (pixels < 200).any(axis=-1).sum() > 500, f"page {number} looks blank"
    for number, page in enumerate(words(pdf, tmp_path), start=1):
        assert page, f"page {number} has no text"
        for text, _x0, y0, _x1, y1 in page:
            size = (y1 - y0) / DEJAVU_HEIGHT
            assert size >= MIN_PT - 0.05, f"page {number}: „{text}“ is {size:.1f} pt"
        boxes = [(x0 + 0.3, y0 + 0.3, x1 - 0.3, y1 - 0.3) for _, x0, y0, x1, y1 in page]
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, f"page {number}: „{page[i][0]}“ overlaps „{page[j][0]}“"


def test_town_labels_on_the_map_are_real_text_of_8_pt(reports, hoexter, tmp_path):
    pages = words(reports["hoexter-de"], tmp_path)
    map_page = next(p for p in pages if any(w[0] == "Karte:" for w in p))
    for name in hoexter.towns["name"]:
        first = name.split()[0]
        found = [w for w in map_page if w[0] == first]
        assert found, name
        assert max((w[4] - w[2]) / DEJAVU_HEIGHT for w in found) >= LABEL_PT - 0.05, name


@pytest.mark.parametrize("region", ["hoexter", "hsk", "fifty"])
def test_map_labels_never_overlap_and_stay_on_the_map(region, hoexter):
    if region == "hoexter":
        towns, partners = hoexter.towns, hoexter.partners
    elif region == "hsk":
        dataset = load_dataset(DEMO_HSK, cache_dir="off", today=TODAY)
        towns, partners = dataset.towns, dataset.partners
    else:
        towns, partners = grid_region()
    scores = pd.DataFrame({"ags": towns["ags"], "score": np.linspace(0.86, 1.0, len(towns))})
    drawn = coverage_map_svg(towns, scores, partners)
    boxes = [label.box for label in drawn.labels]
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= drawn.width_mm and a[3] <= drawn.height_mm
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert all(label.size_pt >= 8 for label in drawn.labels)
    named = {label.ags for label in drawn.labels}
    # every town is on the map: by name, or by a number explained under the map
    assert len(named) == len(towns)
    assert len(drawn.keys) == sum(1 for label in drawn.labels if label.lines[0].isdigit())
    assert drawn.width_mm <= 178.0 + 1e-6 and drawn.height_mm <= 190.0 + 1e-6


def test_wide_region_map_takes_the_full_text_width():
    dataset = load_dataset(DEMO_HSK, cache_dir="off", today=TODAY)
    scores = pd.DataFrame({"ags": dataset.towns["ags"], "score": 1.0})
    drawn = coverage_map_svg(dataset.towns, scores, dataset.partners)
    assert drawn.width_mm > 170


def test_colour_scale_spreads_86_to_100_percent_like_the_app(hoexter):
    towns = hoexter.towns
    values = np.linspace(0.86, 1.0, len(towns))
    scores = pd.DataFrame({"ags": towns["ags"], "score": values})
    drawn = coverage_map_svg(towns, scores, hoexter.partners.iloc[0:0])
    assert drawn.value_range == fitted_range(values) == (0.85, 1.0)
    fills = re.findall(r'<path d="[^"]*" fill="(#[0-9A-F]{6})"', drawn.svg)
    assert fills == [scale_colour(v, 0.85, 1.0) for v in values]
    assert fills[0] != fills[-1] and len(set(fills)) == len(towns)


def test_report_says_what_the_colour_scale_covers(reports):
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(reports["hoexter-de"])).pages)
    text = " ".join(text.split())
    assert re.search(r"Farbskala von \d+ % bis 100 %: alle Orte liegen zwischen \d+ % und 100 %",
                     text)


def test_every_dot_colour_has_a_legend_entry_of_the_same_size(hoexter):
    html = report_html(hoexter, today=TODAY)
    svg_uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    import base64

    svg = base64.b64decode(svg_uri).decode("utf-8")
    active = set(re.findall(r'<circle [^>]*r="0\.95" fill="(#[0-9A-Fa-f]{6})" stroke="#FFFFFF"',
                            svg))
    planned = set(re.findall(r'<circle [^>]*r="0\.95" fill="#FFFFFF" stroke="(#[0-9A-Fa-f]{6})"',
                             svg))
    legend = set(re.findall(r'class="pn-dot" style="background:(#[0-9A-Fa-f]{6});width:1\.90mm',
                            html))
    assert active and active | planned == legend
    assert bool(planned) == ('class="pn-dot pn-dot--planned" style="width:1.90mm' in html)
    assert len(re.findall(r"<circle ", svg)) >= len(hoexter.partners[
        hoexter.partners["status"].isin(["active", "planned"])])


def test_logo_and_sender_line_are_on_every_page(reports, hoexter, tmp_path):
    sender = hoexter.region.sender
    assert sender and hoexter.region.logo
    reader = PdfReader(io.BytesIO(reports["hoexter-de"]))
    for page in reader.pages:
        assert sender in " ".join(page.extract_text().split())
    teal = np.array([0x0B, 0x55, 0x63])
    for number, pixels in enumerate(render(reports["hoexter-de"], tmp_path, dpi=60), start=1):
        corner = pixels[: pixels.shape[0] // 12, : pixels.shape[1] // 5].reshape(-1, 3)
        assert (np.abs(corner.astype(int) - teal).sum(axis=1) < 40).sum() > 20, number


def test_report_without_logo_shows_the_region_name(tmp_path):
    towns, partners = grid_region(3, 2)
    data = report_pdf_bytes(make_dataset(towns, partners), today=TODAY)
    for page in words(data, tmp_path):
        header = [w[0] for w in page if w[4] < 16 * 72 / 25.4]  # in the top margin
        assert {"Kreis", "Höxter"} <= set(header), header


def test_page_one_says_what_changed_since_the_last_report(hoexter):
    changes = VersionChanges(since=dt.date(2026, 9, 7), new=("Kita Neu",),
                             retired=("Alt A", "Alt B"), changed=("Geändert",),
                             spots_closed=(("Nieheim", "Schulen"),))
    data = report_pdf_bytes(hoexter, today=TODAY, changes=changes,
                            trend="Weiße Flecken: 4 (vor 12 Monaten: 7)")
    first = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Was sich seit 07.09.2026 geändert hat" in first
    assert "1 neuer Partner: Kita Neu" in first
    assert "2 Partner nicht mehr aktiv: Alt A, Alt B" in first
    assert "1 Eintrag geändert: Geändert" in first
    assert "1 weißer Fleck geschlossen (Nieheim: Schulen)" in first
    assert "Weiße Flecken: 4 (vor 12 Monaten: 7)" in first
    assert "Auf einen Blick" in first and "Weiße Flecken" in first


def test_page_one_without_history_says_so(reports):
    first = " ".join(PdfReader(io.BytesIO(reports["hoexter-en"])).pages[0].extract_text().split())
    assert "No earlier version of the registry" in first
    assert "At a glance" in first


def test_many_white_spots_leave_page_one_short_and_list_all_later(reports):
    reader = PdfReader(io.BytesIO(reports["fifty-towns"]))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "weitere: die vollständige Liste folgt nach der Karte" in first
    assert len(re.findall(r"Rasterort \d+: kein", first)) == 12
    rest = " ".join(" ".join(p.extract_text().split()) for p in reader.pages[1:])
    assert "Alle weißen Flecken und Lücken" in rest
    assert "Rasterort 50: keine Kita im Ort" in rest


@pytest.mark.parametrize("lang", ["de", "en"])
def test_plural_texts_have_both_forms_and_no_bracketed_endings(lang):
    texts = TEXTS[lang]
    for key in texts:
        if key.endswith(".one"):
            assert key[:-4] + ".other" in texts, key
        assert not re.search(r"\w\((e|s|n|en)\)", texts[key]), (key, texts[key])
    one, two = _tn("kim_present", 1, lang), _tn("kim_present", 2, lang)
    assert (one, two) == ((("KIM Case Management: erreichbar (1 Angebot)",
                            "KIM Case Management: erreichbar (2 Angebote)")) if lang == "de" else
                          ("KIM case management: reachable (1 offer)",
                           "KIM case management: reachable (2 offers)"))


def test_steckbrief_uses_singular_and_plural(reports):
    de = " ".join(PdfReader(io.BytesIO(reports["steckbrief-de"])).pages[0].extract_text().split())
    en = " ".join(PdfReader(io.BytesIO(reports["steckbrief-en"])).pages[0].extract_text().split())
    assert re.search(r"KIM Case Management: erreichbar \((1 Angebot|\d+ Angebote)\)", de)
    assert re.search(r"KIM case management: reachable \((1 offer|\d+ offers)\)", en)
    assert "(e)" not in de and "(s)" not in en


def test_headline_figures_use_the_singular_for_one(tmp_path):
    towns, partners = grid_region(1, 1)
    data = report_pdf_bytes(make_dataset(towns, partners), today=TODAY)
    first = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "1 Ort " in first and "1 Sprache im Angebot" in first
    data = report_pdf_bytes(make_dataset(towns, partners), today=TODAY, lang="en")
    first = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "1 town " in first and "1 language offered" in first


# --------------------------------------------------------------------------- the registry


@pytest.mark.parametrize("logo", ["https://example.org/logo.png", "../logo.png", "/etc/logo.png",
                                  "logo.gif", "data:image/png;base64,AAAA"])
def test_region_logo_must_be_an_image_file_beside_the_registry(logo):
    with pytest.raises(ValueError, match=r"Logo|Bilddatei|Dateipfad"):
        Region(name="Kreis Höxter", kreis="05762", logo=logo)


def test_region_logo_and_sender_are_read(tmp_path):
    region = Region(name="Kreis Höxter", kreis="05762", logo="logos/ki.svg",
                    sender="KI Kreis Höxter · Musterstraße 1")
    assert region.logo == "logos/ki.svg" and region.sender.startswith("KI")


def test_missing_logo_file_is_a_warning_naming_the_field(tmp_path):
    path = tmp_path / "partners.yaml"
    shutil.copyfile(DEMO_HX, path)
    report = validate_registry(path)
    assert report.ok
    [warning] = [w for w in report.warnings if "Logo" in w.message]
    assert "logos/ki-kreis-hoexter.svg" in warning.message and warning.field == "region.logo"


def test_report_fetches_nothing_but_data_uris():
    from partnernetz.views.report import _data_only

    fetcher = _data_only()
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.org/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/hostname")


def test_analysis_fits_the_demo_scale(hoexter):
    analysis = analyse_coverage(hoexter.partners, hoexter.towns, today=TODAY,
                                categories=hoexter.categories, targets=hoexter.targets)
    low, high = fitted_range(analysis.scores["score"])
    assert low > 0 and high == 1.0  # the demo's towns lie between 86 and 100 %
