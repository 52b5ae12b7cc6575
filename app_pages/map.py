"""Karte: the filtered partners on a map; a click on a town filters to that town.

Thin: the sidebar filters come from dashboard.py (``get_context``); the map is
built by :func:`partnernetz.views.maps.build_partner_map` and drawn client-side by
streamlit-folium. Zoom, pan and clicks on partners never rerun this script
(``maps.st_folium_kwargs``); only a click on a town does, through
``on_change``: it sets the sidebar's town filter (its widget state, before
the rerun); the shell then writes the new view into the URL, one
browser-history step.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from app_pages.shared import asset_base, get_context
from partnernetz.filters import mark_relation
from partnernetz.i18n import t
from partnernetz.views import lists
from partnernetz.views.cards import CARD_CSS
from partnernetz.views.map_widget import BASEMAPS, clicked_town, st_folium_kwargs
from partnernetz.views.maps import build_partner_map

MAP_KEY = "partner_map"
BASEMAP_PARAM = "hintergrund"  # URL parameter of the basemap choice
TOWN_FILTER_KEY = "w.ort.{lang}"  # the sidebar's town filter widget (dashboard.py)
FOCUS_PARAM = "partner"  # set by "Auf der Karte zeigen" in the directory
DEFAULT_BASEMAP = "osm"
FOCUS_DROPPED = "map.focus_dropped"
MAP_HEIGHT = 640
MAP_BOX = "pn-partner-map"  # container key: CSS class st-key-pn-partner-map
MAP_CSS_HEIGHT = f"clamp(320px, calc(100vh - 140px), {MAP_HEIGHT}px)"
LIST_LIMIT = 500  # entries in the partner list under the map (the directory shows all)

ctx = get_context()
lang, dataset, partners = ctx.lang, ctx.dataset, ctx.partners
town_names = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))


def town_clicked() -> None:
    """``st_folium`` on_change: a click on a town becomes the town filter (before the rerun)."""
    ags = clicked_town(st.session_state.get(MAP_KEY))
    key = TOWN_FILTER_KEY.format(lang=lang)
    if ags in town_names and st.session_state.get(key) != [ags]:
        st.session_state[key] = [ags]
        st.session_state[FOCUS_DROPPED] = True  # the town is the new focus


st.header(t("map.title", lang), anchor=False)
choices = list(BASEMAPS)
basemap = st.radio(
    t("map.basemap", lang), choices,
    key=ctx.page_choice(BASEMAP_PARAM, choices, default=DEFAULT_BASEMAP),
    horizontal=True, format_func=lambda key: t(f"map.basemap.{key}", lang),
) or DEFAULT_BASEMAP
ctx.keep(BASEMAP_PARAM, basemap, default=DEFAULT_BASEMAP)

focus = None if st.session_state.pop(FOCUS_DROPPED, False) else ctx.link_page.get(FOCUS_PARAM)
ctx.keep(FOCUS_PARAM, focus)
if focus and focus not in set(partners["id"]):
    st.info(t("map.focus_filtered", lang), icon=":material/filter_alt:")
    focus = None
selected = ctx.spec.towns[0] if len(ctx.spec.towns) == 1 else None

fmap = build_partner_map(
    mark_relation(partners, ctx.spec), dataset.towns, dataset.categories, lang=lang,
    basemap=basemap, focus_id=focus, selected_town=selected, attribution=dataset.attribution,
    asset_base=asset_base(),
)
# The map's height is fixed from the first paint (no jump when the component
# loads, so the first click lands) and never taller than the viewport.
st.html(f"<style>.st-key-{MAP_BOX} iframe {{ height: {MAP_CSS_HEIGHT} !important; }}"
        f".st-key-{MAP_BOX} {{ min-height: {MAP_CSS_HEIGHT}; }}</style>")
with st.container(key=MAP_BOX):
    st_folium(fmap, **st_folium_kwargs(key=MAP_KEY, height=MAP_HEIGHT), on_change=town_clicked)

if partners.empty:
    st.info(t("directory.empty", lang), icon=":material/search_off:")
notes = [t("map.count", lang, n=len(partners))]
if selected:
    notes.append(t("map.town_filtered", lang, town=town_names.get(selected, selected)))
notes.append(t("map.town_hint", lang))
st.caption(" · ".join(notes))

# The same partners as an accessible list (the skip link's target): each entry
# opens its contact card with Enter.
shown = partners.sort_values("name", key=lambda names: names.str.casefold()).head(LIST_LIMIT)
note = t("map.list_hint", lang)
if len(partners) > LIST_LIMIT:
    note += " " + t("map.list_more", lang, shown=LIST_LIMIT, n=len(partners))
st.html(f"<style>{CARD_CSS}{lists.LIST_CSS}</style>" + lists.partner_list_html(
    shown, dataset.categories, lang=lang, heading=t("map.list", lang, n=len(partners)), note=note))
