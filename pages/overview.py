"""Übersicht: the home page for leadership, readable in half a minute.

Headline figures, a map of the coverage score, the white spots as plain
sentences, a short comparison of the towns and the printable report. Every
figure follows the sidebar filters; the coverage analysis leaves the town
filter out (it compares towns) and a town selection narrows what is shown.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from pages import cached
from pages.shared import get_context
from partnernetz import coverage as cov
from partnernetz import maps
from partnernetz.i18n import t

SHOWN_SENTENCES = 8


def percent_text(value: float, lang: str) -> str:
    """A share (0–1) in per cent, "77 %" / "77%"; "–" if unknown."""
    if value is None or pd.isna(value):
        return "–"
    number = maps.format_number(float(value) * 100, lang=lang, decimals=0)
    return f"{number}%" if lang == "en" else f"{number} %"


def slug(text: str) -> str:
    """A file-name part: lower case, umlauts spelled out, dashes."""
    folded = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        folded = folded.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "ort"


ctx = get_context()
lang, dataset, spec, key = ctx.lang, ctx.dataset, ctx.spec, ctx.app.key
en = lang == "en"
analysis = cached.coverage_analysis(key, spec.without_towns())
head = cached.selection_headline(key, spec)
selected = list(spec.towns)
today = dt.date.fromisoformat(key[2])


def narrow(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the selected towns only (all towns without a town filter)."""
    return frame[frame["ags"].isin(selected)] if selected else frame


st.header(t("overview.title", lang))
st.caption(t("overview.intro", lang, date=today.isoformat() if en else today.strftime("%d.%m.%Y")))
if selected:
    st.info(t("coverage.towns_selected", lang, n=len(selected), total=len(dataset.towns)),
            icon=":material/filter_alt:")

# --- headline figures
figures = (
    ("overview.partners", f"{head.partners_active:,}".replace(",", "." if not en else ","),
     "overview.partners_help"),
    ("overview.towns", str(head.towns), "overview.towns_help"),
    ("overview.white_towns", str(head.towns_with_white_spots), "overview.white_towns_help"),
    ("overview.languages", str(head.languages), "overview.languages_help"),
    ("overview.verified", percent_text(head.verified_share, lang), "overview.verified_help"),
    ("overview.planned", str(head.partners_planned), "overview.planned_help"),
)
columns = [*st.columns(3), *st.columns(3)]  # two rows: the labels stay readable
for column, (label, value, help_key) in zip(columns, figures, strict=True):
    column.metric(t(label, lang), value, help=t(help_key, lang), border=True)
st.caption(t("overview.figures_note", lang, spots=head.white_spots, inactive=head.partners_inactive))

# --- map and white spots
left, right = st.columns([3, 2], gap="large")
scores = narrow(analysis.scores)
with left:
    st.subheader(t("overview.map", lang))
    values = pd.Series((scores["score"] * 100).to_numpy(dtype=float), index=scores["ags"].to_numpy())
    fmap = maps.build_choropleth_map(
        narrow(dataset.towns), values, value_label=t("coverage.unit.score", lang), lang=lang,
        fmt=lambda v: percent_text(v / 100, lang), title=t("coverage.score", lang),
        attribution=maps.DATA_ATTRIBUTION, value_range=(0.0, 100.0),
    )
    st_folium(fmap, key="overview_map", height=420, use_container_width=True, returned_objects=[])
    st.caption(t("overview.map_hint", lang))
with right:
    sentences = cov.describe_white_spots(narrow(analysis.matrix), lang=lang)
    st.subheader(t("overview.white_spots", lang, n=len(sentences)))
    if sentences:
        st.markdown("\n".join(f"- {s}" for s in sentences[:SHOWN_SENTENCES]))
        if len(sentences) > SHOWN_SENTENCES:
            with st.expander(t("overview.more", lang, n=len(sentences) - SHOWN_SENTENCES)):
                st.markdown("\n".join(f"- {s}" for s in sentences[SHOWN_SENTENCES:]))
    else:
        st.success(t("coverage.no_white_spots", lang))
    st.caption(t("overview.white_spots_hint", lang))

# --- the towns compared
st.subheader(t("overview.compare", lang))
summary = narrow(cov.summarise_towns(analysis, lang=lang))
labels = {k: info.label(lang) for k, info in dataset.categories.items()}
table = pd.DataFrame({
    t("coverage.town", lang): summary["town"],
    t("coverage.score", lang): (summary["score"] * 100).round(0),
    t("overview.lights", lang): [f"✓ {g} · ! {y} · ✗ {r}" for g, y, r in
                                 zip(summary["green"], summary["yellow"], summary["red"], strict=True)],
    t("overview.gaps", lang): [", ".join(labels.get(k, k) for k in keys) or "–"
                               for keys in summary["white_spots"]],
    t("overview.kim", lang): summary["kim"].map({True: "✓", False: "✗"}),
    t("overview.languages", lang): summary["languages"].map(len),
    t("overview.verified", lang): (summary["verified_share"] * 100).round(0),
}).sort_values([t("coverage.score", lang), t("coverage.town", lang)])
st.dataframe(
    table, hide_index=True, width="stretch", key="overview_towns",
    height=min(38 + 35 * len(table), 420),
    column_config={
        t("coverage.town", lang): st.column_config.TextColumn(pinned=True),
        t("coverage.score", lang): st.column_config.ProgressColumn(
            min_value=0, max_value=100, format="%d %%", help=t("overview.score_help", lang)),
        t("overview.verified", lang): st.column_config.NumberColumn(format="%d %%"),
    },
)
st.caption(t("overview.compare_hint", lang))

# --- the printable report
st.subheader(t("overview.report", lang))
st.caption(t("overview.report_hint", lang))
names = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
report_spec = spec.without_towns()
kreis_col, town_col, button_col = st.columns([2, 2, 2], vertical_alignment="bottom")
kreis_col.download_button(
    t("overview.report_kreis", lang),
    data=functools.partial(cached.report_pdf, key, report_spec, None, lang),
    file_name=f"partnernetz-{'report' if en else 'bericht'}-{slug(dataset.region.name)}.pdf",
    mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore",
    key="report_kreis",
)
town = town_col.selectbox(
    t("overview.report_town", lang), list(names), format_func=names.__getitem__,
    index=list(names).index(selected[0]) if selected and selected[0] in names else 0,
    key="report_town",
)
button_col.download_button(
    t("overview.report_profile", lang, town=names[town]),
    data=functools.partial(cached.report_pdf, key, report_spec, town, lang),
    file_name=f"{'profile' if en else 'steckbrief'}-{slug(names[town])}.pdf",
    mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore",
    key="report_profile",
)
