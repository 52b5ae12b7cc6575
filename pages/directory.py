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
from partnernetz.i18n import t
from partnernetz.views.cards import CARD_CSS, render_contact_card

ctx = get_context()
lang, dataset, partners = ctx.lang, ctx.dataset, ctx.partners

st.header(t("directory.title", lang))
st.caption(t("directory.intro", lang))
if partners.empty:
    st.info(t("directory.empty", lang))
    st.stop()

table = directory_table(partners, dataset.categories, lang=lang)
en = lang == "en"
email_col, web_col = ("E-mail", "Website") if en else ("E-Mail", "Website")
table[email_col] = table[email_col].map(lambda v: f"mailto:{v}" if v else None)
visible = [c for c in table.columns if c not in {"ID", "Beschreibung", "Description"}]
event = st.dataframe(
    table[visible],
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
    st.html(f"<style>{CARD_CSS}</style>{render_contact_card(row.to_dict(), dataset.categories, lang=lang)}")
    if st.button(t("directory.show_on_map", lang), icon=":material/pin_drop:", key="show_on_map"):
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
