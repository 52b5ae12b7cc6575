"""AppTest: the Übersicht (overview) and Abdeckung (coverage) pages.

The figures of the Kreis Höxter demo (data/partners.yaml) that these tests
rely on: 10 towns, 170 active partners, 1 planned, 4 inactive; white spots
(red cells) exactly at (Marienmünster, beratung), (Nieheim, einrichtung),
(Borgentreich, einrichtung) and (Willebadessen, ehrenamt); KIM case
management reachable in every town.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.app.test_app import make_app, open_page
from tests.conftest import DEMO_HSK, DEMO_HX

OVERVIEW, COVERAGE = "app_pages/overview.py", "app_pages/coverage.py"
HX_TOWNS = ["Bad Driburg", "Beverungen", "Borgentreich", "Brakel", "Höxter", "Marienmünster",
            "Nieheim", "Steinheim", "Warburg", "Willebadessen"]
HX_RED = {
    ("Marienmünster", "Beratungsstellen"),
    ("Nieheim", "Weitere regionale Einrichtungen"),
    ("Borgentreich", "Weitere regionale Einrichtungen"),
    ("Willebadessen", "Ehrenamtliche Initiativen und Vereine"),
}
HX_SENTENCES = (
    "Marienmünster: keine Beratungsstelle im Ort; nächste in Steinheim (",
    "Nieheim: keine regionale Einrichtung im Ort; nächste in Steinheim (",
    "Borgentreich: keine regionale Einrichtung im Ort; nächste in Warburg (",
    "Willebadessen: keine ehrenamtliche Initiative im Ort; nächste in Bad Driburg (",
)


# --------------------------------------------------------------------------- helpers


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def markdown_text(at: AppTest) -> str:
    """The Markdown of the page as it reads: registry text is backslash-escaped (plain text)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))


def matrix(at: AppTest) -> pd.DataFrame:
    """The traffic-light matrix of the coverage page (towns × category labels)."""
    return at.dataframe[0].value


def frame_with_column(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def red_cells(table: pd.DataFrame) -> set[tuple[str, str]]:
    return {(town, column) for town, row in table.iterrows() for column, cell in row.items()
            if str(cell).startswith("✗")}


def set_filter(at: AppTest, key: str, value: list[str]) -> AppTest:
    at.sidebar.multiselect(key=f"w.{key}.de").set_value(value).run()
    assert not at.exception, at.exception
    return at


# --------------------------------------------------------------------------- both pages run


@pytest.mark.parametrize("page", [OVERVIEW, COVERAGE])
@pytest.mark.parametrize("registry", [DEMO_HX, DEMO_HSK], ids=["hoexter", "hsk"])
def test_page_runs_without_exception_on_demo_registries(monkeypatch, page, registry):
    at = open_page(make_app(monkeypatch, registry), page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.get("download_button"), "every page offers downloads"


def test_overview_headline_matches_hoexter_demo(monkeypatch):
    at = open_page(make_app(monkeypatch), OVERVIEW)
    figures = metrics(at)
    assert figures["Partner (aktiv)"] == "170"
    assert figures["Orte"] == "10"
    assert figures["Orte mit weißem Fleck"] == "4"
    assert figures["geplant"] == "1"
    assert figures["Sprachen im Angebot"] == "17"
    assert figures["in 12 Monaten geprüft"].endswith("%")


def test_overview_headline_on_hsk_counts_its_twelve_towns(monkeypatch):
    at = open_page(make_app(monkeypatch, DEMO_HSK), OVERVIEW)
    assert metrics(at)["Orte"] == "12"
    table = frame_with_column(at, "Abdeckung gesamt")
    assert len(table) == 12


# --------------------------------------------------------------------------- white spots


def test_overview_states_hoexter_white_spots_as_sentences(monkeypatch):
    at = open_page(make_app(monkeypatch), OVERVIEW)
    text = markdown_text(at)
    for sentence in HX_SENTENCES:
        assert sentence in text
    assert "; geplant: 1" in text  # the planned counselling service of Marienmünster, apart
    assert at.subheader[1].value == "Weiße Flecken (4)"


def test_coverage_matrix_marks_exactly_the_hoexter_white_spots_red(monkeypatch):
    at = open_page(make_app(monkeypatch), COVERAGE)
    table = matrix(at)
    assert table.index.tolist() == HX_TOWNS
    assert len(table.columns) == 7
    assert red_cells(table) == HX_RED
    assert table.loc["Marienmünster", "Beratungsstellen"] == "✗ 0 +1 gepl."
    # every cell carries a symbol, not only a colour
    assert table.map(lambda c: str(c)[0] in "✓!✗").all().all()
    assert "geplant: 1" in " ".join(c.value for c in at.caption)


def test_coverage_kim_is_present_in_all_ten_hoexter_towns(monkeypatch):
    at = open_page(make_app(monkeypatch), COVERAGE)
    kim = frame_with_column(at, "KIM Case Management")
    assert kim["Ort"].tolist() == HX_TOWNS
    assert (kim["KIM Case Management"] == "✓ vorhanden").all()
    assert "KIM Case Management erreichbar in 10 von 10 Orten." in [c.value for c in at.caption]


def test_coverage_kim_under_a_school_filter_is_counted_without_filters_and_says_so(monkeypatch):
    at = open_page(make_app(monkeypatch), COVERAGE)
    set_filter(at, "kategorie", ["schule"])
    kim = frame_with_column(at, "KIM Case Management")
    assert (kim["KIM Case Management"] == "✓ vorhanden").all()  # not "✗ fehlt" in every town
    captions = [c.value for c in at.caption]
    assert any(c.startswith("KIM Case Management erreichbar in 10 von 10 Orten – ohne die Filter")
               for c in captions), captions


def test_coverage_nearest_distances_name_town_and_km(monkeypatch):
    at = open_page(make_app(monkeypatch), COVERAGE)
    nearest = next(d.value for d in at.dataframe[1:] if "Beratungsstellen" in d.value.columns
                   and str(d.value.iloc[0, 0]).endswith(" km"))
    cell = nearest.loc["Marienmünster", "Beratungsstellen"]
    assert cell.startswith("Steinheim, ") and cell.endswith(" km")


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("key", "value"),
    [("kategorie", ["beratung"]), ("sprache", ["ar"]), ("stufe", ["uebergang"])],
)
def test_filter_changes_headline_on_overview(monkeypatch, key, value):
    at = open_page(make_app(monkeypatch), OVERVIEW)
    before = metrics(at)
    set_filter(at, key, value)
    after = metrics(at)
    assert int(after["Partner (aktiv)"]) < int(before["Partner (aktiv)"])
    assert after != before


@pytest.mark.parametrize(("key", "value"), [("sprache", ["ar"]), ("stufe", ["uebergang"])])
def test_filter_changes_matrix_on_coverage(monkeypatch, key, value):
    at = open_page(make_app(monkeypatch), COVERAGE)
    before = matrix(at)
    set_filter(at, key, value)
    after = matrix(at)
    assert not after.equals(before)
    assert len(red_cells(after)) > len(red_cells(before))


def test_category_filter_narrows_matrix_to_that_category(monkeypatch):
    at = open_page(make_app(monkeypatch), COVERAGE)
    set_filter(at, "kategorie", ["beratung"])
    table = matrix(at)
    # a category that is not selected is never reported as missing (issue #7, 1)
    assert table.columns.tolist() == ["Beratungsstellen"]
    assert red_cells(table) == {("Marienmünster", "Beratungsstellen")}
    assert "Weiße Flecken (1)" in markdown_text(at)
    assert "Kategorien: Beratungsstellen" in " ".join(c.value for c in at.caption)


def test_category_filter_leaves_exactly_one_white_spot_on_overview(monkeypatch):
    at = open_page(make_app(monkeypatch, kategorie="beratung"), OVERVIEW)
    assert at.subheader[1].value == "Weiße Flecken (1)"
    text = markdown_text(at)
    assert text.startswith("- Marienmünster: keine Beratungsstelle im Ort")
    assert "keine Schule" not in text and "Bad Driburg" not in text
    figures = metrics(at)
    assert figures["Orte mit weißem Fleck"] == "1"
    assert figures["Partner (aktiv)"] == "16"
    summary = frame_with_column(at, "Abdeckung gesamt")
    assert summary.loc[summary["Ort"] != "Marienmünster", "Abdeckung gesamt"].eq(100).all()


def test_town_filter_limits_rows_but_keeps_nearest_from_whole_region(monkeypatch):
    at = make_app(monkeypatch, ort=["Marienmünster"])
    open_page(at, COVERAGE)
    table = matrix(at)
    assert table.index.tolist() == ["Marienmünster"]
    assert red_cells(table) == {("Marienmünster", "Beratungsstellen")}
    assert "nächste in Steinheim" in markdown_text(at)  # the neighbour still counts
    open_page(at, OVERVIEW)
    assert metrics(at)["Orte"] == "1"
    assert metrics(at)["Orte mit weißem Fleck"] == "1"


def test_measure_switch_changes_matrix(monkeypatch):
    at = open_page(make_app(monkeypatch), COVERAGE)
    reachable = matrix(at)
    at.segmented_control(key="w.kennzahl").set_value("per_10k").run()
    per_10k = matrix(at)
    assert at.query_params["kennzahl"] in ("per_10k", ["per_10k"])
    at.segmented_control(key="w.kennzahl").set_value("located").run()
    located = matrix(at)
    assert not per_10k.equals(reachable) and not located.equals(reachable)
    assert per_10k.loc["Brakel"].str.contains(r"\d,\d").all()  # German decimal comma
    assert reachable.loc["Brakel"].str.fullmatch(r"[✓!✗] \d+(/\d+)?.*").all()
    assert red_cells(per_10k) == HX_RED
    # "im Ort": red ✗ 0 where nothing is located, never a green ✓ 0
    assert red_cells(located) >= HX_RED
    cells = located.stack()
    assert not cells.str.startswith("✓ 0").any() and not cells.str.startswith("! 0").any()
    assert cells[cells.str.match(r"\S 0\b")].str.startswith("✗").all()
    assert cells.str.startswith("✗").sum() > len(HX_RED)


# --------------------------------------------------------------------------- English


def test_english_switch_translates_overview(monkeypatch):
    at = open_page(make_app(monkeypatch, lang="EN"), OVERVIEW)
    assert at.header[0].value == "Overview"
    assert metrics(at)["Partners (active)"] == "170"
    text = markdown_text(at)
    assert "Marienmünster: no counselling service in town; nearest in Steinheim (" in text
    assert "keine" not in text


def test_english_switch_translates_coverage(monkeypatch):
    at = open_page(make_app(monkeypatch, lang="EN"), COVERAGE)
    assert at.header[0].value == "Coverage"
    table = matrix(at)
    assert "Counselling services" in table.columns
    assert table.index.name == "Town"
    assert table.loc["Marienmünster", "Counselling services"] == "✗ 0 +1 plan."
    assert at.segmented_control(key="w.kennzahl").options == [
        "reachable", "in town", "per 10,000 pop."]


# --------------------------------------------------------------------------- the report


@pytest.fixture
def hx_key(monkeypatch):
    from app_pages import cached

    return cached.data_key(DEMO_HX)


def test_report_download_is_kreis_pdf_naming_every_town(hx_key):
    from app_pages import cached
    from partnernetz.filters import FilterSpec

    data = cached.report_pdf(hx_key, FilterSpec(), None, "de")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert 2 <= len(reader.pages) <= 4
    assert reader.trailer["/Root"]["/Lang"] == "de"
    text = "\n".join(page.extract_text() for page in reader.pages)
    for town in HX_TOWNS:
        assert town in text
    assert "Marienmünster: keine Beratungsstelle im Ort" in text


def test_report_download_is_one_page_steckbrief_for_town(hx_key):
    from app_pages import cached
    from partnernetz.filters import FilterSpec

    data = cached.report_pdf(hx_key, FilterSpec(), "05762016", "en")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert "Town profile: Brakel" in reader.pages[0].extract_text()


def test_report_download_names_the_filters_under_the_title(hx_key):
    from app_pages import cached
    from partnernetz.filters import FilterSpec

    data = cached.report_pdf(hx_key, FilterSpec(languages=("ar",)), None, "de")
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Filter: Sprachen: Arabisch" in " ".join(first.split())  # on page 1, before the white spots


def test_overview_offers_kreis_and_town_report_buttons(monkeypatch):
    at = make_app(monkeypatch, ort=["Brakel"])
    open_page(at, OVERVIEW)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Bericht der Region (PDF)", "Steckbrief Brakel (PDF)"]
    assert at.selectbox(key="report_town").value == "05762016"


# --------------------------------------------------------------------------- edge cases

SAME_LABEL_HEADER = """\
region:
  name: Kreis Höxter
  kreis: "05762"
categories:
  dolmetsch:
    label: Beratungsstellen
    colour: "#123456"
partners:
"""


@pytest.mark.parametrize("page", [OVERVIEW, COVERAGE])
def test_page_runs_when_no_partner_matches_filters(monkeypatch, page):
    at = open_page(make_app(monkeypatch, suche="gibt-es-nicht-xyz"), page)
    assert not at.exception, at.exception
    assert not at.error
    # no partner: say so, never list every town × category as a white spot
    assert any(i.value.startswith("Kein Partner passt zu den Filtern") for i in at.info)
    assert "einen Filter lockern" in at.info[-1].value
    assert not at.dataframe and not at.metric
    assert "Weiße Flecken" not in " ".join(s.value for s in at.subheader)


@pytest.mark.parametrize("page", [OVERVIEW, COVERAGE])
def test_page_runs_when_custom_category_repeats_a_label(monkeypatch, write_registry, page):
    registry = write_registry(
        "- id: d\n  name: Dolmetschpool\n  category: dolmetsch\n  town: Brakel\n"
        "  location: {lat: 51.7170, lon: 9.1850}\n",
        header=SAME_LABEL_HEADER,
    )
    at = open_page(make_app(monkeypatch, registry), page)
    assert not at.exception, at.exception
    if page == COVERAGE:
        table = matrix(at)
        assert "Beratungsstellen (dolmetsch)" in table.columns
        assert table.loc["Brakel", "Beratungsstellen (dolmetsch)"] == "✓ 1"
