"""Verzeichnis: the filtered partners as a table, a contact card, and downloads."""

from __future__ import annotations

import functools

import streamlit as st

from pages.shared import get_context
from partnernetz.exchange.export import (
    directory_csv,
    directory_table,
    directory_vcf,
    directory_xlsx,
    scope_text,
    scope_word,
)
from partnernetz.i18n import DIRECTORY_COLUMNS, t
from partnernetz.views import lists
from partnernetz.views.cards import CARD_CSS, render_contact_card

PAGE_SIZE = 25  # rows per page of the HTML table
TABLE_COLUMNS = ("name", "category", "town", "street", "phone", "email", "website", "languages",
                 "accessible")  # the HTML table's columns (all of them are in the downloads)
VIEW_LABELS = {"raster": "directory.view.grid", "tabelle": "directory.view.table"}

ctx = get_context()
lang, dataset, partners = ctx.lang, ctx.dataset, ctx.partners

st.header(t("directory.title", lang), anchor=False)
st.caption(t("directory.intro", lang))
if partners.empty:
    st.info(t("directory.empty", lang))
    st.stop()

table = directory_table(partners, dataset.categories, lang=lang)
en = lang == "en"
heads = {key: (labels[1] if en else labels[0]) for key, labels in DIRECTORY_COLUMNS.items()}
email_col, web_col, phone_col = heads["email"], heads["website"], heads["phone"]
visible = [c for c in table.columns if c not in {heads["id"], heads["description"]}]

view = st.segmented_control(
    t("directory.view", lang), ["raster", "tabelle"], key="ansicht", default="raster",
    required=True, format_func=lambda v: t(VIEW_LABELS[v], lang),
) or "raster"

if view == "tabelle":
    # A real HTML table (screen readers read it as a table): sorted and paged here.
    pick_sort, pick_order, pick_page = st.columns(3)
    columns_shown = [heads[k] for k in TABLE_COLUMNS if heads[k] in table.columns]
    sort_column = pick_sort.selectbox(t("directory.sort", lang), columns_shown, key="dir_sort")
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
                column=sort_column, order=t(f"directory.order.{order}", lang), page=part.page,
                pages=part.pages)
    st.html(f"<style>{lists.LIST_CSS}</style>" + lists.directory_table_html(
        part.frame, caption=caption, row_header=heads["name"], sort_column=sort_column,
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
        if st.button(t("directory.show_on_map", lang), icon=":material/pin_drop:",
                     key="show_on_map"):
            st.switch_page("pages/map.py", query_params={"partner": row["id"]})
else:
    grid = table.copy()
    grid[email_col] = grid[email_col].map(lambda v: f"mailto:{v}" if v else None)
    event = st.dataframe(
        grid[visible],
        hide_index=True,
        width="stretch",
        height=420,
        on_select="rerun",
        selection_mode="single-row",
        key="directory_table",
        column_config={
            email_col: st.column_config.LinkColumn(email_col, display_text=r"mailto:(.*)"),
            web_col: st.column_config.LinkColumn(web_col, display_text=r"https?://(?:www\.)?([^/]+).*"),
            "Name": st.column_config.TextColumn("Name", pinned=True),
        },
    )
    st.caption(t("directory.count", lang, n=len(partners)))

    rows = event.selection.rows if event and event.selection else []
    if rows:
        row = partners.iloc[rows[0]]
        card = render_contact_card(row.to_dict(), dataset.categories, lang=lang)
        st.html(f"<style>{CARD_CSS}</style>{card}")
        if st.button(t("directory.show_on_map", lang), icon=":material/pin_drop:",
                     key="show_on_map"):
            st.switch_page("pages/map.py", query_params={"partner": row["id"]})
    else:
        st.caption(t("directory.select_hint", lang))

st.subheader(t("directory.download", lang, n=len(partners)))
# the data is already redacted for the viewer's role; the exports say what they hold
internal = ctx.app.role.sees_internal_contacts
st.caption(scope_text(internal=internal, lang=lang))
stem = f"partnernetz-{dataset.region.kreis}-{scope_word(internal=internal)}"
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
