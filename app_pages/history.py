"""Historie: every change with who, when, which fields, the diff; restore for admins."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import cached
from app_pages.edit_actions import author_of, show_flash, towns_source
from app_pages.shared import audit_identity, current_identity, get_context, plain
from partnernetz.errors import PartnernetzError
from partnernetz.i18n import t
from partnernetz.registry import writer
from partnernetz.views.editing import changed_fields_text, may_restore, may_see_history

SHOWN = 50

ctx = get_context()
lang = ctx.lang
identity = current_identity()
st.header(t("history.title", lang))
if not may_see_history(identity.role):
    st.info(t("edit.no_rights", lang), icon=":material/lock:")
    st.stop()
show_flash()
path = cached.registry_path()
entries = cached.history_entries(str(path), cached.registry_stamp(path))
if not entries:
    st.info(t("history.empty", lang))
    st.stop()



def shown_value(value: object) -> str | None:
    """A field value as table text (lists joined)."""
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def restore(revision: str, partner_id: str | None) -> None:
    """Restore (admins; checked again here) and show the result on the next run."""
    target = f"{partner_id or path.name}@{revision[:10]}"
    if not may_restore(current_identity().role):
        audit_identity("restore", identity, target=target, outcome="denied")
        st.error(t("edit.not_allowed", lang))
        return
    try:
        result = writer.restore_revision(path, revision=revision, partner_id=partner_id,
                                         author=author_of(identity), towns_source=towns_source())
    except PartnernetzError as exc:
        audit_identity("restore", identity, target=target, outcome="refused")
        st.error(str(exc))
        return
    audit_identity("restore", identity, target=target)
    st.session_state["edit.flash"] = t("edit.saved", lang, summary=result.summary,
                                       revision=result.revision[:10])
    st.rerun()


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
    title = plain(f"{entry.time:%d.%m.%Y %H:%M} · {who} · {entry.summary}")
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
            if (may_restore(identity.role) and entry.parent
                    and st.button(t("history.restore_partner", lang, id=change.partner_id),
                                  key=f"restore_{entry.revision}_{change.partner_id}",
                                  icon=":material/undo:")):
                restore(entry.parent, change.partner_id)
        if (may_restore(identity.role) and identity.signed_in
                and st.button(t("history.restore_all", lang, revision=entry.short),
                              key=f"restore_all_{entry.revision}", icon=":material/restore:")):
            restore(entry.revision, None)
if len(shown) > SHOWN:
    st.caption(t("history.more", lang, n=len(shown) - SHOWN))
