"""Overview: filled by the coverage issue; until then it shows what exists."""

from __future__ import annotations

import streamlit as st

from pages.shared import get_context
from partnernetz.i18n import t

ctx = get_context()
st.header(t("overview.title", ctx.lang))
st.info(t("placeholder.coming", ctx.lang))
counts = ctx.partners.groupby("category").size().rename("n").reset_index()
st.dataframe(counts, hide_index=True)
