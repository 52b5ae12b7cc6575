"""Abdeckung: which towns lack which services, and how far the nearest one is.

Widgets → cached analysis (``cached.coverage_analysis``) → tables, map, chart.
The analysis follows every sidebar filter except the town filter (coverage
compares towns); a town selection narrows the rows, the map and the chart.
Only active partners count; planned and inactive ones are shown apart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from pages import cached
from pages.shared import get_context
from partnernetz import coverage as cov
from partnernetz import maps
from partnernetz.export import to_csv_bytes, to_xlsx_bytes
from partnernetz.i18n import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEASURES = ("reachable", "located", "per_10k")
SCORE = "__score__"
# Light fills with dark ink of the same hue: readable, and the symbol carries the meaning too.
CELL_FILL = {cov.GREEN: "#CDEBC5", cov.YELLOW: "#FFEDA0", cov.RED: "#F9C0B0"}
CELL_INK = {cov.GREEN: "#146C2E", cov.YELLOW: "#7A5200", cov.RED: "#A3201A"}
EXPORT_HEADERS: dict[str, tuple[str, str]] = {
    "ags": ("AGS", "AGS"),
    "town": ("Ort", "Town"),
    "category": ("Kategorie (Schlüssel)", "Category (key)"),
    "category_label": ("Kategorie", "Category"),
    "population": ("Einwohner", "Population"),
    "located": ("im Ort", "in town"),
    "reachable": ("erreichbar", "reachable"),
    "per_10k": ("erreichbar je 10.000 Einw.", "reachable per 10,000"),
    "planned": ("geplant", "planned"),
    "inactive": ("inaktiv", "inactive"),
    "required": ("Ziel", "target"),
    "status": ("Ampel", "traffic light"),
    "nearest_km": ("nächste (km)", "nearest (km)"),
    "nearest_town": ("nächste in", "nearest in"),
}


# --------------------------------------------------------------------------- helpers


def number_text(value: float, measure: str, lang: str) -> str:
    """A cell figure: whole numbers for counts, one decimal per 10,000; "–" if unknown."""
    if value is None or pd.isna(value):
        return "–"
    return maps.format_number(float(value), lang=lang, decimals=1 if measure == "per_10k" else 0)


def percent_text(value: float, lang: str) -> str:
    """A share in per cent, "86 %" (German) or "86%" (English)."""
    number = maps.format_number(float(value), lang=lang, decimals=0)
    return f"{number}%" if lang == "en" else f"{number} %"


def light_styles(status: pd.DataFrame) -> pd.DataFrame:
    """CSS per cell from a frame of ``green``/``yellow``/``red``."""
    return status.map(lambda s: f"background-color: {CELL_FILL[s]}; color: {CELL_INK[s]}"
                      if s in CELL_FILL else "")


def styled(texts: pd.DataFrame, status: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The text table coloured by the traffic light of each cell."""
    return texts.style.apply(lambda _: light_styles(status), axis=None)


def narrow_columns(table: pd.DataFrame, width: int = 100) -> dict:
    """Cells like "✓ 3" need little room: narrow columns, so that all categories fit;
    the full label shows on hover."""
    return {column: st.column_config.TextColumn(column, width=width, help=column)
            for column in table.columns}


def matrix_tables(matrix: pd.DataFrame, measure: str, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Towns × categories: the cell texts ("✓ 3", "! 1/3", "✗ 0 +1 gepl.") and the lights."""
    symbol = matrix["status"].map(cov.STATUS_SYMBOLS)
    figure = [number_text(v, measure, lang) for v in matrix[measure]]
    text = symbol + " " + pd.Series(figure, index=matrix.index, dtype=object)
    if measure == "reachable":
        yellow = matrix["status"] == cov.YELLOW
        text[yellow] = text[yellow] + "/" + matrix.loc[yellow, "required"].astype(str)
    planned = matrix["planned"] > 0
    text[planned] = (text[planned] + " +" + matrix.loc[planned, "planned"].astype(str) + " "
                     + t("coverage.planned_short", lang))
    long = matrix.assign(cell=text, key=matrix["category"])
    return wide(long, "cell", lang), wide(long, "status", lang)


def wide(long: pd.DataFrame, value: str, lang: str) -> pd.DataFrame:
    """A long town × key frame (columns ``ags``, ``town``, ``key``, ``label_de``/``label_en``)
    as towns × labels: rows named by town, columns by label (made unique), index "Ort"/"Town"."""
    table = cov.pivot_long(long, column="key", value=value, index="ags")
    towns = dict(zip(long["ags"], long["town"], strict=False))
    labels = dict(zip(long["key"], long["label_en" if lang == "en" else "label_de"], strict=False))
    names = [labels[k] for k in table.columns]
    table.columns = [f"{n} ({k})" if names.count(n) > 1 else n
                     for n, k in zip(names, table.columns, strict=True)]
    table.index = pd.Index([towns[a] for a in table.index], name=t("coverage.town", lang))
    return table


def attribute_tables(long: pd.DataFrame, key: str, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stages, target groups or languages: "✓ 5" / "✗ 0" per town and key, and the lights."""
    long = long.assign(
        cell=[f"✓ {n}" if c else "✗ 0" for n, c in zip(long["partners"], long["covered"], strict=True)],
        light=long["covered"].map({True: cov.GREEN, False: cov.RED}),
        key=long[key],
    )
    return wide(long, "cell", lang), wide(long, "light", lang)


def attribute_export(long: pd.DataFrame, key_header: tuple[str, str], lang: str) -> pd.DataFrame:
    """The long attribute frame with readable headers, for download."""
    en = lang == "en"
    return pd.DataFrame({
        "AGS": long["ags"],
        t("coverage.town", lang): long["town"],
        key_header[1 if en else 0]: long["label_en" if en else "label_de"],
        t("coverage.export.partners", lang): long["partners"],
        t("coverage.export.covered", lang): long["covered"].map(
            {True: t("coverage.yes", lang), False: t("coverage.no", lang)}),
    })


def matrix_export(matrix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The long matrix (every figure per town × category) with readable headers."""
    table = cov.coverage_table(matrix, lang=lang)
    table["status"] = table["status"].map(lambda s: cov.STATUS_LABELS[s].en if lang == "en"
                                          else cov.STATUS_LABELS[s].de)
    return table.rename(columns={k: v[1 if lang == "en" else 0] for k, v in EXPORT_HEADERS.items()})


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


# --------------------------------------------------------------------------- page

ctx = get_context()
lang, dataset, spec = ctx.lang, ctx.dataset, ctx.spec
en = lang == "en"
label_col = "label_en" if en else "label_de"
analysis = cached.coverage_analysis(ctx.app.key, spec.without_towns())
head = cached.selection_headline(ctx.app.key, spec)
selected = list(spec.towns)


def narrow(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the selected towns only (all towns without a town filter)."""
    return frame[frame["ags"].isin(selected)] if selected else frame


matrix = narrow(analysis.matrix)
stem = f"abdeckung-{dataset.region.kreis}" if not en else f"coverage-{dataset.region.kreis}"

st.header(t("coverage.title", lang))
st.caption(t("coverage.intro", lang))
if selected:
    st.info(t("coverage.towns_selected", lang, n=len(selected), total=len(dataset.towns)),
            icon=":material/filter_alt:")
if head.partners_active == 0:
    st.warning(t("coverage.no_active", lang))

measure = st.segmented_control(
    t("coverage.measure", lang), MEASURES, key="coverage_measure", default="reachable",
    required=True, format_func=lambda m: t(f"coverage.measure.{m}", lang),
    help=t("coverage.measure_help", lang),
) or "reachable"

# --- the matrix
st.subheader(t("coverage.matrix", lang))
texts, lights = matrix_tables(matrix, measure, lang)
st.dataframe(styled(texts, lights), width="stretch", key="coverage_matrix",
             height=min(38 + 35 * len(texts), 720), column_config=narrow_columns(texts))
st.markdown(t("coverage.legend", lang))
st.caption(t(f"coverage.legend.{measure}", lang) + " " + t("coverage.legend_planned", lang))
st.caption(t("coverage.apart", lang, planned=head.partners_planned, inactive=head.partners_inactive))
spots = cov.describe_white_spots(matrix, lang=lang)
if spots:
    st.markdown(f"**{t('coverage.white_spots', lang, n=len(spots))}**")
    st.markdown("\n".join(f"- {s}" for s in spots))
else:
    st.success(t("coverage.no_white_spots", lang))
apart = matrix[(matrix["planned"] > 0) | (matrix["inactive"] > 0)]
if len(apart):
    with st.expander(t("coverage.apart_table", lang, n=len(apart))):
        st.dataframe(pd.DataFrame({
            t("coverage.town", lang): apart["town"],
            t("coverage.category", lang): apart[label_col],
            t("coverage.planned", lang): apart["planned"],
            t("coverage.inactive", lang): apart["inactive"],
        }), hide_index=True, width="stretch")
matrix_frame = matrix_export(matrix, lang)
downloads({t("coverage.sheet.matrix", lang): matrix_frame}, stem, "dl_matrix", lang)

# --- the map and the comparison chart
st.subheader(t("coverage.map", lang))
options = [SCORE, *dataset.categories]
category = st.selectbox(
    t("coverage.map_category", lang), options, key="coverage_map_category",
    format_func=lambda k: t("coverage.score", lang) if k == SCORE else dataset.categories[k].label(lang),
)
towns = narrow(dataset.towns)
fmt: Callable[[float], str]
if category == SCORE:
    scores = narrow(analysis.scores)
    values = pd.Series((scores["score"] * 100).to_numpy(), index=scores["ags"].to_numpy())
    unit = t("coverage.unit.score", lang)
    title = t("coverage.score", lang)
    fmt = functools.partial(percent_text, lang=lang)
    value_range = (0.0, 100.0)
else:
    cells = matrix[matrix["category"] == category]
    values = pd.Series(cells[measure].to_numpy(dtype=float), index=cells["ags"].to_numpy())
    unit = t(f"coverage.unit.{measure}", lang)
    title = f"{dataset.categories[category].label(lang)}: {t(f'coverage.measure.{measure}', lang)}"
    fmt = functools.partial(number_text, measure=measure, lang=lang)
    value_range = (0.0, max(float(values.max()), 1.0)) if values.notna().any() else None
fmap = maps.build_choropleth_map(towns, values, value_label=unit, lang=lang, fmt=fmt, title=title,
                                 attribution=maps.DATA_ATTRIBUTION, value_range=value_range)
st_folium(fmap, key="coverage_map", height=480, use_container_width=True, returned_objects=[])
st.caption(t("coverage.map_hint", lang))

st.markdown(f"**{t('coverage.compare', lang, what=title)}**")
chart = pd.DataFrame({
    "town": towns.set_index("ags").loc[values.index, "name"].to_numpy(),
    "value": values.to_numpy(dtype=float),
})
st.bar_chart(chart, x="town", y="value", horizontal=True, sort="-value",
             x_label=t("coverage.town", lang), y_label=title,
             height=max(160, 26 * len(chart) + 60))

# --- education chain, languages, target groups
st.subheader(t("coverage.attributes", lang))
st.caption(t("coverage.attributes_hint", lang))
stage_tab, language_tab, group_tab = st.tabs([
    t("coverage.stages", lang), t("coverage.languages", lang), t("coverage.target_groups", lang),
])
views = (
    (stage_tab, narrow(analysis.stages), "stages", "stage",
     ("Stufe der Bildungskette", "Education-chain stage")),
    (language_tab, narrow(analysis.languages), "languages", "language", ("Sprache", "Language")),
    (group_tab, narrow(analysis.target_groups), "target_groups", "target_group",
     ("Zielgruppe", "Target group")),
)
attribute_exports = {}
for tab, long, name, key_column, header in views:
    with tab:
        if long.empty:
            st.info(t("coverage.none_offered", lang))
            continue
        texts, lights = attribute_tables(long, key_column, lang)
        st.dataframe(styled(texts, lights), width="stretch", key=f"coverage_{name}")
        missing = long[~long["covered"]]
        st.caption(t("coverage.missing_cells", lang, n=len(missing), total=len(long)))
        frame = attribute_export(long, header, lang)
        attribute_exports[t(f"coverage.sheet.{name}", lang)] = frame
        downloads({t(f"coverage.sheet.{name}", lang): frame}, f"{stem}-{name}", f"dl_{name}", lang)

# --- KIM case management and distances
st.subheader(t("coverage.kim", lang))
kim = narrow(analysis.kim)
kim_table = pd.DataFrame({
    t("coverage.town", lang): kim["town"],
    t("coverage.kim_column", lang): kim["present"].map(
        {True: "✓ " + t("coverage.present", lang), False: "✗ " + t("coverage.missing", lang)}),
    t("coverage.measure.reachable", lang): kim["reachable"],
    t("coverage.measure.located", lang): kim["located"],
    t("coverage.planned", lang): kim["planned"],
    t("coverage.nearest_offer", lang): [
        f"{town or '?'}, {cov.format_km(km, lang=lang)}" if not pd.isna(km) else "–"
        for town, km in zip(kim["nearest_town"], kim["nearest_km"], strict=True)
    ],
})
kim_lights = pd.DataFrame("", index=kim_table.index, columns=kim_table.columns)
kim_lights[t("coverage.kim_column", lang)] = kim["present"].map({True: cov.GREEN, False: cov.RED})
st.dataframe(styled(kim_table, kim_lights), hide_index=True, width="stretch", key="coverage_kim")
st.caption(t("coverage.kim_summary", lang, present=int(kim["present"].sum()), total=len(kim)))
downloads({t("coverage.sheet.kim", lang): kim_table}, f"{stem}-kim", "dl_kim", lang)

st.subheader(t("coverage.nearest", lang))
st.caption(t("coverage.nearest_hint", lang))
nearest = matrix.assign(
    cell=[f"{town or '?'}, {cov.format_km(km, lang=lang)}" if not pd.isna(km) else "–"
          for town, km in zip(matrix["nearest_town"], matrix["nearest_km"], strict=True)],
    key=matrix["category"],
)
nearest_texts = wide(nearest, "cell", lang)
st.dataframe(styled(nearest_texts, wide(nearest, "status", lang)), width="stretch",
             key="coverage_nearest")
nearest_export = pd.DataFrame({
    "AGS": matrix["ags"],
    t("coverage.town", lang): matrix["town"],
    t("coverage.category", lang): matrix[label_col],
    t("coverage.nearest_in", lang): matrix["nearest_town"],
    "km": matrix["nearest_km"].astype(float).round(1),
})
downloads({t("coverage.sheet.nearest", lang): nearest_export}, f"{stem}-entfernungen" if not en
          else f"{stem}-distances", "dl_nearest", lang)

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
