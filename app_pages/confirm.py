"""Bestätigen: the page a partner's confirmation link opens, without an account.

``/bestaetigen?token=…`` shows the one partner the signed link names — its
public fields and public contact persons only — with "Alles noch aktuell"
and "Etwas hat sich geändert". dashboard.py runs this page on its own,
without the sidebar filters and without the directory's data. A wrong,
expired, revoked or tampered link gets one short German message.
"""

from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from app_pages import recheck_support as support
from app_pages.shared import CONFIRM_LANG_KEY, apply_document_language
from partnernetz.audit import log_audit
from partnernetz.errors import LinkError, PartnernetzError
from partnernetz.i18n import t
from partnernetz.recheck.answers import (
    CONTACT_KEYS,
    changed_fields,
    field_label,
    proposal_problems,
    public_view,
)
from partnernetz.recheck.loop import check_link, confirm_entry, submit_proposal
from partnernetz.recheck.mails import mail_language

CSS = """<style>
.pn-confirm dt { font-weight: 600; margin-top: .4rem; }
.pn-confirm dd { margin: 0 0 0 0; white-space: pre-line; }
</style>"""
# The partner sees this one page: no sidebar (filters, pages, sign-in) beside it.
HIDE_SIDEBAR = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
</style>"""


def view_html(view: dict, lang: str) -> str:
    """The public fields as an escaped definition list."""
    rows = []
    address = ", ".join(p for p in (view.get("street"), " ".join(
        p for p in (view.get("postcode"), view.get("town")) if p), view.get("district")) if p)
    for key, value in (
        ("name", view.get("name")), ("operator", view.get("operator")), ("address", address),
        ("phone", view.get("phone")), ("email", view.get("email")), ("website", view.get("website")),
        ("opening_hours", view.get("opening_hours")), ("offers", ", ".join(view.get("offers") or [])),
        ("accessible", t(f"recheck.accessible.{view['accessible']}", lang)),
        ("description", view.get("description")),
        ("contacts", "\n".join(", ".join(v for v in (c.get(k) for k in CONTACT_KEYS) if v)
                               for c in view.get("contacts") or [])),
    ):
        if value:
            rows.append(f"<dt>{html.escape(field_label(key, lang))}</dt><dd>{html.escape(value)}</dd>")
    return f"{CSS}<dl class='pn-confirm'>{''.join(rows)}</dl>"


def correction_form(view: dict, lang: str, token_id: str) -> dict | None:
    """The correction form; the submitted values, or None before it is sent."""
    st.info(t("confirm.form_intro", lang), icon=":material/edit_note:")
    with st.form(f"confirm_form_{token_id}"):
        values: dict = {}
        for key in ("name", "operator", "street", "postcode", "district", "phone", "email", "website",
                    "opening_hours"):
            values[key] = st.text_input(field_label(key, lang), value=view.get(key) or "", key=f"cf_{key}")
        offers = "\n".join(view.get("offers") or [])
        values["offers"] = st.text_area(field_label("offers", lang), value=offers,
                                        help=t("confirm.offers_help", lang), key="cf_offers")
        values["description"] = st.text_area(field_label("description", lang),
                                             value=view.get("description") or "", key="cf_description")
        options = ["yes", "no", "unknown"]
        values["accessible"] = st.selectbox(field_label("accessible", lang), options,
                                            index=options.index(view["accessible"]), key="cf_accessible",
                                            format_func=lambda k: t(f"recheck.accessible.{k}", lang))
        st.markdown(f"**{field_label('contacts', lang)}** – {t('confirm.contacts_help', lang)}")
        contacts = [*(view.get("contacts") or []), {}]
        rows = []
        for i, contact in enumerate(contacts):
            cols = st.columns(4)
            rows.append({key: cols[j].text_input(
                t("confirm.contact_field", lang, n=i + 1, field=field_label(key, lang)),
                value=contact.get(key) or "", key=f"cf_contact_{i}_{key}")
                for j, key in enumerate(CONTACT_KEYS)})
        values["contacts"] = rows
        sender = st.text_input(t("confirm.sender", lang), key="cf_sender")
        if not st.form_submit_button(t("confirm.send", lang), type="primary"):
            return None
    values["_sender"] = sender
    return values


def main() -> None:
    """Check the link, then show the entry and take the answer."""
    st.html(HIDE_SIDEBAR)
    st.session_state[CONFIRM_LANG_KEY] = "de"  # the messages of bad links are German
    now = dt.datetime.now(dt.UTC)
    token = st.query_params.get("token", "")
    try:
        settings, key = support.link_settings()
    except PartnernetzError:
        st.error(t("confirm.unavailable", "de"))
        return
    path = support.registry_path()
    try:
        claim, entry = check_link(path, token, key=key, now=now, valid_days=settings.valid_days)
    except LinkError as exc:
        log_audit("recheck_answer", user=None, role=None, target=None, outcome=f"link_{exc.reason}")
        st.error(str(exc), icon=":material/link_off:")
        return
    except PartnernetzError:
        st.error(t("confirm.failed", "de"))
        return
    wanted = st.query_params.get("lang") or mail_language(entry)
    lang = st.segmented_control(
        t("app.language"), ["de", "en"], default=wanted if wanted in ("de", "en") else "de",
        key="confirm_lang", format_func=str.upper, required=True) or "de"
    st.session_state[CONFIRM_LANG_KEY] = lang
    apply_document_language(lang)
    st.header(t("confirm.title", lang), anchor=False)
    done_key = f"confirm.done.{claim.token_id}"
    if st.session_state.get(done_key):
        st.success(st.session_state[done_key], icon=":material/task_alt:")
        return
    view = public_view(entry)
    st.caption(t("confirm.intro", lang, region=support.region_name()))
    st.html(view_html(view, lang))
    mode_key = f"confirm.mode.{claim.token_id}"
    left, right = st.columns(2)
    if left.button(t("confirm.yes", lang), type="primary", icon=":material/task_alt:", key="confirm_yes"):
        try:
            confirm_entry(path, claim, towns_source=support.towns_source(), now=now)
        except PartnernetzError:
            st.error(t("confirm.failed", lang))
            return
        log_audit("recheck_answer", user=None, role=None, target=claim.partner_id, outcome="ok")
        st.session_state[done_key] = t("confirm.thanks_yes", lang)
        st.rerun()
    if right.button(t("confirm.changed", lang), icon=":material/edit:", key="confirm_changed"):
        st.session_state[mode_key] = "form"
    if st.session_state.get(mode_key) != "form":
        return
    values = correction_form(view, lang, claim.token_id)
    if values is None:
        return
    sender = values.pop("_sender", None)
    fields = changed_fields(entry, values)
    if not fields:
        st.warning(t("confirm.no_change", lang))
        return
    problems = proposal_problems(entry, fields, lang=lang)
    if problems:
        st.error(t("confirm.invalid", lang) + "\n\n" + "\n".join(f"- {p}" for p in problems))
        return
    try:
        count = submit_proposal(path, claim, values, sender=sender, now=now)
    except PartnernetzError:
        st.error(t("confirm.failed", lang))
        return
    log_audit("recheck_answer", user=None, role=None, target=claim.partner_id, outcome="proposal")
    st.session_state[done_key] = t("confirm.thanks_changed", lang, n=count)
    st.rerun()


main()
