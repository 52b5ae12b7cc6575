"""Historie: every change with who, when, which fields, the diff; restore with preview.

No click loses data: a restore button only opens a preview of every later
change it would discard (when, who, which partner, what); the restore runs
after an explicit confirmation and is itself a history entry. Redaktion may
restore one partner (other partners keep their later changes); admins also
the whole registry.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import cached
from app_pages.edit_actions import author_of, show_flash, towns_source
from app_pages.shared import audit_identity, current_identity, end_page, get_context, plain
from partnernetz.errors import PartnernetzError
from partnernetz.i18n import t
from partnernetz.registry import writer
from partnernetz.registry.restore import RestorePreview, preview_restore
from partnernetz.views.editing import (
    changed_fields_text,
    may_restore,
    may_restore_partner,
    may_see_history,
    readable_summary,
)

SHOWN = 50
PENDING = "history.pending_restore"  # (revision, partner id or None, newest revision shown or None)

ctx = get_context()
lang = ctx.lang
identity = current_identity()
st.header(t("history.title", lang))
if not may_see_history(identity.role):
    st.info(t("edit.no_rights", lang), icon=":material/lock:")
    end_page()
show_flash()
path = cached.registry_path()
entries = cached.history_entries(str(path), cached.registry_stamp(path))
if not entries:
    st.info(t("history.empty", lang))
    end_page()



def shown_value(value: object) -> str | None:
    """A field value as table text (lists joined)."""
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def allowed_to_restore(partner_id: str | None) -> bool:
    """Whole registry: admins; one partner: redaktion and admins (checked again on confirm)."""
    role = current_identity().role
    return may_restore(role) if partner_id is None else may_restore_partner(role)


def ask_restore(revision: str, partner_id: str | None) -> None:
    """Open the preview of a restore (nothing is changed yet)."""
    st.session_state[PENDING] = (revision, partner_id, None)
    st.session_state.pop("history_confirm", None)
    st.rerun()


def restore(preview: RestorePreview, *, shown_last: str) -> None:
    """Restore after confirmation and show the result on the next run."""
    target = f"{preview.partner_id or path.name}@{preview.revision[:10]}"
    if not identity.signed_in or not allowed_to_restore(preview.partner_id):
        audit_identity("restore", identity, target=target, outcome="denied")
        st.error(t("edit.not_allowed", lang))
        return
    try:
        result = writer.restore_revision(
            path, revision=preview.revision, partner_id=preview.partner_id, author=author_of(identity),
            towns_source=towns_source(), expected_last=shown_last,
        )
    except PartnernetzError as exc:
        audit_identity("restore", identity, target=target, outcome="refused")
        st.error(str(exc))
        return
    audit_identity("restore", identity, target=target)
    st.session_state.pop(PENDING, None)
    summary = readable_summary(result.summary, lang=lang)
    st.session_state["edit.flash"] = t("edit.saved", lang, summary=summary,
                                       revision=result.revision[:10])
    st.rerun()


def discarded_rows(preview: RestorePreview) -> list[dict[str, str]]:
    """One row per discarded change: when, who, which partner, what."""
    rows = []
    for entry in preview.discarded:
        for change in entry.changes or ():
            what = t(f"history.op.{change.op}", lang)
            if change.fields:
                what += f" ({changed_fields_text(change.fields)})"
            rows.append({
                t("history.when", lang): f"{entry.time:%d.%m.%Y %H:%M}",
                t("history.who", lang): entry.author_email or entry.author_name,
                t("history.partner", lang): f"{change.name or change.partner_id} ({change.partner_id})",
                t("history.what", lang): what,
            })
        if not entry.changes:
            rows.append({t("history.when", lang): f"{entry.time:%d.%m.%Y %H:%M}",
                         t("history.who", lang): entry.author_email or entry.author_name,
                         t("history.partner", lang): "–",
                         t("history.what", lang): readable_summary(entry.summary, lang=lang)})
    return rows


def show_pending() -> None:
    """The preview of the restore asked for, with its confirmation."""
    revision, partner_id, shown_last = (*st.session_state[PENDING], None)[:3]
    if not allowed_to_restore(partner_id):
        st.session_state.pop(PENDING, None)
        return
    try:
        preview = preview_restore(path, revision, partner_id=partner_id)
    except PartnernetzError as exc:
        st.session_state.pop(PENDING, None)
        st.error(str(exc))
        return
    changed = shown_last is not None and preview.last != shown_last
    st.session_state[PENDING] = (revision, partner_id, preview.last)
    if changed:  # a change came in while the preview was open: it must be read and confirmed again
        st.session_state.pop("history_confirm", None)
    with st.container(border=True, key="history_preview"):
        when = f"{preview.time:%d.%m.%Y %H:%M}"
        if partner_id is None:
            st.subheader(t("history.preview.title_all", lang, revision=revision[:10], when=when),
                         anchor=False)
        else:
            st.subheader(t("history.preview.title_partner", lang, id=partner_id, revision=revision[:10],
                           when=when), anchor=False)
            st.caption(t("history.preview.others_kept", lang))
        rows = discarded_rows(preview)
        if changed:
            st.error(t("history.preview.changed", lang), icon=":material/sync_problem:")
        if rows:
            st.warning(t("history.preview.discards", lang, n=len(rows)), icon=":material/warning:")
            st.dataframe(rows, hide_index=True, width="stretch")
        else:
            st.info(t("history.preview.nothing", lang))
        if preview.fields:
            st.caption(t("history.preview.fields", lang))
            st.dataframe(
                [{t("history.field", lang): f.field, t("history.now", lang): shown_value(f.old),
                  t("history.after", lang): shown_value(f.new)} for f in preview.fields],
                hide_index=True, width="stretch",
            )
        st.caption(t("history.preview.undoable", lang))
        confirmed = st.checkbox(t("history.preview.confirm", lang), key="history_confirm")
        left, right = st.columns(2)
        if left.button(t("history.preview.do", lang), key="history_do_restore", type="primary",
                       icon=":material/restore:", disabled=not confirmed) and confirmed and not changed:
            restore(preview, shown_last=preview.last)
        if right.button(t("history.preview.cancel", lang), key="history_cancel_restore"):
            st.session_state.pop(PENDING, None)
            st.rerun()


if PENDING in st.session_state:
    show_pending()


ids = sorted({pid for e in entries for pid in e.partner_ids()})
left, middle, right = st.columns(3)
partner = left.selectbox(t("history.partner", lang), [None, *ids], key="history_partner",
                         format_func=lambda p: t("history.all", lang) if p is None else p)
person = middle.text_input(t("history.person", lang), key="history_person")
oldest = min(e.time.date() for e in entries)
period = right.date_input(t("history.period", lang), value=(oldest, dt.date.today()), key="history_period",
                          format="DD.MM.YYYY")
since, until = (period if isinstance(period, tuple) and len(period) == 2 else (oldest, dt.date.today()))

needle = person.strip().casefold()
shown = [
    e for e in entries
    if (partner is None or partner in e.partner_ids())
    and (not needle or needle in f"{e.author_name} {e.author_email}".casefold())
    and since <= e.time.date() <= until
]
st.caption(t("history.count", lang, n=len(shown), total=len(entries)))
for entry in shown[:SHOWN]:
    who = entry.author_email or entry.author_name
    title = plain(f"{entry.time:%d.%m.%Y %H:%M} · {who} · {readable_summary(entry.summary, lang=lang)}")
    with st.expander(title, icon=":material/history:"):
        kind = t(f"history.kind.{entry.kind}", lang)
        st.caption(t("history.revision", lang, revision=entry.short, kind=kind))
        if entry.comment:
            st.text(t("history.comment", lang) + ": " + entry.comment)
        for change in entry.changes:
            if partner is not None and change.partner_id != partner:
                continue
            label = t(f"history.op.{change.op}", lang)
            st.markdown(f"**{label}:** {plain(change.partner_id)}")
            st.text(change.name or "")
            if change.reason:
                st.text(t("history.reason", lang) + ": " + change.reason)
            if change.fields:
                st.caption(changed_fields_text(change.fields))
                st.dataframe(
                    [{t("history.field", lang): f.field, t("history.old", lang): shown_value(f.old),
                      t("history.new", lang): shown_value(f.new)} for f in change.fields],
                    hide_index=True, width="stretch",
                )
            if entry.parent:
                diff = cached.history_diff(str(path), entry.revision, change.partner_id)
                if diff:
                    st.code(diff, language="diff")
            if (may_restore_partner(identity.role) and identity.signed_in and entry.parent
                    and st.button(t("history.restore_partner", lang, id=change.partner_id),
                                  key=f"restore_{entry.revision}_{change.partner_id}",
                                  icon=":material/undo:")):
                ask_restore(entry.parent, change.partner_id)
        if (may_restore(identity.role) and identity.signed_in
                and entry.revision != entries[0].revision
                and st.button(t("history.restore_all", lang, revision=entry.short),
                              key=f"restore_all_{entry.revision}", icon=":material/restore:")):
            ask_restore(entry.revision, None)
if len(shown) > SHOWN:
    st.caption(t("history.more", lang, n=len(shown) - SHOWN))
