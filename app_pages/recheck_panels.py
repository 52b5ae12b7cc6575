"""The Prüfliste's re-check panels: bulk "geprüft", asking by e-mail, reminders, proposals.

Every action checks the viewer's role again on the server right before it
writes (redaktion and admin only). Registry changes go through
``edit_actions.save`` (one history entry); the loop's state through
``partnernetz.recheck``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from app_pages import cached
from app_pages import recheck_support as support
from app_pages.edit_actions import FLASH_KEY, author_of, save
from app_pages.shared import PageContext, plain
from partnernetz.access import Identity, Role
from partnernetz.analysis.upkeep import months_before
from partnernetz.audit import log_audit
from partnernetz.errors import PartnernetzError
from partnernetz.filters import FilterSpec
from partnernetz.i18n import t
from partnernetz.recheck.answers import field_label, show_value
from partnernetz.recheck.digest import build_digest, digest_html, digest_pdf, digest_text, white_spot_pairs
from partnernetz.recheck.loop import Pending, decide_proposal, pending_partners
from partnernetz.recheck.mails import PreparedMail, eml_zip, mail_merge_csv, prepare_requests, send_mails
from partnernetz.recheck.state import read_state, update_state, with_requests, with_revoked
from partnernetz.registry import writer
from partnernetz.registry.history import History

SELECT_KEY = "recheck.selected"
PREPARED_KEY = "recheck.prepared"


def _may_write(identity: Identity, lang: str) -> bool:
    if identity.signed_in and identity.role >= Role.REDAKTION:
        return True
    st.error(t("edit.not_allowed", lang))
    return False


def selection(due: pd.DataFrame, lang: str) -> list[str]:
    """The multiselect of due partners, with "alle" and "leeren"."""
    ids = list(due["id"])
    names = dict(zip(due["id"], due["name"] + " (" + due["town"] + ")", strict=True))
    current = [i for i in st.session_state.get(SELECT_KEY, []) if i in names]
    st.session_state[SELECT_KEY] = current
    left, right = st.columns(2)
    if left.button(t("recheck.select_all", lang, n=len(ids)), key="recheck_select_all",
                   icon=":material/select_all:"):
        st.session_state[SELECT_KEY] = ids
    if right.button(t("recheck.select_none", lang), key="recheck_select_none", icon=":material/deselect:"):
        st.session_state[SELECT_KEY] = []
    return st.multiselect(t("recheck.selection", lang), ids, key=SELECT_KEY,
                          format_func=lambda i: names.get(i, i))


def mark_verified(ids: Sequence[str], *, identity: Identity, lang: str) -> None:
    """"Als geprüft markieren": a confirmation, then one save with one history entry."""
    if not ids:
        return
    flag = "recheck.confirm_mark"
    if st.button(t("recheck.mark_verified", lang, n=len(ids)), key="recheck_mark",
                 icon=":material/task_alt:"):
        st.session_state[flag] = tuple(ids)
    if st.session_state.get(flag) != tuple(ids):
        return
    st.warning(t("recheck.mark_confirm", lang, n=len(ids)), icon=":material/help:")
    if not st.button(t("recheck.mark_yes", lang, n=len(ids)), key="recheck_mark_yes", type="primary"):
        return
    st.session_state.pop(flag, None)
    if not _may_write(identity, lang):
        return
    path = support.registry_path()
    base = writer.registry_hash(path)
    entries = writer.read_entries(path)
    today = dt.date.today().isoformat()
    changes = [writer.UpdatePartner(i, dict(entries[i], verified=today)) for i in ids if i in entries]
    if save(changes, identity=identity, lang=lang, base_hash=base,
            comment=t("recheck.bulk_comment", "de", n=len(changes))):
        st.session_state[SELECT_KEY] = []
        st.rerun()


RECORDED_KEY = "recheck.recorded"
REVOKE_KEY = "recheck.revoke_pending"  # the partner whose link waits for "Ja, Link widerrufen"


def _record(mails: Sequence[PreparedMail], channel: str, lang: str, identity: Identity) -> None:
    """Record who was asked (once per prepared batch: the ZIP and the CSV carry the same links)."""
    if not (identity.signed_in and identity.role >= Role.REDAKTION):
        return
    batch = tuple(m.request.token_id for m in mails)
    if st.session_state.get(RECORDED_KEY) == batch:
        return
    requests = [m.request.model_copy(update={"channel": channel}) for m in mails]
    update_state(support.registry_path(), lambda s: with_requests(s, requests))
    for request in requests:
        log_audit("recheck_request", user=identity.email, role=identity.role.key, target=request.partner_id,
                  outcome=channel)
    st.session_state[RECORDED_KEY] = batch
    st.session_state[FLASH_KEY] = t("recheck.recorded", lang, n=len(requests))


def ask_partners(ids: Sequence[str], *, identity: Identity, lang: str, region: str,
                 reminders: Mapping[str, int] | None = None, key: str = "ask") -> None:
    """"Nachfragen": one personal e-mail per partner; SMTP when set up, else ZIP or CSV."""
    if not ids:
        return
    label = "recheck.remind" if reminders else "recheck.ask"
    if st.button(t(label, lang, n=len(ids)), key=f"recheck_{key}", icon=":material/forward_to_inbox:"):
        st.session_state[f"recheck.{key}"] = tuple(ids)
    if st.session_state.get(f"recheck.{key}") != tuple(ids):
        return
    try:
        settings, link_key = support.link_settings()
        relay = support.smtp()
    except PartnernetzError as exc:
        st.error(f"{t('recheck.no_secret', lang)}\n\n{exc}")
        return
    stamp = (key, tuple(ids), tuple(sorted((reminders or {}).items())))
    prepared = st.session_state.get(PREPARED_KEY)
    if not prepared or prepared[0] != stamp:
        sender = relay.from_ if relay else (identity.email or "redaktion@localhost")
        entries = writer.read_entries(support.registry_path())
        mails, skipped = prepare_requests(
            entries, ids, key=link_key,
            base_url=support.base_url(settings),
            region=region, sender=sender, sender_name=settings.sender_name or region,
            by=author_of(identity), channel="smtp" if relay else "eml", now=dt.datetime.now(dt.UTC),
            reminders=reminders, valid_days=settings.valid_days)
        skipped = [str((entries.get(i) or {}).get("name") or i) for i in skipped]
        prepared = (stamp, mails, skipped)
        st.session_state[PREPARED_KEY] = prepared
    _, mails, skipped = prepared
    st.caption(t("recheck.ask_intro", lang, n=len(mails), days=settings.valid_days))
    if skipped:
        st.warning(plain(t("recheck.no_address", lang, names=", ".join(skipped))), icon=":material/call:")
    if not mails:
        return
    if relay is not None:
        if st.button(t("recheck.send_smtp", lang, host=relay.host), key=f"recheck_send_{key}", type="primary",
                     icon=":material/send:"):
            if not _may_write(identity, lang):
                return
            failed = None
            try:
                sent = send_mails(mails, relay)
            except PartnernetzError as exc:
                sent, failed = getattr(exc, "sent", []), exc
            done = [m for m in mails if m.request in sent]
            if done:
                _record(done, "smtp", lang, identity)
                st.session_state[FLASH_KEY] = t("recheck.sent", lang, n=len(done))
            st.session_state.pop(PREPARED_KEY, None)
            st.session_state.pop(f"recheck.{key}", None)  # sent: the panel closes
            if failed is not None:
                st.error(str(failed))  # the rest was not sent: shown now, asked again later
                return
            st.rerun()
        return
    left, right = st.columns(2)
    left.download_button(t("recheck.download_eml", lang), lambda: eml_zip(mails),
                         file_name="partnernetz-nachfrage.zip",
                         mime="application/zip", key=f"recheck_eml_{key}", on_click=_record,
                         args=(mails, "eml", lang, identity), icon=":material/archive:")
    right.download_button(t("recheck.download_csv", lang), lambda: mail_merge_csv(mails),
                          file_name="partnernetz-nachfrage.csv", mime="text/csv", key=f"recheck_csv_{key}",
                          on_click=_record, args=(mails, "csv", lang, identity), icon=":material/table:")


def pending_panel(
    entries: Mapping[str, Mapping], *, identity: Identity, lang: str, region: str,
) -> list[Pending]:
    """Who was asked and has not answered: reminders due, phone calls, revoking a link."""
    settings = support.recheck_settings()
    state = read_state(support.registry_path())
    verified = {i: _date(e.get("verified")) for i, e in entries.items()}
    pending = [p for p in pending_partners(state, now=dt.datetime.now(dt.UTC),
                                           remind_after_days=settings.remind_after_days, verified=verified)
               if p.partner_id in entries]
    st.subheader(t("recheck.pending_title", lang, n=len(pending)), anchor=False)
    for item in pending:
        name = str(entries[item.partner_id].get("name") or item.partner_id)
        due = t(f"recheck.due.{item.due}", lang, n=item.mails)
        line = t("recheck.pending_line", lang, name=name, mails=item.mails, date=f"{item.last_sent:%d.%m.%Y}",
                 due=due)
        text, button = st.columns([4, 1])
        text.markdown(("**" + plain(line) + "**") if item.due != "wait" else plain(line))
        if button.button(t("recheck.revoke", lang), key=f"recheck_revoke_{item.partner_id}",
                         icon=":material/link_off:"):
            st.session_state[REVOKE_KEY] = item.partner_id
        if st.session_state.get(REVOKE_KEY) != item.partner_id:
            continue
        st.warning(plain(t("recheck.revoke_confirm", lang, name=name)), icon=":material/help:")
        if st.button(t("recheck.revoke_yes", lang), key=f"recheck_revoke_yes_{item.partner_id}",
                     type="primary"):
            st.session_state.pop(REVOKE_KEY, None)
            token = state.latest_token(item.partner_id)
            if token and _may_write(identity, lang):
                update_state(support.registry_path(), lambda s, token=token: with_revoked(s, [token]))
                st.session_state[FLASH_KEY] = t("recheck.revoked", lang, name=name)
                st.rerun()
    due = {p.partner_id: p.mails for p in pending if p.due == "reminder"}
    ask_partners(list(due), identity=identity, lang=lang, region=region, reminders=due, key="remind")
    return pending


def proposals_panel(entries: Mapping[str, Mapping], *, identity: Identity, lang: str) -> None:
    """"Vorschläge": each field a partner corrected, accepted or rejected one by one."""
    proposals = read_state(support.registry_path()).open_proposals()
    st.subheader(t("recheck.proposals_title", lang, n=len(proposals)), anchor=False)
    if not proposals:
        st.caption(t("recheck.no_proposals", lang))
        return
    options = ["open", "accepted", "rejected"]
    for proposal in proposals:
        name = str((entries.get(proposal.partner_id) or {}).get("name") or proposal.partner_id)
        with st.container(border=True):
            st.markdown("**" + plain(t("recheck.proposal_from", lang, name=name,
                                       date=f"{proposal.time:%d.%m.%Y}")) + "**")
            if proposal.sender:
                st.caption(plain(t("recheck.proposal_sender", lang, sender=proposal.sender)))
            decisions: dict[str, str] = {}
            for field in proposal.open_fields:
                label, old, new, choice = st.columns([2, 3, 3, 3])
                label.markdown(f"**{plain(field_label(field.field, lang))}**")
                old.caption(t("recheck.old", lang))
                old.text(show_value(field.field, field.old, lang))
                new.caption(t("recheck.new", lang))
                new.text(show_value(field.field, field.new, lang))
                decisions[field.field] = choice.radio(
                    t("recheck.decision", lang), options, horizontal=True,
                    key=f"recheck_decision_{proposal.id}_{field.field}",
                    format_func=lambda k: t(f"recheck.decision.{k}", lang))
            if st.button(t("recheck.decide", lang), key=f"recheck_decide_{proposal.id}", type="primary"):
                chosen = {k: v for k, v in decisions.items() if v != "open"}
                if not chosen or not _may_write(identity, lang):
                    continue
                try:
                    decide_proposal(support.registry_path(), proposal.id, chosen, editor=author_of(identity),
                                    towns_source=support.towns_source(), now=dt.datetime.now(dt.UTC))
                except PartnernetzError as exc:
                    st.error(str(exc))
                    continue
                accepted = sum(v == "accepted" for v in chosen.values())
                st.session_state[FLASH_KEY] = t("recheck.decided", lang, accepted=accepted,
                                                rejected=len(chosen) - accepted)
                st.rerun()


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def digest_panel(ctx: PageContext) -> None:
    """"Was hat sich geändert" for a period (default: the last month): screen, PDF, e-mail text."""
    lang, dataset = ctx.lang, ctx.dataset
    today = dt.date.today()
    period = st.date_input(t("digest.range", lang), value=(months_before(today, 1), today),
                           max_value=today, key="digest_period", format="DD.MM.YYYY")
    if not isinstance(period, tuple) or len(period) != 2:
        return
    # built on request: the white spots of the period's start need that version of the registry
    if not st.toggle(t("digest.show", lang), key="digest_show"):
        return
    start, end = period
    path = support.registry_path()
    history = History(path)
    try:
        entries = history.entries(since=start, until=end) if history.exists else []
    finally:
        history.close()
    names = dict(zip(dataset.partners["id"], dataset.partners["name"], strict=True))
    labels = {k: c.label(lang) for k, c in dataset.categories.items()}
    stamp = cached.registry_stamp(path)
    then = cached.white_spots_at(str(path), stamp, (start - dt.timedelta(days=1)).isoformat(), lang)
    now_version = cached.white_spots_at(str(path), stamp, end.isoformat(), lang)
    if now_version is None and end >= today:
        now_version = tuple(white_spot_pairs(cached.coverage_analysis(ctx.app.key, FilterSpec()), labels))
    digest = build_digest(entries, region=dataset.region.name, start=start, end=end,
                          answers=read_state(path).answers, names=names,
                          spots_then=set(then) if then is not None else None,
                          spots_now=set(now_version) if now_version is not None else None, lang=lang)
    st.html(digest_html(digest, lang=lang))
    text = digest_text(digest, lang=lang)
    stem = f"partnernetz-aenderungen-{start:%Y%m%d}-{end:%Y%m%d}"
    left, right = st.columns(2)
    left.download_button(t("digest.pdf", lang), data=lambda: digest_pdf(digest, lang=lang),
                         file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore",
                         key="digest_pdf", icon=":material/picture_as_pdf:")
    right.download_button(t("digest.mail", lang), data=text.encode("utf-8"), file_name=f"{stem}.txt",
                          mime="text/plain", on_click="ignore", key="digest_txt", icon=":material/mail:")
    with st.expander(t("digest.mail_text", lang), icon=":material/content_copy:"):
        st.code(text, language=None)
