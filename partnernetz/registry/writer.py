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
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from partnernetz.errors import (
    EditConflictError,
    RegistryFileError,
    RegistryValidationError,
    RegistryWriteError,
)
from partnernetz.files import write_bytes_atomically
from partnernetz.registry import emit
from partnernetz.registry.check import TownSource, check_registry
from partnernetz.registry.history import SYSTEM_AUTHOR, UNKNOWN_AUTHOR, History
from partnernetz.registry.layout import (
    EntrySpan,
    FieldSpan,
    RegistryLayout,
    find_entry_text,
    header_text,
    scan_layout,
)
from partnernetz.registry.models import Partner
from partnernetz.registry.parse import YamlLocator, parse_yaml, read_registry_text
from partnernetz.registry.report import (
    Issue,
    ValidationReport,
    describe_pydantic_error,
    format_field_path,
)

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

LOCK_TIMEOUT_S = 120.0
RETIRE_STATUSES = ("planned", "inactive")


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class AddPartner:
    """A new partner; ``entry`` is its data as in the registry file."""

    entry: Mapping[str, Any]


@dataclass(frozen=True)
class UpdatePartner:
    """The new state of an existing partner (the whole entry, every field)."""

    partner_id: str
    entry: Mapping[str, Any]


@dataclass(frozen=True)
class RetirePartner:
    """Set a partner to ``planned`` or ``inactive``; it stays in the file."""

    partner_id: str
    status: str = "inactive"


@dataclass(frozen=True)
class RemovePartner:
    """Delete a partner from the file (admins only, with a reason; it stays in the history)."""

    partner_id: str
    reason: str


Change = AddPartner | UpdatePartner | RetirePartner | RemovePartner


@dataclass(frozen=True)
class WriteResult:
    """What a save did."""

    content_hash: str  # of the file as written: the base of the next save
    revision: str  # history commit
    partner_ids: tuple[str, ...]
    merged: bool  # the file had changed since base_hash; the changes were merged
    summary: str


# --------------------------------------------------------------------------- helpers


def content_hash(data: bytes | str) -> str:
    """sha256 of the file's bytes: the version a form was opened on."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def registry_hash(path: str | Path) -> str:
    """:func:`content_hash` of the registry file on disk."""
    try:
        return content_hash(Path(path).read_bytes())
    except OSError as exc:
        raise RegistryFileError(f"{path}: Datei kann nicht gelesen werden ({exc.strerror})") from None


def lock_path(path: str | Path) -> Path:
    """The lock file of ``path``: ``.<name>.lock`` beside it."""
    path = Path(path)
    return path.parent / f".{path.name}.lock"


def entry_dict(partner: Partner) -> dict[str, Any]:
    """A validated partner as plain registry data: no empty values, no defaults.

    The order is the model's field order, the order new entries are written in.
    """
    data = partner.model_dump(mode="json", exclude_none=True)
    out: dict[str, Any] = {}
    for name, info in Partner.model_fields.items():
        if name not in data:
            continue
        value = data[name]
        if value == [] or value == {}:
            continue
        if not info.is_required() and info.default is not None and value == info.default:
            continue
        out[name] = value
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(_flatten(sub, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        out = {}
        for i, sub in enumerate(value):
            out.update(_flatten(sub, f"{prefix}.{i}"))
        return out
    return {prefix: value}


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Dotted fields whose value differs between two entries, with old and new value."""
    flat_old = _flatten(dict(old or {}))
    flat_new = _flatten(dict(new or {}))
    keys = list(dict.fromkeys([*flat_old, *flat_new]))
    return [
        {"field": key, "old": flat_old.get(key), "new": flat_new.get(key)}
        for key in keys
        if flat_old.get(key) != flat_new.get(key)
    ]


def read_entries(path: str | Path) -> dict[str, dict[str, Any]]:
    """Every partner's entry as parsed from the file, by id (for forms and the CLI)."""
    text = read_registry_text(path)
    data, issues = parse_yaml(text, file=str(path))
    if data is None or not isinstance(data, dict):
        raise RegistryValidationError(ValidationReport(str(path)).with_issues(issues))
    out = {}
    for item in data.get("partners") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.setdefault(item["id"], item)
    return out


# --------------------------------------------------------------------------- validation


class _Context:
    """The parts of the registry that entry checks need: region, categories, towns."""

    def __init__(self, text: str, layout: RegistryLayout, *, file: str, towns_source: TownSource) -> None:
        outside = text[:layout.partners_key_line[0]] + text[layout.section_end:]
        data, issues = parse_yaml(outside, file=file)
        if not isinstance(data, dict):
            raise RegistryValidationError(ValidationReport(file).with_issues(issues))
        self.header = {key: data[key] for key in ("region", "categories", "targets") if key in data}
        self.file = file
        self.towns_source = towns_source

    def check(self, entries: Sequence[Mapping[str, Any]], *, today: dt.date) -> list[Issue]:
        """Errors of ``entries`` as if they were the registry's only partners."""
        data = {**self.header, "partners": [dict(e) for e in entries]}
        checked = check_registry(
            data, file=self.file, locator=_NoLines(), today=today, towns_source=self.towns_source,
        )
        issues = [i for i in checked.issues if i.severity == "error"]
        if checked.towns is not None:
            issues.extend(_location_issues(checked, file=self.file))
        return issues


class _NoLines(YamlLocator):
    """Entry checks run on data that is not in the file yet: no line numbers."""

    def __init__(self) -> None:
        super().__init__("")

    def line(self, loc: Any) -> int | None:
        return None


def _location_issues(checked: Any, *, file: str) -> list[Issue]:
    """Exact coordinates outside the region are errors (as in the dataset build)."""
    import shapely

    region = checked.towns.geometry.union_all()
    issues = []
    for partner, position in zip(checked.partners, checked.positions, strict=True):
        if partner.location is None:
            continue
        lat, lon = partner.location.lat, partner.location.lon
        if not shapely.contains_xy(region, lon, lat):
            message = (
                f"Koordinaten ({lat:.5f}, {lon:.5f}) liegen außerhalb der Region "
                f"{checked.region.name}"
            )
            if shapely.contains_xy(region, lat, lon):
                message += " – sind Breite (lat) und Länge (lon) vertauscht?"
            issues.append(Issue(None, f"partners[{position}].location", message, file=file))
    return issues


def validate_entry(
    path: str | Path,
    entry: Mapping[str, Any],
    *,
    towns_source: TownSource,
    partner_id: str | None = None,
    today: dt.date | None = None,
) -> list[Issue]:
    """Errors of one entry as a form would save it (nothing is written).

    ``partner_id`` is the id the entry had (None for a new partner); another
    partner with the entry's id is an error.
    """
    text = read_registry_text(path)
    layout = scan_layout(text, file=str(path))
    context = _Context(text, layout, file=str(path), towns_source=towns_source)
    issues = _strip_index(context.check([entry], today=today or dt.date.today()))
    new_id = entry.get("id")
    if isinstance(new_id, str) and new_id != partner_id and new_id in layout.by_id():
        issues.append(Issue(None, "id", f"die id '{new_id}' ist schon vergeben", file=str(path)))
    return issues


def _strip_index(issues: Iterable[Issue]) -> list[Issue]:
    """``partners[0].email`` → ``email``: the field of the entry itself."""
    out = []
    for issue in issues:
        name = issue.field
        if name.startswith("partners[0]"):
            name = name[len("partners[0]"):].lstrip(".")
        out.append(Issue(issue.line, name, issue.message, severity=issue.severity, file=issue.file))
    return out


def _full_check(text: str, *, file: str, towns_source: TownSource, today: dt.date) -> ValidationReport:
    data, parse_issues = parse_yaml(text, file=file)
    checked = check_registry(
        data, file=file, locator=YamlLocator(text), today=today, parse_issues=parse_issues,
        towns_source=towns_source,
    )
    report = checked.report()
    if checked.towns is not None and checked.region is not None:
        report = report.with_issues(_location_issues(checked, file=file))
    return report


# --------------------------------------------------------------------------- splicing


def _parse_entry_text(text: str, *, file: str) -> dict[str, Any] | None:
    """The one entry a span's text holds, or None when it does not parse alone."""
    data, issues = parse_yaml(text, file=file)
    if issues or not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
        return None
    return data[0]


def _validated(entry: Mapping[str, Any], *, where: str) -> Partner:
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


def _replacement_text(
    layout: RegistryLayout, span: EntrySpan, old_entry: Mapping[str, Any], new: Partner, *, file: str
) -> str:
    """New text for the entry in ``span``: only changed keys rewritten when possible."""
    new_data = entry_dict(new)
    nl = layout.newline
    key_indent, fields = layout.fields(span)
    if fields:
        candidate = _field_level(layout, span, fields, key_indent, old_entry, new_data)
        parsed = _parse_entry_text(candidate, file=file)
        if parsed is not None and _same_partner(parsed, new):
            return candidate
    candidate = emit.emit_entry(new_data, item_indent=layout.item_indent, newline=nl)
    parsed = _parse_entry_text(candidate, file=file)
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


# --------------------------------------------------------------------------- applying


class _BaseVersion:
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
class _Plan:
    """Replacements (start, end, text) on the current text, and what they mean."""

    edits: list[tuple[int, int, str]]
    meta: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    ids: list[str]


def _plan(
    changes: Sequence[Change],
    layout: RegistryLayout,
    *,
    file: str,
    base: _BaseVersion | None,
) -> _Plan:
    by_id = layout.by_id()
    plan = _Plan([], [], [], [])
    seen: set[str] = set()
    adds: list[dict[str, Any]] = []
    for change in changes:
        if isinstance(change, AddPartner):
            new = _validated(change.entry, where=file)
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
        old_entry = _parse_entry_text(old_text, file=file)
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
        old_valid = _validated(old_entry, where=file)
        if isinstance(change, RemovePartner):
            if not change.reason or not change.reason.strip():
                raise RegistryWriteError("Zum Löschen ist eine Begründung nötig")
            start, end = _removal_span(layout, span)
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
            new = _validated(change.entry, where=file)
            op = "update"
            if new.id != change.partner_id and (new.id in by_id or new.id in seen):
                raise RegistryValidationError(ValidationReport(file).with_issues(
                    [Issue(None, "id", f"die id '{new.id}' ist schon vergeben", file=file)]))
        new_text = _replacement_text(layout, span, old_entry, new, file=file)
        plan.edits.append((span.start, span.end, new_text))
        plan.meta.append({"op": op, "id": change.partner_id, "name": new.name,
                          "fields": field_changes(entry_dict(old_valid), entry_dict(new))})
        plan.checks.append(entry_dict(new))
        plan.ids.append(change.partner_id)
    if adds:
        plan.edits.append(_insertion(layout, adds))
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


def _removal_span(layout: RegistryLayout, span: EntrySpan) -> tuple[int, int]:
    """The entry's lines plus one blank separator line, so no double blank line remains."""
    text = layout.text
    end = span.end
    nl = layout.newline
    if text.startswith(nl, end) and (span.start == 0 or text[:span.start].endswith(nl + nl)):
        end += len(nl)
    return span.start, end


def _insertion(layout: RegistryLayout, entries: Sequence[Mapping[str, Any]]) -> tuple[int, int, str]:
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
    if layout.opening is not None:  # ``partners: []`` or no key yet: the block form starts here
        start, end, head = layout.opening
        return start, end, head + "".join(blocks)
    start = layout.section_start
    return start, start, "".join(blocks)


def _splice(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    out = []
    cursor = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _summary(meta: Sequence[Mapping[str, Any]]) -> str:
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


class _WarmTowns:
    """The towns source with each Kreis loaded once, so the work under the lock stays short."""

    def __init__(self, source: TownSource) -> None:
        self.source = source
        self._loaded: dict[str, Any] = {}

    def load(self, kreis: str) -> Any:
        if kreis not in self._loaded:
            self._loaded[kreis] = self.source.load(kreis)
        return self._loaded[kreis]

    def resolver(self, towns: Any, region: Any) -> Any:
        return self.source.resolver(towns, region)

    def warm(self, path: Path) -> None:
        """Load the Kreis of the registry at ``path`` before taking the lock."""
        try:
            data, _ = parse_yaml(header_text(read_registry_text(path)), file=str(path))
            kreis = data["region"]["kreis"]
            self.load(str(kreis) if not isinstance(kreis, int) else f"{kreis:05d}")
        except Exception:  # noqa: S110 - only a head start; the checks under the lock report problems
            pass


class _Session:
    """One locked read–check–write–record cycle on a registry."""

    def __init__(self, path: Path, *, towns_source: TownSource, today: dt.date | None) -> None:
        self.path = path
        self.file = str(path)
        warm = _WarmTowns(towns_source)
        warm.warm(path)
        self.towns_source: TownSource = warm
        self.today = today or dt.date.today()
        self.history = History(path)

    def __enter__(self) -> _Session:
        from filelock import FileLock, Timeout

        self._lock = FileLock(str(lock_path(self.path)), timeout=LOCK_TIMEOUT_S)
        try:
            self._lock.acquire()
        except Timeout:
            raise RegistryWriteError(
                f"{self.file}: ist seit {LOCK_TIMEOUT_S:.0f} s von einer anderen Änderung gesperrt; "
                "bitte später erneut speichern"
            ) from None
        except OSError as exc:
            raise RegistryWriteError(f"{self.file}: Sperrdatei nicht anlegbar ({exc.strerror})") from None
        self.history.clear_stale_locks()
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):  # left by a killed writer
            stale.unlink(missing_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self.history.close()
        self._lock.release()

    def read(self) -> tuple[str, bytes, str]:
        """Current text, bytes and hash; the file is known to be valid afterwards."""
        text = read_registry_text(self.path)
        raw = self.path.read_bytes()
        current = content_hash(raw)
        if self.history.exists:
            self.history.recover(current)
        recorded = self.history.recorded_hash() if self.history.exists else None
        if recorded != current:
            report = _full_check(text, file=self.file, towns_source=self.towns_source, today=self.today)
            if not report.ok:
                raise RegistryValidationError(report)
            self._record_unseen(raw, text, initial=recorded is None)
        return text, raw, current

    def _record_unseen(self, raw: bytes, text: str, *, initial: bool) -> None:
        """Commit the file as it is: the first version, or a hand edit made since the last save."""
        if initial:
            meta = {"v": 1, "kind": "initial", "hash": content_hash(raw), "changes": []}
            sha = self.history.prepare(raw, author=SYSTEM_AUTHOR, summary="Ausgangsstand",
                                       comment=None, meta=meta)
        else:
            previous = self.history.text_at(self.history.head())
            changes = _entry_differences(previous, text, file=self.file)
            meta = {"v": 1, "kind": "external", "hash": content_hash(raw), "changes": changes}
            sha = self.history.prepare(
                raw, author=UNKNOWN_AUTHOR, summary="Änderung außerhalb von Partnernetz",
                comment=None, meta=meta,
            )
        self.history.finish(sha)

    def write(
        self, new_text: str, *, author: str, summary: str, comment: str | None, meta: dict[str, Any],
        when: float | None = None,
    ) -> tuple[str, str]:
        data = new_text.encode("utf-8")
        new_hash = content_hash(data)
        meta = {"v": 1, **meta, "hash": new_hash}
        sha = self.history.prepare(data, author=author, summary=summary, comment=comment, meta=meta,
                                   when=when)
        write_bytes_atomically(self.path, data)
        self.history.finish(sha)
        return new_hash, sha.decode()


def _entry_differences(old_text: str, new_text: str, *, file: str) -> list[dict[str, Any]]:
    """Which partners differ between two versions of the file (for hand edits and restores)."""
    try:
        old_layout, new_layout = scan_layout(old_text, file=file), scan_layout(new_text, file=file)
    except RegistryWriteError:
        return []
    old_by_id, new_by_id = old_layout.by_id(), new_layout.by_id()
    out = []
    for pid in dict.fromkeys([*old_by_id, *new_by_id]):
        old_span, new_span = old_by_id.get(pid), new_by_id.get(pid)
        old_t = old_layout.entry_text(old_span) if old_span else None
        new_t = new_layout.entry_text(new_span) if new_span else None
        if old_t == new_t:
            continue
        old_e = _parse_entry_text(old_t, file=file) if old_t else None
        new_e = _parse_entry_text(new_t, file=file) if new_t else None
        op = "add" if old_t is None else "remove" if new_t is None else "update"
        name = (new_e or old_e or {}).get("name")
        out.append({"op": op, "id": pid, "name": name, "fields": _safe_field_changes(old_e, new_e)})
    return out


def _safe_field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[dict]:
    def norm(entry: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if entry is None:
            return None
        try:
            return entry_dict(Partner.model_validate(dict(entry)))
        except ValidationError:
            return dict(entry)
    return field_changes(norm(old), norm(new))


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
    with _Session(path, towns_source=towns_source, today=today) as session:
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
            base = _BaseVersion(base_text, file=session.file)
            merged = True
        plan = _plan(changes, layout, file=session.file, base=base)
        context = _Context(text, layout, file=session.file, towns_source=session.towns_source)
        if plan.checks:
            issues = context.check(plan.checks, today=session.today)
            if issues:
                issues = [_renumber(i, plan, layout) for i in issues]
                raise RegistryValidationError(ValidationReport(session.file).with_issues(issues))
        new_text = _splice(text, plan.edits)
        summary = _summary(plan.meta)
        new_hash, revision = session.write(
            new_text, author=author, summary=summary, comment=comment,
            meta={"kind": "change", "base": base_hash, "changes": plan.meta},
            when=when.timestamp() if when is not None else None,
        )
    return WriteResult(new_hash, revision, tuple(plan.ids), merged, summary)


def _renumber(issue: Issue, plan: _Plan, layout: RegistryLayout) -> Issue:
    """``partners[k]`` of the check's mini registry → the partner's id."""
    name = issue.field
    if name.startswith("partners["):
        close = name.index("]")
        k = int(name[len("partners["):close])
        pid = plan.checks[k].get("id") if k < len(plan.checks) else None
        name = f"partners[{pid}]{name[close + 1:]}" if pid else name
    return Issue(issue.line, name, issue.message, severity=issue.severity, file=issue.file)


def restore_revision(
    path: str | Path,
    *,
    revision: str,
    author: str,
    towns_source: TownSource,
    partner_id: str | None = None,
    comment: str | None = None,
    today: dt.date | None = None,
) -> WriteResult:
    """Restore the whole registry, or one partner, to ``revision``; itself a change.

    The old text is put back as it was, comments and quoting included. A
    partner that did not exist at ``revision`` is removed; one that was
    deleted since comes back.
    """
    path = Path(path)
    if not author or not author.strip():
        raise RegistryWriteError("Wer stellt wieder her? Bitte eine E-Mail-Adresse angeben")
    with _Session(path, towns_source=towns_source, today=today) as session:
        text, _raw, _current = session.read()
        sha = session.history.resolve(revision)
        old_text = session.history.text_at(sha)
        if partner_id is None:
            new_text = old_text
            report = _full_check(new_text, file=session.file, towns_source=session.towns_source,
                                 today=session.today)
            if not report.ok:
                raise RegistryValidationError(report)
            changes = _entry_differences(text, new_text, file=session.file)
            for c in changes:
                c["op"] = "restore"
            ids = tuple(c["id"] for c in changes)
            summary = f"Registry auf Stand {sha.decode()[:10]} zurückgesetzt"
        else:
            new_text, changes = _restore_partner(text, old_text, partner_id, file=session.file,
                                                 towns_source=session.towns_source, today=session.today)
            ids = (partner_id,)
            summary = f"{changes[0].get('name') or partner_id}: auf Stand {sha.decode()[:10]} zurückgesetzt"
        if new_text == text:
            raise RegistryWriteError(f"Nichts zu tun: der Stand {sha.decode()[:10]} entspricht der Datei")
        new_hash, rev = session.write(
            new_text, author=author, summary=summary, comment=comment,
            meta={"kind": "restore", "restore_of": sha.decode(), "changes": changes},
        )
    return WriteResult(new_hash, rev, ids, False, summary)


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
    then_entry = _parse_entry_text(then_text, file=file) if then_text else None
    now_entry = _parse_entry_text(now_text, file=file) if now_text else None
    if then_text is not None:
        if then_entry is None:
            raise RegistryWriteError(f"Partner '{partner_id}': der alte Stand ist nicht lesbar")
        context = _Context(text, layout, file=file, towns_source=towns_source)
        issues = context.check([then_entry], today=today)
        if issues:
            raise RegistryValidationError(ValidationReport(file).with_issues(_strip_index(issues)))
        replacement = _reindent(then_text, old_layout.item_indent, layout.item_indent, layout.newline)
    if now_span is not None and then_text is not None:
        edits = [(now_span.start, now_span.end, replacement)]
    elif now_span is not None:
        edits = [(*_removal_span(layout, now_span), "")]
    else:
        start, end, _ = _insertion(layout, [{}])
        sep = layout.newline if layout.entries and layout.text.startswith(layout.newline,
                                                                           layout.entries[-1].end) else ""
        edits = [(start, end, sep + replacement)]
    new_text = _splice(text, edits)
    name = (then_entry or now_entry or {}).get("name")
    return new_text, [{"op": "restore", "id": partner_id, "name": name,
                       "fields": _safe_field_changes(now_entry, then_entry)}]


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
