"""The ``edit``, ``verify``, ``history`` and ``restore`` sub-commands.

Exit codes: 0 written, 1 invalid (nothing written), 2 unusable (missing file,
bad arguments), 3 the entry was changed concurrently and could not be merged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from partnernetz.audit import log_audit
from partnernetz.cli import EXIT_INVALID, EXIT_OK, EXTRA_COMMANDS, _date
from partnernetz.errors import (
    EditConflictError,
    PartnernetzError,
    RegistryValidationError,
    RegistryWriteError,
)

EXIT_CONFLICT = 3
AUDIT_ROLE = "cli"  # the audit log's role of a command: whoever may write the file
LIST_FIELDS = frozenset({"stages", "target_groups", "languages", "offers", "owners", "serves"})


def register(sub: argparse._SubParsersAction) -> None:
    """Add the editing sub-commands to the CLI."""
    p = sub.add_parser("edit", help="einen Partner ändern (Felder setzen)")
    p.add_argument("path", type=Path)
    p.add_argument("id", help="id des Partners")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="FELD=WERT",
                   help="Feld setzen, z. B. phone=\"05271 1234\", address.street=…, contacts.0.phone=…, "
                        "languages=de,ar,uk; leerer Wert entfernt das Feld")
    p.add_argument("--new", action="store_true", help="neuen Partner mit dieser id anlegen")
    p.add_argument("--delete", action="store_true", help="Partner löschen (nur mit --reason)")
    p.add_argument("--reason", help="Begründung fürs Löschen")
    p.add_argument("--by", help="wer ändert (E-Mail); Standard: $PARTNERNETZ_EDITOR oder Benutzername")
    p.add_argument("--comment", help="Kommentar für die Historie")
    p.add_argument("--base", default=None, metavar="HASH",
                   help="Inhalts-Hash (sha256) der Fassung, auf der die Änderung beruht "
                        "(Standard: die Datei beim Start)")
    p.set_defaults(run=cmd_edit)

    p = sub.add_parser("verify", help="Partner als geprüft markieren (verified)")
    p.add_argument("path", type=Path)
    p.add_argument("id")
    p.add_argument("--date", type=_date, default=None, help="Prüfdatum JJJJ-MM-TT (Standard: heute)")
    p.add_argument("--by")
    p.add_argument("--comment")
    p.set_defaults(run=cmd_verify)

    p = sub.add_parser("history", help="Änderungshistorie ausgeben")
    p.add_argument("path", type=Path)
    p.add_argument("id", nargs="?", default=None)
    p.add_argument("--by", dest="author", default=None, help="nur Änderungen dieser Person")
    p.add_argument("--since", type=_date, default=None)
    p.add_argument("--until", type=_date, default=None)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_history)

    p = sub.add_parser("restore", help="Partner oder ganze Registry auf einen früheren Stand setzen")
    p.add_argument("path", type=Path)
    p.add_argument("--to", default=None, metavar="REVISION",
                   help="Revision aus 'history' (Standard: der letzte gültige Stand); die ganze "
                        "Registry lässt sich auch zurücksetzen, wenn die Datei beschädigt ist")
    p.add_argument("--id", default=None, help="nur diesen Partner")
    p.add_argument("--by", required=True)
    p.add_argument("--comment")
    p.set_defaults(run=cmd_restore)


EXTRA_COMMANDS.append(register)


def _author(value: str | None) -> str:
    if value:
        return value
    env = os.environ.get("PARTNERNETZ_EDITOR")
    if env:
        return env
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unbekannt"
    return f"{user}@localhost"


def _towns() -> Any:
    from partnernetz.geo.towns import GazetteerTowns

    return GazetteerTowns()


def parse_value(field: str, raw: str) -> Any:
    """A ``--set`` value: comma lists for list fields, JSON for ``[…]``/``{…}``, '' removes."""
    raw = raw.strip()
    if raw == "":
        return None
    if raw[0] in "[{":
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise RegistryWriteError(f"--set {field}: kein gültiges JSON ({exc.msg})") from None
    if field in LIST_FIELDS and not (field == "serves" and raw == "all"):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def set_field(entry: dict[str, Any], path: str, raw: str) -> None:
    """Set the dotted ``path`` (``address.street``, ``contacts.0.phone``) in ``entry``."""
    parts = path.split(".")
    if not all(parts):
        raise RegistryWriteError(f"--set {path}: ungültiger Feldname")
    value = parse_value(parts[0] if len(parts) == 1 else "", raw)
    node: Any = entry
    for depth, part in enumerate(parts[:-1]):
        nxt = parts[depth + 1]
        child_default: Any = [] if nxt.isdigit() else {}
        if isinstance(node, list):
            index = _index(part, node, path)
            if index == len(node):
                node.append(child_default)
            node = node[index]
        else:
            if node.get(part) is None:
                node[part] = child_default
            node = node[part]
        if not isinstance(node, dict | list):
            raise RegistryWriteError(f"--set {path}: '{part}' ist kein Abschnitt")
    last = parts[-1]
    if isinstance(node, list):
        index = _index(last, node, path)
        if value is None:
            if index < len(node):
                node.pop(index)
        elif index == len(node):
            node.append(value)
        else:
            node[index] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _index(part: str, node: list, path: str) -> int:
    if not part.isdigit() or int(part) > len(node):
        raise RegistryWriteError(
            f"--set {path}: '{part}' ist keine gültige Position (0 bis {len(node)})")
    return int(part)


def _report_conflict(exc: EditConflictError) -> int:
    print(f"Konflikt: {exc}", file=sys.stderr)
    if exc.theirs:
        print("--- jetzt in der Datei:", file=sys.stderr)
        print(exc.theirs.rstrip("\n"), file=sys.stderr)
    if exc.yours:
        print("--- Ihre Fassung (nicht gespeichert):", file=sys.stderr)
        print(exc.yours.rstrip("\n"), file=sys.stderr)
    return EXIT_CONFLICT


def _run_write(fn: Any, *, event: str, user: str | None, target: str) -> int:
    """Run the write ``fn`` and report it; the audit log gets ``event`` with its outcome."""
    try:
        result = fn()
    except EditConflictError as exc:
        log_audit(event, user=user, role=AUDIT_ROLE, target=target, outcome="conflict")
        return _report_conflict(exc)
    except RegistryWriteError as exc:
        log_audit(event, user=user, role=AUDIT_ROLE, target=target, outcome="refused")
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except PartnernetzError as exc:  # reported by cli.main
        outcome = "invalid" if isinstance(exc, RegistryValidationError) else "refused"
        log_audit(event, user=user, role=AUDIT_ROLE, target=target, outcome=outcome)
        raise
    for warning in result.warnings:
        print(f"Warnung: {warning}", file=sys.stderr)
    if not result.changed:
        print(f"nicht gespeichert: {result.summary}")
        return EXIT_OK
    log_audit(event, user=user, role=AUDIT_ROLE, target=target)
    print(f"gespeichert: {result.summary} (Revision {result.revision[:10]})")
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    """``edit PATH ID --set FIELD=VALUE …``."""
    from partnernetz.registry import writer

    base = args.base or writer.registry_hash(args.path)
    author = _author(args.by)
    if args.delete:
        if args.sets or args.new:
            raise RegistryWriteError("--delete lässt sich nicht mit --set oder --new verbinden")
        if not args.reason:
            raise RegistryWriteError("Zum Löschen bitte eine Begründung mit --reason angeben")
        change: writer.Change = writer.RemovePartner(args.id, args.reason)
    else:
        if not args.sets:
            raise RegistryWriteError("Nichts zu ändern: bitte mindestens ein --set FELD=WERT angeben")
        entries = writer.read_entries(args.path)
        if args.new:
            if args.id in entries:
                raise RegistryWriteError(f"Partner '{args.id}' gibt es schon")
            entry: dict[str, Any] = {"id": args.id}
        else:
            if args.id not in entries:
                raise RegistryWriteError(f"Partner '{args.id}' gibt es in {args.path} nicht")
            entry = json.loads(json.dumps(entries[args.id], default=str))
        for item in args.sets:
            field, sep, value = item.partition("=")
            if not sep:
                raise RegistryWriteError(f"--set {item}: bitte FELD=WERT angeben")
            set_field(entry, field.strip(), value)
        change = writer.AddPartner(entry) if args.new else writer.UpdatePartner(args.id, entry)
    return _run_write(lambda: writer.apply_changes(
        args.path, [change], base_hash=base, author=author, comment=args.comment,
        towns_source=_towns(),
    ), event="edit", user=author, target=args.id)


def cmd_verify(args: argparse.Namespace) -> int:
    """``verify PATH ID [--date] [--by]``: set ``verified``."""
    from partnernetz.registry import writer

    base = writer.registry_hash(args.path)
    entries = writer.read_entries(args.path)
    if args.id not in entries:
        raise RegistryWriteError(f"Partner '{args.id}' gibt es in {args.path} nicht")
    entry = dict(entries[args.id])
    entry["verified"] = (args.date or dt.date.today()).isoformat()
    author = _author(args.by)
    return _run_write(lambda: writer.apply_changes(
        args.path, [writer.UpdatePartner(args.id, entry)], base_hash=base, author=author,
        comment=args.comment or "geprüft", towns_source=_towns(),
    ), event="edit", user=author, target=args.id)


def cmd_history(args: argparse.Namespace) -> int:
    """``history PATH [ID] [--format text|json]``."""
    from partnernetz.registry.history import History

    if not args.path.exists():
        from partnernetz.errors import RegistryFileError

        raise RegistryFileError(f"{args.path}: Datei nicht gefunden")
    history = History(args.path)
    try:
        entries = history.entries(partner_id=args.id, author=args.author, since=args.since,
                                  until=args.until)
    finally:
        history.close()
    if args.format == "json":
        json.dump([e.to_json() for e in entries], sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return EXIT_OK
    if not entries:
        print("Keine Einträge in der Historie.")
    for entry in entries:
        who = entry.author_email or entry.author_name
        print(f"{entry.short}  {entry.time:%Y-%m-%d %H:%M}  {who}  {entry.summary}")
        if entry.comment:
            print(f"    Kommentar: {entry.comment}")
        for change in entry.changes:
            if args.id is not None and change.partner_id != args.id:
                continue
            reason = f" – Grund: {change.reason}" if change.reason else ""
            print(f"    {change.op} {change.partner_id}{reason}")
            for f in change.fields:
                print(f"      {f.field}: {_show(f.old)} → {_show(f.new)}")
    return EXIT_OK


def _show(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "[]"
    return str(value)


def cmd_restore(args: argparse.Namespace) -> int:
    """``restore PATH [--to REVISION] [--id ID] --by EMAIL``."""
    from partnernetz.registry import writer

    return _run_write(lambda: writer.restore_revision(
        args.path, revision=args.to, partner_id=args.id, author=args.by, comment=args.comment,
        towns_source=_towns(),
    ), event="restore", user=args.by, target=f"{args.id or Path(args.path).name}@{args.to}")
