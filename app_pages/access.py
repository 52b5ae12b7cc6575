"""Zugang (admins only): who has which role, from the access file, and recent sign-ins.

dashboard.py registers this page for admins only; the check below holds when
the page is reached some other way.
"""

from __future__ import annotations

import streamlit as st

from app_pages import cached
from app_pages.shared import end_page, get_context, plain
from partnernetz.access import Role
from partnernetz.i18n import t

ctx = get_context()
lang = ctx.lang
if ctx.identity.role < Role.ADMIN:
    end_page()

st.header(t("access.title", lang))
st.caption(t("access.intro", lang))
state = cached.access_state()
st.caption(plain(t("access.file", lang, file=state.path)))
policy = state.policy
if policy is None:
    st.error(state.problem or state.path)
    end_page()

st.caption(plain(t("access.settings", lang, contact=policy.contact or "–", claim=policy.group_claim,
                   hours=f"{policy.session_hours:g}")))
st.subheader(t("access.entries", lang))
rows = [
    {t("access.col.role", lang): t(f"auth.role.{entry.role.key}", lang),
     t("access.col.entry", lang): entry.text,
     t("access.col.kind", lang): t(f"access.kind.{entry.kind}", lang)}
    for role in (Role.ADMIN, Role.REDAKTION, Role.MITGLIED)
    for entry in policy.entries_of(role)
]
st.dataframe(rows, hide_index=True, width="stretch")
if policy.report.warnings:
    with st.expander(t("access.warnings", lang), icon=":material/warning:"):
        st.code("\n".join(issue.format() for issue in policy.report.warnings), language=None)

st.subheader(t("access.recent", lang))
events = cached.sign_in_journal().latest(100)
if not events:
    st.caption(t("access.no_events", lang))
else:
    st.dataframe(
        [{t("access.col.time", lang): e.time.strftime("%Y-%m-%d %H:%M:%S"),
          t("access.col.email", lang): e.email,
          t("access.col.role", lang): t(f"auth.role.{e.role.key}", lang),
          t("access.col.event", lang): t(f"access.event.{e.status}", lang)}
         for e in events],
        hide_index=True, width="stretch",
    )
