"""Sub-commands ``import`` and ``export`` of ``python -m partnernetz``.

``import SOURCE --into REGISTRY [--mapping FILE] [--sheet NAME] [--dry-run] [--by EMAIL]
[--strict] [--duplicates skip|merge|new] [--report FILE] [--format table|msb|bezugsgroessen]``
    CSV/TXT/XLSX into the registry, one atomic write and one history entry.
    Exit 0 imported (or nothing to do; rejected rows are named), 1 nothing
    written because of errors (``--strict`` with rejected rows, every row
    rejected, a conflict), 2 unusable input.
``export REGISTRY --format geojson|gpkg|hsds-json|hsds-csv -o PATH [filters] [--role ROLE]``
    The (filtered) partners for GIS and other directories.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from partnernetz import cli
from partnernetz.audit import log_audit, shell_user
from partnernetz.errors import ImportFileError, PartnernetzError

EXPORT_FORMATS = ("geojson", "gpkg", "hsds-json", "hsds-csv")
ROLES = ("public", "mitglied", "redaktion", "admin")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``import`` and ``export`` to the CLI's sub-parsers."""
    p = sub.add_parser("import", help="Partner aus CSV/Excel oder Schuldaten NRW importieren")
    p.add_argument("source", type=Path, help="CSV-, TXT- oder XLSX-Datei")
    p.add_argument("--into", type=Path, required=True, help="Registry-Datei (YAML)")
    p.add_argument("--mapping", type=Path, default=None, help="Spaltenzuordnung (YAML)")
    p.add_argument("--save-mapping", type=Path, default=None,
                   help="die verwendete Spaltenzuordnung als YAML speichern")
    p.add_argument("--sheet", default=None, help="Tabellenblatt (XLSX)")
    p.add_argument("--dry-run", action="store_true", help="nur anzeigen, was sich ändern würde")
    p.add_argument("--by", default=None, help="wer importiert (E-Mail, für die Historie)")
    p.add_argument("--strict", action="store_true",
                   help="nichts importieren, wenn eine Zeile abgelehnt wird")
    p.add_argument("--duplicates", choices=("skip", "merge", "new"), default="skip",
                   help="Duplikate überspringen (Standard), zusammenführen oder neu anlegen")
    p.add_argument("--report", type=Path, default=None, help="Zeilenbericht als CSV schreiben")
    p.add_argument("--format", choices=("table", "msb", "bezugsgroessen"), default="table",
                   help="table: eigene Liste (Standard); msb: Schuldaten NRW; "
                        "bezugsgroessen: Bezugsgrößen je Ort")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("export", help="Partner als GeoJSON, GeoPackage oder HSDS exportieren")
    p.add_argument("path", type=Path, help="Registry-Datei (YAML)")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("-o", "--output", type=Path, required=True, help="Ausgabedatei")
    p.add_argument("--layer", choices=("partner", "gemeinden"), default="partner",
                   help="nur GeoJSON: Partner (Punkte, Standard) oder Gemeinden mit Abdeckung")
    p.add_argument("--role", choices=ROLES, default="public",
                   help="für wen: interne Kontakte ab mitglied, Notizen nie (Standard: public)")
    p.add_argument("--town", action="append", default=[], help="Ort (Name oder AGS), mehrfach")
    p.add_argument("--category", action="append", default=[], help="Kategorie, mehrfach")
    p.add_argument("--stage", action="append", default=[], help="Stufe der Bildungskette")
    p.add_argument("--target-group", action="append", default=[], help="Zielgruppe")
    p.add_argument("--language", action="append", default=[], help="Sprache (ISO 639-1)")
    p.add_argument("--status", action="append", default=[], help="active, inactive, planned")
    p.add_argument("--search", default="", help="Freitextsuche")
    p.add_argument("--include-serving", action="store_true",
                   help="auch Partner, die den Ort mitversorgen")
    p.set_defaults(run=cmd_export)


# --------------------------------------------------------------------------- import


def cmd_import(args: argparse.Namespace) -> int:
    """``import SOURCE --into REGISTRY``: plan, report, write once."""
    from partnernetz.cli.outputs import check_output_target
    from partnernetz.exchange import importer
    from partnernetz.exchange.mapping import read_mapping, write_mapping
    from partnernetz.exchange.preview import describe_changes, report_csv
    from partnernetz.files import write_bytes_atomically

    for target in (args.report, args.save_mapping):  # before any work
        if target is not None:
            check_output_target(target, registry=args.into, inputs=(args.source, args.mapping))
    if args.format == "bezugsgroessen":
        return _import_reference(args)
    if not args.into.exists() and not args.into.is_symlink():
        raise ImportFileError(f"{args.into}: die Registry gibt es noch nicht; zuerst anlegen: "
                              f"python -m partnernetz init {args.into} --region KREIS --admin E-MAIL")
    mapping = read_mapping(args.mapping) if args.mapping else None
    table = importer.read_table_file(args.source, sheet=args.sheet)
    prepared = importer.prepare_import(table, args.into, source_format=args.format,
                                       mapping=mapping, policy=args.duplicates)
    plan = prepared.plan
    for note in plan.notes:
        print(note, file=sys.stderr)
    if args.save_mapping and prepared.mapping is not None:
        write_mapping(args.save_mapping, prepared.mapping)
        print(f"Zuordnung gespeichert: {args.save_mapping}", file=sys.stderr)
    for row, match in plan.matches:
        print(f"Duplikat? Zeile {row} ↔ {match.other}: {match.describe()}")
    for outcome in plan.rejected:
        print(f"Zeile {outcome.row}: abgelehnt: {outcome.reason}", file=sys.stderr)
    for pid, reason in plan.retire:
        print(f"Zur Stilllegung vorgeschlagen: {pid} ({reason})")
    if args.report:
        write_bytes_atomically(args.report, report_csv(plan))
        print(f"Zeilenbericht: {args.report}", file=sys.stderr)
    print(plan.summary())
    if args.dry_run:
        for line in describe_changes(plan, prepared.snapshot):
            print(line)
        print(f"Probelauf: {len(plan.changes)} Änderungen, nichts geschrieben")
        return cli.EXIT_INVALID if plan.rejected and (args.strict or not plan.changes) else cli.EXIT_OK
    author = args.by or "import"
    target = f"{args.source.name} -> {args.into.name}"
    try:
        result = importer.commit_import(prepared, author=author, strict=args.strict)
    except PartnernetzError:
        log_audit("import", user=args.by or shell_user(), role="cli", target=target, outcome="refused")
        raise
    log_audit("import", user=args.by or shell_user(), role="cli", target=target,
              outcome="ok" if result is not None else "nothing")
    if result is None:
        if plan.rejected and not any(o.status != "rejected" for o in plan.outcomes):
            print("Nichts geschrieben: jede Zeile wurde abgelehnt", file=sys.stderr)
            return cli.EXIT_INVALID
        print("Nichts zu tun: keine Änderungen")
        return cli.EXIT_OK
    print(f"{len(plan.changes)} Änderungen in {args.into} geschrieben (ein Eintrag in der Historie)")
    return cli.EXIT_OK


def _import_reference(args: argparse.Namespace) -> int:
    from partnernetz.exchange import reference

    result = reference.import_reference_table(args.source, registry=args.into,
                                              dry_run=args.dry_run)
    if not args.dry_run:
        log_audit("import", user=args.by or shell_user(), role="cli",
                  target=f"{args.source.name} -> Bezugsgrößen {args.into.name}")
    print(result)
    return cli.EXIT_OK


# --------------------------------------------------------------------------- export


def cmd_export(args: argparse.Namespace) -> int:
    """``export REGISTRY --format … -o PATH``: the filtered partners for other tools."""
    from partnernetz.cli.outputs import check_output_target
    from partnernetz.dataset import load_dataset
    from partnernetz.exchange import gis, hsds
    from partnernetz.files import write_bytes_atomically

    check_output_target(args.output, registry=args.path)  # before any work
    dataset = load_dataset(args.path)
    spec = _filter_spec(args, dataset)
    if args.format == "geojson":
        build = gis.towns_geojson if args.layer == "gemeinden" else gis.partners_geojson
        write_bytes_atomically(args.output, build(dataset, spec=spec, role=args.role))
    elif args.format == "gpkg":
        gis.write_geopackage(dataset, args.output, spec=spec, role=args.role)
    elif args.format == "hsds-json":
        write_bytes_atomically(args.output, hsds.hsds_json_bytes(dataset, spec=spec,
                                                                 role=args.role))
    else:
        write_bytes_atomically(args.output, hsds.hsds_datapackage_zip(dataset, spec=spec,
                                                                      role=args.role))
    if args.role != "public":  # internal contacts: who took them where
        log_audit("export_internal", user=shell_user(), role=args.role, target=args.output.name)
    print(f"Export ({args.format}) geschrieben: {args.output}", file=sys.stderr)
    return cli.EXIT_OK


def _filter_spec(args: argparse.Namespace, dataset: object) -> object:
    from partnernetz.filters import FilterSpec
    from partnernetz.geo import townnames

    towns = []
    for name in args.town:
        ags = townnames.resolve_town(name, dataset.towns)  # type: ignore[attr-defined]
        if ags is None:
            raise ImportFileError(f"--town: unbekannter Ort '{name}'")
        towns.append(ags)
    return FilterSpec(towns=tuple(towns), categories=tuple(args.category),
                      stages=tuple(args.stage), target_groups=tuple(args.target_group),
                      languages=tuple(args.language), statuses=tuple(args.status),
                      query=args.search, include_serving=args.include_serving)


if add_commands not in cli.EXTRA_COMMANDS:
    cli.EXTRA_COMMANDS.append(add_commands)
