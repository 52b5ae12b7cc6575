"""Restoring the whole registry, or one partner, to a revision of its history.

A restore is itself a change: one atomic write and one history entry, so it
can be undone in turn.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from partnernetz.errors import HistoryError, RegistryValidationError, RegistryWriteError
from partnernetz.registry.changes import WriteResult
from partnernetz.registry.check import TownSource
from partnernetz.registry.layout import scan_layout
from partnernetz.registry.report import ValidationReport
from partnernetz.registry.session import WriteSession, entry_differences, safe_field_changes
from partnernetz.registry.splicing import insertion, parse_entry_text, removal_span, splice_text
from partnernetz.registry.validation import EntryContext, full_check, strip_index

__all__ = ["restore_revision"]


def restore_revision(
    path: str | Path,
    *,
    revision: str | None = None,
    author: str,
    towns_source: TownSource,
    partner_id: str | None = None,
    comment: str | None = None,
    today: dt.date | None = None,
) -> WriteResult:
    """Restore the whole registry, or one partner, to ``revision``; itself a change.

    The old text is put back as it was, comments and quoting included. A
    partner that did not exist at ``revision`` is removed; one that was
    deleted since comes back. ``revision`` None is the newest version in the
    history: the last good one, since only valid versions are recorded.

    The whole registry can be restored even when the file is damaged (missing,
    binary, empty, invalid YAML); the damaged file is kept beside it
    (``<name>.beschaedigt-<time>``) and the result's warnings say where.
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
