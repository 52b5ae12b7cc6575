"""Changing the registry file: one atomic write and one history entry per save.

The YAML file stays the source of truth and readable by hand. A save
replaces only the text of the entries it changes — within an entry only the
keys whose values changed — so comments, key order, quoting and blank lines
elsewhere stay byte for byte as they were. Every value the writer emits is
quoted (:mod:`partnernetz.registry.emit`).

Before anything is written, the changed entries are validated with the
registry's own models and checks (towns, categories, duplicate ids,
coordinates inside the region), and the file as it is on disk must be valid:
a registry with errors is never written over.

Concurrency: each save names the content hash of the version it was made
on (``base_hash``). A lock file (``filelock``) serialises writers across
processes. When the file changed since, the save is merged if the other
change touched different entries, and refused with :class:`EditConflictError`
(both versions attached) if it touched the same one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from partnernetz.errors import EditConflictError, RegistryValidationError, RegistryWriteError
from partnernetz.registry.changes import (
    AddPartner,
    Change,
    RemovePartner,
    RetirePartner,
    UpdatePartner,
    WriteResult,
    content_hash,
    entry_dict,
    field_changes,
    lock_path,
    read_entries,
    registry_hash,
)
from partnernetz.registry.check import TownSource
from partnernetz.registry.layout import RegistryLayout, scan_layout
from partnernetz.registry.report import Issue, ValidationReport
from partnernetz.registry.restore import restore_revision
from partnernetz.registry.session import WriteSession
from partnernetz.registry.splicing import BaseVersion, EditPlan, plan_changes, splice_text, summarise_changes
from partnernetz.registry.validation import EntryContext, validate_entry

__all__ = [
    "AddPartner",
    "Change",
    "RemovePartner",
    "RetirePartner",
    "UpdatePartner",
    "WriteResult",
    "apply_changes",
    "content_hash",
    "entry_dict",
    "field_changes",
    "lock_path",
    "read_entries",
    "registry_hash",
    "restore_revision",
    "validate_entry",
]


def apply_changes(
    path: str | Path,
    changes: Sequence[Change],
    *,
    base_hash: str | None,
    author: str,
    comment: str | None = None,
    towns_source: TownSource,
    today: dt.date | None = None,
    when: dt.datetime | None = None,
) -> WriteResult:
    """Apply ``changes`` to the registry at ``path``: one atomic write, one history entry.

    Parameters
    ----------
    base_hash
        :func:`content_hash` of the version the changes were made on; None
        means "the file as it is now" (scripts that read and write at once).
    author
        Who saves: ``Name <email>`` or an e-mail address (from sign-in).
    towns_source
        The gazetteer (``partnernetz.geo.towns.GazetteerTowns()``) for the
        town, serves and coordinate checks.
    when
        Time of the history entry (default now; for importing old history).

    Raises
    ------
    RegistryValidationError
        The file on disk has errors, or a changed entry would have; nothing written.
    EditConflictError
        A partner changed meanwhile was changed again here (``exit_code`` 3).
    RegistryWriteError
        The change cannot be applied (unknown partner, locked, unusual layout).
    """
    path = Path(path)
    if not changes:
        raise RegistryWriteError("Keine Änderung angegeben")
    if not author or not author.strip():
        raise RegistryWriteError("Wer ändert? Bitte eine E-Mail-Adresse angeben")
    with WriteSession(path, towns_source=towns_source, today=today) as session:
        text, _raw, current = session.read()
        layout = scan_layout(text, file=session.file)
        base = None
        merged = False
        if base_hash is not None and base_hash != current:
            base_text = session.history.text_by_hash(base_hash)
            if base_text is None:
                raise EditConflictError(
                    f"{session.file}: wurde geändert, seit das Formular geöffnet wurde, und die "
                    "damalige Fassung ist nicht in der Historie; bitte neu laden und erneut ändern",
                    partner_id=None, theirs="", yours="",
                )
            base = BaseVersion(base_text, file=session.file)
            merged = True
        plan = plan_changes(changes, layout, file=session.file, base=base)
        context = EntryContext(text, layout, file=session.file, towns_source=session.towns_source)
        if plan.checks:
            issues = context.check(plan.checks, today=session.today)
            if issues:
                issues = [_renumber(i, plan, layout) for i in issues]
                raise RegistryValidationError(ValidationReport(session.file).with_issues(issues))
        new_text = splice_text(text, plan.edits)
        if new_text == text:  # e.g. "geprüft heute" on a partner verified today: no empty entry
            head = session.history.head()
            names = ", ".join(str(m.get("name") or m["id"]) for m in plan.meta)
            return WriteResult(current, head.decode() if head else "", (), merged,
                               f"Keine Änderung: {names} ist schon so gespeichert",
                               session.warnings, changed=False)
        summary = summarise_changes(plan.meta)
        new_hash, revision = session.write(
            new_text, author=author, summary=summary, comment=comment,
            meta={"kind": "change", "base": base_hash, "changes": plan.meta},
            when=when.timestamp() if when is not None else None,
        )
    return WriteResult(new_hash, revision, tuple(plan.ids), merged, summary, session.warnings)


def _renumber(issue: Issue, plan: EditPlan, layout: RegistryLayout) -> Issue:
    """``partners[k]`` of the check's mini registry → the partner's id."""
    name = issue.field
    if name.startswith("partners["):
        close = name.index("]")
        k = int(name[len("partners["):close])
        pid = plan.checks[k].get("id") if k < len(plan.checks) else None
        name = f"partners[{pid}]{name[close + 1:]}" if pid else name
    return Issue(issue.line, name, issue.message, severity=issue.severity, file=issue.file)
