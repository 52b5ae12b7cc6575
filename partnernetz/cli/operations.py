"""Sub-commands ``init``, ``backup`` and ``doctor`` of ``python -m partnernetz``.

``init PATH --region NAME_OR_KEY --admin EMAIL``
    A new registry with no partners, ``access.yaml`` and a ``secrets.toml`` template beside it.
``backup REGISTRY -o FILE.tar.gz [--access FILE]`` / ``backup --restore FILE.tar.gz --into DIR``
    Registry, history, access file and geocode cache with a checksum manifest; a checked restore.
``doctor [REGISTRY] [--access FILE] [--secrets FILE]``
    German findings; exit 0 only when the app can run as configured.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from partnernetz.cli import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, EXTRA_COMMANDS, input_path
from partnernetz.errors import OperationsError

DEFAULT_REGISTRY = Path("data/partners.yaml")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``init``, ``backup`` and ``doctor`` to the CLI's sub-parsers."""
    p = sub.add_parser("init", help="neue Registry für einen Kreis anlegen (ohne Partner)")
    p.add_argument("path", type=input_path, help="neue Registry-Datei (YAML); wird nie überschrieben")
    p.add_argument("--region", required=True,
                   help="Kreis oder kreisfreie Stadt in NRW: Name (\"Kreis Paderborn\") oder Schlüssel")
    p.add_argument("--admin", required=True, help="E-Mail-Adresse der ersten Admin-Person")
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("backup", help="Registry, Historie, Zugang und Cache sichern oder zurückholen")
    p.add_argument("registry", type=input_path, nargs="?", help="Registry-Datei (zum Sichern)")
    p.add_argument("-o", "--output", type=input_path, help="Sicherungsdatei (.tar.gz)")
    p.add_argument("--access", type=Path, default=None,
                   help="Zugangsdatei (Standard: $PARTNERNETZ_ACCESS oder access.yaml neben der Registry)")
    p.add_argument("--restore", type=input_path, metavar="DATEI", help="Sicherung zurückholen")
    p.add_argument("--into", type=input_path, metavar="ORDNER", help="Zielordner der Wiederherstellung")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("doctor", help="Installation prüfen: läuft die App so, wie eingerichtet?")
    p.add_argument("registry", type=input_path, nargs="?", default=None,
                   help="Registry (Standard: $PARTNERNETZ_REGISTRY oder data/partners.yaml)")
    p.add_argument("--access", type=Path, default=None, help="Zugangsdatei")
    p.add_argument("--secrets", type=Path, action="append", default=None,
                   help="secrets.toml (Standard: ~/.streamlit und .streamlit im aktuellen Ordner)")
    p.set_defaults(run=cmd_doctor)


EXTRA_COMMANDS.append(register)


def _access_for(registry: Path, chosen: Path | None) -> Path | None:
    if chosen is not None:
        return chosen
    if os.environ.get("PARTNERNETZ_ACCESS"):
        return Path(os.environ["PARTNERNETZ_ACCESS"])
    beside = registry.parent / "access.yaml"
    return beside if beside.exists() else None


def _audit(event: str, *, target: str) -> None:
    """One line in the audit log (``partnernetz.audit``): who ran it on the server, which file."""
    import getpass

    from partnernetz.audit import log_audit

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = None
    log_audit(event, user=user, role=None, target=target)


def cmd_init(args: argparse.Namespace) -> int:
    """``init PATH --region … --admin …``: write the new files, print the next steps."""
    from partnernetz.operations.setup import init_registry, next_steps

    result = init_registry(args.path, region=args.region, admin=args.admin)
    print(f"Neue Registry für {result.region.name} ({result.region.kreis}), noch ohne Partner:")
    for path in result.written:
        print(f"  angelegt: {path}")
    for path in result.kept:
        print(f"  schon vorhanden, nicht überschrieben: {path}")
    print("Nächste Schritte:")
    for line in next_steps(result):
        print(f"  {line}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """``backup REGISTRY -o FILE`` or ``backup --restore FILE --into DIR``."""
    from partnernetz.operations.backup import create_backup, restore_backup

    if args.restore is not None:
        if args.into is None or args.registry is not None or args.output is not None:
            raise OperationsError("Wiederherstellen: backup --restore DATEI.tar.gz --into ORDNER")
        written = restore_backup(args.restore, args.into)
        _audit("restore", target=args.restore.name)
        print(f"{len(written)} Dateien nach {args.into} wiederhergestellt (Prüfsummen stimmen)")
        print(f"Registry: {written[0]}")
        return EXIT_OK
    if args.registry is None or args.output is None:
        raise OperationsError("Sichern: backup REGISTRY -o DATEI.tar.gz")
    result = create_backup(args.registry, args.output, access=_access_for(args.registry, args.access))
    _audit("backup", target=args.output.name)
    print(f"Sicherung {result.archive}: {len(result.files)} Dateien, {result.total_bytes} Bytes")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    """``doctor [REGISTRY]``: every finding; exit 0 when the app can run, else 1."""
    from partnernetz.operations.doctor import can_run, default_secrets_paths, run_checks

    registry = args.registry or Path(os.environ.get("PARTNERNETZ_REGISTRY") or DEFAULT_REGISTRY)
    findings = run_checks(registry, access=_access_for(registry, args.access),
                          secrets=args.secrets or default_secrets_paths(),
                          cache_setting=os.environ.get("PARTNERNETZ_CACHE_DIR") or None)
    for finding in findings:
        print(finding.format(), file=sys.stdout)
    if can_run(findings):
        print("Ergebnis: die App kann so laufen.")
        return EXIT_OK
    errors = sum(f.level == "fehler" for f in findings)
    print(f"Ergebnis: {errors} Fehler – die App kann so nicht laufen.", file=sys.stderr)
    return EXIT_INVALID if errors else EXIT_UNUSABLE
