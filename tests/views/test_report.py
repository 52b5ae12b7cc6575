"""The printable PDF: tagged PDF/UA-1 (structure, language, title, alt texts, bookmarks),
extractable text, true statements, registry text printed as it is, atomic writing."""

from __future__ import annotations

import datetime as dt
import io
import os
from types import SimpleNamespace

import geopandas as gpd
import pytest
from pypdf import PdfReader
from shapely.geometry import Point, box

from partnernetz.analysis.summary import analyse_coverage
from partnernetz.errors import ExportError
from partnernetz.registry.models import Region
from partnernetz.registry.vocabulary import default_categories
from partnernetz.views.report import report_pdf_bytes, write_report_pdf
from tests.analysis.test_coverage import CATEGORIES, TARGETS, TODAY, make_partners, make_towns

ATTRIBUTION = (
    "© GeoBasis-DE / BKG (2016), dl-de/by-2-0, Daten verändert; "
    "Einwohnerzahlen: Zensus 2022, Statistische Ämter des Bundes und der Länder, dl-de/by-2-0"
)
TOWN_NAMES = ("Brakel", "Höxter", "Marienmünster", "Nieheim")


def make_dataset(towns: gpd.GeoDataFrame, partners: gpd.GeoDataFrame, **extra) -> SimpleNamespace:
    """Anything with the attributes of ``Dataset`` will do for the report."""
    categories = {k: v for k, v in default_categories().items() if k in CATEGORIES}
    return SimpleNamespace(
        region=Region(name="Kreis Höxter", kreis="05762"),
        categories=categories,
        targets=TARGETS,
        partners=partners,
        towns=towns,
        attribution=ATTRIBUTION,
        **extra,
    )


def flat(text: str) -> str:
    """Text with every run of white space as one blank (lines wrap in table cells)."""
    return " ".join(text.split())


def pdf_text(data: bytes) -> tuple[int, str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), flat(" ".join(page.extract_text() for page in reader.pages)), reader


def structure_nodes(reader: PdfReader) -> list:
    """Every element of the PDF's structure tree, depth first (reading order)."""
    out, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if hasattr(node, "get_object"):
            node = node.get_object()
        if not hasattr(node, "get"):
            continue
        out.append(node)
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids if isinstance(kids, list) else [kids]
        stack.extend(reversed(kids))
    return out


def structure_kinds(reader: PdfReader) -> set[str]:
    return {str(node.get("/S")) for node in structure_nodes(reader) if node.get("/S")}


def flat_outline(items) -> list:
    out = []
    for item in items:
        out.extend(flat_outline(item) if isinstance(item, list) else [item])
    return out


@pytest.fixture(scope="module")
def dataset() -> SimpleNamespace:
    return make_dataset(make_towns(), make_partners())


@pytest.fixture(scope="module")
def kreis_pdf(dataset) -> bytes:
    return report_pdf_bytes(dataset, today=TODAY)


@pytest.fixture(scope="module")
def profile_pdf(dataset) -> bytes:
    return report_pdf_bytes(dataset, today=TODAY, town="Nieheim")


def grid_region(n_cols: int = 10, n_rows: int = 5) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """50 square towns of 3 km and one active school in every other town."""
    towns, partners = [], []
    for i in range(n_cols * n_rows):
        x0, y0 = 500_000 + (i % n_cols) * 3_000, 5_700_000 + (i // n_cols) * 3_000
        ags = f"05999{i:03d}"
        centre = gpd.GeoSeries([Point(x0 + 1_500, y0 + 1_500)], crs="EPSG:25832").to_crs(4326)
        towns.append({"ags": ags, "name": f"Rasterort {i + 1:02d}", "population": 1_000 + 97 * i,
                      "area_km2": 9.0, "lat": centre.y[0], "lon": centre.x[0],
                      "geometry": box(x0, y0, x0 + 3_000, y0 + 3_000)})
        if i % 2 == 0:
            partners.append({"id": f"schule-{i}", "name": f"Schule {i}", "category": "schule",
                             "town": f"Rasterort {i + 1:02d}", "town_ags": ags, "ags": ags,
                             "serves": (ags,), "serves_all": False, "stages": ("schule",),
                             "target_groups": (), "languages": ("de",), "offers": (),
                             "status": "active", "verified": dt.date(2025, 1, 1),
                             "lat": centre.y[0], "lon": centre.x[0],
                             "geometry": Point(centre.x[0], centre.y[0])})
    town_frame = gpd.GeoDataFrame(towns, crs="EPSG:25832").to_crs("EPSG:4326")
    town_frame["population"] = town_frame["population"].astype("Int64")
    return town_frame, gpd.GeoDataFrame(partners, crs="EPSG:4326")


# --------------------------------------------------------------------------- Kreis report


def test_report_is_tagged_pdf_ua_with_title_language_and_structure(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Abdeckung des Partnernetzes – Kreis Höxter"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfuaid" in xmp
    kinds = structure_kinds(reader)
    for kind in ("/Document", "/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure"):
        assert kind in kinds, kind


def test_report_figures_have_alternative_texts_and_headings_are_bookmarks(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    alts = [node.get("/Alt") for node in structure_nodes(reader) if node.get("/S") == "/Figure"]
    assert alts and all(alts), alts
    assert any("Brakel" in alt and "%" in alt for alt in alts)  # the map's values in words
    titles = [item.title for item in flat_outline(reader.outline)]
    assert "Abdeckung des Partnernetzes" in titles
    assert "Weiße Flecken" in titles
    assert "Ampel-Matrix: Orte × Kategorien" in titles


def test_report_text_is_extractable_and_names_every_town(kreis_pdf):
    _, text, _ = pdf_text(kreis_pdf)
    for name in TOWN_NAMES:
        assert name in text
    assert "Kreis Höxter" in text
    assert "30.06.2025" in text
    assert "Abdeckung des Partnernetzes" in text


def test_report_names_its_sources(kreis_pdf):
    _, text, _ = pdf_text(kreis_pdf)
    assert "© GeoBasis-DE / BKG (2016), dl-de/by-2-0, Daten verändert" in text
    assert "Zensus 2022" in text


def test_report_matrix_uses_symbols_not_only_colour(kreis_pdf):
    _, text, _ = pdf_text(kreis_pdf)
    assert "✓ grün = Ziel erreicht" in text
    assert "✗ rot = weißer Fleck" in text
    assert "! 1/2" in text  # Brakel kita: 1 of 2 reachable (yellow)
    assert "✗ 0" in text
    assert "+1 gepl." in text  # planned partners shown apart


def test_report_lists_white_spots_on_the_first_page(kreis_pdf):
    first = flat(PdfReader(io.BytesIO(kreis_pdf)).pages[0].extract_text())
    assert "Weiße Flecken" in first
    assert "Nieheim: keine Schule im Ort; nächste in Höxter (11 km)" in first
    assert "Marienmünster: keine Beratungsstelle im Ort; nächste in Beverungen (14 km);" in first


def test_report_embeds_its_fonts(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        holder = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = holder["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_report_summary_holds_headline_figures(kreis_pdf):
    page = flat(PdfReader(io.BytesIO(kreis_pdf)).pages[0].extract_text())
    assert "Partner (aktiv)" in page
    assert "geplant: 2 · inaktiv: 1" in page
    assert "67 %" in page  # 6 of 9 entries verified within 12 months


def test_report_text_stays_inside_the_page(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    for number, page in enumerate(reader.pages, start=1):
        width = float(page.mediabox.width)
        xs: list[float] = []

        def visit(text, cm, tm, font, size, xs=xs):
            if text.strip():
                xs.append(cm[4] + tm[4] * cm[0])

        page.extract_text(visitor_text=visit)
        assert xs, f"page {number} has no text"
        assert min(xs) >= 0 and max(xs) <= width, (number, min(xs), max(xs), width)


def test_report_wraps_fifty_towns_onto_further_pages():
    towns, partners = grid_region()
    dataset = make_dataset(towns, partners)
    data = report_pdf_bytes(dataset, today=TODAY)
    pages, text, reader = pdf_text(data)
    assert pages > 3
    for i in range(1, 51):
        assert f"Rasterort {i:02d}" in text
    # the matrix runs over several pages and its header row is repeated on each
    headed = [page for page in reader.pages if "Einw." in page.extract_text()]
    assert len(headed) >= 2


def test_report_in_english_uses_english_texts_and_language(dataset):
    data = report_pdf_bytes(dataset, today=TODAY, lang="en")
    _, text, reader = pdf_text(data)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Coverage of the partner network" in text
    assert "Nieheim: no school in town; nearest in Höxter (11 km)" in text


def test_report_prints_filters_internal_mark_and_trend_on_page_one(dataset):
    data = report_pdf_bytes(dataset, today=TODAY, filters="Kategorie: Schulen", internal=True,
                            trend="weiße Flecken: 4 (vor 12 Monaten: 7)")
    reader = PdfReader(io.BytesIO(data))
    first = flat(reader.pages[0].extract_text())
    assert "Filter: Kategorie: Schulen" in first
    assert "Entwicklung: weiße Flecken: 4 (vor 12 Monaten: 7)" in first
    for page in reader.pages:
        assert "Intern – nicht zur Weitergabe" in flat(page.extract_text())


def test_report_without_filters_says_so_and_is_not_internal(kreis_pdf):
    _, text, _ = pdf_text(kreis_pdf)
    assert "Filter: keine – alle Partner des Verzeichnisses" in text
    assert "Intern" not in text


@pytest.mark.parametrize("label", ["Kosten $5 und $10", "Beratung\ufeff", "$\\foo$", "<b>fett</b>"])
def test_report_prints_registry_text_as_it_is(label):
    dataset = make_dataset(make_towns(), make_partners())
    key = "beratung"
    dataset.categories = {
        k: (v._replace(label_de=label, label_en=label) if k == key else v)
        for k, v in dataset.categories.items()
    }
    data = report_pdf_bytes(dataset, today=TODAY, filters=f"Suche: {label}")
    _, text, _ = pdf_text(data)
    shown = label.replace("\ufeff", "")
    text = text.replace("\ufeff", "")
    assert f"Suche: {shown}" in text
    assert text.count(shown) >= 2  # the filter line and the category label


# --------------------------------------------------------------------------- Steckbrief


def test_profile_states_only_its_town(profile_pdf):
    pages, text, reader = pdf_text(profile_pdf)
    assert pages <= 2
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert "Steckbrief: Nieheim" in text
    assert "6.000" in text  # population
    assert "KIM Case Management: fehlt; nächstes Angebot: Höxter, 13 km" in text
    assert "Frühe Förderung" in text
    assert "Ukrainisch" in text
    assert "Nieheim: keine Beratungsstelle im Ort; nächste in Höxter (13 km)" in text
    assert "Marienmünster:" not in text  # another town's white spot
    assert "in jedem Ort" not in text
    assert "© GeoBasis-DE / BKG (2016)" in text


def test_profile_of_a_town_without_white_spot_says_so_for_that_town():
    # schools only: Brakel, Höxter have one, Marienmünster and Nieheim do not
    dataset = make_dataset(make_towns(), make_partners())
    dataset.categories = {k: v for k, v in dataset.categories.items() if k == "schule"}
    analysis = analyse_coverage(dataset.partners, dataset.towns, today=TODAY,
                                categories=dataset.categories, targets=TARGETS)
    red = set(analysis.matrix.loc[analysis.matrix["status"] == "red", "ags"])
    clean = [a for a in dataset.towns["ags"] if a not in red]
    assert clean, "the test data needs a town without white spot"
    name = dataset.towns.set_index("ags").loc[clean[0], "name"]
    _, text, _ = pdf_text(report_pdf_bytes(dataset, today=TODAY, town=clean[0],
                                           analysis=analysis))
    assert f"In {name} ist jede ausgewählte Kategorie erreichbar." in text
    assert "in jedem Ort ist jede Kategorie erreichbar" not in text


def test_profile_accepts_ags_and_name_without_umlauts(dataset):
    by_ags = report_pdf_bytes(dataset, today=TODAY, town="05762024")
    by_name = report_pdf_bytes(dataset, today=TODAY, town="marienmuenster")
    for data in (by_ags, by_name):
        _, text, _ = pdf_text(data)
        assert "Steckbrief: Marienmünster" in text


def test_profile_unknown_town_raises_export_error_listing_towns(dataset):
    with pytest.raises(ExportError, match="Mögliche Orte: Brakel, Höxter"):
        report_pdf_bytes(dataset, today=TODAY, town="Paderborn")


# --------------------------------------------------------------------------- the map


def test_report_map_is_vector_with_its_labels_as_text(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    assert sum(len(page.images) for page in reader.pages) == 0  # no raster map any more
    map_page = next(flat(p.extract_text()) for p in reader.pages
                    if "Karte: Abdeckung je Ort" in p.extract_text())
    for name in TOWN_NAMES:
        assert name in map_page


# --------------------------------------------------------------------------- writing


def test_write_report_pdf_writes_file_with_normal_permissions(dataset, tmp_path):
    path = write_report_pdf(dataset, path=tmp_path / "bericht.pdf", today=TODAY,
                                   town="Brakel")
    assert path.read_bytes().startswith(b"%PDF-")
    assert (path.stat().st_mode & 0o777) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bericht.pdf"]


def test_write_report_pdf_keeps_old_file_when_town_is_unknown(dataset, tmp_path):
    path = tmp_path / "bericht.pdf"
    path.write_bytes(b"old")
    with pytest.raises(ExportError):
        write_report_pdf(dataset, path=path, today=TODAY, town="Atlantis")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bericht.pdf"]


def test_write_report_pdf_leaves_no_partial_file_when_writing_fails(
    dataset, tmp_path, monkeypatch
):
    path = tmp_path / "bericht.pdf"
    path.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ExportError, match="kann nicht geschrieben werden"):
        write_report_pdf(dataset, path=path, today=TODAY, town="Brakel")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bericht.pdf"]


def test_write_report_pdf_missing_directory_raises_export_error(dataset, tmp_path):
    with pytest.raises(ExportError, match="gibt es nicht"):
        write_report_pdf(dataset, path=tmp_path / "fehlt" / "b.pdf", today=TODAY,
                                town="Brakel")


def test_report_works_with_filtered_empty_selection(dataset):
    empty = dataset.partners.iloc[0:0]
    data = report_pdf_bytes(dataset, today=TODAY, partners=empty)
    pages, text, _ = pdf_text(data)
    assert pages >= 1
    assert "Nieheim: keine Schule im Ort; keine im Verzeichnis" in text


