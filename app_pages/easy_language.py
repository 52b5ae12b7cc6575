"""Leichte Sprache: what the app is and how to use it, in a few plain sentences (BITVNRW)."""

from __future__ import annotations

import streamlit as st

from app_pages.shared import get_context
from partnernetz.i18n import t
from partnernetz.views import lists

ctx = get_context()
lang = ctx.lang

st.header(t("easy.title", lang), anchor=False)
st.html(lists.paragraphs_html(t("easy.body", lang)))
