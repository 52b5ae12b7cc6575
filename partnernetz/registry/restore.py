"""Restoring the whole registry, or one partner, to a revision of its history.

A restore is itself a change: one atomic write and one history entry, so it
can be undone in turn.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnernetz.errors import EditConflictError, HistoryError, RegistryValidationError, RegistryWriteError
from partnernetz.registry.changes import WriteResult
from partnernetz.registry.check import TownSource
from partnernetz.registry.history import FieldChange, History, HistoryEntry
from partnernetz.registry.layout import scan_layout
from partnernetz.registry.report import ValidationReport
from partnernetz.registry.session import WriteSession, entry_differences, safe_field_changes
from partnernetz.registry.splicing import insertion, parse_entry_text, removal_span, splice_text
from partnernetz.registry.validation import EntryContext, full_check, strip_index

__all__ = ["RestorePreview", "preview_restore", "restore_revision"]


@dataclass(frozen=True)
class RestorePreview:
    """What a restore would discard, shown before it is confirmed.

    ``discarded`` are the history entries after ``revision``, newest first;
    for one partner only those that touched it, each with only that
    partner's changes (other partners keep theirs). ``fields`` are the
    partner's fields as they are now (``old``) and after the restore (``new``).
    ``last`` is the newest discarded revision (``revision`` itself when none):
    the restore is refused when it is no longer the newest, because then it
    would discard something the preview did not show.
    """

    revision: str
    time: dt.datetime
    partner_id: str | None
    discarded: tuple[HistoryEntry, ...]
    fields: tuple[FieldChange, ...] = ()

    @property
    def last(self) -> str:
        """The newest revision this restore would discard (or ``revision``)."""
        return self.discarded[0].revision if self.discarded else self.revision


def preview_restore(path: str | Path, revision: str, *, partner_id: str | None = None) -> RestorePreview:
    """What restoring the registry (or one partner) to ``revision`` would discard; nothing is written.

    Raises
    ------
    HistoryError
        No history, or ``revision`` is not in it.
    """
    history = History(path)
    try:
        return _preview(history, history.resolve(revision), partner_id)
    finally:
        history.close()


def _preview(history: History, sha: bytes, partner_id: str | None) -> RestorePreview:
    later: list[HistoryEntry] = []
    for commit in history.iter_commits():
        if commit.id == sha:
            break
        entry = history.entry_at(commit.id)
        if partner_id is None:
            later.append(entry)
        elif partner_id in entry.partner_ids():
            mine = tuple(c for c in entry.changes if c.partner_id == partner_id)
            later.append(dataclasses.replace(entry, changes=mine))
    else:
        raise HistoryError(f"Revision {sha.decode()[:10]} liegt nicht vor dem jetzigen Stand")
    then = history.entry_at(sha)
    fields: tuple[FieldChange, ...] = ()
    if partner_id is not None:
        now_entry = _entry_in(history.text_at(history.head()), partner_id)
        then_entry = _entry_in(history.text_at(sha), partner_id)
        fields = tuple(FieldChange(f["field"], f["old"], f["new"])
                       for f in safe_field_changes(now_entry, then_entry))
    return RestorePreview(sha.decode(), then.time, partner_id, tuple(later), fields)


def _entry_in(text: str, partner_id: str) -> dict[str, Any] | None:
    layout = scan_layout(text)
    span = layout.by_id().get(partner_id)
    return parse_entry_text(layout.entry_text(span), file="") if span is not None else None


def restore_revision(
    path: str | Path,
    *,
    revision: str | None = None,
    author: str,
    towns_source: TownSource,
    partner_id: str | None = None,
    comment: str | None = None,
    today: dt.date | None = None,
    expected_last: str | None = None,
) -> WriteResult:
    """Restore the whole registry, or one partner, to ``revision``; itself a change.

    The old text is put back as it was, comments and quoting included. A
    partner that did not exist at ``revision`` is removed; one that was
    deleted since comes back. ``revision`` None is the newest version in the
    history: the last good one, since only valid versions are recorded.

    The whole registry can be restored even when the file is damaged (missing,
    binary, empty, invalid YAML); the damaged file is kept beside it
    (``<name>.beschaedigt-<time>``) and the result's warnings say where.

    ``expected_last`` is :attr:`RestorePreview.last` of the preview the user
    confirmed: when a later change came in since (for one partner: a change
    of that partner), the restore is refused with :class:`EditConflictError`.
    """
    path = Path(path)
    if not author or not author.strip():
        raise RegistryWriteError("Wer stellt wieder her? Bitte eine E-Mail-Adresse angeben")
    with WriteSession(path, towns_source=towns_source, today=today,
                      allow_damaged=partner_id is None) as session:
        if partner_id is None:
            text, damage = session.read_or_damaged()
        else:
            text, damage = session.read()[0], None
        sha = session.history.resolve(revision) if revision else session.history.head()
        if sha is None:
            raise HistoryError(f"Für {path} gibt es keine Historie: kein Stand zum Wiederherstellen")
        short = sha.decode()[:10]
        if expected_last is not None and text is not None \
                and _preview(session.history, sha, partner_id).last != expected_last:
            raise EditConflictError(
                f"{session.file}: seit der Vorschau kam eine weitere Änderung hinzu; nichts wurde "
                "zurückgesetzt. Bitte die Vorschau neu öffnen", partner_id=partner_id, theirs="", yours="",
            )
        old_text = session.history.text_at(sha)
        if partner_id is None:
            new_text = old_text
            report = full_check(new_text, file=session.file, towns_source=session.towns_source,
                                 today=session.today)
            if not report.ok:
                raise RegistryValidationError(report)
            if text is None:
                changes: list[dict[str, Any]] = []
                ids: tuple[str, ...] = ()
                summary = f"Beschädigte Datei durch den Stand {short} ersetzt"
                comment = "\n".join(part for part in (comment, f"Befund: {damage}") if part)
                kept = session.keep_damaged()
                if kept is not None:
                    session.history.warnings.append(
                        f"Die beschädigte Datei bleibt als {kept} erhalten ({damage})")
            else:
                changes = entry_differences(text, new_text, file=session.file)
                for c in changes:
                    c["op"] = "restore"
                ids = tuple(c["id"] for c in changes)
                summary = f"Registry auf Stand {short} zurückgesetzt"
        else:
            new_text, changes = _restore_partner(text, old_text, partner_id, file=session.file,
                                                 towns_source=session.towns_source, today=session.today)
            ids = (partner_id,)
            summary = f"{changes[0].get('name') or partner_id}: auf Stand {short} zurückgesetzt"
        if new_text == text:
            raise RegistryWriteError(f"Nichts zu tun: der Stand {short} entspricht der Datei")
        new_hash, rev = session.write(
            new_text, author=author, summary=summary, comment=comment,
            meta={"kind": "restore", "restore_of": sha.decode(), "changes": changes},
        )
    return WriteResult(new_hash, rev, ids, False, summary, session.warnings)


def _restore_partner(
    text: str, old_text: str, partner_id: str, *, file: str, towns_source: TownSource, today: dt.date
) -> tuple[str, list[dict[str, Any]]]:
    layout = scan_layout(text, file=file)
    old_layout = scan_layout(old_text, file=file)
    now_span = layout.by_id().get(partner_id)
    then_span = old_layout.by_id().get(partner_id)
    if now_span is None and then_span is None:
        raise RegistryWriteError(f"Partner '{partner_id}' gibt es weder jetzt noch in diesem Stand")
    then_text = old_layout.entry_text(then_span) if then_span else None
    now_text = layout.entry_text(now_span) if now_span else None
    then_entry = parse_entry_text(then_text, file=file) if then_text else None
    now_entry = parse_entry_text(now_text, file=file) if now_text else None
    if then_text is not None:
        if then_entry is None:
            raise RegistryWriteError(f"Partner '{partner_id}': der alte Stand ist nicht lesbar")
        context = EntryContext(text, layout, file=file, towns_source=towns_source)
        issues = context.check([then_entry], today=today)
        if issues:
            raise RegistryValidationError(ValidationReport(file).with_issues(strip_index(issues)))
        replacement = _reindent(then_text, old_layout.item_indent, layout.item_indent, layout.newline)
    if now_span is not None and then_text is not None:
        edits = [(now_span.start, now_span.end, replacement)]
    elif now_span is not None:
        edits = [(*removal_span(layout, now_span), "")]
    else:
        start, end, _ = insertion(layout, [{}])
        sep = layout.newline if layout.entries and layout.text.startswith(layout.newline,
                                                                           layout.entries[-1].end) else ""
        edits = [(start, end, sep + replacement)]
    new_text = splice_text(text, edits)
    name = (then_entry or now_entry or {}).get("name")
    return new_text, [{"op": "restore", "id": partner_id, "name": name,
                       "fields": safe_field_changes(now_entry, then_entry)}]


def _reindent(block: str, old_indent: int, new_indent: int, newline: str) -> str:
    lines = block.splitlines()
    shift = new_indent - old_indent
    out = []
    for line in lines:
        if shift > 0:
            out.append(" " * shift + line if line.strip() else line)
        elif shift < 0:
            cut = min(-shift, len(line) - len(line.lstrip(" ")))
            out.append(line[cut:])
        else:
            out.append(line)
    return newline.join(out) + newline
