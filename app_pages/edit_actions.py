"""Saving from the app: the one place pages call the registry writer.

Every save checks the viewer's right again on the server, right before
writing, so a crafted widget call cannot write for a role that may not.
Errors of the writer are shown here (German), never as a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from app_pages import cached
from app_pages.shared import audit_identity
from partnernetz.access import Identity
from partnernetz.errors import EditConflictError, PartnernetzError, RegistryValidationError
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.i18n import t
from partnernetz.registry import writer
from partnernetz.views import lists
from partnernetz.views.editing import may_add, may_delete, may_edit, readable_summary

FLASH_KEY = "edit.flash"


def author_of(identity: Identity) -> str:
    """``Name <email>`` for the history."""
    email = identity.email or "unbekannt@localhost"
    return f"{identity.name} <{email}>" if identity.name else email


def change_ids(changes: Sequence[writer.Change]) -> list[str]:
    """The partner ids ``changes`` touch (a new partner by the id of its entry)."""
    ids = []
    for change in changes:
        pid = getattr(change, "partner_id", None)
        if pid is None and isinstance(change, writer.AddPartner):
            pid = change.entry.get("id")
        ids.append(str(pid or "?"))
    return ids


def towns_source() -> GazetteerTowns:
    """The gazetteer the app loads, for the writer's town checks."""
    gaz, pop = cached.geo_paths()
    return GazetteerTowns(gaz, pop)


def allowed(identity: Identity, changes: Sequence[writer.Change]) -> bool:
    """The viewer may make every one of ``changes`` (checked against the file as it is now)."""
    entries = writer.read_entries(cached.registry_path())
    for change in changes:
        if isinstance(change, writer.AddPartner):
            if not may_add(identity.role):
                return False
        elif isinstance(change, writer.RemovePartner):
            if not may_delete(identity.role):
                return False
        elif not may_edit(identity.role, identity.email, entries.get(change.partner_id)):
            return False
        if isinstance(change, writer.UpdatePartner) and change.entry.get("id") != change.partner_id \
                and not may_add(identity.role):
            return False
    return True


def save(
    changes: Sequence[writer.Change],
    *,
    identity: Identity,
    lang: str,
    base_hash: str | None,
    comment: str | None = None,
) -> writer.WriteResult | None:
    """Write ``changes``; on success a message for the next run, else the error shown now.

    Every attempt goes to the audit log (``edit``, the partner ids, the outcome).
    """
    target = ",".join(change_ids(changes))
    if not identity.signed_in or not allowed(identity, changes):
        audit_identity("edit", identity, target=target, outcome="denied")
        st.error(t("edit.not_allowed", lang))
        return None
    try:
        result = writer.apply_changes(
            cached.registry_path(), list(changes), base_hash=base_hash, author=author_of(identity),
            comment=comment or None, towns_source=towns_source(),
        )
    except EditConflictError as exc:
        audit_identity("edit", identity, target=target, outcome="conflict")
        st.session_state["edit.conflict"] = (str(exc), exc.theirs, exc.yours)
        st.rerun()  # the page shows both versions at its top
    except RegistryValidationError as exc:
        audit_identity("edit", identity, target=target, outcome="invalid")
        st.error(t("edit.invalid", lang))
        st.code("\n".join(i.format() for i in exc.report.errors), language=None)
        return None
    except PartnernetzError as exc:
        audit_identity("edit", identity, target=target, outcome="refused")
        st.error(str(exc))
        return None
    if result.changed:
        audit_identity("edit", identity, target=",".join(result.partner_ids) or target)
    key = "edit.saved" if result.changed else "edit.unchanged"
    st.session_state[FLASH_KEY] = t(key, lang, summary=readable_summary(result.summary, lang=lang),
                                    revision=result.revision[:10])
    st.session_state[FLASH_KEY + ".warnings"] = result.warnings
    return result


def verify_today(partner_id: str, *, identity: Identity, lang: str) -> writer.WriteResult | None:
    """"geprüft heute": set ``verified`` to today's date."""
    path = cached.registry_path()
    base = writer.registry_hash(path)
    entry = writer.read_entries(path).get(partner_id)
    if entry is None:
        st.error(t("edit.unknown_partner", lang, id=partner_id))
        return None
    entry = dict(entry, verified=dt.date.today().isoformat())
    return save([writer.UpdatePartner(partner_id, entry)], identity=identity, lang=lang, base_hash=base,
                comment=t("edit.verified_comment", "de"))


def show_flash(container=None) -> None:
    """The message of the last save (set before the rerun that shows the new data).

    Shown in ``container`` (default: here), and announced to screen readers
    (``role="status"``).
    """
    message = st.session_state.pop(FLASH_KEY, None)
    where = container if container is not None else st
    if message:
        where.success(message, icon=":material/check_circle:")
        where.html(lists.status_html(message, css_class="pn-sr-only"))
    for warning in st.session_state.pop(FLASH_KEY + ".warnings", ()):
        where.warning(warning, icon=":material/warning:")


def show_conflict(lang: str) -> bool:
    """Both versions of an entry that was changed meanwhile; True when shown."""
    conflict = st.session_state.get("edit.conflict")
    if not conflict:
        return False
    message, theirs, yours = conflict
    st.error(t("edit.conflict", lang) + "\n\n" + message, icon=":material/sync_problem:")
    left, right = st.columns(2)
    left.caption(t("edit.conflict_theirs", lang))
    left.code(theirs or "–", language="yaml")
    right.caption(t("edit.conflict_yours", lang))
    right.code(yours or "–", language="yaml")
    if st.button(t("edit.conflict_reload", lang), icon=":material/refresh:", key="edit_conflict_reload"):
        st.session_state.pop("edit.conflict", None)
        for key in [k for k in st.session_state if str(k).startswith("edit.form.")]:
            del st.session_state[key]
        st.rerun()
    return True
