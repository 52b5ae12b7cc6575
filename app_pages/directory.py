"""Verzeichnis: the filtered partners as a table, a contact card, and downloads."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from app_pages import cached
from app_pages import recheck_support as support
from app_pages.shared import DIRECTORY_VIEWS, audited_download, current_identity, end_page, get_context
from partnernetz.errors import PartnernetzError
from partnernetz.exchange.export import (
    directory_csv,
    directory_table,
    directory_vcf,
    directory_xlsx,
    partner_vcard,
    scope_text,
    scope_word,
)
from partnernetz.filters import mark_relation, serving_only
from partnernetz.i18n import t
from partnernetz.views import lists
from partnernetz.views.cards import CARD_CSS, render_contact_card
from partnernetz.views.handout import card_print_html, card_print_pdf, card_url, qr_png, qr_svg
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
# Drawn before anything can end the page: an empty result keeps the chosen view,
# and the view is part of the URL (?ansicht=tabelle).
view = st.segmented_control(
    t("directory.view", lang), list(DIRECTORY_VIEWS),
    key=ctx.page_choice("ansicht", DIRECTORY_VIEWS, default="raster"),
    required=True, format_func=lambda v: t(VIEW_LABELS[v], lang),
) or "raster"
ctx.keep("ansicht", view, default="raster")
if partners.empty:
    st.info(t("directory.empty", lang), icon=":material/search_off:")
    end_page()

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
    hand_on(row)


def hand_on(row: pd.Series, *, prefix: str = "card") -> None:
    """One partner to hand on: its vCard, a print view, the link to its card and a QR code of it."""
    record = row.to_dict()
    internal = ctx.app.role.sees_internal_contacts
    viewer = current_identity()
    url = card_url(support.app_base_url(), str(record["id"]), lang=lang)
    stem = f"{record['id']}-{scope_word(internal=internal)}"
    with st.expander(t("handout.title", lang), icon=":material/share:"):
        qr, text = st.columns([1, 3])
        qr.html(qr_svg(url, title=t("handout.qr_alt", lang, name=str(record["name"]))))
        text.caption(t("handout.link", lang))
        text.code(url, language=None)
        page = functools.partial(card_print_html, record, dataset.categories, url=url, lang=lang,
                                 internal=internal)
        vcard = functools.partial(_vcard_bytes, record, internal=internal)
        files = (
            ("handout.vcard", vcard, "vcf", "text/vcard", "contact_page"),
            ("handout.print_pdf", lambda: card_print_pdf(page()), "pdf", "application/pdf", "print"),
            ("handout.print_html", lambda: page().encode("utf-8"), "html", "text/html", "article"),
        )
        columns = st.columns(4)
        for column, (label, build, ext, mime, icon) in zip(columns, files, strict=False):
            column.download_button(
                t(label, lang), data=audited_download(build, viewer=viewer, file_name=f"{stem}.{ext}"),
                file_name=f"{stem}.{ext}", mime=mime, on_click="ignore", key=f"{prefix}_handout_{ext}",
                icon=f":material/{icon}:")
        columns[3].download_button(t("handout.qr_png", lang), data=functools.partial(qr_png, url),
                                   file_name=f"{stem}-qr.png", mime="image/png", on_click="ignore",
                                   key=f"{prefix}_handout_qr", icon=":material/qr_code_2:")


def _vcard_bytes(record: dict, *, internal: bool) -> bytes:
    return partner_vcard(record, dataset.categories, lang=lang, internal=internal).encode("utf-8")


def linked_card() -> None:
    """``?partner=ID``: that partner's card first (a link handed on), kept in the URL."""
    wanted = ctx.link_page.get("partner")
    if not wanted:
        return
    found = dataset.partners[dataset.partners["id"] == wanted]
    if found.empty:
        st.warning(t("handout.unknown", lang, id=wanted), icon=":material/link_off:")
        return
    ctx.keep("partner", wanted)
    row = found.iloc[0]
    st.subheader(t("handout.linked", lang), anchor=False)
    st.html(f"<style>{CARD_CSS}</style>{render_contact_card(row.to_dict(), dataset.categories, lang=lang)}")
    try:
        hand_on(row, prefix="linked")
    except PartnernetzError as exc:
        st.error(str(exc))
    st.divider()


linked_card()



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
    # the contact card of one partner of this page; the table's index is the partner's
    # position (directory_table numbers its rows 0..n-1, whatever the filters left)
    on_page = partners.iloc[part.frame.index]
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
    # the grid's toolbar (search, download, full screen) floats above its top edge: room
    # for it, so that it never covers the "Tabelle (barrierefrei)" button on a phone
    st.html("<style>.st-key-directory_table { margin-top: 2.4rem; }</style>")
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
    table = functools.partial(build, partners, dataset.categories, lang=lang, internal=internal)
    column.download_button(
        t(label, lang),
        data=audited_download(table, viewer=ctx.identity, file_name=f"{stem}.{ext}"),
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
        data=audited_download(functools.partial(cached.exchange_export, ctx.app.key, ctx.spec, fmt),
                              viewer=ctx.identity, file_name=f"{stem}.{ending}"),
        file_name=f"{stem}.{ending}",
        mime=mime,
        icon=":material/map:" if fmt in ("geojson", "gpkg") else ":material/share:",
        on_click="ignore",
        key=f"download_{fmt}",
    )
