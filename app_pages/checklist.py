"""Prüfliste: active partners not verified for a while, oldest first (redaktion).

Above the list: bulk actions on a selection ("geprüft", "Nachfragen" by
e-mail with a personal confirmation link), who was asked and has not
answered (reminders, phone calls), and the partners' proposals waiting for a
decision (``app_pages/recheck_panels.py``).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import recheck_panels as panels
from app_pages import recheck_support as support
from app_pages.edit_actions import show_conflict, show_flash, verify_today
from app_pages.shared import current_identity, end_page, get_context
from partnernetz.access import Role
from partnernetz.analysis.upkeep import FRESH_MONTHS, overdue_partners
from partnernetz.i18n import t
from partnernetz.recheck.state import read_state
from partnernetz.views.cards import CARD_CSS, render_contact_card
from partnernetz.views.editing import correction_mailto

PAGE_SIZE = 20

ctx = get_context()
lang, dataset = ctx.lang, ctx.dataset
identity = current_identity()
st.header(t("checklist.title", lang))
if identity.role < Role.REDAKTION:
    st.info(t("edit.no_rights", lang), icon=":material/lock:")
    end_page()
show_flash()
if show_conflict(lang):
    end_page()
months = int(st.number_input(t("checklist.months", lang), min_value=1, max_value=120, value=FRESH_MONTHS,
                             key="checklist_months", help=t("checklist.months_help", lang)))
today = dt.date.today()
due = overdue_partners(dataset.partners, today=today, months=months)
# names and dates for the panels from the loaded data (the file is read only to write)
partners = dataset.partners
entries = {pid: {"name": name, "verified": verified} for pid, name, verified
           in zip(partners["id"], partners["name"], partners["verified"], strict=True)}
region = dataset.region.name
open_proposals = len(read_state(support.registry_path()).open_proposals())
tab_due, tab_pending, tab_proposals, tab_digest = st.tabs([
    t("recheck.tab_due", lang, n=len(due)), t("recheck.tab_pending", lang),
    t("recheck.proposals_title", lang, n=open_proposals), t("digest.tab", lang)])
with tab_pending:
    panels.pending_panel(entries, identity=identity, lang=lang, region=region)
with tab_proposals:
    panels.proposals_panel(entries, identity=identity, lang=lang)
with tab_digest:
    panels.digest_panel(ctx)
tab_due.caption(t("checklist.intro", lang, n=len(due), months=months))
if due.empty:
    tab_due.success(t("checklist.none", lang), icon=":material/task_alt:")
    end_page()
with tab_due:
    chosen = panels.selection(due, lang)
    panels.mark_verified(chosen, identity=identity, lang=lang)
    panels.ask_partners(chosen, identity=identity, lang=lang, region=region)
    st.divider()
    pages = max(1, -(-len(due) // PAGE_SIZE))
    page = int(st.number_input(t("checklist.page", lang, pages=pages), min_value=1, max_value=pages, value=1,
                               key="checklist_page")) if pages > 1 else 1
    st.html(f"<style>{CARD_CSS}</style>")
    for row in due.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE].to_dict("records"):
        with st.container(border=True):
            since = (t("checklist.never", lang) if row["days_since"] is None
                     else t("checklist.since", lang, date=f"{row['verified']:%d.%m.%Y}",
                            days=row["days_since"]))
            st.caption(since)
            st.html(render_contact_card(row, dataset.categories, lang=lang))
            a, b, c = st.columns(3)
            verify = a.button(t("edit.verified_today", lang), key=f"check_verify_{row['id']}",
                              icon=":material/task_alt:")
            if verify and verify_today(row["id"], identity=identity, lang=lang):
                st.rerun()
            if b.button(t("checklist.edit", lang), key=f"check_edit_{row['id']}", icon=":material/edit:"):
                st.switch_page("app_pages/edit.py", query_params={"partner": row["id"]})
            category = dataset.categories.get(row["category"])
            mailto = correction_mailto(row, region=dataset.region.name,
                                       category_label=category.label("de") if category else row["category"],
                                       town=row["town"], sender=identity.name)
            if mailto:
                c.link_button(t("checklist.mail", lang), mailto, icon=":material/mail:")
            else:
                c.caption(t("checklist.no_mail", lang))
