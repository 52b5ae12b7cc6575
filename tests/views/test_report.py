"""The printable PDF: page count, extractable text, a map that is not blank, atomic writing."""

from __future__ import annotations

import datetime as dt
import io
import os
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from pypdf import PdfReader
from shapely.geometry import Point, box

from partnernetz.analysis.summary import analyse_coverage
from partnernetz.errors import ExportError
from partnernetz.registry.models import Region
from partnernetz.registry.vocabulary import default_categories
from partnernetz.views.report import count_report_pages, report_pdf_bytes, write_report_pdf
from partnernetz.views.report_map import SCORE_CMAP, build_map_figure, render_map_array
from partnernetz.views.report_sections import _white_spot_lines
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


def pdf_text(data: bytes) -> tuple[int, str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages), reader


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


def test_report_has_one_page_per_section_for_small_region(kreis_pdf):
    pages, _, _ = pdf_text(kreis_pdf)
    assert pages == 4  # summary with map, matrix, overview per town, white spots
    assert kreis_pdf.startswith(b"%PDF-")


def test_report_text_is_extractable_and_names_every_town(kreis_pdf):
    _, text, _ = pdf_text(kreis_pdf)
    for name in TOWN_NAMES:
        assert name in text
    assert "Kreis Höxter" in text
    assert "30.06.2025" in text
    assert "Abdeckung des Partnernetzes" in text


def test_report_carries_attribution_and_population_source_on_every_page(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    for page in reader.pages:
        text = page.extract_text()
        assert "© GeoBasis-DE / BKG (2016), dl-de/by-2-0, Daten verändert" in text
        assert "Zensus 2022" in text


def test_report_matrix_uses_symbols_not_only_colour(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    matrix_text = reader.pages[1].extract_text()
    assert "✓ grün = Ziel erreicht" in matrix_text
    assert "✗ rot = weißer Fleck" in matrix_text
    assert "! 1/2" in matrix_text  # Brakel kita: 1 of 2 reachable (yellow)
    assert "✗ 0" in matrix_text
    assert "+1 gepl." in matrix_text  # planned partners shown apart


def test_report_lists_white_spot_sentences(kreis_pdf):
    _, text, _ = pdf_text(kreis_pdf)
    assert "Nieheim: keine Schule im Ort; nächste in Höxter (11 km)" in text
    assert "Marienmünster: keine Beratungsstelle im Ort; nächste in Beverungen (14 km);" in text


def test_report_embeds_truetype_font(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        assert "DejaVuSans" in str(font["/BaseFont"])
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # embedded TrueType program


def test_report_summary_page_holds_headline_figures(kreis_pdf):
    page = PdfReader(io.BytesIO(kreis_pdf)).pages[0].extract_text()
    assert "Partner (aktiv)" in page
    assert "geplant: 2 · inaktiv: 1" in page
    assert "67 %" in page  # 6 of 9 entries verified within 12 months


def test_report_wraps_fifty_towns_onto_further_pages():
    towns, partners = grid_region()
    dataset = make_dataset(towns, partners)
    data = report_pdf_bytes(dataset, today=TODAY)
    pages, text, _ = pdf_text(data)
    analysis = analyse_coverage(partners, towns, today=TODAY,
                                    categories=dataset.categories, targets=TARGETS)
    white_lines = _white_spot_lines(analysis, "de")
    assert pages == count_report_pages(50, len(white_lines))
    assert pages > 4
    for i in range(1, 51):
        assert f"Rasterort {i:02d}" in text


def test_report_in_english_uses_english_texts(dataset):
    data = report_pdf_bytes(dataset, today=TODAY, lang="en")
    _, text, _ = pdf_text(data)
    assert "Coverage of the partner network" in text
    assert "Nieheim: no school in town; nearest in Höxter (11 km)" in text


def test_report_shows_selection_note(dataset):
    data = report_pdf_bytes(dataset, today=TODAY, note="Kategorie: Schulen")
    _, text, _ = pdf_text(data)
    assert "Auswahl: Kategorie: Schulen" in text


# --------------------------------------------------------------------------- Steckbrief


def test_profile_is_one_page_with_town_details(profile_pdf):
    pages, text, _ = pdf_text(profile_pdf)
    assert pages == 1
    assert "Steckbrief: Nieheim" in text
    assert "6.000" in text  # population
    assert "KIM Case Management: fehlt; nächstes Angebot: Höxter, 13 km" in text
    assert "Frühe Förderung" in text
    assert "Ukrainisch" in text
    assert "Nieheim: keine Beratungsstelle im Ort; nächste in Höxter (13 km)" in text
    assert "© GeoBasis-DE / BKG (2016)" in text


def test_profile_accepts_ags_and_name_without_umlauts(dataset):
    by_ags = report_pdf_bytes(dataset, today=TODAY, town="05762024")
    by_name = report_pdf_bytes(dataset, today=TODAY, town="marienmuenster")
    for data in (by_ags, by_name):
        pages, text, _ = pdf_text(data)
        assert pages == 1
        assert "Steckbrief: Marienmünster" in text


def test_profile_unknown_town_raises_export_error_listing_towns(dataset):
    with pytest.raises(ExportError, match="Mögliche Orte: Brakel, Höxter"):
        report_pdf_bytes(dataset, today=TODAY, town="Paderborn")


# --------------------------------------------------------------------------- the map


def test_map_figure_is_not_blank_and_shows_score_colours(dataset):
    analysis = analyse_coverage(dataset.partners, dataset.towns, today=TODAY,
                                    categories=CATEGORIES, targets=TARGETS)
    figure = build_map_figure(dataset.towns, analysis.scores, dataset.partners,
                                     categories=dataset.categories)
    pixels = render_map_array(figure, dpi=80)[..., :3].astype(int)
    assert pixels.std() > 20
    distinct = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(distinct) > 50
    # the fill of Brakel/Höxter (score 0.625) and of Nieheim (0.25) cover many pixels
    for score in (0.625, 0.25):
        fill = np.array(to_rgb(SCORE_CMAP(score))) * 255
        close = (np.abs(pixels - fill) <= 3).all(axis=-1)
        assert close.sum() > 500


def test_report_pdf_contains_raster_image_of_partner_points(kreis_pdf):
    reader = PdfReader(io.BytesIO(kreis_pdf))
    assert len(reader.pages[0].images) >= 1


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
    assert pages == 4
    assert "Nieheim: keine Schule im Ort; keine im Verzeichnis" in text


def test_render_map_array_returns_rgba_pixels():
    towns, partners = grid_region(3, 2)
    scores = pd.DataFrame({"ags": towns["ags"], "score": np.linspace(0, 1, len(towns))})
    pixels = render_map_array(build_map_figure(towns, scores, partners), dpi=40)
    assert pixels.ndim == 3
    assert pixels.shape[2] == 4
