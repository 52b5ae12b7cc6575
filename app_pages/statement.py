"""Barrierefreiheit: the accessibility statement (BGG NRW § 10b, BITVNRW).

State of compliance, the known limitations with their accessible
alternatives, the date of the last review, the feedback contact from the
registry's ``region.accessibility`` section and the link to the NRW
ombudsman's office (Ombudsstelle für barrierefreie Informationstechnik).
"""

from __future__ import annotations

import streamlit as st

from app_pages.shared import get_context
from partnernetz.i18n import OMBUDSSTELLE_EMAIL, OMBUDSSTELLE_URL, STATEMENT_REVIEWED, t
from partnernetz.views import lists, tables

ctx = get_context()
lang, region = ctx.lang, ctx.dataset.region

st.header(t("statement.title", lang), anchor=False)
st.html(lists.paragraphs_html(t("statement.intro", lang, region=region.name)))

st.subheader(t("statement.state", lang), anchor=False)
st.html(lists.paragraphs_html(t("statement.state_text", lang)))

st.subheader(t("statement.limits", lang), anchor=False)
st.html(lists.bullet_list_html([
    t("statement.limit.tiles", lang), t("statement.limit.map", lang),
    t("statement.limit.grid", lang), t("statement.limit.pdf", lang),
    t("statement.limit.sign", lang),
]))

st.subheader(t("statement.made", lang), anchor=False)
st.html(lists.paragraphs_html(t("statement.made_text", lang,
                                 date=tables.format_date(STATEMENT_REVIEWED, lang=lang))))

st.subheader(t("statement.feedback", lang), anchor=False)
contact = getattr(region, "accessibility", None)
if contact is not None and (contact.email or contact.phone):
    st.html(lists.paragraphs_html(t("statement.feedback_text", lang)))
    st.html(lists.contact_html(
        name=contact.name, email=contact.email, phone=contact.phone,
        labels=(t("statement.contact_email", lang), t("statement.contact_phone", lang)),
    ))
else:
    st.html(lists.paragraphs_html(t("statement.no_contact", lang, region=region.name)))

st.subheader(t("statement.enforcement", lang), anchor=False)
st.html(lists.paragraphs_html(t("statement.enforcement_text", lang)))
st.html(lists.contact_html(
    name=None, email=OMBUDSSTELLE_EMAIL, phone=None, url=OMBUDSSTELLE_URL,
    url_text=t("statement.enforcement_link", lang),
    labels=(t("statement.contact_email", lang), t("statement.contact_phone", lang)),
))
