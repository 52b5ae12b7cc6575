"""Verzeichnis: the filtered partners as a table, a contact card, and downloads."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from app_pages import cached
from app_pages.shared import current_identity, get_context
from partnernetz.exchange.export import (
    directory_csv,
    directory_table,
    directory_vcf,
    directory_xlsx,
    scope_text,
    scope_word,
)
from partnernetz.filters import mark_relation, serving_only
from partnernetz.i18n import t
from partnernetz.views import lists
from partnernetz.views.cards import CARD_CSS, render_contact_card
from partnernetz.views.links import link_params

PAGE_SIZE = 25  # rows per page of the HTML table
# the HTML table's columns (all of them are in the downloads), German and English headers
TABLE_HEADS = {"name": ("Name", "Name"), "category": ("Kategorie", "Category"),
               "town": ("Ort", "Town"), "street": ("Straße", "Street"),
               "phone": ("Telefon", "Phone"), "email": ("E-Mail", "E-mail"),
               "website": ("Website", "Website"), "languages": ("Sprachen", "Languages"),
               "accessible": ("Barrierefrei", "Accessible")}
VIEW_LABELS = {"raster": "directory.view.grid", "tabelle": "directory.view.table"}

ctx = get_context()
lang, dataset = ctx.lang, ctx.dataset
selection = cached.partner_selection(ctx.app, ctx.spec)
searched = selection.relevance is not None
# after a search the best matches come first (the name before the description)
partners = mark_relation(selection.by_relevance(), ctx.spec)  # cards: "zuständig, nicht im Ort"
en = lang == "en"

st.header(t("directory.title", lang), anchor=False)
st.caption(t("directory.intro", lang))
if partners.empty:
    st.info(t("directory.empty", lang), icon=":material/search_off:")
    st.stop()

marks = serving_only(partners, ctx.spec) if ctx.spec.towns and ctx.spec.include_serving else None
table = directory_table(partners, dataset.categories, lang=lang, serving_only=marks)
name_col, town_col, phone_col, email_col, web_col, verified_col = (
    ("Name", "Town", "Phone", "E-mail", "Website", "Last verified") if en
    else ("Name", "Ort", "Telefon", "E-Mail", "Website", "Zuletzt geprüft")
)


def card_actions(row: pd.Series) -> None:
    """Under the card shown: "Auf der Karte zeigen", and "Bearbeiten" for who may edit it."""
    left, right = st.columns(2)
    if left.button(t("directory.show_on_map", lang), icon=":material/pin_drop:", key="show_on_map"):
        st.switch_page("app_pages/map.py",
                       query_params={**link_params(ctx.spec, lang=lang), "partner": row["id"]})
    viewer = current_identity()
    source = cached.registry_path()
    editable = viewer.signed_in and row["id"] in cached.editable_entries(
        str(source), cached.registry_stamp(source), int(viewer.role), viewer.email or "")
    if editable and right.button(t("edit.title", lang), icon=":material/edit:", key="directory_edit"):
        st.switch_page("app_pages/edit.py", query_params={"partner": row["id"]})


view = st.segmented_control(
    t("directory.view", lang), ["raster", "tabelle"], key="ansicht", default="raster",
    required=True, format_func=lambda v: t(VIEW_LABELS[v], lang),
) or "raster"

if view == "tabelle":
    # A real HTML table (screen readers read it as a table): sorted and paged here.
    columns_shown = [h[1] if en else h[0] for h in TABLE_HEADS.values()]
    columns_shown = [c for c in columns_shown if c in table.columns]
    pick_sort, pick_order, pick_page = st.columns(3)
    relevance = t("directory.sort.relevance", lang)
    sort_choices = [relevance, *columns_shown] if searched else columns_shown
    if st.session_state.get("dir_sort") not in sort_choices:
        st.session_state.pop("dir_sort", None)
    sort_pick = pick_sort.selectbox(t("directory.sort", lang), sort_choices, key="dir_sort")
    sort_column = None if sort_pick == relevance else sort_pick
    order = pick_order.radio(t("directory.order", lang), ["asc", "desc"], key="dir_order",
                             horizontal=True, format_func=lambda o: t(f"directory.order.{o}", lang))
    pages = lists.page_count(len(table), PAGE_SIZE)
    if st.session_state.get("dir_page", 1) > pages:
        st.session_state["dir_page"] = 1
    page = pick_page.number_input(t("directory.page", lang), min_value=1, max_value=pages,
                                  step=1, key="dir_page")
    part = lists.sort_and_page(table[columns_shown], column=sort_column, descending=order == "desc",
                               page=int(page), page_size=PAGE_SIZE)
    caption = t("directory.caption", lang, first=part.first, last=part.last, total=part.total,
                column=sort_pick, order=t(f"directory.order.{order}", lang), page=part.page,
                pages=part.pages)
    st.html(f"<style>{lists.LIST_CSS}</style>" + lists.directory_table_html(
        part.frame, caption=caption, row_header=name_col, sort_column=sort_column,
        descending=order == "desc", links={email_col: "mailto", phone_col: "tel", web_col: "url"}))
    # the contact card of one partner of this page
    on_page = partners.loc[part.frame.index]
    names = dict(zip(on_page["id"], on_page["name"], strict=True))
    chosen = st.selectbox(t("directory.card_pick", lang), list(names), key="dir_card",
                          format_func=names.__getitem__, index=None,
                          placeholder=t("directory.select_hint", lang))
    if chosen is not None:
        row = partners[partners["id"] == chosen].iloc[0]
        st.html(f"<style>{CARD_CSS}</style>"
                f"{render_contact_card(row.to_dict(), dataset.categories, lang=lang)}")
        card_actions(row)
else:
    grid = table.copy()
    grid[email_col] = grid[email_col].map(lambda v: f"mailto:{v}" if v else "")
    grid[verified_col] = pd.to_datetime(grid[verified_col])
    # Name, town, phone and e-mail first: visible at 1280 px without scrolling sideways.
    first = [c for c in (name_col, town_col, phone_col, email_col) if c in grid.columns]
    hidden = {"ID", "Beschreibung", "Description"}
    visible = first + [c for c in grid.columns if c not in hidden and c not in first]
    event = st.dataframe(
        grid[visible],
        hide_index=True,
        width="stretch",
        height=420,
        on_select="rerun",
        selection_mode="single-row",
        key="directory_table",
        column_config={
            name_col: st.column_config.TextColumn(name_col, width=260),
            town_col: st.column_config.TextColumn(town_col, width=105),
            phone_col: st.column_config.TextColumn(phone_col, width=120),
            email_col: st.column_config.LinkColumn(email_col, display_text=r"mailto:(.*)",
                                                   width=250),
            web_col: st.column_config.LinkColumn(web_col,
                                                 display_text=r"https?://(?:www\.)?([^/]+).*"),
            verified_col: st.column_config.DateColumn(verified_col, format="DD.MM.YYYY" if not en
                                                      else "YYYY-MM-DD"),
        },
    )
    st.caption(t("directory.count", lang, n=len(partners)))

    rows = event.selection.rows if event and event.selection else []
    if rows:
        row = partners.iloc[rows[0]]
        card = render_contact_card(row.to_dict(), dataset.categories, lang=lang)
        st.html(f"<style>{CARD_CSS}</style>{card}")
        card_actions(row)
    else:
        st.caption(t("directory.select_hint", lang))

st.subheader(t("directory.download", lang, n=len(partners)))
# the data is already redacted for the viewer's role; the exports say what they hold
internal = ctx.app.role.sees_internal_contacts
st.caption(scope_text(internal=internal, lang=lang))
stem = ctx.download_stem(scope=scope_word(internal=internal))
columns = st.columns(3)
downloads = (
    ("directory.csv", directory_csv, "csv", "text/csv"),
    ("directory.xlsx", directory_xlsx, "xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("directory.vcf", directory_vcf, "vcf", "text/vcard"),
)
for column, (label, build, ext, mime) in zip(columns, downloads, strict=True):
    column.download_button(
        t(label, lang),
        data=functools.partial(build, partners, dataset.categories, lang=lang, internal=internal),
        file_name=f"{stem}.{ext}",
        mime=mime,
        icon=":material/download:",
        on_click="ignore",
        key=f"download_{ext}",
    )

st.caption(t("export.gis", lang))
columns = st.columns(4)
for column, fmt in zip(columns, cached.EXPORT_FORMATS, strict=True):
    ending, mime = cached.EXPORT_FORMATS[fmt]
    column.download_button(
        t(f"export.{fmt.replace('-', '_')}", lang),
        data=functools.partial(cached.exchange_export, ctx.app.key, ctx.spec, fmt),
        file_name=f"{stem}.{ending}",
        mime=mime,
        icon=":material/map:" if fmt in ("geojson", "gpkg") else ":material/share:",
        on_click="ignore",
        key=f"download_{fmt}",
    )
