"""Presentation tables (partnernetz.views.tables) on tiny hand-made frames with known texts."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from partnernetz.analysis.matrix import GREEN, RED, YELLOW
from partnernetz.registry.vocabulary import CategoryInfo
from partnernetz.views.downloads import (
    EXPORT_HEADERS,
    build_attribute_export,
    build_matrix_export,
    build_nearest_export,
    make_slug,
    name_coverage_stem,
    name_report_file,
)
from partnernetz.views.layers import (
    build_category_layer,
    build_comparison_chart,
    build_headline_figures,
    build_score_layer,
    build_town_comparison,
)
from partnernetz.views.tables import (
    build_apart_table,
    build_attribute_tables,
    build_kim_tables,
    build_matrix_tables,
    build_nearest_tables,
    format_date,
    format_figure,
    format_nearest,
    format_percent,
    select_towns,
    style_lights,
    style_table,
)

BRAKEL, HOEXTER, NIEHEIM = "05762016", "05762020", "05762028"


def long_matrix() -> pd.DataFrame:
    """Two towns × two categories in the order of compute_coverage's output (town-major).

    Höxter: schools green (3 of 1), counselling yellow (1 of 3);
    Nieheim: schools green with 1 planned, counselling a white spot (red) with 1 planned.
    """
    return pd.DataFrame({
        "ags": [HOEXTER, HOEXTER, NIEHEIM, NIEHEIM],
        "town": ["Höxter", "Höxter", "Nieheim", "Nieheim"],
        "population": [30000, 30000, 6000, 6000],
        "category": ["schule", "beratung", "schule", "beratung"],
        "label_de": ["Schulen", "Beratungsstellen", "Schulen", "Beratungsstellen"],
        "label_en": ["Schools", "Counselling services", "Schools", "Counselling services"],
        "located": [3, 1, 2, 0],
        "reachable": [3, 1, 2, 0],
        "per_10k": [1.0, 1234.56, 3.25, 0.0],
        "planned": [0, 0, 1, 1],
        "inactive": [0, 2, 0, 0],
        "required": [1, 3, 1, 1],
        "status": [GREEN, YELLOW, GREEN, RED],
        "nearest_km": [0.0, 0.4, 0.0, 12.345],
        "nearest_town": ["Höxter", "Höxter", "Nieheim", "Höxter"],
    })


def long_attributes() -> pd.DataFrame:
    return pd.DataFrame({
        "ags": [BRAKEL, BRAKEL, NIEHEIM, NIEHEIM],
        "town": ["Brakel", "Brakel", "Nieheim", "Nieheim"],
        "stage": ["kita", "schule", "kita", "schule"],
        "label_de": ["Kita", "Schule", "Kita", "Schule"],
        "label_en": ["Day care", "School", "Day care", "School"],
        "partners": [5, 0, 2, 1],
        "covered": [True, False, True, True],
    })


# --------------------------------------------------------------------------- numbers and shares


@pytest.mark.parametrize(
    ("value", "measure", "lang", "expected"),
    [
        (1234.0, "reachable", "de", "1.234"),
        (1234.0, "reachable", "en", "1,234"),
        (1234.56, "per_10k", "de", "1.234,6"),
        (1234.56, "per_10k", "en", "1,234.6"),
        (3, "located", "de", "3"),
    ],
)
def test_format_figure_uses_language_separators_and_decimals_per_measure(value, measure, lang, expected):
    assert format_figure(value, measure, lang=lang) == expected


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, np.nan])
def test_format_figure_is_dash_when_value_unknown(value):
    assert format_figure(value, "per_10k", lang="de") == "–"


@pytest.mark.parametrize(
    ("share", "lang", "expected"),
    [(0.77, "de", "77 %"), (0.77, "en", "77%"), (0.866, "de", "87 %"), (1.0, "en", "100%"),
     (12.345, "de", "1.234 %"), (12.345, "en", "1,234%")],
)
def test_format_percent_writes_whole_percent_the_german_or_english_way(share, lang, expected):
    assert format_percent(share, lang=lang) == expected


@pytest.mark.parametrize("share", [None, math.nan, pd.NA])
def test_format_percent_is_dash_when_share_unknown(share):
    assert format_percent(share, lang="en") == "–"


def test_format_date_is_day_first_in_german_and_iso_in_english():
    day = dt.date(2026, 3, 7)
    assert format_date(day, lang="de") == "07.03.2026"
    assert format_date(day, lang="en") == "2026-03-07"


def test_format_nearest_names_town_and_km_or_dash_when_none():
    assert format_nearest("Höxter", 4.24, lang="de") == "Höxter, 4,2 km"
    assert format_nearest("Höxter", 4.24, lang="en") == "Höxter, 4.2 km"
    assert format_nearest(None, 17.0, lang="de") == "?, 17 km"
    assert format_nearest("Höxter", float("nan"), lang="de") == "–"


# --------------------------------------------------------------------------- file names


def test_make_slug_spells_out_umlauts_and_joins_words_with_dashes():
    assert make_slug("Höxter / Bad Driburg") == "hoexter-bad-driburg"
    assert make_slug("Straße") == "strasse"


def test_make_slug_falls_back_to_ort_when_nothing_is_left():
    assert make_slug(" / ") == "ort"


def test_name_report_file_differs_for_region_and_town_profile_per_language():
    assert name_report_file("Kreis Höxter") == "partnernetz-bericht-kreis-hoexter.pdf"
    assert name_report_file("Kreis Höxter", lang="en") == "partnernetz-report-kreis-hoexter.pdf"
    assert name_report_file("Bad Driburg", profile=True) == "steckbrief-bad-driburg.pdf"
    assert name_report_file("Bad Driburg", profile=True, lang="en") == "profile-bad-driburg.pdf"


def test_name_coverage_stem_translates_only_prefix_and_distances():
    assert name_coverage_stem("05762") == "abdeckung-05762"
    assert name_coverage_stem("05762", lang="en") == "coverage-05762"
    assert name_coverage_stem("05762", "stages", lang="en") == "coverage-05762-stages"
    assert name_coverage_stem("05762", "nearest") == "abdeckung-05762-entfernungen"
    assert name_coverage_stem("05762", "nearest", lang="en") == "coverage-05762-distances"


# --------------------------------------------------------------------------- selection


def test_select_towns_keeps_only_given_towns_and_everything_when_none_given():
    matrix = long_matrix()
    assert select_towns(matrix, [NIEHEIM])["town"].unique().tolist() == ["Nieheim"]
    assert select_towns(matrix, ()) is matrix


# --------------------------------------------------------------------------- traffic-light cells


def test_matrix_tables_write_symbol_count_target_and_planned_when_reachable():
    texts, lights = build_matrix_tables(long_matrix(), "reachable", lang="de")
    assert texts.loc["Höxter", "Schulen"] == "✓ 3"
    assert texts.loc["Höxter", "Beratungsstellen"] == "! 1/3"  # below target: reached/required
    assert texts.loc["Nieheim", "Schulen"] == "✓ 2 +1 gepl."
    assert texts.loc["Nieheim", "Beratungsstellen"] == "✗ 0 +1 gepl."  # white spot with a planned one
    assert lights.loc["Nieheim", "Beratungsstellen"] == RED
    assert lights.loc["Höxter", "Beratungsstellen"] == YELLOW


def test_matrix_tables_write_english_planned_and_labels_when_lang_en():
    texts, _ = build_matrix_tables(long_matrix(), "reachable", lang="en")
    assert texts.index.name == "Town"
    assert texts.columns.tolist() == ["Schools", "Counselling services"]
    assert texts.loc["Nieheim", "Counselling services"] == "✗ 0 +1 plan."


def test_matrix_tables_show_decimal_figure_without_target_when_per_10k():
    texts, lights = build_matrix_tables(long_matrix(), "per_10k", lang="de")
    assert texts.loc["Höxter", "Beratungsstellen"] == "! 1.234,6"
    assert texts.loc["Nieheim", "Schulen"] == "✓ 3,2 +1 gepl."  # 3.25 rounds half to even
    # the light stays that of the reachable partners
    assert lights.loc["Höxter", "Beratungsstellen"] == YELLOW


def test_matrix_tables_are_towns_by_labels_in_first_seen_order():
    matrix = long_matrix().iloc[[2, 3, 0, 1]]  # Nieheim first
    texts, lights = build_matrix_tables(matrix, "located", lang="de")
    assert texts.shape == lights.shape == (2, 2)
    assert texts.index.tolist() == ["Nieheim", "Höxter"]
    assert texts.index.name == "Ort"
    assert texts.columns.tolist() == ["Schulen", "Beratungsstellen"]
    assert lights.to_numpy().tolist() == [[GREEN, RED], [GREEN, YELLOW]]


def test_wide_table_appends_key_when_labels_repeat():
    matrix = long_matrix()
    matrix["label_de"] = "Beratungsstellen"
    texts, _ = build_matrix_tables(matrix, "reachable", lang="de")
    assert texts.columns.tolist() == ["Beratungsstellen (schule)", "Beratungsstellen (beratung)"]


def test_attribute_tables_mark_covered_with_count_and_gaps_with_cross():
    texts, lights = build_attribute_tables(long_attributes(), "stage", lang="en")
    assert texts.index.tolist() == ["Brakel", "Nieheim"]
    assert texts.columns.tolist() == ["Day care", "School"]
    assert texts.to_numpy().tolist() == [["✓ 5", "✗ 0"], ["✓ 2", "✓ 1"]]
    assert lights.to_numpy().tolist() == [[GREEN, RED], [GREEN, GREEN]]


def test_style_lights_colour_traffic_lights_and_leave_other_cells_plain():
    css = style_lights(pd.DataFrame([[GREEN, RED], ["", YELLOW]]))
    assert css.iloc[0, 0] == "background-color: #CDEBC5; color: #146C2E"
    assert css.iloc[0, 1] == "background-color: #F9C0B0; color: #A3201A"
    assert css.iloc[1, 0] == ""
    assert css.iloc[1, 1] == "background-color: #FFEDA0; color: #7A5200"


def test_style_table_applies_the_light_of_each_cell():
    texts, lights = build_matrix_tables(long_matrix(), "reachable", lang="de")
    html = style_table(texts, lights).to_html()
    assert html.count("background-color: #F9C0B0") == 1  # one red cell
    assert html.count("background-color: #FFEDA0") == 1


def test_kim_tables_colour_only_the_presence_column():
    kim = pd.DataFrame({
        "town": ["Brakel", "Nieheim"], "present": [True, False], "reachable": [2, 0],
        "located": [1, 0], "planned": [0, 1], "nearest_town": ["Brakel", None],
        "nearest_km": [0.0, np.nan],
    })
    table, lights = build_kim_tables(kim, lang="de")
    assert table["KIM Case Management"].tolist() == ["✓ vorhanden", "✗ fehlt"]
    assert table["nächstes Angebot"].tolist() == ["Brakel, 0,0 km", "–"]
    assert lights["KIM Case Management"].tolist() == [GREEN, RED]
    assert (lights.drop(columns="KIM Case Management") == "").all().all()


def test_apart_table_lists_cells_with_planned_or_inactive_partners():
    apart = build_apart_table(long_matrix(), lang="en")
    assert apart.columns.tolist() == ["Town", "Category", "planned", "inactive"]
    assert apart[["Town", "Category"]].to_numpy().tolist() == [
        ["Höxter", "Counselling services"], ["Nieheim", "Schools"], ["Nieheim", "Counselling services"]]


# --------------------------------------------------------------------------- exports


@pytest.mark.parametrize("lang", ["de", "en"])
def test_matrix_export_has_readable_headers_in_each_language(lang):
    export = build_matrix_export(long_matrix(), lang=lang)
    index = 1 if lang == "en" else 0
    assert export.columns.tolist() == [pair[index] for pair in EXPORT_HEADERS.values()]
    light = "traffic light" if lang == "en" else "Ampel"
    assert export[light].tolist() == (["green", "yellow", "green", "red"] if lang == "en"
                                      else ["grün", "gelb", "grün", "rot"])


def test_matrix_export_headers_name_german_and_english_columns():
    de = build_matrix_export(long_matrix(), lang="de").columns.tolist()
    en = build_matrix_export(long_matrix(), lang="en").columns.tolist()
    assert de[:4] == ["AGS", "Ort", "Kategorie (Schlüssel)", "Kategorie"]
    assert en[:4] == ["AGS", "Town", "Category (key)", "Category"]
    assert "erreichbar je 10.000 Einw." in de and "reachable per 10,000" in en


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", ["AGS", "Ort", "Stufe der Bildungskette", "erreichbare Partner", "abgedeckt"]),
     ("en", ["AGS", "Town", "Education-chain stage", "reachable partners", "covered"])],
)
def test_attribute_export_has_readable_headers_in_each_language(lang, expected):
    export = build_attribute_export(long_attributes(), "stage", lang=lang)
    assert export.columns.tolist() == expected
    assert export[expected[-1]].tolist() == (["yes", "no", "yes", "yes"] if lang == "en"
                                             else ["ja", "nein", "ja", "ja"])


def test_nearest_export_rounds_km_to_one_decimal():
    export = build_nearest_export(long_matrix(), lang="de")
    assert export.columns.tolist() == ["AGS", "Ort", "Kategorie", "nächste in", "km"]
    assert export["km"].tolist() == [0.0, 0.4, 0.0, 12.3]


def test_nearest_tables_write_town_and_km_per_category():
    texts, lights = build_nearest_tables(long_matrix(), lang="de")
    assert texts.loc["Nieheim", "Beratungsstellen"] == "Höxter, 12 km"
    assert texts.loc["Höxter", "Beratungsstellen"] == "Höxter, 0,4 km"
    assert lights.loc["Nieheim", "Beratungsstellen"] == RED


# --------------------------------------------------------------------------- map, chart, overview


def test_score_layer_is_percent_with_percent_texts():
    scores = pd.DataFrame({"ags": [HOEXTER, NIEHEIM], "score": [0.75, 0.5]})
    layer = build_score_layer(scores, lang="de")
    assert layer.values.to_dict() == {HOEXTER: 75.0, NIEHEIM: 50.0}
    assert layer.fmt(75.0) == "75 %"
    assert layer.value_range == (0.0, 100.0)


def test_category_layer_ranges_to_largest_value_or_one():
    layer = build_category_layer(long_matrix(), "beratung", "reachable", label="Beratung",
                                        lang="de")
    assert layer.values.to_dict() == {HOEXTER: 1.0, NIEHEIM: 0.0}
    assert layer.value_range == (0.0, 1.0)
    assert layer.title == "Beratung: erreichbar"
    per_10k = build_category_layer(long_matrix(), "beratung", "per_10k", label="B", lang="de")
    assert per_10k.value_range == (0.0, 1234.56)
    assert per_10k.fmt(1234.56) == "1.234,6"


def test_comparison_chart_names_towns_in_value_order():
    towns = pd.DataFrame({"ags": [HOEXTER, NIEHEIM], "name": ["Höxter", "Nieheim"]})
    values = pd.Series([2.0, 5.0], index=[NIEHEIM, HOEXTER])
    chart = build_comparison_chart(towns, values)
    assert chart.to_dict("list") == {"town": ["Nieheim", "Höxter"], "value": [2.0, 5.0]}


def test_town_comparison_sorts_lowest_score_first_and_names_gaps():
    summary = pd.DataFrame({
        "town": ["Höxter", "Nieheim"], "score": [0.9, 0.42], "green": [6, 4], "yellow": [1, 0],
        "red": [0, 2], "white_spots": [(), ("beratung", "eigenes")], "kim": [True, False],
        "languages": [("de", "ar", "tr"), ("de",)], "verified_share": [0.5, np.nan],
    })
    categories = {"beratung": CategoryInfo("beratung", "Beratungsstellen", "Counselling", "#000", "i")}
    table = build_town_comparison(summary, categories, lang="de")
    assert table["Ort"].tolist() == ["Nieheim", "Höxter"]
    first = table.iloc[0]
    assert first.tolist()[1:6] == [42.0, "✓ 4 · ! 0 · ✗ 2", "Beratungsstellen, eigenes", "✗", 1]
    assert table.iloc[1].tolist()[3] == "–"


def test_headline_figures_use_thousands_separator_and_percent_per_language():
    class Head:
        partners_active, towns, towns_with_white_spots, languages = 1234, 10, 4, 17
        verified_share, partners_planned = 0.77, 1

    de = build_headline_figures(Head(), lang="de")
    en = build_headline_figures(Head(), lang="en")
    assert [value for _, value, _ in de] == ["1.234", "10", "4", "17", "77 %", "1"]
    assert [value for _, value, _ in en] == ["1,234", "10", "4", "17", "77%", "1"]
    assert de[0][0] == "Partner (aktiv)" and en[0][0] == "Partners (active)"
