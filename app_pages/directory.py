"""Verzeichnis: the filtered partners as a table, a contact card, and downloads."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from app_pages import cached
from app_pages.shared import get_context
from partnernetz.exchange.export import (
    directory_csv,
    directory_table,
    directory_vcf,
    directory_xlsx,
    scope_text,
    scope_word,
)
from partnernetz.filters import serving_only
from partnernetz.i18n import t
from partnernetz.views.cards import CARD_CSS, render_contact_card
from partnernetz.views.links import link_params

ctx = get_context()
lang, dataset, partners = ctx.lang, ctx.dataset, ctx.partners
en = lang == "en"

st.header(t("directory.title", lang))
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
table[email_col] = table[email_col].map(lambda v: f"mailto:{v}" if v else "")
table[verified_col] = pd.to_datetime(table[verified_col])
# Name, town, phone and e-mail first: visible at 1280 px without scrolling sideways.
first = [c for c in (name_col, town_col, phone_col, email_col) if c in table.columns]
hidden = {"ID", "Beschreibung", "Description"}
visible = first + [c for c in table.columns if c not in hidden and c not in first]
event = st.dataframe(
    table[visible],
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
        email_col: st.column_config.LinkColumn(email_col, display_text=r"mailto:(.*)", width=250),
        web_col: st.column_config.LinkColumn(web_col, display_text=r"https?://(?:www\.)?([^/]+).*"),
        verified_col: st.column_config.DateColumn(verified_col, format="DD.MM.YYYY" if not en
                                                  else "YYYY-MM-DD"),
    },
)
st.caption(t("directory.count", lang, n=len(partners)))

rows = event.selection.rows if event and event.selection else []
if rows:
    row = partners.iloc[rows[0]]
    st.html(f"<style>{CARD_CSS}</style>{render_contact_card(row.to_dict(), dataset.categories, lang=lang)}")
    if st.button(t("directory.show_on_map", lang), icon=":material/pin_drop:", key="show_on_map"):
        st.switch_page("app_pages/map.py",
                       query_params={**link_params(ctx.spec, lang=lang), "partner": row["id"]})
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
