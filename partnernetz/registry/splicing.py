"""Turning changes into text: a plan of replacements on the registry text.

Only the entries a save changes are rewritten, and within an entry only the
keys whose values changed (:func:`replacement_text`); new entries go after
the last one, separated as the file separates its entries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from partnernetz.errors import EditConflictError, RegistryValidationError, RegistryWriteError
from partnernetz.registry import emit
from partnernetz.registry.changes import (
    RETIRE_STATUSES,
    AddPartner,
    Change,
    RemovePartner,
    RetirePartner,
    entry_dict,
    field_changes,
)
from partnernetz.registry.layout import (
    EntrySpan,
    FieldSpan,
    RegistryLayout,
    find_entry_text,
    scan_layout,
)
from partnernetz.registry.models import Partner
from partnernetz.registry.parse import parse_yaml
from partnernetz.registry.report import (
    Issue,
    ValidationReport,
    describe_pydantic_error,
    format_field_path,
)

__all__ = [
    "BaseVersion",
    "EditPlan",
    "insertion",
    "parse_entry_text",
    "plan_changes",
    "removal_span",
    "replacement_text",
    "splice_text",
    "summarise_changes",
    "validated_partner",
]

def parse_entry_text(text: str, *, file: str) -> dict[str, Any] | None:
    """The one entry a span's text holds, or None when it does not parse alone."""
    data, issues = parse_yaml(text, file=file)
    if issues or not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
        return None
    return data[0]


def validated_partner(entry: Mapping[str, Any], *, where: str) -> Partner:
    try:
        return Partner.model_validate(dict(entry))
    except ValidationError as exc:
        pid = entry.get("id") if isinstance(entry.get("id"), str) else "?"
        issues = [
            Issue(None, f"partners[{pid}].{format_field_path(err['loc'])}".rstrip("."),
                  describe_pydantic_error(err), file=where)
            for err in exc.errors(include_url=False)
        ]
        raise RegistryValidationError(ValidationReport(where).with_issues(issues)) from None


def replacement_text(
    layout: RegistryLayout, span: EntrySpan, old_entry: Mapping[str, Any], new: Partner, *, file: str
) -> str:
    """New text for the entry in ``span``: only changed keys rewritten when possible."""
    new_data = entry_dict(new)
    nl = layout.newline
    key_indent, fields = layout.fields(span)
    if fields:
        candidate = _field_level(layout, span, fields, key_indent, old_entry, new_data)
        parsed = parse_entry_text(candidate, file=file)
        if parsed is not None and _same_partner(parsed, new):
            return candidate
    candidate = emit.emit_entry(new_data, item_indent=layout.item_indent, newline=nl)
    parsed = parse_entry_text(candidate, file=file)
    if parsed is None or not _same_partner(parsed, new):  # pragma: no cover - emitter bug guard
        raise RegistryWriteError(f"{file}: Eintrag '{new.id}' konnte nicht sicher geschrieben werden")
    return candidate


def _same_partner(parsed: Mapping[str, Any], expected: Partner) -> bool:
    try:
        return Partner.model_validate(dict(parsed)) == expected
    except ValidationError:
        return False


def _field_level(
    layout: RegistryLayout,
    span: EntrySpan,
    fields: Sequence[FieldSpan],
    key_indent: int,
    old_entry: Mapping[str, Any],
    new_data: Mapping[str, Any],
) -> str:
    """The entry's text with only the keys whose values changed rewritten."""
    text, nl = layout.text, layout.newline
    order = list(Partner.model_fields)
    old_norm = entry_dict(Partner.model_validate(dict(old_entry)))
    present = [f.key for f in fields]

    def rank(key: str) -> int:
        return order.index(key) if key in order else len(order)

    inserts: dict[str, list[str]] = {}
    for name in new_data:
        if name in present:
            continue
        preceding = [k for k in present if rank(k) < rank(name)]
        anchor = max(preceding, key=rank) if preceding else present[0]
        inserts.setdefault(anchor, []).append(name)
    pieces: list[str] = []
    cursor = span.start
    for fspan in fields:
        pieces.append(text[cursor:fspan.start])  # comment and blank lines before the key
        first = fspan.start == span.start
        if old_norm.get(fspan.key) == new_data.get(fspan.key):
            pieces.append(text[fspan.start:fspan.end])
        elif fspan.key in new_data:
            block = emit.emit_field(fspan.key, new_data[fspan.key], indent=key_indent, newline=nl)
            if first:
                block = " " * layout.item_indent + "-" + block[layout.item_indent + 1:]
            pieces.append(block)
        elif first:
            pieces.append(" " * layout.item_indent + "-" + nl)  # the next key moves below the '-'
        for name in sorted(inserts.get(fspan.key, []), key=rank):
            pieces.append(emit.emit_field(name, new_data[name], indent=key_indent, newline=nl))
        cursor = fspan.end
    pieces.append(text[cursor:span.end])
    return "".join(pieces)


class BaseVersion:
    """The version a save was made on: each partner's text there, looked up by its id line
    (a full layout scan only when that quick look fails)."""

    def __init__(self, text: str, *, file: str) -> None:
        self.text = text
        self.file = file
        self._layout: RegistryLayout | None = None

    def entry_text(self, partner_id: str) -> str | None:
        """The partner's text in this version, None when it did not exist."""
        quick = find_entry_text(self.text, partner_id, file=self.file)
        if quick is not None:
            return quick
        if self._layout is None:
            self._layout = scan_layout(self.text, file=self.file)
        span = self._layout.by_id().get(partner_id)
        return self._layout.entry_text(span) if span is not None else None


@dataclass
class EditPlan:
    """Replacements (start, end, text) on the current text, and what they mean."""

    edits: list[tuple[int, int, str]]
    meta: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    ids: list[str]


def plan_changes(
    changes: Sequence[Change],
    layout: RegistryLayout,
    *,
    file: str,
    base: BaseVersion | None,
) -> EditPlan:
    by_id = layout.by_id()
    plan = EditPlan([], [], [], [])
    seen: set[str] = set()
    adds: list[dict[str, Any]] = []
    for change in changes:
        if isinstance(change, AddPartner):
            new = validated_partner(change.entry, where=file)
            if new.id in by_id or new.id in seen:
                if base is not None and new.id in by_id and base.entry_text(new.id) is None:
                    raise EditConflictError(
                        f"{file}: Partner '{new.id}' wurde inzwischen von jemand anderem angelegt",
                        partner_id=new.id, theirs=layout.entry_text(by_id[new.id]),
                        yours=emit.emit_entry(entry_dict(new), item_indent=layout.item_indent),
                    )
                raise RegistryValidationError(ValidationReport(file).with_issues(
                    [Issue(None, "id", f"die id '{new.id}' ist schon vergeben", file=file)]))
            seen.add(new.id)
            adds.append(entry_dict(new))
            plan.meta.append({"op": "add", "id": new.id, "name": new.name,
                              "fields": field_changes(None, entry_dict(new))})
            plan.checks.append(entry_dict(new))
            plan.ids.append(new.id)
            continue
        span = by_id.get(change.partner_id)
        if span is None:
            gone = base.entry_text(change.partner_id) if base is not None else None
            if gone is not None:
                raise EditConflictError(
                    f"{file}: Partner '{change.partner_id}' wurde inzwischen gelöscht",
                    partner_id=change.partner_id, theirs="", yours=gone,
                )
            raise RegistryWriteError(f"{file}: Partner '{change.partner_id}' gibt es nicht")
        if change.partner_id in seen:
            raise RegistryWriteError(f"{file}: Partner '{change.partner_id}' wird zweimal geändert")
        seen.add(change.partner_id)
        old_text = layout.entry_text(span)
        old_entry = parse_entry_text(old_text, file=file)
        if old_entry is None or old_entry.get("id") != change.partner_id:
            line = layout.line_of(span.start)
            raise RegistryWriteError(
                f"{file}:{line}: Eintrag '{change.partner_id}' ist so geschrieben, dass Partnernetz "
                "ihn nicht sicher ersetzen kann (z. B. mit YAML-Ankern oder mehrzeiligen Werten in "
                "Anführungszeichen); bitte von Hand ändern"
            )
        if base is not None:
            base_text = base.entry_text(change.partner_id)
            if base_text != old_text:
                yours = _describe_yours(change, layout, span, old_entry, file=file)
                raise EditConflictError(
                    f"{file}: Partner '{change.partner_id}' wurde inzwischen von jemand anderem "
                    "geändert; Ihre Änderung wurde nicht gespeichert",
                    partner_id=change.partner_id, theirs=old_text, yours=yours,
                )
        old_valid = validated_partner(old_entry, where=file)
        if isinstance(change, RemovePartner):
            if not change.reason or not change.reason.strip():
                raise RegistryWriteError("Zum Löschen ist eine Begründung nötig")
            start, end = removal_span(layout, span)
            plan.edits.append((start, end, ""))
            plan.meta.append({"op": "remove", "id": change.partner_id, "name": old_valid.name,
                              "reason": change.reason.strip(),
                              "fields": field_changes(entry_dict(old_valid), None)})
            plan.ids.append(change.partner_id)
            continue
        if isinstance(change, RetirePartner):
            if change.status not in RETIRE_STATUSES:
                raise RegistryWriteError(
                    f"Status '{change.status}' ist kein Ruhestand (erlaubt: planned, inactive)")
            new = old_valid.model_copy(update={"status": change.status})
            op = "retire"
        else:
            new = validated_partner(change.entry, where=file)
            op = "update"
            if new.id != change.partner_id and (new.id in by_id or new.id in seen):
                raise RegistryValidationError(ValidationReport(file).with_issues(
                    [Issue(None, "id", f"die id '{new.id}' ist schon vergeben", file=file)]))
        new_text = replacement_text(layout, span, old_entry, new, file=file)
        plan.edits.append((span.start, span.end, new_text))
        plan.meta.append({"op": op, "id": change.partner_id, "name": new.name,
                          "fields": field_changes(entry_dict(old_valid), entry_dict(new))})
        plan.checks.append(entry_dict(new))
        plan.ids.append(change.partner_id)
    if adds:
        plan.edits.append(insertion(layout, adds))
    return plan


def _describe_yours(
    change: Change, layout: RegistryLayout, span: EntrySpan, old_entry: Mapping[str, Any], *, file: str
) -> str:
    if isinstance(change, RemovePartner):
        return ""
    try:
        if isinstance(change, RetirePartner):
            new = Partner.model_validate(dict(old_entry)).model_copy(update={"status": change.status})
        else:
            new = Partner.model_validate(dict(change.entry))
    except ValidationError:
        return ""
    return emit.emit_entry(entry_dict(new), item_indent=layout.item_indent, newline=layout.newline)


def removal_span(layout: RegistryLayout, span: EntrySpan) -> tuple[int, int]:
    """The entry's lines plus one blank separator line, so no double blank line remains."""
    text = layout.text
    end = span.end
    nl = layout.newline
    if text.startswith(nl, end) and (span.start == 0 or text[:span.start].endswith(nl + nl)):
        end += len(nl)
    return span.start, end


def insertion(layout: RegistryLayout, entries: Sequence[Mapping[str, Any]]) -> tuple[int, int, str]:
    """New entries go after the last entry, separated as the file separates its entries."""
    nl = layout.newline
    text = layout.text
    blocks = [emit.emit_entry(e, item_indent=layout.item_indent, newline=nl) for e in entries]
    if layout.entries:
        last = layout.entries[-1]
        separated = text.startswith(nl, last.end) or (
            len(layout.entries) > 1 and text[layout.entries[-2].end:last.start].count("\n") > 0
        )
        sep = nl if separated else ""
        prefix = "" if text[:last.end].endswith("\n") else nl
        return last.end, last.end, prefix + "".join(sep + b for b in blocks)
    if layout.key_rewrite is not None:  # the first partner of a registry without any
        key_start, key_end = layout.partners_key_line
        return key_start, key_end, layout.key_rewrite + "".join(blocks)
    start = layout.section_start
    gap = nl if start == len(text) and text and not text.endswith("\n") else ""
    return start, start, gap + "".join(blocks)


def splice_text(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    out = []
    cursor = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def summarise_changes(meta: Sequence[Mapping[str, Any]]) -> str:
    labels = {"add": "neu", "update": "geändert", "retire": "stillgelegt", "remove": "gelöscht",
              "restore": "wiederhergestellt", "external": "außerhalb geändert"}
    if not meta:
        return "Keine Änderung"
    if len(meta) == 1:
        item = meta[0]
        fields = ", ".join(f["field"].split(".")[0] for f in item.get("fields", [])[:6])
        fields = ", ".join(dict.fromkeys(fields.split(", "))) if fields else ""
        detail = f" ({fields})" if fields and item["op"] in ("update", "retire") else ""
        return f"{item.get('name') or item['id']}: {labels.get(item['op'], item['op'])}{detail}"
    return f"{len(meta)} Partner geändert"
