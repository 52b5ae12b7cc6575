"""Übersicht: the home page for leadership, readable in half a minute.

Headline figures, a map of the coverage score, the white spots as plain
sentences, a short comparison of the towns and the printable report. Every
figure follows the sidebar filters; the coverage analysis leaves the town
filter out (it compares towns) and a town selection narrows what is shown.
The figures and tables themselves are built in :mod:`partnernetz.views.tables`.
"""

from __future__ import annotations

import functools

import streamlit as st
from streamlit_folium import st_folium

from app_pages import cached
from app_pages.shared import (
    asset_base,
    current_identity,
    get_context,
    no_white_spots_text,
    plain,
    show_what_is_counted,
    white_spots_scope,
)
from partnernetz.access import Role
from partnernetz.analysis.phrases import describe_white_spots
from partnernetz.analysis.summary import summarise_towns
from partnernetz.analysis.upkeep import FRESH_MONTHS, upkeep_figures
from partnernetz.filters import FilterSpec
from partnernetz.i18n import t
from partnernetz.views.choropleth import build_choropleth_map
from partnernetz.views.downloads import name_report_file
from partnernetz.views.layers import build_headline_figures, build_score_layer, build_town_comparison
from partnernetz.views.lists import LIST_CSS, directory_table_html, map_values_frame
from partnernetz.views.maps import DATA_ATTRIBUTION
from partnernetz.views.tables import format_date, select_towns

SHOWN_SENTENCES = 8

ctx = get_context()
lang, dataset, spec, key = ctx.lang, ctx.dataset, ctx.spec, ctx.app.key
analysis = cached.coverage_analysis(key, spec.without_towns())
head = cached.selection_headline(key, spec)
selected = list(spec.towns)
narrow = functools.partial(select_towns, towns=selected)

st.header(t("overview.title", lang))
st.caption(t("overview.intro", lang, date=format_date(ctx.app.stand, lang=lang)))
show_what_is_counted(ctx, active=analysis.headline.partners_active)

# --- headline figures
columns = [*st.columns(3), *st.columns(3)]  # two rows: the labels stay readable
figures = build_headline_figures(head, lang=lang)
for column, (label, value, help_text) in zip(columns, figures, strict=True):
    column.metric(label, value, help=help_text, border=True)
entries = head.partners_active + head.partners_planned + head.partners_inactive
fresh = 0 if entries == 0 or head.verified_share != head.verified_share else round(
    head.verified_share * entries)  # the share is of all entries (NaN: none)
st.caption(t("overview.figures_note", lang, spots=head.white_spots, entries=entries,
             active=head.partners_active, planned=head.partners_planned,
             inactive=head.partners_inactive, fresh=fresh))
trend = None if selected else cached.trend_line(key, spec, lang)
if trend is not None:
    st.markdown(trend)
viewer = current_identity()
if viewer.role >= Role.REDAKTION:
    # The share verified is a headline figure above (for everyone); editors also see what is due.
    upkeep = upkeep_figures(dataset.partners, today=ctx.app.today)
    first, second, _ = st.columns(3)
    first.metric(t("overview.upkeep_overdue", lang), upkeep.overdue, border=True,
                 help=t("overview.upkeep_overdue_help", lang, months=FRESH_MONTHS))
    with second:
        st.page_link("app_pages/checklist.py", label=t("nav.checklist", lang), icon=":material/fact_check:")

# --- map and white spots
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(t("overview.map", lang))
    layer = build_score_layer(narrow(analysis.scores), lang=lang)
    fmap = build_choropleth_map(
        narrow(dataset.towns), layer.values, value_label=layer.unit, lang=lang, fmt=layer.fmt,
        title=layer.title, attribution=DATA_ATTRIBUTION, asset_base=asset_base(),
        value_range=layer.value_range,
    )
    st_folium(fmap, key="overview_map", height=420, use_container_width=True, returned_objects=[])
    st.caption(t("overview.map_hint", lang))
    with st.expander(t("data.table", lang)):  # the map's data as a real table
        values = map_values_frame(narrow(dataset.towns), layer.values, fmt=layer.fmt,
                                  town_header=t("coverage.town", lang), value_header=layer.title)
        st.html(f"<style>{LIST_CSS}</style>" + directory_table_html(
            values, caption=f"{t('overview.map', lang)}: {layer.title}",
            row_header=t("coverage.town", lang)))
with right:
    sentences = describe_white_spots(narrow(analysis.matrix), lang=lang)
    st.subheader(t("overview.white_spots", lang, n=len(sentences)))
    if sentences:
        st.markdown("\n".join(f"- {plain(s)}" for s in sentences[:SHOWN_SENTENCES]))
        if len(sentences) > SHOWN_SENTENCES:
            with st.expander(t("overview.more", lang, n=len(sentences) - SHOWN_SENTENCES)):
                st.markdown("\n".join(f"- {plain(s)}" for s in sentences[SHOWN_SENTENCES:]))
        scope = white_spots_scope(ctx)
        if scope:
            st.caption(scope)
    else:
        st.success(no_white_spots_text(ctx, analysis.matrix))
    st.caption(t("overview.white_spots_hint", lang))

# --- the towns compared
st.subheader(t("overview.compare", lang))
summary = narrow(summarise_towns(analysis, lang=lang))
table = build_town_comparison(summary, dataset.categories, lang=lang)
if spec.without_towns() != FilterSpec():  # KIM under a filter would read "✗" where it is offered
    table = table.drop(columns=[t("overview.kim", lang)])
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
if spec.without_towns() != FilterSpec():
    st.caption(t("overview.compare_no_kim", lang))

# --- the printable report
st.subheader(t("overview.report", lang))
st.caption(t("overview.report_hint", lang))
names = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
report_spec = spec.without_towns()
kreis_col, town_col, button_col = st.columns([2, 2, 2], vertical_alignment="bottom")
kreis_col.download_button(
    t("overview.report_kreis", lang),
    data=functools.partial(cached.report_pdf, key, report_spec, None, lang),
    file_name=name_report_file(dataset.region.name, lang=lang, stand=ctx.app.stand),
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
    file_name=name_report_file(names[town], profile=True, lang=lang, stand=ctx.app.stand),
    mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore",
    key="report_profile",
)
