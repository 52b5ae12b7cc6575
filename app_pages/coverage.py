"""Abdeckung: which towns lack which services, and how far the nearest one is.

Widgets → cached analysis (``cached.coverage_analysis``) → tables, map, chart.
The analysis follows every sidebar filter except the town filter (coverage
compares towns); a town selection narrows the rows, the map and the chart.
Only active partners count; planned and inactive ones are shown apart. The
tables themselves are built in :mod:`partnernetz.views.tables`.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app_pages import cached
from app_pages.shared import (
    asset_base,
    get_context,
    no_white_spots_text,
    plain,
    show_what_is_counted,
    white_spots_scope,
)
from partnernetz.analysis.phrases import describe_white_spots
from partnernetz.analysis.reference import TOTAL, apply_reference_population
from partnernetz.exchange.export import to_csv_bytes, to_xlsx_bytes
from partnernetz.exchange.reference import FILENAME as REFERENCE_FILE
from partnernetz.exchange.reference import indicators_of
from partnernetz.filters import FilterSpec
from partnernetz.i18n import t
from partnernetz.views.choropleth import build_choropleth_map
from partnernetz.views.downloads import (
    build_attribute_export,
    build_matrix_export,
    build_nearest_export,
    name_coverage_stem,
)
from partnernetz.views.layers import build_category_layer, build_comparison_chart, build_score_layer
from partnernetz.views.lists import LIST_CSS, directory_table_html, map_values_frame
from partnernetz.views.maps import DATA_ATTRIBUTION
from partnernetz.views.tables import (
    ATTRIBUTES,
    MEASURES,
    SCORE,
    build_apart_table,
    build_attribute_tables,
    build_kim_tables,
    build_matrix_tables,
    build_nearest_tables,
    select_towns,
    short_category_labels,
    style_table,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def narrow_columns(table: pd.DataFrame, width: int = 84) -> dict:
    """Cells like "✓ 3" need little room: narrow columns with short headers, so that
    all categories fit at 1280 px; the full label shows on hover."""
    short = short_category_labels(ctx.dataset.categories, lang=ctx.lang)
    return {column: st.column_config.TextColumn(short.get(column, column), width=width, help=column)
            for column in table.columns}


def downloads(frames: dict[str, pd.DataFrame], stem: str, key: str, lang: str) -> None:
    """CSV (first frame) and XLSX (every frame as a sheet), generated on click."""
    first = next(iter(frames.values()))
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("coverage.csv", lang), data=functools.partial(to_csv_bytes, first),
                         file_name=f"{stem}.csv", mime="text/csv", icon=":material/download:",
                         on_click="ignore", key=f"{key}_csv")
    right.download_button(t("coverage.xlsx", lang), data=functools.partial(to_xlsx_bytes, frames),
                          file_name=f"{stem}.xlsx", mime=XLSX, icon=":material/download:",
                          on_click="ignore", key=f"{key}_xlsx")


ctx = get_context()
lang, dataset, spec = ctx.lang, ctx.dataset, ctx.spec
analysis = cached.coverage_analysis(ctx.app.key, spec.without_towns())
head = cached.selection_headline(ctx.app.key, spec)
selected = list(spec.towns)
narrow = functools.partial(select_towns, towns=selected)
matrix = narrow(analysis.matrix)
kreis = dataset.region.kreis


def stem_for(part: str | None = None) -> str:
    """File-name stem of a coverage download: region, table, filters, Stand."""
    what = name_coverage_stem("", part, lang=lang).replace("--", "-").strip("-")
    return ctx.download_stem(what)


stem = stem_for()

st.header(t("coverage.title", lang))
st.caption(t("coverage.intro", lang))
show_what_is_counted(ctx, active=analysis.headline.partners_active)

measure = st.segmented_control(
    t("coverage.measure", lang), MEASURES,
    key=ctx.page_choice("kennzahl", MEASURES, default="reachable"),
    required=True, format_func=lambda m: t(f"coverage.measure.{m}", lang),
    help=t("coverage.measure_help", lang),
) or "reachable"
ctx.keep("kennzahl", measure, default="reachable")

reference = cached.reference_table(dataset.source)
if len(reference):
    indicators = [TOTAL, *indicators_of(reference)]
    with st.expander(t("reference.title", lang), icon=":material/groups:"):
        st.caption(t("reference.help", lang, file=REFERENCE_FILE))
        choices = {
            key: st.selectbox(info.label(lang), indicators, key=f"reference_{key}",
                              format_func=lambda i: t("reference.total", lang) if i == TOTAL else i)
            for key, info in dataset.categories.items()
        }
    matrix = apply_reference_population(matrix, reference, choices, targets=dataset.targets)

# --- the matrix
st.subheader(t("coverage.matrix", lang))
texts, lights = build_matrix_tables(matrix, measure, lang=lang)
st.dataframe(style_table(texts, lights), width="stretch", key="coverage_matrix",
             height=min(38 + 35 * len(texts), 720), column_config=narrow_columns(texts))
st.markdown(t("coverage.legend_lights.located", lang) if measure == "located"
            else t("coverage.legend", lang))
st.caption(t(f"coverage.legend.{measure}", lang) + " " + t("coverage.legend_planned", lang))
st.caption(t("coverage.apart", lang, planned=head.partners_planned, inactive=head.partners_inactive))
spots = describe_white_spots(matrix, lang=lang)
if spots:
    st.markdown(f"**{t('coverage.white_spots', lang, n=len(spots))}**")
    st.markdown("\n".join(f"- {plain(s)}" for s in spots))
    scope = white_spots_scope(ctx)
    if scope:
        st.caption(scope)
else:
    st.success(no_white_spots_text(ctx, analysis.matrix))
apart = build_apart_table(matrix, lang=lang)
if len(apart):
    with st.expander(t("coverage.apart_table", lang, n=len(apart))):
        st.dataframe(apart, hide_index=True, width="stretch")
matrix_frame = build_matrix_export(matrix, lang=lang)
downloads({t("coverage.sheet.matrix", lang): matrix_frame}, stem, "dl_matrix", lang)

# --- the map and the comparison chart
st.subheader(t("coverage.map", lang))
map_values = [SCORE, *(k for k in dataset.categories if not spec.categories or k in spec.categories)]
category = st.selectbox(
    t("coverage.map_category", lang), map_values,
    key=ctx.page_choice("kartenwert", map_values, default=SCORE, per_language=True),
    format_func=lambda k: (t("coverage.score", lang) if k == SCORE
                           else dataset.categories[k].label(lang)),
) or SCORE
ctx.keep("kartenwert", category, default=SCORE)
towns = narrow(dataset.towns)
layer = (build_score_layer(narrow(analysis.scores), lang=lang) if category == SCORE
         else build_category_layer(matrix, category, measure, lang=lang,
                                          label=dataset.categories[category].label(lang)))
fmap = build_choropleth_map(towns, layer.values, value_label=layer.unit, lang=lang, fmt=layer.fmt,
                                 title=layer.title, attribution=DATA_ATTRIBUTION,
                                 asset_base=asset_base(), value_range=layer.value_range)
st_folium(fmap, key="coverage_map", height=480, use_container_width=True, returned_objects=[])
st.caption(t("coverage.map_hint", lang))

st.markdown(f"**{t('coverage.compare', lang, what=layer.title)}**")
chart = build_comparison_chart(towns, layer.values)
st.bar_chart(chart, x="town", y="value", horizontal=True, sort="-value",
             x_label=t("coverage.town", lang), y_label=layer.title,
             height=max(160, 26 * len(chart) + 60))
with st.expander(t("data.table", lang)):  # map and chart as a real table
    values = map_values_frame(towns, layer.values, fmt=layer.fmt,
                              town_header=t("coverage.town", lang), value_header=layer.title)
    st.html(f"<style>{LIST_CSS}</style>" + directory_table_html(
        values, caption=t("coverage.compare", lang, what=layer.title),
        row_header=t("coverage.town", lang)))

# --- education chain, languages, target groups
st.subheader(t("coverage.attributes", lang))
st.caption(t("coverage.attributes_hint", lang))
attribute_exports = {}
tabs = st.tabs([t(f"coverage.{name}", lang) for name in ATTRIBUTES])
for tab, (name, key_column) in zip(tabs, ATTRIBUTES.items(), strict=True):
    long = narrow(getattr(analysis, name))
    with tab:
        if long.empty:
            st.info(t("coverage.none_offered", lang))
            continue
        texts, lights = build_attribute_tables(long, key_column, lang=lang)
        st.dataframe(style_table(texts, lights), width="stretch", key=f"coverage_{name}")
        st.caption(t("coverage.missing_cells", lang, n=int((~long["covered"]).sum()), total=len(long)))
        sheet = t(f"coverage.sheet.{name}", lang)
        attribute_exports[sheet] = build_attribute_export(long, key_column, lang=lang)
        downloads({sheet: attribute_exports[sheet]}, stem_for(name),
                  f"dl_{name}", lang)

# --- KIM case management and distances
st.subheader(t("coverage.kim", lang))
# KIM Case Management is an offer the filters can hide (a category, a language …):
# under any filter it is counted without them, and the caption says so.
kim_filtered = spec.without_towns() != FilterSpec()
kim = narrow(cached.coverage_analysis(ctx.app.key, FilterSpec()).kim if kim_filtered else analysis.kim)
kim_table, kim_lights = build_kim_tables(kim, lang=lang)
st.dataframe(style_table(kim_table, kim_lights), hide_index=True, width="stretch",
             key="coverage_kim")
st.caption(t("coverage.kim_unfiltered" if kim_filtered else "coverage.kim_summary", lang,
             present=int(kim["present"].sum()), total=len(kim)))
downloads({t("coverage.sheet.kim", lang): kim_table}, stem_for("kim"),
          "dl_kim", lang)

st.subheader(t("coverage.nearest", lang))
st.caption(t("coverage.nearest_hint", lang))
st.dataframe(style_table(*build_nearest_tables(matrix, lang=lang)), width="stretch",
             key="coverage_nearest")
nearest_export = build_nearest_export(matrix, lang=lang)
downloads({t("coverage.sheet.nearest", lang): nearest_export},
          stem_for("nearest"), "dl_nearest", lang)

# --- everything at once
st.subheader(t("coverage.download_all", lang))
workbook = {
    t("coverage.sheet.matrix", lang): matrix_frame,
    **attribute_exports,
    t("coverage.sheet.kim", lang): kim_table,
    t("coverage.sheet.nearest", lang): nearest_export,
}
st.download_button(t("coverage.xlsx_all", lang), data=functools.partial(to_xlsx_bytes, workbook),
                   file_name=f"{stem}.xlsx", mime=XLSX, icon=":material/download:",
                   on_click="ignore", key="dl_all_xlsx")
